#pragma once
// The event pool, live: a lane per worker thread with the last seconds of events as bars in their
// session's colour (hover for session, event, queue wait and run time). Runs of bars too thin to
// see fold into one marked block. Retiring workers are marked; lanes come and go with the slider.
// With the GIL on, a lane shows who holds it and, in the contention colour, when threads wait.
// Freezing the view (not the simulation) allows scrolling back through the recent history.

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "core/chrome_trace.hpp"
#include "core/world.hpp"
#include "metrics.hpp"
#include "session_grid_view.hpp"

namespace threadlab::ui {

class TimelineView {
public:
    void draw(const World& world, const CardAnchors& anchors);

    bool frozen() const { return m_frozen; }
    /// Whether bars are on screen and moving with time (so the view must be redrawn each frame).
    bool moving() const { return m_moving; }
    void set_frozen(bool frozen);

    /// Replay: show a recorded trace instead of the live pool, read-only, one lane per thread that
    /// ran something (workers first, then session runners), scrubbed with the "back" slider.
    void set_replay(const TraceData& data);
    bool replaying() const { return m_replay; }

    /// Queue wait and run time of the events finished within the view's window.
    const LatencySummary& queue_wait() const { return m_queue_wait; }
    const LatencySummary& run_time() const { return m_run_time; }

private:
    struct Lane {
        std::shared_ptr<const WorkerLane> lane;  // null in a replay
        std::uint64_t seen = 0;
        LaneState state;
        std::string label;    // replay: the thread's name
        bool runner = false;  // replay: a session's runner thread (its bars are tasks)
    };
    void refresh(const World& world);
    void draw_axis(float x0, float x1);
    void draw_lane(const Lane& lane, bool threaded, float x0, float x1, Clock::time_point end,
                   const CardAnchors& anchors);
    void draw_gil_lane(float x0, float x1, Clock::time_point end);

    std::vector<Lane> m_lanes;
    std::uint64_t m_lanes_version = 0;
    GilHistory m_gil;
    std::uint64_t m_gil_seen = 0;
    bool m_frozen = false;
    Clock::time_point m_frozen_at{};
    float m_scroll_back_seconds = 0.0f;
    float m_window_seconds = 10.0f;
    bool m_moving = false;
    bool m_replay = false;
    float m_replay_seconds = 0.0f;  // length of the recorded run
    LatencySummary m_queue_wait;
    LatencySummary m_run_time;
};

}  // namespace threadlab::ui
