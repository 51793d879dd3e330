#pragma once
// A simulated Panel session with its own task runner: the manual-threading seed's
// SessionTaskRunner in C++. One runner thread per session takes tasks from a FIFO queue, waits on
// a condition variable when idle (never polls), and publishes the seed's `status`, `tasks` and
// `value` (the last result, or the error of a task that threw; the runner keeps going).
//
// Contracts
//  - request_stop() (Panel's on_session_destroyed) returns at once, in one of two ways:
//    draining, as the seed's stop() does (a flag and the Event: the runner finishes the running
//    task and every queued one, then ends; nothing is interrupted), or prompt (ThreadLab's own:
//    the running task is interrupted, queued tasks are cancelled and counted). A prompt stop
//    also cuts a drain short. Either way no new task is accepted, and the owner joins the thread
//    through release_thread() (the World hands it to its Reaper) or the destructor.
//  - Every task ends exactly once as completed, failed or cancelled (see Accounting).
//  - Every public call is thread-safe; none waits for a running task.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "accounting.hpp"
#include "engine_context.hpp"
#include "ids.hpp"
#include "page_updates.hpp"
#include "slider_changes.hpp"
#include "snapshot.hpp"
#include "work.hpp"
#include "platform/stop.hpp"
#include "platform/thread_cpu.hpp"

namespace threadlab {

enum class TaskState : std::uint8_t { queued, running, completed, failed, cancelled };

const char* to_string(TaskState state);
/// The state a task ends in, for its outcome.
TaskState to_task_state(Outcome outcome);
/// A task's outcome: set once it ended, nullopt while queued or running.
std::optional<Outcome> outcome_of(TaskState state);

struct TaskRecord {
    TaskId id = 0;
    WorkKind kind = WorkKind::sleep;
    double seconds = 0.0;
    TaskState state = TaskState::queued;
    Clock::time_point queued_at{};
    std::optional<Clock::time_point> started_at;
    std::optional<Clock::time_point> finished_at;
};

/// The richer state of a session, published at transitions (see Snapshot).
/// Wake-ups of the idle runner to look at its queue. A polling runner's wake-ups an interval
/// apart are one run (a comb), so a thousand polls a second take one entry, and the timeline can
/// show a whole lesson of polling; a wake-up on the condition variable is a run of its own.
struct WakeupRun {
    Clock::time_point first{};
    Clock::time_point last{};
    std::uint64_t count = 1;
    bool polling = false;
};

struct SessionState {
    static constexpr const char* idle_status = "The queue is empty";
    static constexpr std::size_t history_limit = 64;
    /// Runs of wake-ups kept (a run holds any number of polls).
    static constexpr std::size_t wakeup_limit = 512;

    std::string status = idle_status;
    /// The last result or error (Panel's `value`); empty until the first task ends.
    std::string value;
    bool value_is_error = false;
    std::optional<TaskId> running_task;
    /// Recent tasks, oldest first, including queued ones.
    std::deque<TaskRecord> history;
    /// When the idle runner woke up to look at its queue (condition variable or poll), oldest
    /// first; the newest wakeup_limit runs kept.
    std::deque<WakeupRun> wakeups;
    bool stopping = false;
    /// The seed's runner died on a failing task (see Session::set_seed_runner).
    bool runner_died = false;
};

class Session {
public:
    Session(SessionId id, EngineContext engine);
    /// Stops the runner (if still owned) and joins it.
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    SessionId id() const { return m_id; }
    /// The runner's kernel thread id, 0 until it started.
    int thread_id() const { return m_thread_id.load(std::memory_order_acquire); }

    /// Queues simulated work; nullopt once the session is stopping, or when max_queued_tasks wait.
    std::optional<TaskId> add_task(WorkSpec spec);
    /// Queues any work (tests and lessons); `kind` and `seconds` only label it.
    std::optional<TaskId> add_task(Work work, WorkKind kind = WorkKind::sleep, double seconds = 0.0);

    /// Cancels a queued task, or interrupts the running one. False if it already ended.
    bool cancel_task(TaskId id);

    /// The anti-pattern the seed warns against, for the waiting-well lesson: with an interval, an
    /// idle runner sleeps and looks at its queue every `interval_seconds` (simulated) instead of
    /// waiting on its condition variable. nullopt restores the condition variable.
    void set_polling(std::optional<double> interval_seconds);
    /// The seed's runner exactly as written: its `except` branch sets `self.value = ex` outside
    /// `param.edit_constant`, and `value` is a constant parameter, so that line raises TypeError
    /// and the exception ends the runner thread. With it on, the first failing task kills the
    /// runner silently: the status keeps "Processing", the value stays as it was, queued and
    /// later tasks are never run (they are stranded until the session is destroyed, which
    /// cancels them). Off (the default), the runner records the error and goes on, as the seed
    /// intends.
    void set_seed_runner(bool as_written);
    /// Its browser tab closed (World::close_tab): when the server will discard it, lock-free for
    /// the render loop; nullopt while the tab is open.
    void set_tab_discarded_at(Clock::time_point at) {
        m_tab_discarded_ns.store(at.time_since_epoch().count(), std::memory_order_release);
    }
    std::optional<Clock::time_point> tab_discarded_at() const {
        const auto ns = m_tab_discarded_ns.load(std::memory_order_acquire);
        return ns == 0 ? std::nullopt : std::optional(Clock::time_point(Clock::duration(ns)));
    }
    /// Whether the runner thread died on a failing task (set_seed_runner).
    bool runner_died() const { return m_died_flag.load(std::memory_order_acquire); }
    /// Times the idle runner woke up to look at its queue (condition variable or poll).
    std::uint64_t wakeups() const { return m_wakeups.load(std::memory_order_acquire); }
    /// CPU time used by the runner thread so far, or in all once it has ended; nullopt before it
    /// started or where the platform has no per-thread CPU clock.
    std::optional<Clock::duration> runner_cpu_time() const;
    /// The runner thread has started and not yet ended.
    bool runner_thread_live() const { return m_thread_live.load(std::memory_order_acquire); }

