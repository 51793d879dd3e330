#include "process_pool.hpp"

#include <algorithm>
#include <cstdio>
#include <system_error>

#include "limits.hpp"
#include "platform/thread_identity.hpp"
#include "platform/stop.hpp"

namespace threadlab {

namespace {
/// "0.50 s": a time in a message or a log line.
std::string two_decimal_seconds(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f s", seconds);
    return text;
}
}  // namespace

const char* to_string(ProcessStart start) {
    switch (start) {
        case ProcessStart::spawn: return "spawn";
        case ProcessStart::fork: return "fork";
    }
    return "unknown";
}

std::string ProcessPoolSetting::describe() const {
    return std::to_string(workers) + (workers == 1 ? " process" : " processes") + " (" + to_string(start) +
           "), start-up " + two_decimal_seconds(startup_seconds) + ", transfer " + two_decimal_seconds(transfer_seconds);
}

struct ProcessPool::Job {
    std::uint64_t id = 0;
    Request request;
    int caller_thread = 0;
    Clock::time_point submitted{};
    // Guarded by the pool's m_mutex.
    enum class State : std::uint8_t { queued, running, ended } state = State::queued;
    std::optional<Clock::time_point> started;
    std::uint64_t process = 0;
    std::optional<Clock::time_point> finished;
    Outcome outcome = Outcome::completed;
    std::string value;  // the result, or the error of a failed job
    // Interrupts the running job (a stopped caller, restart, shutdown).
    stop_source stop;
    // Waited on by run() under the pool's m_mutex.
    condition_variable_any ended;
};

struct ProcessPool::Worker {
    std::uint64_t number = 0;
    Clock::time_point spawned{};
    Clock::duration startup{};
    bool retire = false;  // guarded by m_mutex
    jthread thread;
};

void ProcessPool::validate(const ProcessPoolSetting& setting) {
    if (setting.workers < 1 || setting.workers > max_process_workers) {
        throw std::invalid_argument("process pool workers: expected 1 to " + std::to_string(max_process_workers) +
                                    ", got " + std::to_string(setting.workers));
    }
    if (!(setting.startup_seconds >= 0.0 && setting.startup_seconds <= max_process_startup_seconds)) {
        throw std::invalid_argument("process start-up: expected 0 to " + two_decimal_seconds(max_process_startup_seconds) +
                                    ", got " + std::to_string(setting.startup_seconds));
    }
    if (!(setting.transfer_seconds >= 0.0 && setting.transfer_seconds <= max_process_transfer_seconds)) {
        throw std::invalid_argument("process transfer: expected 0 to " + two_decimal_seconds(max_process_transfer_seconds) +
                                    ", got " + std::to_string(setting.transfer_seconds));
    }
}

ProcessPool::ProcessPool(ProcessPoolSetting setting, const TimeScale& time, ChangeSignal& changes, Trace& trace,
                         EventLog& log)
    : m_time(time), m_changes(changes), m_trace(trace), m_log(log), m_setting(setting) {
    validate(setting);
}

ProcessPool::~ProcessPool() {
    std::vector<std::shared_ptr<Worker>> workers;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        stop_all_jobs_locked();
        for (const auto& worker : m_workers) {
            worker->retire = true;
            worker->thread.request_stop();
        }
        workers.swap(m_workers);
    }
    m_work.notify_all();
    for (auto& worker : workers) {
        worker->thread.join();
    }
    // m_reaper, the last member, joins the processes of earlier executors as it goes.
}

ProcessPoolSetting ProcessPool::setting() const {
    std::lock_guard lock(m_mutex);
    return m_setting;
}

void ProcessPool::restart(ProcessPoolSetting setting) {
    validate(setting);
    {
        std::lock_guard lock(m_mutex);
        stop_all_jobs_locked();
        for (auto& worker : m_workers) {
            worker->retire = true;
            worker->thread.request_stop();
            // Joined by the reaper once it has left; the worker lives until then.
            m_reaper.adopt(std::move(worker->thread), worker);
        }
        m_workers.clear();
        m_idle_credits = 0;
        m_launched = false;
        m_setting = setting;
    }
    m_work.notify_all();
    m_changes.notify();
}

void ProcessPool::publish_job(const Job& job) {
    // With m_mutex held (m_mutex, then the snapshot's lock, never the other way round).
    m_history.publish([&](ProcessHistory& history) {
        auto found = std::find_if(history.jobs.rbegin(), history.jobs.rend(),
                                  [&](const ProcessJobRecord& record) { return record.id == job.id; });
        if (found == history.jobs.rend()) {
            ProcessJobRecord record;
            record.id = job.id;
            record.session = job.request.session;
            record.caller_thread = job.caller_thread;
            record.seconds = job.request.seconds;
            record.submitted = job.submitted;
            history.jobs.push_back(record);
            if (history.jobs.size() > ProcessHistory::job_limit) {
                history.jobs.pop_front();
            }
            found = history.jobs.rbegin();
        }
        found->started = job.started;
        found->process = job.process;
        found->finished = job.finished;
        found->outcome = job.state == Job::State::ended ? std::optional(job.outcome) : std::nullopt;
    });
}

