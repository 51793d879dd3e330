#pragma once
// The whole simulation: sessions with their runners, the global event pool, periodic callbacks,
// the simulated GIL and the time scale. The UI, headless mode, tests and benchmarks all drive it
// through these commands; none of them waits for running work.
//
// Shutdown order (destructor): periodic callbacks stop, every session is stopped at once and
// joined, then the pool cancels what is queued, interrupts what runs and joins its workers.
// No thread outlives the World.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "accounting.hpp"
#include "change_signal.hpp"
#include "chrome_trace.hpp"
#include "engine_context.hpp"
#include "event_log.hpp"
#include "event_pool.hpp"
#include "limits.hpp"
#include "gil.hpp"
#include "periodic_scheduler.hpp"
#include "pool_setting.hpp"
#include "process_pool.hpp"
#include "reaper.hpp"
#include "session.hpp"
#include "snapshot.hpp"
#include "time_scale.hpp"
#include "work.hpp"

namespace threadlab {

struct WorldConfig {
    PoolSetting pool = PoolSetting::automatic();
    double time_scale = 1.0;
    bool gil = false;
    bool serialize_events_per_session = false;
    /// How Destroy stops a session's runner: the seed's way by default (Session::StopMode).
    StopMode destroy = StopMode::drain;
    /// The user's own ProcessPoolExecutor, for work of kind process (process_pool.hpp).
    ProcessPoolSetting processes{};
};

class World {
public:
    /// Throws std::invalid_argument for an out-of-range time scale.
    explicit World(WorldConfig config = {});
    ~World();
    World(const World&) = delete;
    World& operator=(const World&) = delete;

    // Sessions ------------------------------------------------------------------------------
    /// nullopt past max_live_sessions, or when its runner thread cannot start (see refusals()).
    std::optional<SessionId> add_session();
    /// Returns at once; the session's thread is joined shortly after by the reaper.
    bool destroy_session(SessionId id);
    std::size_t destroy_all_sessions();
    /// Numbers new sessions from 1 again, so that a lesson's cards carry the numbers its text uses.
    /// Only when no session is live, stopping or leaked and no pool event is queued or running
    /// (an id names one runner thread, and one session's events, at a time); returns whether it did.
    bool restart_session_numbering();

    using SessionList = std::vector<std::shared_ptr<const Session>>;
    /// Live sessions in id order. The list changes only on add and destroy.
    SessionList sessions() const;
    /// The same list as a snapshot of its own (not under the sessions' lock), for the render loop:
    /// try_copy_if_changed() copies it only when it changed, and never waits.
    const Snapshot<SessionList>& session_list() const { return m_session_list; }
    std::size_t session_count() const;
    /// A live session by id, or null.
    std::shared_ptr<const Session> session(SessionId id) const { return find(id); }
    /// Ids of destroyed sessions whose runner thread has not been joined yet.
    std::vector<SessionId> stopping_sessions() const;
    /// How many there are, without a lock (for every frame).
    std::size_t stopping_count() const { return m_stopping_count.load(std::memory_order_acquire); }
    /// Whether anything runs or waits to run: a pool event, a task on any runner, a runner still
    /// stopping. Lock-free, for the render loop to decide on every frame whether to keep drawing.
    bool busy() const;
    /// Task counts of every session destroyed and joined so far, added up.
    AccountingCounts retired_task_counts() const;

    // Work ------------------------------------------------------------------------------------
    /// Queues a task on the session's runner; nullopt for an unknown or stopping session, or a
    /// full runner queue (max_queued_tasks, see refusals()).
    /// `updates`: widget changes the task makes as its work ends, sent back to the page from the
    /// runner thread (EventPool::send_page_updates).
    std::optional<TaskId> add_task(SessionId session, WorkSpec spec, std::optional<PageUpdatesSpec> updates = {});
    std::optional<TaskId> add_task(SessionId session, Work work);
    bool cancel_task(SessionId session, TaskId task);

    /// A button click: an event of the session for the pool. nullopt for an unknown session, or
    /// a full pool queue (max_queued_events, see refusals()).
    /// `updates`: widget changes the click's callback makes as its work ends, from the thread that
    /// runs it (a pool worker, or the loop with threading off): EventPool::send_page_updates.
    std::optional<EventId> click(SessionId session, WorkSpec spec, std::optional<PageUpdatesSpec> updates = {});
    std::optional<EventId> click(SessionId session, Work work);
    /// An async click: the session's callback is a coroutine (coroutine.hpp) that runs on the
    /// server's event loop, whatever the threading setting; one event for the whole coroutine.
    std::optional<EventId> click_async(SessionId session, const std::vector<AsyncStepSpec>& steps);

    /// The session's slider moves to `value` (`released`: the handle is let go). Changes merge as
    /// Panel merges them (slider_changes.hpp): the first of a batch schedules a slider event 50 ms
    /// (simulated) later; that event, when it starts, runs the watchers once with the latest
    /// values. A click flushes a pending batch first. False for an unknown or stopping session.
    bool move_slider(SessionId session, int value, bool released);
    /// The callbacks watching the session's slider; false for an unknown session.
    bool watch_slider(SessionId session, SliderWatchers watchers);
    bool cancel_event(EventId event) { return m_pool.cancel(event); }

