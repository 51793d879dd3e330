#include "session.hpp"

#include "limits.hpp"

#include <algorithm>

#include "platform/thread_identity.hpp"
#include "platform/stop.hpp"

namespace threadlab {

const char* to_string(TaskState state) {
    switch (state) {
        case TaskState::queued: return "queued";
        case TaskState::running: return "running";
        case TaskState::completed: return "completed";
        case TaskState::failed: return "failed";
        case TaskState::cancelled: return "cancelled";
    }
    return "unknown";
}

TaskState to_task_state(Outcome outcome) {
    switch (outcome) {
        case Outcome::completed: return TaskState::completed;
        case Outcome::failed: return TaskState::failed;
        case Outcome::cancelled: return TaskState::cancelled;
    }
    return TaskState::failed;
}

std::optional<Outcome> outcome_of(TaskState state) {
    switch (state) {
        case TaskState::completed: return Outcome::completed;
        case TaskState::failed: return Outcome::failed;
        case TaskState::cancelled: return Outcome::cancelled;
        case TaskState::queued:
        case TaskState::running: break;
    }
    return std::nullopt;
}

namespace {

TaskRecord* find_record(SessionState& state, TaskId id) {
    const auto it = std::find_if(state.history.rbegin(), state.history.rend(),
                                 [id](const TaskRecord& record) { return record.id == id; });
    return it == state.history.rend() ? nullptr : &*it;
}

std::string processing_status(std::size_t items_left) {
    return "Processing: " + std::to_string(items_left) + " items left.";
}
}  // namespace

Session::Session(SessionId id, EngineContext engine) : m_id(id), m_engine(engine) {
    m_thread = jthread([this](stop_token stop) { run(stop); });
    m_runner_stop = m_thread.get_stop_source();
}

Session::~Session() {
    request_stop();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

std::optional<TaskId> Session::add_task(WorkSpec spec) {
    return add_task(make_simulated_work(spec), spec.kind, spec.seconds);
}

std::optional<TaskId> Session::add_task(Work work, WorkKind kind, double seconds) {
    TaskId id = 0;
    const auto now = Clock::now();
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping || m_queue.size() >= max_queued_tasks) {
            return std::nullopt;
        }
        id = m_next_task++;
        m_queue.push_back({id, std::move(work), now});
        m_tasks.on_submitted();
        // Published under m_mutex so that the record exists before the runner can start the task.
        m_state.publish([&](SessionState& state) {
            state.history.push_back({id, kind, seconds, TaskState::queued, now, std::nullopt, std::nullopt});
            if (state.history.size() > SessionState::history_limit) {
                state.history.pop_front();
            }
        });
    }
    m_work_available.notify_one();
    m_engine.changes.notify();
    return id;
}

bool Session::cancel_task(TaskId id) {
    std::unique_lock lock(m_mutex);
    const auto queued = std::find_if(m_queue.begin(), m_queue.end(),
                                     [id](const QueuedTask& task) { return task.id == id; });
    if (queued != m_queue.end()) {
        Work discarded = std::move(queued->work);
        m_queue.erase(queued);
        m_tasks.on_cancelled_queued();
        const auto items = m_queue.size();
        const bool idle = !m_running.has_value();
        m_state.publish([&](SessionState& state) {
            if (auto* record = find_record(state, id)) {
                record->state = TaskState::cancelled;
                record->finished_at = Clock::now();
            }
            if (idle && items == 0) {
                state.status = SessionState::idle_status;
            }
        });
        lock.unlock();
        m_engine.changes.notify();
        return true;
    }
    if (m_running && m_running->id == id) {
        m_running->stop.request_stop();
        return true;
    }
    return false;
}

void Session::set_seed_runner(bool as_written) {
    std::lock_guard lock(m_mutex);
    m_seed_runner = as_written;
}

void Session::die(TaskId task, const std::string& error, std::unique_lock<std::mutex>& lock) {
    // The seed's `except Exception as ex: self.value = ex` raises TypeError("Constant parameter
    // 'value' cannot be modified") (param/parameterized.py, holoviz/param@73affe6), and nothing
    // catches it: the task counts as failed, but the value and the status never change.
    m_died = true;
    m_died_flag.store(true, std::memory_order_release);
    const auto stranded = m_queue.size();
    m_state.publish([&](SessionState& state) {
        state.running_task.reset();  // nothing runs any more (the status text still says it does)
        if (auto* record = find_record(state, task)) {
            record->state = TaskState::failed;
            record->finished_at = Clock::now();
        }
        state.runner_died = true;
    });
    lock.unlock();
    // What Python's threading.excepthook prints on the server's console; the page shows nothing.
    log("Exception in thread: TypeError: Constant parameter 'value' cannot be modified (task " +
        std::to_string(task) + " raised \"" + error + "\"; the seed sets self.value = ex outside param.edit_constant). "
        "The runner thread is dead" + (stranded > 0 ? ": " + std::to_string(stranded) + " queued tasks will never run." : "."));
    m_engine.changes.notify();
    lock.lock();
}