void ProcessPool::cancel_queued_locked(const std::shared_ptr<Job>& job) {
    std::erase(m_queue, job);
    job->state = Job::State::ended;
    job->outcome = Outcome::cancelled;
    job->finished = Clock::now();
    m_accounting.on_cancelled_queued();
    publish_job(*job);
    job->ended.notify_all();
}

void ProcessPool::stop_all_jobs_locked() {
    while (!m_queue.empty()) {
        cancel_queued_locked(m_queue.front());
    }
    for (const auto& job : m_running) {
        job->stop.request_stop();
    }
}

bool ProcessPool::start_worker_locked() {
    auto worker = std::make_shared<Worker>();
    worker->number = m_next_process++;
    worker->spawned = Clock::now();
    worker->startup = m_time.to_real(m_setting.startup_seconds);
    m_live.fetch_add(1, std::memory_order_acq_rel);
    m_starting.fetch_add(1, std::memory_order_acq_rel);
    m_history.publish([&](ProcessHistory& history) {
        history.processes.push_back({worker->number, 0, worker->spawned, std::nullopt, std::nullopt});
        if (history.processes.size() > ProcessHistory::process_limit) {
            history.processes.pop_front();
        }
    });
    try {
        worker->thread = jthread([this, raw = worker.get()](stop_token stop) { worker_loop(*raw, stop); });
    } catch (const std::system_error&) {
        m_failed_starts.fetch_add(1, std::memory_order_acq_rel);
        m_live.fetch_sub(1, std::memory_order_acq_rel);
        m_starting.fetch_sub(1, std::memory_order_acq_rel);
        m_history.publish([&](ProcessHistory& history) {
            for (auto& record : history.processes) {
                if (record.number == worker->number) {
                    record.exited = worker->spawned;
                }
            }
        });
        return false;
    }
    m_log.add(0, "Process " + std::to_string(worker->number) + " starting (" + two_decimal_seconds(m_setting.startup_seconds) +
                     ": a new interpreter importing your modules)");
    m_workers.push_back(std::move(worker));
    return true;
}

std::string ProcessPool::run(Request request, stop_token stop) {
    if (stop.stop_requested()) {
        throw WorkCancelled();
    }
    auto job = std::make_shared<Job>();
    job->request = request;
    job->caller_thread = current_thread_id();
    std::unique_lock lock(m_mutex);
    const auto refuse = [&](const std::string& reason) {
        m_refused.fetch_add(1, std::memory_order_acq_rel);
        lock.unlock();  // the log and the change signal outside the lock
        m_log.add(request.session, "Process job refused: " + reason);
        m_changes.notify();
        throw ProcessPoolRefused("process job refused: " + reason);
    };
    if (m_stopping) {
        refuse("the process pool is shut down");
    }
    if (m_queue.size() >= max_queued_process_jobs) {
        refuse("the process pool's queue holds " + std::to_string(max_queued_process_jobs) + " jobs, the most it queues");
    }
    // CPython 3.11's submit(): with fork, every process at the first submit; otherwise one more
    // process when no result has come back unclaimed (the idle semaphore) and fewer than
    // max_workers exist.
    if (m_setting.start == ProcessStart::fork) {
        if (!m_launched) {
            m_launched = true;
            for (unsigned i = 0; i < m_setting.workers; ++i) {
                start_worker_locked();
            }
        }
    } else if (m_idle_credits > 0 && !m_workers.empty()) {
        --m_idle_credits;
    } else if (m_workers.size() < m_setting.workers) {
        start_worker_locked();
    }
    if (m_workers.empty()) {
        refuse("no process could start (the system refused a new thread)");
    }
    job->id = m_next_job++;
    job->submitted = Clock::now();
    m_queue.push_back(job);
    m_accounting.on_submitted();
    publish_job(*job);
    lock.unlock();
    m_work.notify_one();
    m_changes.notify();  // outside the lock: a listener may read the pool

    // future.result(): the caller waits, holding nothing.
    lock.lock();
    job->ended.wait(lock, stop, [&] { return job->state == Job::State::ended; });
    if (job->state != Job::State::ended) {
        // The caller was stopped: its job must not outlive it.
        if (job->state == Job::State::queued) {
            cancel_queued_locked(job);
        } else {
            job->stop.request_stop();
            job->ended.wait(lock, [&] { return job->state == Job::State::ended; });
        }
    }
    const Outcome outcome = job->outcome;
    std::string value = std::move(job->value);
    lock.unlock();
    m_changes.notify();
    switch (outcome) {
        case Outcome::completed: return value;
        case Outcome::cancelled: throw WorkCancelled();
        case Outcome::failed: break;
    }
    throw std::runtime_error(value);
}

