#pragma once
// The timeline's model, without drawing: every thread of the simulation as a lane of bars, in
// groups, top to bottom: the server's event loop (one lane, always), the event pool's workers
// (none when threading is off), the sessions' runner threads, and the runners of destroyed sessions nobody stopped
// (leaked). A lane outlives its thread until its last bar has scrolled out of the view, so a
// retired worker or a destroyed session's runner stays visible, greyed and marked, for as long
// as its history is on screen.

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/chrome_trace.hpp"
#include "core/event_pool.hpp"
#include "core/process_pool.hpp"
#include "core/session.hpp"

namespace threadlab {
class World;
}

namespace threadlab::ui {

enum class LaneGroup : std::uint8_t { loop, pool, processes, runners, leaked };

/// A moment the timeline marks with a line and a label: a setting a lesson changed ("GIL off").
/// Markers also divide the view into phases, each labelled with how long its work took.
struct TimelineMarker {
    Clock::time_point at{};
    std::string label;
};

/// What happened to a lane's thread.
enum class LaneMark : std::uint8_t {
    none,
    retiring,  ///< a pool worker that leaves after its current event (the pool shrank)
    retired,   ///< a pool worker that has left
    stopping,  ///< a destroyed session's runner, not yet ended
    draining,  ///< a destroyed session's runner finishing its queue, as the seed's stop() lets it
    ended,     ///< a destroyed session's runner that has ended
    leaked,    ///< a destroyed session's runner nobody stopped: it lives on
    died,      ///< a live session's runner that died on a failing task (the seed's bug)
    exited,    ///< a worker process that has left (its executor was replaced or shut down)
};

const char* to_string(LaneMark mark);

/// One task or event on a lane.
struct Bar {
    SessionId session = 0;
    /// "click", "periodic" or "task".
    const char* kind = "task";
    /// The session's Nth click or periodic call, or the task's number in its session.
    std::uint64_t number = 0;
    Clock::time_point queued{};
    Clock::time_point started{};
    /// Unset while it runs.
    std::optional<Clock::time_point> finished;
    std::optional<Outcome> outcome;
    /// The message of a failed event.
    std::string error;
    /// A coroutine's step (1-based) of `steps`; 0 of 0 for anything else.
    std::uint16_t step = 0;
    std::uint16_t steps = 0;
    /// When it joined the queue it ran from: `queued`, or for a coroutine's later step when the
    /// await before it ended.
    Clock::time_point ready{};

    Clock::duration queue_wait() const { return started - ready; }
    Clock::duration run_time(Clock::time_point now) const { return finished.value_or(now) - started; }
};

/// A coroutine awaiting on the event loop's lane: the loop is free meanwhile. `until` unset while
/// it still awaits (drawn up to now).
struct AwaitSpan {
    SessionId session = 0;
    EventId id = 0;
    Clock::time_point from{};
    std::optional<Clock::time_point> until;
    /// Not an await: the time an event or a coroutine's step waited in the loop's queue, ready to
    /// run while the loop ran something else (what a blocking step makes everybody do).
    bool queued = false;
};

struct Lane {
    LaneGroup group = LaneGroup::pool;
    std::string name;
    /// The session whose colour the name takes (runners), 0 for none.
    SessionId session = 0;
    LaneMark mark = LaneMark::none;
    /// Oldest first; the running one, if any, last.
    std::vector<Bar> bars;
    /// A runner's wake-ups to look at its queue (ticks on its lane; a comb for polls), oldest first.
    std::vector<WakeupRun> wakeups;
    /// The event loop's awaits and queue waits, oldest first (the loop's lane only).
    std::vector<AwaitSpan> awaits;
    /// When the thread stopped being live (retired, ended), for dropping the lane later.
    std::optional<Clock::time_point> gone_at;
    /// The kernel's id of the lane's thread (0 for none known): a caller's lane finds the process
    /// jobs it waits for by it.
    int thread_id = 0;