    /// A periodic callback of the session firing events into the pool; stopped with the session.
    /// nullopt for an unknown session; throws std::invalid_argument for a bad schedule.
    std::optional<PeriodicId> start_periodic(SessionId session, PeriodicSchedule schedule, WorkSpec spec);
    bool stop_periodic(PeriodicId id) { return m_periodic.stop(id); }
    std::vector<PeriodicInfo> periodic_callbacks() const { return m_periodic.active(); }

    // Settings --------------------------------------------------------------------------------
    /// Resizes the event pool (see EventPool::resize); a change is noted in the event log.
    void set_pool(PoolSetting setting);
    void set_gil(bool on);
    /// Throws std::invalid_argument when out of range.
    void set_time_scale(double scale);
    void set_serialize_events_per_session(bool on) { m_pool.set_serialize_per_session(on); }
    /// Paused: no new event starts (queued ones wait, running ones finish); resume lets them go.
    void set_events_paused(bool paused);
    /// A new process pool with `setting` (the old one's jobs are cancelled or interrupted, its
    /// processes leave): a cold start, as a fresh ProcessPoolExecutor is. Logged. Throws
    /// std::invalid_argument for a setting out of range.
    void set_processes(ProcessPoolSetting setting);
    /// A line of the event log that belongs to no session (a lesson starts, a setting changed).
    void log_marker(std::string text) { m_log.add(0, std::move(text)); }
    /// The clean-up-on-destroy lesson's switch: while on, destroy_session() removes a session but
    /// forgets to stop its runner (as if on_session_destroyed were never registered). Its thread
    /// lives on, counted by leaked_sessions(), until the World is destroyed.
    void set_forget_on_session_destroyed(bool on) { m_forget_on_destroy.store(on, std::memory_order_release); }
    /// How destroy_session() stops the runner from now on: draining as the seed's stop() does, or
    /// promptly (interrupt and cancel: ThreadLab's own). Logged when it changes.
    void set_destroy_mode(StopMode mode);
    StopMode destroy_mode() const { return m_destroy_mode.load(std::memory_order_acquire); }
    std::size_t leaked_sessions() const;
    /// The leaked sessions themselves (their runners still alive), in the order they were destroyed.
    std::vector<std::shared_ptr<const Session>> leaked_session_list() const;
    /// Stops and joins (in the background) the runners of leaked sessions; returns how many.
    std::size_t stop_leaked_sessions();
    /// Bokeh's defaults for a session nobody is connected to: it is discarded once the lifetime
    /// has passed since its tab closed, at the server's next check (`bokeh serve
    /// --unused-session-lifetime 15000 --check-unused-sessions 17000`, in ms:
    /// src/bokeh/server/tornado.py:74-78, bokeh/bokeh@8fbd227). Simulated seconds.
    static constexpr double unused_session_lifetime_seconds = 15.0;
    static constexpr double unused_session_check_seconds = 17.0;
    struct ClosedTab {
        Clock::time_point closed{};
        /// The first check, counted from the World's start, at least the lifetime after `closed`.
        Clock::time_point discarded{};
    };
    /// The session's browser tab closes. Nothing stops yet: the session is destroyed (which
    /// calls on_session_destroyed, in the destroy mode then in force) when the server discards it,
    /// by expire_closed_tabs(). False for no such session, or a tab already closed.
    bool close_tab(SessionId session);
    std::optional<ClosedTab> closed_tab(SessionId session) const;
    /// Destroys the sessions whose tabs the server discards by `now`; returns how many. Whoever
    /// drives the World calls it (the render loop every frame, a scenario between its actions).
    std::size_t expire_closed_tabs(Clock::time_point now);
    /// When the next closed tab is discarded; nullopt when none is waiting.
    std::optional<Clock::time_point> next_tab_expiry() const;
    /// Whether a closed tab waits to be discarded (lock-free).
    bool tabs_closing() const { return m_closed_tab_count.load(std::memory_order_acquire) > 0; }
    /// See Session::set_seed_runner (the silent-thread-death lesson); false for no such session.
    bool set_seed_runner(SessionId session, bool as_written);
    /// See Session::set_polling (the waiting-well lesson).
    bool set_runner_polling(SessionId session, std::optional<double> interval_seconds);
    /// Whether spans are recorded in the trace (on by default).
    void set_tracing(bool on) { m_trace.set_enabled(on); }

