#pragma once
// The user's own process pool: what a Panel app makes with Python's
// `concurrent.futures.ProcessPoolExecutor(max_workers=N)` to run CPU-bound Python off the GIL.
// Panel itself has none for callbacks (`panel serve --num-procs` forks whole servers, and
// `pn.state.execute` never uses processes): a callback calls `pool.submit(f, data).result()`.
//
// Each worker "process" is a thread here, with its own simulated GIL (its own interpreter), so it
// never contends with the World's GIL: CPU-bound Python in two processes runs in parallel.
//
// Contracts
//  - Processes start on demand, as CPython 3.11's executor does with the spawn or forkserver
//    start method (Lib/concurrent/futures/process.py:788-809 `submit` -> `_adjust_process_count`,
//    l.754-767): a submit that finds no idle process starts one while fewer than `workers` exist;
//    "idle" is CPython's `_idle_worker_semaphore`, released once per job whose result came back
//    (l.360-366). With the fork start method (Linux's default in 3.11) the first submit launches
//    all `workers` at once (`_start_executor_manager_thread` -> `_launch_processes`, l.744-775).
//    Processes never leave on their own.
//  - A process pays its start-up (simulated seconds: the new interpreter importing your modules)
//    once, before its first job; jobs are taken in submission order (FIFO), one at a time per process.
//  - Every job ends exactly once as completed, failed or cancelled:
//    submitted == queued + running + completed + failed + cancelled at every moment.
//  - run() waits without holding anything (the caller's GIL is released, as in
//    `future.result()`); a stop of the caller cancels its job if queued, or interrupts it if it
//    runs (ThreadLab's own: Python cannot interrupt a running job), and run() returns only once
//    the job has ended, so nothing is left running for a caller that is gone.
//  - restart() is a new executor: the old processes' queued jobs are cancelled, their running
//    jobs interrupted, and their threads joined off the caller's path. The destructor does the
//    same and joins every thread. No busy-waiting: condition variables and stop tokens only.
//  - Past the limits (limits.hpp) a job is refused: run() throws ProcessPoolRefused, and nothing
//    is counted.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "accounting.hpp"
#include "change_signal.hpp"
#include "event_log.hpp"
#include "gil.hpp"
#include "ids.hpp"
#include "reaper.hpp"
#include "snapshot.hpp"
#include "time_scale.hpp"
#include "trace.hpp"
#include "work.hpp"
#include "platform/stop.hpp"

namespace threadlab {

/// How the executor starts its processes (multiprocessing's start method).
enum class ProcessStart : std::uint8_t {
    /// spawn or forkserver: one process per submit that finds none idle, up to `workers`.
    spawn,
    /// fork: every process at the first submit.
    fork,
};

const char* to_string(ProcessStart start);

struct ProcessPoolSetting {
    /// `max_workers`.
    unsigned workers = 2;
    /// Simulated seconds from starting a process to its first job.
    double startup_seconds = 0.5;
    /// Simulated seconds of pickling each way (arguments there, result back), paid by the caller.
    double transfer_seconds = 0.05;
    ProcessStart start = ProcessStart::spawn;

