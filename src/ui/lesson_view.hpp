#pragma once
// The lesson stage: a column beside the timeline and the cards (never over them). Predict first:
// before the run it shows only the lesson's title, its setup, the question and the choices; then
// it runs live on the dashboard, and afterwards shows what this run measured, the verdict against
// the choices, what to watch, why, and Panel's equivalent. Run, Stop, Restart, Reset and Next.
// Owns no threads: the World runs everything and the stage advances the scenario once per frame.

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include <map>

#include "core/lesson_verdict.hpp"
#include "core/lessons.hpp"
#include "core/scenario_player.hpp"
#include "core/world.hpp"
#include "metrics.hpp"
#include "timeline_lanes.hpp"

namespace threadlab::ui {

class LessonView {
public:
    LessonView();

    /// Applies the running lesson's due actions; call every frame, even with the stage closed.
    /// `speed` is the presenter's speed (2 = twice as fast): the lesson runs at its own time
    /// scale divided by it.
    void advance(World& world, double speed);
    /// Draws the stage into the current region; `open` turns false when the user closes it.
    void draw(World& world, bool& open);
    /// Selects the named lesson; false when there is none by that name.
    bool select(std::string_view name);
    /// Starts the selected lesson (Run): the stage is cleared first, then the lesson starts.
    void run(World& world);

    /// A lesson is being prepared or running: the view must redraw each frame so that its
    /// actions happen on time.
    bool running() const { return m_clearing || (m_active && !m_active->finished); }
    /// A lesson ran and has ended (by itself or by Stop).
    bool finished() const { return m_active && m_active->finished; }
    /// Simulated seconds since the running (or last) lesson started; nullopt before any.
    std::optional<double> elapsed(const World& world) const;
    /// When the current lesson started (the dashboard hides what ran before it).
    std::optional<Clock::time_point> started_at() const;
    /// When it ended; nullopt while it runs.
    std::optional<Clock::time_point> ended_at() const;
    /// Whether the running (or last) lesson asks how long its work takes (its phases' durations
    /// on the timeline are then the evidence).
    bool asks_about_durations() const;
    /// The running (or last) lesson's setting changes as timeline markers ("GIL off" at 3 s).
    std::vector<TimelineMarker> markers(const World& world) const;
    /// The time scale the lesson asks for (wall seconds per simulated second) while one runs.
    std::optional<double> time_scale() const;

private:
    struct Active {
        Scenario scenario;
        std::unique_ptr<ScenarioPlayer> player;
        int prediction = -1;
        double took_seconds = 0.0;
        double time_scale = 1.0;  // wall seconds per simulated second, for the whole run
        Clock::time_point ended_at{};
        std::size_t leaked_at_end = 0;
        bool finished = false;
        bool stopped = false;  // ended by Stop, not by itself
        /// What this run measured, judged against the choices (set when it ends by itself).
        std::optional<LessonVerdict> verdict;
    };
    /// Live figures read from the trace at most a few times a second (it can hold 100 000 spans).
    struct Instruments {
        Clock::time_point read_at{};
        double mean_in_system = 0.0;  // W, simulated seconds
        std::map<SessionId, Clock::duration> worst_task_wait;
    };
    void start(World& world);
    void finish(World& world, bool stopped);
    void draw_header(bool& open);
    void draw_controls(World& world);
    void draw_instruments(const World& world);
    void read_instruments(const World& world);
    void draw_result(const Active& active);

    std::vector<BuiltInLesson> m_lessons;
    std::vector<Scenario> m_scenarios;
    int m_selected = 0;
    int m_prediction = -1;
    bool m_clearing = false;  // Run pressed: waiting for the last runner threads to end
    double m_speed = 1.0;
    std::optional<Active> m_active;
    Instruments m_instruments;
    // The pinned instruments' height last frame: the text above them leaves that much room.
    float m_instruments_height = 0.0f;
};

}  // namespace threadlab::ui