    bool running() const { return !bars.empty() && !bars.back().finished; }
    /// When its last bar ended (now-ish while one runs); the epoch when it has none.
    Clock::time_point last_activity() const;
};

/// A stretch during which a thread (an event worker, a runner) waited for a process job.
struct ProcessWait {
    Clock::time_point from{};
    /// Unset while it waits.
    std::optional<Clock::time_point> to;
    /// The process that ran it; 0 while the job is queued.
    std::uint64_t process = 0;
};

/// How many session runners were busy at a moment (one sample per refresh).
struct BusySample {
    Clock::time_point at{};
    std::uint32_t busy = 0;
};

class TimelineLanes {
public:
    /// Copies what changed from the World (snapshots whose version moved; never blocks on a
    /// lock a task holds) and updates the lanes. A gone thread's lane is dropped once it has no
    /// bar that ended after `since` within the `window` before `now`.
    /// With `runner_bars` false (the runners' group is folded into one row) the live runners'
    /// bars are left as they were: copying hundreds of histories a frame for a row that shows
    /// only how many are busy would cost the render loop most of its frame.
    void refresh(const World& world, Clock::time_point now, Clock::duration window, Clock::time_point since = {},
                 bool runner_bars = true);

    /// Replaces the lanes with a recorded trace's threads (a replay): workers, then runners.
    void load_trace(const TraceData& data);

    /// The stretches the thread `thread_id` waited for a process job, oldest first; null for none.
    const std::vector<ProcessWait>* process_waits(int thread_id) const;

    /// The lanes, in drawing order: the event loop, pool workers (live by index, then retired), the
    /// process pool's processes (by number), runners by session, then leaked runners. Valid until
    /// the next refresh() or load_trace().
    const std::vector<const Lane*>& lanes() const { return m_order; }
    std::size_t count(LaneGroup group) const;

    /// Live runners busy with a task, sampled from their counters at every refresh (no history
    /// copied), oldest first, covering the window: what a folded runners' row draws.
    const std::deque<BusySample>& runner_busy() const { return m_runner_busy; }

private:
    // A thread's snapshot and the lane made from it; the bars are rebuilt only when the
    // snapshot's version moved, so a frame with hundreds of runners copies nothing new.
    struct WorkerSource {
        std::shared_ptr<const WorkerLane> worker;
        std::uint64_t seen = 0;
        LaneState state;
        std::uint64_t retired_order = 0;
        Lane lane;
    };
    struct RunnerSource {
        std::shared_ptr<const Session> session;
        bool live = false;  // in the World's session list
        std::uint64_t seen = 0;
        Clock::time_point copied_at{};
        SessionState state;
        Lane lane;
    };
    void refresh_workers(const World& world, Clock::time_point now);
    void refresh_loop(const World& world);
    /// The process pool's processes, and who waits for them, from its history when it moved.
    void refresh_processes(const World& world);
    /// Returns how many live runners are busy.
    std::uint32_t refresh_runners(const World& world, Clock::time_point now, bool bars);
    void sample_runner_busy(Clock::time_point now, Clock::duration window, std::uint32_t busy);
    void order(Clock::time_point now, Clock::duration window, Clock::time_point since);

    // The event loop's lane: always there, first.
    WorkerSource m_loop;
    std::uint64_t m_workers_version = 0;
    std::vector<WorkerSource> m_workers;  // live ones in pool order, then retired ones
    std::uint64_t m_retired_count = 0;
    std::uint64_t m_sessions_version = 0;
    std::map<SessionId, RunnerSource> m_runners;
    std::deque<BusySample> m_runner_busy;
    std::uint64_t m_processes_seen = 0;
    ProcessHistory m_process_history;
    std::vector<Lane> m_processes;
    std::map<int, std::vector<ProcessWait>> m_process_waits;
    std::vector<Lane> m_replay;
    std::vector<const Lane*> m_order;
};

/// A pool event as a bar.
Bar bar_of(const EventRecord& record);
/// A runner task as a bar; nullopt for a task still queued (it has no place on a lane yet).
std::optional<Bar> bar_of(const TaskRecord& task, SessionId session);

}  // namespace threadlab::ui