    friend bool operator==(const ProcessPoolSetting&, const ProcessPoolSetting&) = default;
    /// "2 processes, start-up 0.5 s, transfer 0.05 s".
    std::string describe() const;
};

/// Thrown by run() when the pool refused the job (a full queue, no process could start).
class ProcessPoolRefused : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// One job as the timeline shows it.
struct ProcessJobRecord {
    std::uint64_t id = 0;
    SessionId session = 0;
    /// The kernel thread id of the thread that waits for it (an event worker, a runner).
    int caller_thread = 0;
    double seconds = 0.0;
    Clock::time_point submitted{};
    /// Set once a process took it, with that process's number.
    std::optional<Clock::time_point> started;
    std::uint64_t process = 0;
    std::optional<Clock::time_point> finished;
    std::optional<Outcome> outcome;
};

/// One process's life.
struct ProcessRecord {
    /// Numbered from 1 over the pool's whole life (like a pid): a restart's new processes get new numbers.
    std::uint64_t number = 0;
    int thread_id = 0;
    Clock::time_point spawned{};
    /// Unset while it starts up (and for ever when it was stopped first).
    std::optional<Clock::time_point> ready;
    /// Set once its thread has left (restart or shutdown).
    std::optional<Clock::time_point> exited;
};

/// Recent jobs and processes, oldest first, published at every transition.
struct ProcessHistory {
    static constexpr std::size_t job_limit = 1024;
    static constexpr std::size_t process_limit = 256;
    std::deque<ProcessJobRecord> jobs;
    std::deque<ProcessRecord> processes;
};

struct ProcessPoolStats {
    ProcessPoolSetting setting;
    unsigned live = 0;      ///< processes that exist (starting or ready)
    unsigned starting = 0;  ///< of which still paying their start-up
    unsigned busy = 0;      ///< running a job
    std::uint64_t failed_starts = 0;
    std::uint64_t refused = 0;
    AccountingCounts jobs;
};

class ProcessPool {
public:
    /// Throws std::invalid_argument for a setting out of range (see limits.hpp).
    ProcessPool(ProcessPoolSetting setting, const TimeScale& time, ChangeSignal& changes, Trace& trace, EventLog& log);
    ~ProcessPool();
    ProcessPool(const ProcessPool&) = delete;
    ProcessPool& operator=(const ProcessPool&) = delete;

    /// What a job asks for: `seconds` of CPU-bound Python in a process.
    struct Request {
        SessionId session = 0;
        double seconds = 1.0;
        bool fails = false;
    };
    /// `pool.submit(f, data).result()`, without the pickling (the caller's, see process_work.hpp):
    /// queues the job, waits for its result without holding anything, and returns it. Throws
    /// WorkCancelled when `stop` fired first (the job is cancelled or interrupted and has ended),
    /// ProcessPoolRefused past the limits, std::runtime_error with the job's error when it failed.
    std::string run(Request request, stop_token stop);

    /// A new executor with `setting` (see the contracts); returns at once. Throws
    /// std::invalid_argument for a setting out of range, changing nothing.
    void restart(ProcessPoolSetting setting);
    ProcessPoolSetting setting() const;

    ProcessPoolStats stats() const;
    AccountingCounts counts() const { return m_accounting.read(); }
    const Snapshot<ProcessHistory>& history() const { return m_history; }

    /// Throws std::invalid_argument naming what is out of range.
    static void validate(const ProcessPoolSetting& setting);

private:
    struct Job;
    struct Worker;

    void worker_loop(Worker& self, stop_token stop);
    /// False when the thread could not start.
    bool start_worker_locked();
    /// Cancels every queued job and interrupts every running one (restart, shutdown).
    void stop_all_jobs_locked();
    void cancel_queued_locked(const std::shared_ptr<Job>& job);
    void publish_job(const Job& job);

    const TimeScale& m_time;
    ChangeSignal& m_changes;
    Trace& m_trace;
    EventLog& m_log;

    // Guards everything below up to the counters: the setting, the queue, the workers, the jobs' states.
    mutable std::mutex m_mutex;
    ProcessPoolSetting m_setting;
    bool m_stopping = false;
    std::deque<std::shared_ptr<Job>> m_queue;
    // Jobs that a process runs now (for cancel and shutdown).
    std::vector<std::shared_ptr<Job>> m_running;
    std::vector<std::shared_ptr<Worker>> m_workers;
    // CPython's _idle_worker_semaphore: results that came back and no submit has consumed.
    std::uint64_t m_idle_credits = 0;
    // fork: processes were launched for this executor already.
    bool m_launched = false;
    condition_variable_any m_work;
    std::uint64_t m_next_job = 1;
    std::uint64_t m_next_process = 1;

    Accounting m_accounting;
    std::atomic<unsigned> m_live{0};
    std::atomic<unsigned> m_starting{0};
    std::atomic<unsigned> m_busy{0};
    std::atomic<std::uint64_t> m_failed_starts{0};
    std::atomic<std::uint64_t> m_refused{0};
    Snapshot<ProcessHistory> m_history;

    // Last member: destroyed first, joining the processes of earlier executors (restart).
    Reaper m_reaper;
};

}  // namespace threadlab
