#include "event_pool.hpp"

#include <algorithm>

#include "lock_probe.hpp"
#include "thread_name.hpp"

namespace threadlab {

const char* to_string(EventKind kind) { return kind == EventKind::click ? "click" : "periodic"; }

EventPool::EventPool(PoolSetting setting, EngineContext engine) : m_engine(engine) {
    resize(setting);
}

EventPool::~EventPool() {
    std::vector<std::unique_ptr<Worker>> workers;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        for (auto& pending : m_queue) {
            if (pending.request.session_accounting) {
                pending.request.session_accounting->on_cancelled_queued();
            }
        }
        m_accounting.on_cancelled_queued(m_queue.size());
        m_queue.clear();
        for (auto& worker : m_workers) {
            if (worker->current) {
                worker->current->stop.request_stop();
            }
        }
        // The workers stay alive in `workers` until joined; they only touch themselves and m_mutex.
        workers = std::move(m_workers);
        m_workers.clear();
    }
    m_wake_workers.notify_all();
    for (auto& worker : workers) {
        worker->thread.join();
    }
}

std::optional<EventId> EventPool::submit(EventRequest request) {
    EventId id = 0;
    CounterSample at_submit;
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping) {
            return std::nullopt;
        }
        id = m_next_id++;
        m_accounting.on_submitted();
        if (request.session_accounting) {
            request.session_accounting->on_submitted();
        }
        m_queue.push_back({id, std::move(request), Clock::now(), {}});
        at_submit = {m_queue.back().submitted, static_cast<std::uint32_t>(m_queue.size()),
                     m_busy.load(std::memory_order_relaxed)};
    }
    m_engine.trace.add_counter(at_submit);
    m_wake_workers.notify_one();
    m_engine.changes.notify();
    return id;
}

void EventPool::resize(PoolSetting setting) {
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping) {
            return;
        }
        m_setting = setting;
        m_threaded.store(setting.threaded, std::memory_order_release);
        m_requested.store(setting.threads, std::memory_order_release);
        apply_target_locked();
    }
    m_wake_workers.notify_all();
    publish_lanes_changed();
}

PoolSetting EventPool::setting() const {
    std::lock_guard lock(m_mutex);
    return m_setting;
}

void EventPool::set_serialize_per_session(bool on) {
    {
        std::lock_guard lock(m_mutex);
        m_serialize_per_session = on;
        m_serialize_flag.store(on, std::memory_order_release);
    }
    // Turning it off may make waiting events eligible.
    m_wake_workers.notify_all();
    m_engine.changes.notify();
}

void EventPool::apply_target_locked() {
    const unsigned target = m_setting.worker_count();
    m_target.store(target, std::memory_order_release);
    unsigned active = 0;
    for (const auto& worker : m_workers) {
        active += worker->retire ? 0u : 1u;
    }
    // Growing: first take back retirements (those threads are still alive), then start threads.
    for (auto it = m_workers.rbegin(); it != m_workers.rend() && active < target; ++it) {
        if ((*it)->retire) {
            (*it)->retire = false;
            (*it)->lane->m_retiring.store(false, std::memory_order_release);
            m_retiring.fetch_sub(1, std::memory_order_acq_rel);
            ++active;
        }
    }
    while (active < target) {
        start_worker_locked();
        ++active;
    }
    // Shrinking: idle workers retire first (at once), then busy ones after their current event;
    // among equals the highest lane goes first, so the lanes that stay keep their places.
    while (active > target) {
        Worker* victim = nullptr;
        for (auto& worker : m_workers) {
            if (worker->retire) {
                continue;
            }
            const bool better = victim == nullptr ||
                                (!worker->current && victim->current) ||
                                (worker->current.has_value() == victim->current.has_value() &&
                                 worker->lane->index() > victim->lane->index());
            if (better) {
                victim = worker.get();
            }
        }
        victim->retire = true;
        victim->lane->m_retiring.store(true, std::memory_order_release);
        m_retiring.fetch_add(1, std::memory_order_acq_rel);
        --active;
    }
}

