#pragma once
// The lesson pane: pick a built-in lesson, let the audience predict ("how long will the two clicks
// take?"), run it live on the dashboard, then show the answer next to the prediction, with what to
// watch, why it happens and the Panel equivalent. Owns no threads: the World runs everything and
// the pane advances the scenario once per frame.

#include <memory>
#include <optional>
#include <vector>

#include "core/lessons.hpp"
#include "core/scenario_player.hpp"
#include "core/world.hpp"

namespace threadlab::ui {

class LessonView {
public:
    LessonView();

    /// Applies the running lesson's due actions; call every frame, even with the pane closed.
    void advance(World& world);
    /// Draws the pane (a window of its own) when `open`.
    void draw(World& world, bool& open);
    /// Selects the named lesson; false when there is none by that name.
    bool select(std::string_view name);

    /// A lesson is running: the view must redraw each frame so that its actions happen on time.
    bool running() const { return m_active && !m_active->finished; }

private:
    struct Active {
        Scenario scenario;
        std::unique_ptr<ScenarioPlayer> player;
        int prediction = -1;
        double took_seconds = 0.0;
        std::size_t leaked_at_end = 0;
        CounterReading racy;
        bool finished = false;
    };
    void start(World& world);
    void draw_list();
    void draw_lesson(World& world);
    void draw_result(const World& world, const Active& active);

    std::vector<BuiltInLesson> m_lessons;
    std::vector<Scenario> m_scenarios;
    int m_selected = 0;
    int m_prediction = -1;
    std::optional<Active> m_active;
};

}  // namespace threadlab::ui