void ProcessPool::worker_loop(Worker& self, stop_token stop) {
    set_current_thread_name("tl-process-" + std::to_string(self.number));
    const int thread_id = current_thread_id();
    m_history.publish([&](ProcessHistory& history) {
        for (auto& record : history.processes) {
            if (record.number == self.number) {
                record.thread_id = thread_id;
            }
        }
    });
    const auto leave = [&](std::optional<Clock::time_point> ready) {
        const auto now = Clock::now();
        m_history.publish([&](ProcessHistory& history) {
            for (auto& record : history.processes) {
                if (record.number == self.number) {
                    record.ready = ready;
                    record.exited = now;
                }
            }
        });
        m_live.fetch_sub(1, std::memory_order_acq_rel);
        m_changes.notify();
    };

    // Start-up, once: counted from when the executor started the process, so a thread the
    // machine starts late does not add to it. Interrupted by a restart or shutdown.
    bool started = true;
    try {
        sleep_for(self.spawned + self.startup - Clock::now(), stop);
    } catch (const WorkCancelled&) {
        started = false;
    }
    const auto ready = Clock::now();
    m_starting.fetch_sub(1, std::memory_order_acq_rel);
    m_trace.add({SpanKind::process_startup, 0, self.number, 0, thread_id, static_cast<std::uint32_t>(self.number),
                 self.spawned, self.spawned, ready, started ? Outcome::completed : Outcome::cancelled});
    if (!started) {
        leave(std::nullopt);
        return;
    }
    m_history.publish([&](ProcessHistory& history) {
        for (auto& record : history.processes) {
            if (record.number == self.number) {
                record.ready = ready;
            }
        }
    });
    m_changes.notify();

    // Its own interpreter, its own GIL: one thread, so never contended, and never the World's.
    Gil own_gil;
    own_gil.set_enabled(true);
    WorkProgress progress;
    std::unique_lock lock(m_mutex);
    while (true) {
        m_work.wait(lock, stop, [&] { return !m_queue.empty() || self.retire; });
        if (stop.stop_requested() || self.retire) {
            break;
        }
        const auto job = m_queue.front();
        m_queue.pop_front();
        job->state = Job::State::running;
        job->started = Clock::now();
        job->process = self.number;
        m_running.push_back(job);
        m_accounting.on_started();
        m_busy.fetch_add(1, std::memory_order_acq_rel);
        publish_job(*job);
        lock.unlock();
        m_changes.notify();

        WorkContext context{job->stop.get_token(), m_time, own_gil, progress, job->request.session, nullptr};
        Outcome outcome = Outcome::completed;
        std::string value;
        try {
            compute_python(m_time.to_real(job->request.seconds), context);
            if (job->request.fails) {
                throw std::runtime_error("simulated failure in process " + std::to_string(self.number) + " after " +
                                         two_decimal_seconds(job->request.seconds));
            }
            value = "computed " + two_decimal_seconds(job->request.seconds) + " in process " + std::to_string(self.number);
        } catch (const WorkCancelled&) {
            outcome = Outcome::cancelled;
        } catch (const std::exception& error) {
            outcome = Outcome::failed;
            value = error.what();
        }
        const auto finished = Clock::now();
        m_trace.add({SpanKind::process_job, job->request.session, job->id,
                     static_cast<std::uint32_t>(job->caller_thread), thread_id,
                     static_cast<std::uint32_t>(self.number), job->submitted, *job->started, finished, outcome});

        lock.lock();
        job->state = Job::State::ended;
        job->outcome = outcome;
        job->value = std::move(value);
        job->finished = finished;
        std::erase(m_running, job);
        m_accounting.on_finished(outcome);
        m_busy.fetch_sub(1, std::memory_order_acq_rel);
        if (!self.retire) {
            ++m_idle_credits;  // _ExecutorManagerThread: executor._idle_worker_semaphore.release()
        }
        publish_job(*job);
        job->ended.notify_all();
    }
    lock.unlock();
    leave(ready);
}

ProcessPoolStats ProcessPool::stats() const {
    ProcessPoolStats stats;
    stats.setting = setting();
    stats.live = m_live.load(std::memory_order_acquire);
    stats.starting = m_starting.load(std::memory_order_acquire);
    stats.busy = m_busy.load(std::memory_order_acquire);
    stats.failed_starts = m_failed_starts.load(std::memory_order_acquire);
    stats.refused = m_refused.load(std::memory_order_acquire);
    stats.jobs = m_accounting.read();
    return stats;
}

}  // namespace threadlab