void Session::request_stop(StopMode mode) {
    std::deque<QueuedTask> cancelled;
    {
        std::lock_guard lock(m_mutex);
        // A prompt stop may follow a drain (and cut it short); nothing follows a prompt stop.
        if (m_stopping && (mode == StopMode::drain || !m_draining)) {
            return;
        }
        if (!m_stopping) {
            m_stop_requested_at.store(Clock::now().time_since_epoch().count(), std::memory_order_release);
        }
        m_stopping = true;
        m_stopping_flag.store(true, std::memory_order_release);
        if (mode == StopMode::drain) {
            // The seed's stop(): the flag and the Event, nothing more. The runner drains its queue.
            m_draining = true;
            m_draining_flag.store(true, std::memory_order_release);
            const auto left = m_queue.size() + (m_running ? 1 : 0);
            m_state.publish([&](SessionState& state) { state.stopping = true; });
            m_engine.log.add(m_id, "Stopping Task Runner" +
                                       (left > 0 ? " (the seed's way: its " + std::to_string(left) +
                                                       (left == 1 ? " task runs" : " tasks run") + " first)"
                                                 : std::string()));
            m_runner_stop.request_stop();
            m_engine.changes.notify();
            return;
        }
        m_draining = false;
        m_draining_flag.store(false, std::memory_order_release);
        cancelled.swap(m_queue);
        m_tasks.on_cancelled_queued(cancelled.size());
        if (m_running) {
            m_running->stop.request_stop();
        }
        const auto now = Clock::now();
        m_state.publish([&](SessionState& state) {
            state.stopping = true;
            state.status = "Stopping Task Runner";
            for (const auto& task : cancelled) {
                if (auto* record = find_record(state, task.id)) {
                    record->state = TaskState::cancelled;
                    record->finished_at = now;
                }
            }
        });
    }
    log("Stopping Task Runner");
    // Wakes the runner's wait at once (condition_variable_any watches this stop token).
    m_runner_stop.request_stop();
    m_engine.changes.notify();
}

double Session::progress(Clock::time_point now) const {
    return m_running_flag.load(std::memory_order_acquire) ? m_progress.fraction(now) : 0.0;
}

void Session::set_polling(std::optional<double> interval_seconds) {
    {
        std::lock_guard lock(m_mutex);
        m_poll_interval = interval_seconds;
    }
    m_work_available.notify_all();  // a runner waiting on the condition variable switches now
}

std::optional<Clock::duration> Session::runner_cpu_time() const {
    std::lock_guard lock(m_cpu_mutex);
    // While the clock is set the runner has not passed record_final_cpu_time(), so its id is its own.
    return m_cpu_clock ? m_cpu_clock->read() : m_final_cpu_time;
}

void Session::record_final_cpu_time() {
    {
        std::lock_guard lock(m_cpu_mutex);
        if (m_cpu_clock) {
            m_final_cpu_time = m_cpu_clock->read();
            m_cpu_clock.reset();
        }
    }
    m_thread_live.store(false, std::memory_order_release);
}

void Session::run(stop_token stop) {
    set_current_thread_name("tl-runner-" + std::to_string(m_id));
    m_thread_id.store(current_thread_id(), std::memory_order_release);
    if (auto cpu_clock = ThreadCpuClock::of_current_thread()) {
        std::lock_guard cpu_lock(m_cpu_mutex);
        m_cpu_clock = cpu_clock;
    }
    m_thread_live.store(true, std::memory_order_release);
    m_engine.changes.notify();  // its lane may show it now
    std::unique_lock lock(m_mutex);
    for (;;) {
        if (m_queue.empty() && !stop.stop_requested()) {
            log(m_poll_interval ? "Waiting for a task (polling)" : "Waiting for a task");
        }
        if (m_poll_interval) {
            // Polling: sleep, wake, look, sleep again. Costs a wake-up per interval while idle,
            // and a task waits up to a whole interval before anyone notices it.
            while (m_queue.empty() && m_poll_interval && !stop.stop_requested()) {
                const auto interval = m_engine.time.to_real(*m_poll_interval);
                lock.unlock();
                try {
                    sleep_for(interval, stop);
                } catch (const WorkCancelled&) {
                    // stopped: the loop condition sees it
                }
                lock.lock();
                record_wakeup(interval);
            }
        } else {
            // The seed's way: block on the condition variable until a task (or a stop) arrives.
            m_work_available.wait(lock, stop, [this] { return !m_queue.empty() || m_poll_interval; });
            record_wakeup(std::nullopt);
        }
        // Stopped: the seed's runner still drains its queue (its inner `while self._queue:`
        // loop looks at the flag only once the queue is empty); a prompt stop emptied it already.
        if (stop.stop_requested() && (!m_draining || m_queue.empty())) {
            break;
        }
        if (m_queue.empty()) {
            continue;  // switched between polling and waiting
        }
        QueuedTask task = std::move(m_queue.front());
        m_queue.pop_front();
        // The seed counts the task it is about to run among the items left.
        run_task(std::move(task), m_queue.size() + 1, lock);
        if (m_died) {
            // The seed's thread ends on the uncaught TypeError: no "Finished Task Runner", the
            // status stays as it was, and whatever is queued stays queued.
            record_final_cpu_time();
            return;
        }
    }
    record_final_cpu_time();
    // Drained: a later prompt stop (the destructor's) has nothing left to cut short.
    m_draining = false;
    m_draining_flag.store(false, std::memory_order_release);
    lock.unlock();
    log("Finished Task Runner");
    m_state.publish([](SessionState& state) { state.status = "Finished Task Runner"; });
    m_engine.changes.notify();
}

