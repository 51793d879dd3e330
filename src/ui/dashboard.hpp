#pragma once
// The whole window's content: the toolbar on top with its status line, the event pool's numbers, the
// timeline of every thread, then the session cards beside the event log. With a lesson open, the
// layout becomes a stage: the lesson takes a column on the right, beside (never over) the timeline
// and the cards it talks about. Holds UI state only; the World owns every thread. Keyboard
// shortcuts and the help overlay are handled here too.

#include "controls.hpp"
#include "lesson_view.hpp"
#include "core/world.hpp"
#include "log_view.hpp"
#include "pool_view.hpp"
#include "session_grid_view.hpp"
#include "shortcuts.hpp"
#include "status_line.hpp"
#include "theme.hpp"
#include "timeline_view.hpp"
#include "toolbar_view.hpp"
#include "trace_files.hpp"

namespace threadlab::ui {

class Dashboard {
public:
    Dashboard(Theme& theme, WorkControls controls, Clock::time_point origin)
        : m_theme(theme), m_controls(controls), m_log(origin) {}
    /// Builds one frame of the dashboard into the current ImGui frame, filling the display, after
    /// acting on the key presses since the last frame.
    void draw(World& world, const std::vector<KeyPress>& presses = {});
    /// Opens the lesson stage on the named lesson; false when there is no such lesson.
    bool open_lesson(std::string_view name) {
        m_lessons_open = m_lessons.select(name);
        return m_lessons_open;
    }
    /// Runs the open lesson, as its Run button does.
    void run_lesson(World& world) { m_lessons.run(world); }
    /// Simulated seconds since the lesson started; nullopt before it has.
    std::optional<double> lesson_elapsed(const World& world) const { return m_lessons.elapsed(world); }
    /// A lesson ran and has ended.
    bool lesson_finished() const { return m_lessons.finished(); }

    /// Shows a recorded trace instead of the live simulation: read-only, scrubbed on the timeline,
    /// until *Back to live* (the World runs on meanwhile).
    void show_replay(const TraceData& data, std::string source);
    /// What the host does with trace files: the web page offers downloads and a file dialog.
    void set_trace_files(TraceFiles files) { m_toolbar.set_trace_files(std::move(files)); }
    /// A message from the host for the status line (such as why a chosen trace could not be
    /// replayed), shown until a newer one or an export's.
    void show_notice(std::string text, bool failed);

    /// The last *Export trace*: running, or where it went, or why it failed.
    TraceExport::Status export_status() const { return m_toolbar.export_status(); }

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
    StatusLine m_status;
    CardAnchors m_anchors;
    bool m_help_open = false;
    bool m_lessons_open = false;
    bool m_newcomer = true;  // nothing done yet: the status line says what to try first
    std::string m_replay_source;  // set in a replay
    std::string m_replay_title;
    std::size_t m_replay_spans = 0;
    void draw_replay();
    void leave_replay();
    void apply_speed(World& world);
    /// The pool's numbers, the timeline and the cards (with the log unless a lesson is open).
    void draw_views(World& world, bool stage);
};

}  // namespace threadlab::ui