void EventPool::start_worker_locked() {
    // The lowest free lane index, so lanes do not wander as the slider moves.
    unsigned index = 0;
    for (;; ++index) {
        const bool taken = std::any_of(m_workers.begin(), m_workers.end(),
                                       [index](const auto& worker) { return worker->lane->index() == index; });
        if (!taken) {
            break;
        }
    }
    auto worker = std::make_unique<Worker>();
    worker->lane = std::make_shared<WorkerLane>(index);
    Worker& self = *worker;
    m_workers.push_back(std::move(worker));
    std::sort(m_workers.begin(), m_workers.end(),
              [](const auto& a, const auto& b) { return a->lane->index() < b->lane->index(); });
    m_live.fetch_add(1, std::memory_order_acq_rel);
    // The thread blocks on m_mutex (held by the caller) until the bookkeeping above is complete.
    self.thread = std::jthread([this, &self] { worker_loop(self); });
}

std::deque<EventPool::Pending>::iterator EventPool::next_eligible_locked() {
    if (!m_serialize_per_session) {
        return m_queue.begin();
    }
    return std::find_if(m_queue.begin(), m_queue.end(), [this](const Pending& pending) {
        return !m_running_by_session.contains(pending.request.session);
    });
}

void EventPool::worker_loop(Worker& self) {
    set_current_thread_name("tl-worker-" + std::to_string(self.lane->index()));
    self.lane->m_thread_id.store(current_thread_id(), std::memory_order_release);
    m_engine.changes.notify();  // a new lane has its thread
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake_workers.wait(lock, [&] {
            return m_stopping || self.retire ||
                   (!m_paused && !m_queue.empty() && next_eligible_locked() != m_queue.end());
        });
        if (m_stopping) {
            return;
        }
        if (self.retire) {
            retire_locked(self);
            return;
        }
        run_event(self, lock);
    }
}

void EventPool::run_event(Worker& self, std::unique_lock<std::mutex>& lock) {
    // Take the next event (lock held).
    const auto next = next_eligible_locked();
    self.current = std::move(*next);
    if (next == m_queue.begin()) {
        m_queue.pop_front();  // the common case, cheaper than erase()
    } else {
        m_queue.erase(next);
    }
    Pending& event = *self.current;
    const auto session_accounting = event.request.session_accounting;
    m_accounting.on_started();
    if (session_accounting) {
        session_accounting->on_started();
    }
    ++m_running_by_session[event.request.session];
    m_busy.fetch_add(1, std::memory_order_acq_rel);
    Work work = std::move(event.request.work);
    EventRecord record{event.id, event.request.session, event.request.kind, event.request.ordinal,
                       event.submitted, Clock::now(), std::nullopt, std::nullopt, {}};
    WorkContext context{event.stop.get_token(), m_engine.time, m_engine.gil, self.lane->m_progress,
                        event.request.session, &m_engine.counters};
    // No counter sample here: queued + busy does not change when an event starts.
    lock.unlock();

    // Run it (no lock held).
    self.lane->m_state.publish([&](LaneState& lane) { lane.running = record; });
    m_engine.changes.notify();
    try {
        work(context);
        record.outcome = Outcome::completed;
    } catch (const WorkCancelled&) {
        record.outcome = Outcome::cancelled;
    } catch (const std::exception& error) {
        record.outcome = Outcome::failed;
        record.error = error.what();
    } catch (...) {
        record.outcome = Outcome::failed;
        record.error = "unknown exception";
    }
    record.finished = Clock::now();
    work = nullptr;  // release what the work captured before taking the lock again
    // Traced before it is counted as finished: whoever sees the count also finds the span. The
    // counters recorded with it are those just after the event leaves (one fewer busy worker).
    m_engine.trace.add({record.kind == EventKind::click ? SpanKind::click : SpanKind::periodic, record.session,
                        record.id, record.ordinal, self.lane->thread_id(), self.lane->index(), record.submitted,
                        record.started, *record.finished, *record.outcome},
                       {*record.finished, static_cast<std::uint32_t>(queued_now()),
                        m_busy.load(std::memory_order_acquire) - 1});

    // Account for it (lock held), then show it on the lane.
    lock.lock();
    m_accounting.on_finished(*record.outcome);
    if (session_accounting) {
        session_accounting->on_finished(*record.outcome);
    }
    if (--m_running_by_session[record.session] == 0) {
        m_running_by_session.erase(record.session);
    }
    m_busy.fetch_sub(1, std::memory_order_acq_rel);
    self.current.reset();
    if (m_serialize_per_session) {
        m_wake_workers.notify_all();  // another event of this session may now run
    }
    lock.unlock();
    self.lane->m_state.publish([&](LaneState& lane) {
        lane.running.reset();
        lane.recent.push_back(std::move(record));
        if (lane.recent.size() > LaneState::history_limit) {
            lane.recent.pop_front();
        }
    });
    m_engine.changes.notify();
    lock.lock();
}