void Session::record_wakeup(std::optional<Clock::duration> poll_interval) {
    // Called with m_mutex held, like the other publishes under it (m_mutex, then the snapshot's
    // lock, never the other way round). O(1) and no ChangeSignal notify: with 1 ms polling this
    // runs a thousand times a second, and a reader that copies per frame sees them all at once.
    // Published before the count moves, so whoever reads wakeups() == n and then copies the
    // state finds (up to wakeup_limit runs) n wake-ups recorded.
    const auto now = Clock::now();
    m_state.publish([&](SessionState& state) {
        // A poll continues the last run when it came about one interval later (a late sleep on
        // a busy machine may take twice as long, plus scheduling slack).
        if (poll_interval && !state.wakeups.empty() && state.wakeups.back().polling &&
            now - state.wakeups.back().last <= *poll_interval * 2 + std::chrono::milliseconds(5)) {
            state.wakeups.back().last = now;
            ++state.wakeups.back().count;
            return;
        }
        state.wakeups.push_back({now, now, 1, poll_interval.has_value()});
        if (state.wakeups.size() > SessionState::wakeup_limit) {
            state.wakeups.pop_front();
        }
    });
    m_wakeups.fetch_add(1, std::memory_order_acq_rel);
}

void Session::run_task(QueuedTask task, std::size_t items_left, std::unique_lock<std::mutex>& lock) {
    // Start (lock held).
    const auto started = Clock::now();
    m_running = RunningTask{task.id, {}};
    if (m_stopping && !m_draining) {
        m_running->stop.request_stop();
    }
    m_tasks.on_started();
    m_engine.activity.task_started();
    WorkContext context{m_running->stop.get_token(), m_engine.time, m_engine.gil, m_progress, m_id,
                        &m_engine.counters};
    m_running_flag.store(true, std::memory_order_release);
    log(processing_status(items_left));
    m_state.publish([&](SessionState& state) {
        state.status = processing_status(items_left);
        state.running_task = task.id;
        if (auto* record = find_record(state, task.id)) {
            record->state = TaskState::running;
            record->started_at = Clock::now();
        }
    });
    lock.unlock();
    m_engine.changes.notify();

    // Run (no lock held).
    auto end = run_to_end([&] { return task.work(context); });
    const Outcome outcome = end.outcome;
    std::string value = std::move(end.value);
    task.work = nullptr;
    const auto finished = Clock::now();
    m_engine.trace.add(
        {SpanKind::task, m_id, task.id, 0, thread_id(), 0, task.queued_at, started, finished, outcome, 0, 0, task.queued_at});

    // Finish (lock held again, as the caller expects).
    lock.lock();
    m_tasks.on_finished(outcome);
    m_engine.activity.task_finished();
    m_running.reset();
    m_running_flag.store(false, std::memory_order_release);
    const bool queue_empty = m_queue.empty();
    const bool stopping = m_stopping;
    if (outcome == Outcome::failed && m_seed_runner) {
        die(task.id, value, lock);
        return;
    }
    m_state.publish([&](SessionState& state) {
        state.running_task.reset();
        if (outcome != Outcome::cancelled) {
            state.value = "task " + std::to_string(task.id) + ": " + value;
            state.value_is_error = outcome == Outcome::failed;
        }
        if (auto* record = find_record(state, task.id)) {
            record->state = to_task_state(outcome);
            record->finished_at = Clock::now();
        }
        if (queue_empty && !stopping) {
            state.status = SessionState::idle_status;
        }
    });
    m_engine.changes.notify();
}

}  // namespace threadlab
