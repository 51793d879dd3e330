#pragma once
// Every thread on one timeline: lane groups, top to bottom, for the server's event loop (one lane,
// with its awaits in a strip below), the event pool's workers (none when threading is off), the sessions' runner threads, the runners of
// destroyed sessions nobody stopped (leaked), and the simulated GIL. Each task or event is a bar
// in its session's colour, labelled when wide enough ("#3 click 2", "task 1"); back-to-back bars
// keep a gap and an outline. Runs of bars too thin to see fold into one counted block; groups with
// more lanes than fit fold into a summary row (busy threads over time) that expands on click.
// Retired workers and ended runners stay, greyed and marked, until their last bar scrolls out.
// Freezing the view (not the simulation) allows scrolling back; a replay shows a recorded trace.

#include <imgui.h>

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/chrome_trace.hpp"
#include "core/world.hpp"
#include "metrics.hpp"
#include "session_grid_view.hpp"
#include "timeline_fold.hpp"
#include "timeline_lanes.hpp"

namespace threadlab::ui {

class TimelineView {
public:
    /// Draws the controls, the axis and the lanes in at most `max_height` pixels (see the file
    /// comment for what folds when they do not fit).
    void draw(const World& world, float max_height);
    /// Lines from each card whose click is running to the bar that runs it (positions of the last
    /// draw()), into the current window's draw list: call it from a view that lies over the
    /// dashboard's own views only, so no line crosses another window.
    void draw_click_lines(const CardAnchors& anchors) const;

    bool frozen() const { return m_frozen; }
    /// Whether bars are on screen and moving with time (so the view must be redrawn each frame).
    bool moving() const { return m_moving; }
    void set_frozen(bool frozen);
    /// Shows nothing that ran before `since`: a lesson starts on a clean stage. A new `since` also
    /// zooms the view to fit everything from then to now (or to `ended`), as large as it can be
    /// drawn, until the user picks a window length.
    void start_from(Clock::time_point since, std::optional<Clock::time_point> ended = std::nullopt);
    /// The moments to mark (a lesson's setting changes), oldest first; with `durations`, each
    /// phase between them (and a lesson without markers as one phase) is labelled with how long
    /// its work took, when that is what the lesson asks about.
    void set_markers(std::vector<TimelineMarker> markers, bool durations) {
        m_markers = std::move(markers);
        m_phase_durations = durations;
    }

    /// Replay: show a recorded trace instead of the live simulation, read-only, one lane per thread
    /// that ran something, played back or scrubbed.
    void set_replay(const TraceData& data);
    bool replaying() const { return m_replay; }

    /// Queue wait and run time of the events finished within the view's window.
    const LatencySummary& queue_wait() const { return m_queue_wait; }
    const LatencySummary& run_time() const { return m_run_time; }

private:
    struct ClickTarget {
        SessionId session = 0;
        ImVec2 at;
    };
    /// Group fold state: unset follows the space available; set, the user's choice.
    std::array<std::optional<bool>, 5> m_expanded;

    void draw_controls();
    void draw_axis(float x0, float x1, Clock::time_point end);
    void draw_lanes(const World& world, float x0, float x1, Clock::time_point end, float height);
    void draw_replay_player();
    /// Marker lines and labels over the lanes, and each phase's measured duration. The labels
    /// leave the groups' titles (m_scratch.titles) uncovered.
    void draw_markers(const World& world, ImDrawList* draw, float x0, float x1, float top, float bottom,
                      Clock::time_point end);

    TimelineLanes m_lanes;
    struct Scratch {
        std::vector<const Bar*> bars;
        std::vector<PixelSpan> spans;
        std::vector<FoldedSpan> folded;
        std::vector<Clock::duration> waits;
        std::vector<Clock::duration> runs;
        std::vector<ImVec2> titles;  // each group title's text on screen: its top (y) and right end (x)
    } m_scratch;
    // Whether the runners' lanes were drawn one by one last frame: folded, their bars are not copied.
    bool m_runner_bars = true;
    GilHistory m_gil;
    std::uint64_t m_gil_seen = 0;
    bool m_frozen = false;
    Clock::time_point m_frozen_at{};
    Clock::time_point m_since{};
    std::optional<Clock::time_point> m_since_ended;
    bool m_fit_since = false;  // zoom to fit [m_since, now], until the user sets the window
    float m_scroll_back_seconds = 0.0f;
    float m_window_seconds = 10.0f;
    bool m_moving = false;
    std::vector<ClickTarget> m_click_targets;
    std::vector<TimelineMarker> m_markers;
    bool m_phase_durations = false;
    // Replay: the recorded run's length, and playback (the view's end moves at `m_replay_speed`).
    bool m_replay = false;
    float m_replay_seconds = 0.0f;
    Clock::time_point m_replay_last{};
    bool m_replay_playing = false;
    float m_replay_speed = 1.0f;
    Clock::time_point m_replay_clock{};
    LatencySummary m_queue_wait;
    LatencySummary m_run_time;
};

}  // namespace threadlab::ui
