#pragma once
// The whole window's content: the toolbar on top; the event pool (numbers, plots and timeline)
// below it; then the session cards beside the event log. Holds UI state only; the World owns
// every thread. Keyboard shortcuts and the help overlay are handled here too.

#include "controls.hpp"
#include "lesson_view.hpp"
#include "core/world.hpp"
#include "log_view.hpp"
#include "pool_view.hpp"
#include "refusal_banner.hpp"
#include "session_grid_view.hpp"
#include "shortcuts.hpp"
#include "theme.hpp"
#include "timeline_view.hpp"
#include "toolbar_view.hpp"

namespace threadlab::ui {

class Dashboard {
public:
    Dashboard(Theme& theme, WorkControls controls, Clock::time_point origin)
        : m_theme(theme), m_controls(controls), m_log(origin) {}
    /// Builds one frame of the dashboard into the current ImGui frame, filling the display, after
    /// acting on the key presses since the last frame.
    void draw(World& world, const std::vector<KeyPress>& presses = {});
    /// Opens the lesson pane on the named lesson; false when there is no such lesson.
    bool open_lesson(std::string_view name) {
        m_lessons_open = m_lessons.select(name);
        return m_lessons_open;
    }

    /// Shows a recorded trace instead of the live simulation: read-only, scrubbed on the timeline.
    void show_replay(const TraceData& data, std::string source);

    /// Whether something on screen moves by itself (the timeline slides while it shows recent bars).
    bool animating() const { return m_timeline.moving() || m_lessons.running(); }

private:
    Theme& m_theme;
    WorkControls m_controls;
    ToolbarView m_toolbar;
    PoolView m_pool;
    TimelineView m_timeline;
    SessionGridView m_sessions;
    LogView m_log;
    LessonView m_lessons;
    RefusalBanner m_refusals;
    CardAnchors m_anchors;
    bool m_help_open = false;
    bool m_lessons_open = false;
    std::string m_replay_source;  // set in a replay
    std::string m_replay_title;
    std::size_t m_replay_spans = 0;
    void draw_replay();
};

}  // namespace threadlab::ui