    // Parts, for readers ----------------------------------------------------------------------
    ProcessPool& processes() { return m_processes; }
    const ProcessPool& processes() const { return m_processes; }
    EventPool& pool() { return m_pool; }
    const EventPool& pool() const { return m_pool; }
    const Gil& gil() const { return m_gil; }
    const TimeScale& time() const { return m_time; }
    ChangeSignal& changes() { return m_changes; }
    const EventLog& log() const { return m_log; }
    const Trace& trace() const { return m_trace; }
    /// A copy of the trace so far, ready to export (see chrome_trace.hpp).
    TraceData trace_data(std::string title) const {
        return {m_trace.spans(), m_trace.counters(), m_trace.origin(), std::move(title), m_time.get()};
    }
    const SharedCounters& counters() const { return m_counters; }

    /// What the engine refused past its limits (limits.hpp): how many times, and the last reason,
    /// as a sentence for the user. The dashboard shows it as a message.
    struct Refusals {
        std::uint64_t count = 0;
        std::string last;
    };
    const Snapshot<Refusals>& refusals() const { return m_refusals; }

private:
    /// Records a refusal: in the event log (of `session`, 0 for none) and in refusals().
    void refuse(SessionId session, std::string reason);
    /// Pass a result through, recording a refusal when a live session or the pool refused.
    std::optional<TaskId> admitted_task(const Session& session, std::optional<TaskId> task);
    /// Submits to the pool; a refusal is recorded with its cause: the full queue, or no worker
    /// thread that could start (the system out of threads or memory).
    std::optional<EventId> submit_event(EventRequest request);
    std::shared_ptr<Session> find(SessionId id) const;
    /// Called after submitting for a session it found: true, having cancelled the session's events
    /// and periodic callbacks, if the session was destroyed meanwhile. destroy_session() erases a
    /// session before it cancels what the session has in the pool and the scheduler, so a submit
    /// between the two would outlive the session; looking again after the submit closes that gap
    /// without a lock around every submit (found: the destroy comes later and cancels it).
    bool destroyed_meanwhile(SessionId session);
    /// With m_sessions_mutex held: adds the id to the stopping set, or removes it.
    void set_stopping_locked(SessionId id, bool stopping);
    /// Submits the slider event of the session's open batch, if its flush is still due.
    void flush_slider(SessionId session, const std::shared_ptr<SliderChanges>& slider,
                      const std::shared_ptr<Accounting>& accounting);
    /// The work `spec` describes; work of kind process goes to this World's process pool.
    Work make_work(const WorkSpec& spec);
    /// `work`, then (if it returned) `updates` sent back to the session's page.
    Work with_page_updates(const Session& session, Work work, std::optional<PageUpdatesSpec> updates);
    EngineContext engine() { return {m_time, m_gil, m_changes, m_log, m_trace, m_counters, m_activity}; }

    // Declared in dependency order: everything a thread uses is built before it and outlives it.
    ChangeSignal m_changes;
    TimeScale m_time;
    Gil m_gil;
    EventLog m_log;
    Trace m_trace;
    SharedCounters m_counters;
    EngineActivity m_activity;
    Snapshot<Refusals> m_refusals;
    // Before the scheduler, the pool and the sessions: their work waits for its processes, so
    // the process pool outlives every caller (~World stops the sessions and the pool first).
    ProcessPool m_processes;
    // The scheduler before the pool: a periodic call running on a pool worker reports its end to
    // the scheduler, so the scheduler outlives the pool's threads. (The scheduler's own thread
    // submits to the pool only while a callback is active, and ~World stops them all first.)
    PeriodicScheduler m_periodic;
    EventPool m_pool;

    // Guards the session map, the stopping set, the retired counts and the id counter.
    mutable std::mutex m_sessions_mutex;
    std::map<SessionId, std::shared_ptr<Session>> m_sessions;
    std::set<SessionId> m_stopping;
    // Its size, read without the lock (see stopping_count()); written with m_stopping.
    std::atomic<std::size_t> m_stopping_count{0};
    AccountingCounts m_retired_tasks;
    // Destroyed while forgetting on_session_destroyed: runners still alive, stopped only at the end.
    std::vector<std::shared_ptr<Session>> m_leaked;
    std::atomic<bool> m_forget_on_destroy{false};
    std::atomic<StopMode> m_destroy_mode{StopMode::drain};
    // Closed tabs waiting for the server to discard them (guarded by m_sessions_mutex).
    std::map<SessionId, ClosedTab> m_closed_tabs;
    // Its size, read without the lock: a render loop with no closed tab never takes the lock.
    std::atomic<std::size_t> m_closed_tab_count{0};
    // The server's start: its unused-session checks are counted from here.
    const Clock::time_point m_started = Clock::now();
    // Destroyed sessions still draining their queue (the seed's way): a shutdown stops them promptly.
    std::vector<std::weak_ptr<Session>> m_draining;
    SessionId m_next_session = 1;
    // Sessions whose runner thread is starting, outside the lock: they count against the limit.
    std::size_t m_sessions_starting = 0;
    // The live sessions again, as a list readers copy without the sessions' lock. Published under
    // m_sessions_mutex, with every change to m_sessions.
    Snapshot<SessionList> m_session_list;

    // Joins destroyed sessions' runners; last, so it is drained before the members above go.
    Reaper m_reaper;
};

}  // namespace threadlab