    /// Panel's on_session_destroyed: stop without waiting (see the contracts above).
    void request_stop(StopMode mode = StopMode::prompt);
    /// When request_stop() was first called (Panel's on_session_destroyed ran); unset before.
    std::optional<Clock::time_point> stop_requested_at() const {
        const auto at = m_stop_requested_at.load(std::memory_order_acquire);
        return at == 0 ? std::nullopt : std::optional(Clock::time_point(Clock::duration(at)));
    }
    bool stopping() const { return m_stopping_flag.load(std::memory_order_acquire); }
    /// Stopping the seed's way, with tasks still to run.
    bool draining() const { return m_draining_flag.load(std::memory_order_acquire); }
    /// Hands the (stopped) runner thread to whoever joins it.
    jthread release_thread() { return std::move(m_thread); }

    AccountingCounts task_counts() const { return m_tasks.read(); }
    /// This session's share of the event pool (clicks and periodic callbacks).
    AccountingCounts event_counts() const { return m_events->read(); }
    const std::shared_ptr<Accounting>& event_accounting() const { return m_events; }

    /// The next click's number: 1 for the first (Panel's `event.new`).
    std::uint32_t next_click_ordinal() { return m_clicks.fetch_add(1, std::memory_order_acq_rel) + 1; }
    /// The page's slider (shared with its change events, which may outlive the session object).
    const std::shared_ptr<SliderChanges>& slider() const { return m_slider; }
    /// The page's Bokeh document lock, which every next-tick callback of the session takes on the
    /// event loop (shared with those callbacks, which may outlive the session object).
    const std::shared_ptr<DocumentLock>& document_lock() const { return m_document; }

    const Snapshot<SessionState>& state() const { return m_state; }
    /// Progress of the running task, 0..1 (0 when idle).
    double progress(Clock::time_point now) const;

private:
    /// Called by the runner as it ends: keeps its CPU time, forgets its clock, is no longer live.
    void record_final_cpu_time();
    struct QueuedTask {
        TaskId id = 0;
        Work work;
        Clock::time_point queued_at{};
    };
    struct RunningTask {
        TaskId id = 0;
        stop_source stop;
    };

    void run(stop_token stop);
    void run_task(QueuedTask task, std::size_t items_left, std::unique_lock<std::mutex>& lock);
    /// The seed's runner on a failing task: records it and marks the runner dead (lock held on
    /// entry and on return).
    void die(TaskId task, const std::string& error, std::unique_lock<std::mutex>& lock);
    /// Counts a wake-up of the idle runner and publishes its time (SessionState::wakeups); a poll
    /// (with its real interval) joins the previous poll's run when it follows it in time.
    void record_wakeup(std::optional<Clock::duration> poll_interval);

    void log(std::string text) { m_engine.log.add(m_id, std::move(text)); }

    const SessionId m_id;
    const EngineContext m_engine;

    // Guards m_queue, m_running, m_stopping, m_next_task, m_poll_interval, m_seed_runner, m_died
    // and every write to m_tasks.
    // Held for queue operations only, never while a task runs.
    mutable std::mutex m_mutex;
    // The seed's threading.Event: signalled when a task is queued (and, via the stop token, on stop).
    condition_variable_any m_work_available;
    std::deque<QueuedTask> m_queue;
    std::optional<RunningTask> m_running;
    bool m_stopping = false;
    TaskId m_next_task = 1;
    std::optional<double> m_poll_interval;
    bool m_seed_runner = false;
    bool m_died = false;
    bool m_draining = false;

    Accounting m_tasks;
    // Shared with events in the pool, which may end after the session object is gone.
    std::shared_ptr<Accounting> m_events = std::make_shared<Accounting>();
    std::shared_ptr<DocumentLock> m_document = std::make_shared<DocumentLock>();
    std::atomic<std::uint32_t> m_clicks{0};
    std::shared_ptr<SliderChanges> m_slider = std::make_shared<SliderChanges>();
    std::atomic<bool> m_stopping_flag{false};
    std::atomic<Clock::rep> m_stop_requested_at{0};
    std::atomic<bool> m_died_flag{false};
    std::atomic<bool> m_draining_flag{false};
    std::atomic<Clock::rep> m_tab_discarded_ns{0};
    std::atomic<int> m_thread_id{0};
    std::atomic<std::uint64_t> m_wakeups{0};
    // The runner thread's CPU time: read from its clock (which names the thread by its id) while
    // the thread lives; once it ends, the value it recorded on its way out. The
    // mutex keeps a reader from asking the clock after the thread ended, when its id may already
    // name another thread.
    mutable std::mutex m_cpu_mutex;
    std::atomic<bool> m_thread_live{false};
    std::optional<ThreadCpuClock> m_cpu_clock;
    std::optional<Clock::duration> m_final_cpu_time;
    std::atomic<bool> m_running_flag{false};
    WorkProgress m_progress;
    Snapshot<SessionState> m_state;

    // Last members: the thread starts after everything it uses exists.
    stop_source m_runner_stop;
    jthread m_thread;
};

}  // namespace threadlab