std::uint64_t EventPool::queued_now() const { return m_accounting.read().queued; }

void EventPool::retire_locked(Worker& self) {
    const auto it = std::find_if(m_workers.begin(), m_workers.end(),
                                 [&](const auto& worker) { return worker.get() == &self; });
    std::shared_ptr<Worker> owned(std::move(*it));
    m_workers.erase(it);
    m_live.fetch_sub(1, std::memory_order_acq_rel);
    m_retiring.fetch_sub(1, std::memory_order_acq_rel);
    m_lanes_version.fetch_add(1, std::memory_order_acq_rel);
    // Handing over under m_mutex: the destructor (which takes m_mutex first) then always finds
    // this thread either among m_workers or already in the reaper.
    std::jthread thread = std::move(owned->thread);
    m_reaper.adopt(std::move(thread), std::move(owned));
    m_engine.changes.notify();
}

void EventPool::set_paused(bool paused) {
    {
        std::lock_guard lock(m_mutex);
        m_paused = paused;
        m_paused_flag.store(paused, std::memory_order_release);
    }
    m_wake_workers.notify_all();
    m_engine.changes.notify();
}

bool EventPool::cancel(EventId id) {
    std::unique_lock lock(m_mutex);
    const auto queued = std::find_if(m_queue.begin(), m_queue.end(),
                                     [id](const Pending& pending) { return pending.id == id; });
    if (queued != m_queue.end()) {
        if (queued->request.session_accounting) {
            queued->request.session_accounting->on_cancelled_queued();
        }
        m_accounting.on_cancelled_queued();
        m_queue.erase(queued);
        lock.unlock();
        m_engine.changes.notify();
        return true;
    }
    for (auto& worker : m_workers) {
        if (worker->current && worker->current->id == id) {
            worker->current->stop.request_stop();
            return true;
        }
    }
    return false;
}

std::size_t EventPool::cancel_session(SessionId session) {
    std::size_t affected = 0;
    {
        std::lock_guard lock(m_mutex);
        const auto first_removed = std::stable_partition(
            m_queue.begin(), m_queue.end(),
            [session](const Pending& pending) { return pending.request.session != session; });
        for (auto it = first_removed; it != m_queue.end(); ++it) {
            if (it->request.session_accounting) {
                it->request.session_accounting->on_cancelled_queued();
            }
        }
        const auto removed = static_cast<std::size_t>(std::distance(first_removed, m_queue.end()));
        m_accounting.on_cancelled_queued(removed);
        m_queue.erase(first_removed, m_queue.end());
        affected += removed;
        for (auto& worker : m_workers) {
            if (worker->current && worker->current->request.session == session) {
                worker->current->stop.request_stop();
                ++affected;
            }
        }
    }
    m_engine.changes.notify();
    return affected;
}

PoolStats EventPool::stats() const {
    PoolStats stats;
    stats.setting = {m_threaded.load(std::memory_order_acquire), m_requested.load(std::memory_order_acquire)};
    stats.target = m_target.load(std::memory_order_acquire);
    stats.live = m_live.load(std::memory_order_acquire);
    stats.busy = m_busy.load(std::memory_order_acquire);
    stats.retiring = m_retiring.load(std::memory_order_acquire);
    stats.serialize_per_session = m_serialize_flag.load(std::memory_order_acquire);
    stats.paused = m_paused_flag.load(std::memory_order_acquire);
    stats.events = m_accounting.read();
    return stats;
}

std::vector<std::shared_ptr<const WorkerLane>> EventPool::lanes() const {
    MeasuredLock lock(m_mutex);
    std::vector<std::shared_ptr<const WorkerLane>> lanes;
    lanes.reserve(m_workers.size());
    for (const auto& worker : m_workers) {
        lanes.push_back(worker->lane);
    }
    return lanes;
}

void EventPool::publish_lanes_changed() {
    m_lanes_version.fetch_add(1, std::memory_order_acq_rel);
    m_engine.changes.notify();
}

}  // namespace threadlab
