#include "event_pool.hpp"

#include <algorithm>
#include <system_error>
#include <utility>

#include "lock_probe.hpp"
#include "platform/thread_identity.hpp"
#include "platform/stop.hpp"

namespace threadlab {

const char* to_string(EventKind kind) { return to_string(span_kind(kind)); }

SpanKind span_kind(EventKind kind) {
    switch (kind) {
        case EventKind::click: return SpanKind::click;
        case EventKind::periodic: return SpanKind::periodic;
        case EventKind::slider: return SpanKind::slider;
        case EventKind::next_tick: return SpanKind::next_tick;
        case EventKind::unhold: return SpanKind::unhold;
    }
    return SpanKind::click;
}

EventPool::EventPool(PoolSetting setting, EngineContext engine) : m_engine(engine) {
    m_loop.trace = m_engine.trace.open_shard();
    resize(setting);
    std::lock_guard lock(m_mutex);
    // The server's loop exists from the start; if it cannot start now, the first event for it tries again.
    start_loop_locked();
}

EventPool::~EventPool() {
    std::vector<std::unique_ptr<Worker>> workers;
    {
        std::unique_lock lock(m_mutex);
        m_stopping = true;
        // A thread being started outside the lock (by a resize or a submission racing this
        // destructor) is waited for, so that it is among the workers joined below.
        m_launches.wait(lock, [this] { return m_launching == 0; });
        {
            std::lock_guard arrivals(m_arrivals.mutex);
            m_arrivals.closed = true;
            move_arrivals_locked();
        }
        for (auto& pending : m_queue) {
            if (pending.request.session_accounting) {
                pending.request.session_accounting->on_cancelled_queued();
            }
        }
        m_accounting.on_cancelled_queued(m_queue.size());
        m_queue.clear();
        cancel_on_loop_locked([](EventId, SessionId) { return true; });
        for (auto& worker : m_workers) {
            if (worker->running) {
                worker->stop.request_stop();
            }
        }
        // The workers stay alive in `workers` until joined; they only touch themselves and m_mutex.
        workers = std::move(m_workers);
        m_workers.clear();
    }
    m_wake_workers.notify_all();
    m_loop.wake.notify_all();
    for (auto& worker : workers) {
        worker->thread.join();
    }
    if (m_loop.thread.joinable()) {
        m_loop.thread.join();
    }
}

std::optional<EventId> EventPool::submit(EventRequest request) {
    // Stamped before the lock, to keep the section short that other submitters queue for.
    const auto submitted = Clock::now();
    // A coroutine always goes to the loop; a plain event too while threading is off. Decided under
    // m_mutex, where the setting changes; a submission that read a stale "threaded" below is
    // caught under the arrivals' lock (threading off hands the arrivals to the loop under it).
    const bool coroutine = !request.coroutine.empty();
    if (coroutine || !m_threaded.load(std::memory_order_acquire)) {
        std::unique_lock lock(m_mutex);
        if (coroutine || !m_setting.threaded) {
            const auto id = submit_to_loop_locked(request, submitted);
            lock.unlock();
            if (id) {
                m_loop.wake.notify_one();
                m_engine.changes.notify();
            }
            return id;
        }
    }
    std::optional<EventId> id;
    bool someone_asleep = false;
    {
        std::lock_guard lock(m_arrivals.mutex);
        // A worker registers as a sleeper under this lock after its last look at the arrivals
        // (prepare_to_sleep_locked()): if it is not counted here, it will see this event.
        someone_asleep = m_arrivals.sleeping.load(std::memory_order_relaxed) > 0;
        // No worker asleep, and a thread may have to start for this event (the rare path: the
        // pool has not reached its size yet). Read without m_mutex, so a hint: whoever raises the
        // size or resumes stores it before it counts the arrivals under this lock, so an event
        // that misses it here is counted there. While paused no thread starts for an event,
        // except the first worker of all (see the contracts).
        const unsigned live = m_live.load(std::memory_order_acquire);
        const bool may_start_thread = !someone_asleep && live < m_target.load(std::memory_order_acquire) &&
                                      (live == 0 || !m_paused_flag.load(std::memory_order_acquire));
        // Else not counted in here: with no worker at all, the event may have to be refused.
        // Threading just went off: the rare path decides under m_mutex, and sends it to the loop.
        if (!may_start_thread && m_threaded.load(std::memory_order_acquire)) {
            id = enqueue_locked(request, submitted);
            if (!id) {
                return std::nullopt;
            }
        }
    }
    if (!id) {
        return submit_starting_worker(std::move(request), submitted);
    }
    if (someone_asleep) {
        wake_for_arrival();
    }
    m_engine.changes.notify();
    return id;
}

std::optional<EventId> EventPool::enqueue_locked(EventRequest& request, Clock::time_point submitted) {
    // The departures as of at most LaggedReading's period ago (the workers write their cache
    // line on every event), and the arrivals since, which this lock's holder knows exactly. It
    // may miss the latest departures: at the limit it refuses a moment early, never lets the
    // queue grow past it.
    const auto& seen = m_arrivals.depth.at(submitted, [this] { return m_accounting.depth_now(); });
    const auto queued = seen.queued + (m_accounting.submitted_now() - seen.submitted);
    if (m_arrivals.closed || queued >= max_queued_events) {
        return std::nullopt;
    }
    const EventId id = m_arrivals.next_id++;
    m_accounting.on_submitted();
    if (request.session_accounting) {
        request.session_accounting->on_submitted();
    }
    m_arrivals.events.push_back({id, std::move(request), submitted});
    // The queue depth just after this submission. The trace has its own lock, which no
    // submission should wait for: the worker that moves these arrivals into the queue records
    // their samples. (Trace::counters() orders the samples by time.)
    m_arrivals.samples.push_back({submitted, static_cast<std::uint32_t>(queued + 1),
                                  static_cast<std::uint32_t>(seen.running)});
    m_arrivals.count.store(m_arrivals.events.size(), std::memory_order_relaxed);
    return id;
}

bool EventPool::thread_may_start_locked() const {
    return !m_stopping && !m_paused && m_live.load(std::memory_order_relaxed) < m_target.load(std::memory_order_relaxed);
}

std::optional<EventId> EventPool::submit_starting_worker(EventRequest request, Clock::time_point submitted) {
    std::optional<EventId> id;
    bool wake = false;
    Worker* reserved = nullptr;
    {
        std::unique_lock lock(m_mutex);
        if (!m_setting.threaded) {
            id = submit_to_loop_locked(request, submitted);
            lock.unlock();
            if (id) {
                m_loop.wake.notify_one();
                m_engine.changes.notify();
            }
            return id;
        }
        // Exact here: sleepers, claimed wake-ups, live threads, the size and the pause all change
        // only under m_mutex. Python's `_adjust_thread_count`: an idle worker takes the event
        // (`_idle_semaphore.acquire(timeout=0)`), else a thread starts if the size allows.
        const bool idle_worker = m_arrivals.sleeping.load(std::memory_order_relaxed) > m_wakeups_pending;
        const bool start = !idle_worker && thread_may_start_locked();
        if (m_workers.empty() && !m_stopping) {
            // No worker at all (paused or not): unless one starts, nobody would ever run the
            // event, so it is refused before it is counted. The thread waits for m_mutex, so it
            // cannot look at the queue before the event is in it.
            if (!start_worker_locked()) {
                return std::nullopt;
            }
        } else if (start) {
            // If it cannot start, the event stays queued for the workers that exist: none is
            // idle, so one is busy and comes back to the queue when its event ends.
            reserved = &reserve_worker_locked();
        }
        {
            std::lock_guard arrivals(m_arrivals.mutex);
            id = enqueue_locked(request, submitted);
        }
        if (id && idle_worker && !m_paused) {
            ++m_wakeups_pending;
            wake = true;
        }
    }
    if (reserved != nullptr) {
        // Also when the event was refused: a worker started for it stays, idle, as any other.
        launch_reserved(std::span(&reserved, 1));
    }
    if (!id) {
        return std::nullopt;
    }
    if (wake) {
        m_wake_workers.notify_one();
    }
    m_engine.changes.notify();
    return id;
}

void EventPool::wake_for_arrival() {
    bool wake = false;
    Worker* reserved = nullptr;
    {
        // Taken so that the notify cannot fall between a worker's check and its wait.
        std::lock_guard lock(m_mutex);
        if (m_paused) {
            return;  // unpausing wakes everyone and starts what the backlog needs
        }
        // Only if not every sleeper is being woken already: a woken worker keeps taking events
        // until none is eligible, so a burst of submissions costs one wake-up per idle worker
        // instead of a system call per event.
        wake = m_arrivals.sleeping.load(std::memory_order_relaxed) > m_wakeups_pending;
        if (wake) {
            ++m_wakeups_pending;
        } else if (thread_may_start_locked()) {
            // Every sleeper seen at submission is taken by earlier events, or has already woken.
            // A thread starts only if events still wait beyond those the claimed sleepers will take:
            // a sleeper that woke and took this very event by itself was the idle worker it found.
            std::size_t queued = m_queue.size();
            {
                std::lock_guard arrivals(m_arrivals.mutex);
                queued += m_arrivals.events.size();
            }
            if (queued > m_wakeups_pending) {
                reserved = &reserve_worker_locked();  // if it cannot start, the woken and busy workers take the event
            }
        }
    }
    if (reserved != nullptr) {
        launch_reserved(std::span(&reserved, 1));
    }
    if (wake) {
        m_wake_workers.notify_one();
    }
}

void EventPool::resize(PoolSetting setting) {
    std::vector<Worker*> reserved;
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping) {
            return;
        }
        m_setting = setting;
        {
            // Under the arrivals' lock: a submission that comes after this sees threading off.
            std::lock_guard arrivals(m_arrivals.mutex);
            m_threaded.store(setting.threaded, std::memory_order_release);
        }
        m_requested.store(setting.threads, std::memory_order_release);
        if (!setting.threaded) {
            hand_queue_to_loop_locked();
        }
        reserved = apply_target_locked();
    }
    launch_reserved(reserved);
    m_wake_workers.notify_all();  // sleepers take the backlog; retiring ones leave
    m_loop.wake.notify_all();
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
        m_running_by_session.clear();
        if (on) {
            for (const auto& worker : m_workers) {
                if (worker->running) {
                    ++m_running_by_session[worker->running_session];
                }
            }
        }
    }
    // Turning it off may make waiting events eligible.
    m_wake_workers.notify_all();
    m_engine.changes.notify();
}

std::vector<EventPool::Worker*> EventPool::apply_target_locked() {
    // Threading off, the event loop runs everything: no worker.
    const unsigned target = m_setting.threaded ? m_setting.worker_count() : 0u;
    m_target.store(target, std::memory_order_release);
    unsigned active = staying_workers_locked();
    // Growing: first take back retirements (those threads are still alive), then start threads,
    // only for the events waiting now. Afterwards there is a retiring worker only if as many
    // workers as the size stay: threads start only while live < target, so never beside one.
    for (auto it = m_workers.rbegin(); it != m_workers.rend() && active < target; ++it) {
        if ((*it)->retire) {
            (*it)->retire = false;
            (*it)->lane->m_retiring.store(false, std::memory_order_release);
            m_retiring.fetch_sub(1, std::memory_order_acq_rel);
            ++active;
        }
    }
    if (active < target) {
        return reserve_workers_for_backlog_locked();
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
                                (!worker->running && victim->running) ||
                                (worker->running == victim->running &&
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
    return {};
}

unsigned EventPool::staying_workers_locked() const {
    return static_cast<unsigned>(
        std::count_if(m_workers.begin(), m_workers.end(), [](const auto& worker) { return !worker->retire; }));
}

std::vector<EventPool::Worker*> EventPool::reserve_workers_for_backlog_locked() {
    std::vector<Worker*> reserved;
    const unsigned target = m_target.load(std::memory_order_relaxed);
    const unsigned active = staying_workers_locked();
    if (active >= target) {
        return reserved;
    }
    // As if each waiting event were submitted now: each takes a sleeping worker (all are woken
    // after this) or starts a thread. Counted under the arrivals' lock, after the new size or
    // pause was stored: a submission is either counted here or sees them.
    std::size_t queued = m_queue.size();
    {
        std::lock_guard arrivals(m_arrivals.mutex);
        queued += m_arrivals.events.size();
    }
    const std::size_t sleeping = m_arrivals.sleeping.load(std::memory_order_relaxed);
    const std::size_t wanted = m_paused ? 0 : std::min<std::size_t>(target - active, queued - std::min(queued, sleeping));
    reserved.reserve(wanted);
    for (std::size_t i = 0; i < wanted; ++i) {
        reserved.push_back(&reserve_worker_locked());
    }
    return reserved;
}

EventPool::Worker& EventPool::reserve_worker_locked() {
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
    worker->trace = m_engine.trace.open_shard();
    Worker& self = *worker;
    m_workers.push_back(std::move(worker));
    std::sort(m_workers.begin(), m_workers.end(),
              [](const auto& a, const auto& b) { return a->lane->index() < b->lane->index(); });
    // Counted live from here: whoever decides next whether a thread may start sees this one.
    m_live.fetch_add(1, std::memory_order_acq_rel);
    ++m_launching;
    // A new lane: the timeline shows it as the thread appears.
    m_lanes_version.fetch_add(1, std::memory_order_acq_rel);
    return self;
}

std::optional<jthread> EventPool::start_thread_of(Worker& self) {
    try {
        // The thread waits for `self.launched` (under m_mutex) before it touches the pool.
        return jthread([this, &self] { worker_loop(self); });
    } catch (const std::system_error&) {
        return std::nullopt;
    }
}

void EventPool::launched_locked(Worker& self, jthread thread) {
    self.thread = std::move(thread);
    self.launched = true;
    --m_launching;
    // The new thread, and a destructor waiting for the last launch.
    m_launches.notify_all();
}

std::unique_ptr<EventPool::Worker> EventPool::remove_worker_locked(Worker& self) {
    const auto it = std::find_if(m_workers.begin(), m_workers.end(),
                                 [&](const auto& worker) { return worker.get() == &self; });
    std::unique_ptr<Worker> owned = std::move(*it);
    m_workers.erase(it);
    m_live.fetch_sub(1, std::memory_order_acq_rel);
    if (owned->retire) {
        m_retiring.fetch_sub(1, std::memory_order_acq_rel);
    }
    m_lanes_version.fetch_add(1, std::memory_order_acq_rel);
    return owned;
}

void EventPool::drop_unlaunched_locked(Worker& self) {
    // No thread: the worker goes before it ran, lane and trace shard included.
    remove_worker_locked(self);
    --m_launching;
    m_launches.notify_all();
}

bool EventPool::start_worker_locked() {
    Worker& self = reserve_worker_locked();
    auto thread = start_thread_of(self);
    if (!thread) {
        m_failed_starts.fetch_add(1, std::memory_order_relaxed);
        drop_unlaunched_locked(self);
        return false;
    }
    launched_locked(self, std::move(*thread));
    m_engine.changes.notify();
    return true;
}

void EventPool::launch_reserved(std::span<Worker* const> reserved) {
    for (std::size_t i = 0; i < reserved.size(); ++i) {
        auto thread = start_thread_of(*reserved[i]);
        std::lock_guard lock(m_mutex);
        if (thread) {
            launched_locked(*reserved[i], std::move(*thread));
            continue;
        }
        m_failed_starts.fetch_add(1, std::memory_order_relaxed);
        for (std::size_t j = i; j < reserved.size(); ++j) {
            drop_unlaunched_locked(*reserved[j]);
        }
        break;
    }
    if (!reserved.empty()) {
        m_engine.changes.notify();
    }
}

VectorQueue<EventPool::Pending>::iterator EventPool::next_eligible_locked() {
    if (!m_serialize_per_session) {
        return m_queue.begin();
    }
    return std::find_if(m_queue.begin(), m_queue.end(), [this](const Pending& pending) {
        return !m_running_by_session.contains(pending.request.session);
    });
}

bool EventPool::has_eligible_locked() {
    if (m_paused) {
        return false;
    }
    if (!m_queue.empty() && next_eligible_locked() != m_queue.end()) {
        return true;
    }
    return take_arrivals_locked() && next_eligible_locked() != m_queue.end();
}

bool EventPool::take_arrivals_locked() {
    // A hint: it may lag behind a submission, but a worker looks under the lock before it sleeps.
    if (m_arrivals.count.load(std::memory_order_relaxed) == 0) {
        return false;
    }
    std::lock_guard lock(m_arrivals.mutex);
    return move_arrivals_locked();
}

bool EventPool::prepare_to_sleep_locked() {
    std::lock_guard lock(m_arrivals.mutex);
    if (!m_paused && move_arrivals_locked()) {
        return false;
    }
    m_arrivals.sleeping.fetch_add(1, std::memory_order_relaxed);
    return true;
}

bool EventPool::move_arrivals_locked() {
    if (m_arrivals.events.empty()) {
        return false;
    }
    m_queue.append(m_arrivals.events);
    m_arrivals.count.store(0, std::memory_order_relaxed);
    if (m_arrival_samples.empty()) {
        std::swap(m_arrival_samples, m_arrivals.samples);
    } else {
        m_arrival_samples.insert(m_arrival_samples.end(), m_arrivals.samples.begin(), m_arrivals.samples.end());
        m_arrivals.samples.clear();
    }
    return true;
}

std::vector<CounterSample> EventPool::take_all_arrivals_locked() {
    {
        std::lock_guard lock(m_arrivals.mutex);  // not take_arrivals_locked(): the hint may lag
        move_arrivals_locked();
    }
    return std::exchange(m_arrival_samples, {});
}

void EventPool::worker_loop(Worker& self) {
    set_current_thread_name("tl-worker-" + std::to_string(self.lane->index()));
    self.lane->m_thread_id.store(current_thread_id(), std::memory_order_release);
    m_engine.changes.notify();  // a new lane has its thread
    // The event that finished last and is not on the lane yet: when another event follows at
    // once, one lane publication shows both (half the publications under load).
    std::optional<EventRecord> unshown;
    std::unique_lock lock(m_mutex);
    m_launches.wait(lock, [&self] { return self.launched; });
    for (;;) {
        const bool can_start = !m_stopping && !self.retire && has_eligible_locked();
        if (!can_start && unshown) {
            // Nothing to start next: the last event goes on the lane now. A worker that will sleep
            // registers as a sleeper first, so that whoever sees its lane idle also finds it idle:
            // an event submitted then takes this worker instead of starting a thread.
            const bool leaving = m_stopping || self.retire;
            const bool will_sleep = !leaving && prepare_to_sleep_locked();
            if (!leaving && !will_sleep) {
                continue;  // events arrived meanwhile: the next start shows both on the lane
            }
            lock.unlock();
            show_on_lane(self, std::exchange(unshown, std::nullopt), nullptr);
            lock.lock();
            if (will_sleep) {
                // A submission may have claimed this sleeper while the lock was free, and its
                // notify then reached nobody: count one wake-up as delivered (see sleep_locked()).
                m_wakeups_pending -= m_wakeups_pending > 0 ? 1u : 0u;
                sleep_locked(lock, self);
            }
            continue;  // things may have changed while the lock was free
        }
        if (m_stopping) {
            return;
        }
        if (self.retire) {
            retire_locked(self);
            return;
        }
        if (!can_start) {
            if (prepare_to_sleep_locked()) {
                sleep_locked(lock, self);
            }
            continue;  // else events arrived since has_eligible_locked() looked
        }
        Pending next = take_next_locked(self);
        // After the arrivals moved into the queue, their samples (an empty vector goes back).
        if (!m_arrival_samples.empty()) {
            std::swap(self.arrival_samples, m_arrival_samples);
        }
        lock.unlock();
        // The record, the start stamp and the stop token after the lock is released: inside, they
        // would lengthen the section that every other worker queues for.
        Started started = start(self, std::move(next));
        // Before the event runs, hence before anyone can see the pool idle without them.
        if (!self.arrival_samples.empty()) {
            m_engine.trace.add_counters(self.arrival_samples);
            self.arrival_samples.clear();
        }
        show_on_lane(self, std::exchange(unshown, std::nullopt), &started.record);
        unshown = run_started(self, started);
        trace_finished(self, *unshown);
        lock.lock();
        finish_locked(self, *unshown, started.session_accounting.get());
    }
}

void EventPool::sleep_locked(std::unique_lock<AdaptiveMutex>& lock, Worker& self) {
    while (!(m_stopping || self.retire || has_eligible_locked())) {
        m_wake_workers.wait(lock);
        // Whatever woke it (a submission's notify_one, a notify_all, a spurious wake-up),
        // one pending wake-up counts as delivered. Undercounting costs an extra notify;
        // overcounting could leave an event queued beside a sleeping worker.
        m_wakeups_pending -= m_wakeups_pending > 0 ? 1u : 0u;
    }
    m_arrivals.sleeping.fetch_sub(1, std::memory_order_relaxed);
}

EventPool::Pending EventPool::take_next_locked(Worker& self) {
    const auto next = next_eligible_locked();
    Pending event;
    if (next == m_queue.begin()) {
        event = m_queue.take_front();  // the common case, cheaper than erase()
    } else {
        event = std::move(*next);
        m_queue.erase(next);
    }
    m_accounting.on_started();
    if (event.request.session_accounting) {
        event.request.session_accounting->on_started();
    }
    if (m_serialize_per_session) {
        ++m_running_by_session[event.request.session];
    }
    m_busy_workers.fetch_add(1, std::memory_order_acq_rel);
    self.running = true;
    self.running_id = event.id;
    self.running_session = event.request.session;
    // No counter sample here: queued + busy does not change when an event starts.
    return event;
}

EventPool::Started EventPool::start(Worker& self, Pending event) {
    // Outside the lock: only this worker replaces its stop source (in finish_locked()), so reading
    // it here cannot race; cancel() only requests a stop, which stop_source makes thread-safe.
    return {EventRecord{event.id, event.request.session, event.request.kind, event.request.ordinal,
                        event.submitted, Clock::now(), std::nullopt, std::nullopt, {}, event.submitted, 0, 0,
                        std::nullopt},
            std::move(event.request.work), std::move(event.request.session_accounting), self.stop.get_token()};
}

EventRecord EventPool::run_started(Worker& self, Started& started) {
    EventRecord& record = started.record;
    WorkContext context{std::move(started.stop), m_engine.time, m_engine.gil, self.lane->m_progress, record.session,
                        &m_engine.counters};
    auto end = run_to_end([&] { started.work(context); });
    record.outcome = end.outcome;
    if (end.outcome == Outcome::failed) {
        record.error = std::move(end.value);
    }
    record.finished = Clock::now();
    started.work = nullptr;  // release what the work captured before taking the lock again
    return std::move(record);
}

void EventPool::trace_finished(Worker& self, const EventRecord& record) {
    // Traced before it is counted as finished (whoever sees the count also finds the span), and
    // before the pool's lock is taken, so that no worker waits on the pool's lock for the trace's.
    // The sample is the state just after the event leaves, read without the lock and at most
    // LaggedReading's period old; running still counts this event, hence the - 1.
    const auto& depth = self.depth.at(*record.finished, [this] { return m_accounting.depth_now(); });
    self.trace->add({span_kind(record.kind), record.session,
                     record.id, record.ordinal, self.lane->thread_id(), self.lane->index(), record.submitted,
                     record.started, *record.finished, *record.outcome, 0, 0, record.submitted},
                    {*record.finished, static_cast<std::uint32_t>(depth.queued),
                     static_cast<std::uint32_t>(std::max<std::uint64_t>(depth.running, 1) - 1)});
}

void EventPool::finish_locked(Worker& self, const EventRecord& record, Accounting* session_accounting) {
    m_accounting.on_finished(*record.outcome);
    if (session_accounting != nullptr) {
        session_accounting->on_finished(*record.outcome);
    }
    m_busy_workers.fetch_sub(1, std::memory_order_acq_rel);
    self.running = false;
    if (self.stop.stop_requested()) {
        self.stop = stop_source();  // spent on this event; the next one starts uninterrupted
    }
    if (m_serialize_per_session) {
        const auto running = m_running_by_session.find(record.session);
        if (running != m_running_by_session.end() && --running->second == 0) {
            m_running_by_session.erase(running);
        }
        m_wake_workers.notify_all();  // another event of this session may now run
    }
}

void EventPool::show_on_lane(Worker& self, std::optional<EventRecord> finished, const EventRecord* starting) {
    self.lane->m_state.publish([&](LaneState& lane) {
        if (finished) {
            lane.recent.push_back(std::move(*finished));
            if (lane.recent.size() > LaneState::history_limit) {
                lane.recent.pop_front();
            }
        }
        if (starting != nullptr) {
            lane.running = *starting;
        } else {
            lane.running.reset();
        }
    });
    m_engine.changes.notify();
}

void EventPool::retire_locked(Worker& self) {
    std::shared_ptr<Worker> owned = remove_worker_locked(self);  // retiring: counted out of m_retiring too
    // Handing over under m_mutex: the destructor (which takes m_mutex first) then always finds
    // this thread either among m_workers or already in the reaper.
    jthread thread = std::move(owned->thread);
    m_reaper.adopt(std::move(thread), std::move(owned));
    m_engine.changes.notify();
}

void EventPool::set_paused(bool paused) {
    std::vector<Worker*> reserved;
    {
        std::lock_guard lock(m_mutex);
        m_paused = paused;
        m_paused_flag.store(paused, std::memory_order_release);
        if (!paused && !m_stopping) {
            // The events that came while paused started no thread: they do now, as growing does.
            reserved = reserve_workers_for_backlog_locked();
        }
    }
    launch_reserved(reserved);
    m_wake_workers.notify_all();
    m_loop.wake.notify_all();
    m_engine.changes.notify();
}

bool EventPool::cancel(EventId id) {
    bool dequeued = false;
    bool interrupted = false;
    std::vector<CounterSample> arrival_samples;
    {
        std::lock_guard lock(m_mutex);
        arrival_samples = take_all_arrivals_locked();
        const auto queued = std::find_if(m_queue.begin(), m_queue.end(),
                                         [id](const Pending& pending) { return pending.id == id; });
        if (queued != m_queue.end()) {
            if (queued->request.session_accounting) {
                queued->request.session_accounting->on_cancelled_queued();
            }
            m_accounting.on_cancelled_queued();
            m_queue.erase(queued);
            dequeued = true;
        } else {
            const auto running = std::find_if(m_workers.begin(), m_workers.end(), [id](const auto& worker) {
                return worker->running && worker->running_id == id;
            });
            if (running != m_workers.end()) {
                (*running)->stop.request_stop();
                interrupted = true;
            } else {
                // On the event loop: queued, awaiting, or running a segment.
                interrupted = cancel_on_loop_locked([id](EventId of, SessionId) { return of == id; }) > 0;
            }
        }
    }
    m_loop.wake.notify_all();
    m_engine.trace.add_counters(arrival_samples);
    if (dequeued) {
        m_engine.changes.notify();
    }
    return dequeued || interrupted;
}

std::size_t EventPool::cancel_session(SessionId session) {
    std::size_t affected = 0;
    std::vector<CounterSample> arrival_samples;
    {
        std::lock_guard lock(m_mutex);
        arrival_samples = take_all_arrivals_locked();
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
            if (worker->running && worker->running_session == session) {
                worker->stop.request_stop();
                ++affected;
            }
        }
        affected += cancel_on_loop_locked([session](EventId, SessionId of) { return of == session; });
    }
    m_loop.wake.notify_all();
    m_engine.trace.add_counters(arrival_samples);
    m_engine.changes.notify();
    return affected;
}

PoolStats EventPool::stats() const {
    PoolStats stats;
    stats.setting = {m_threaded.load(std::memory_order_acquire), m_requested.load(std::memory_order_acquire)};
    stats.target = m_target.load(std::memory_order_acquire);
    stats.live = m_live.load(std::memory_order_acquire);
    stats.retiring = m_retiring.load(std::memory_order_acquire);
    stats.serialize_per_session = m_serialize_flag.load(std::memory_order_acquire);
    stats.paused = m_paused_flag.load(std::memory_order_acquire);
    stats.failed_starts = m_failed_starts.load(std::memory_order_relaxed);
    stats.events = m_accounting.read();
    stats.busy = m_busy_workers.load(std::memory_order_acquire);
    stats.loop_live = m_loop_live.load(std::memory_order_acquire);
    stats.loop_busy = m_loop_busy.load(std::memory_order_acquire);
    stats.loop_queued = m_loop_queued.load(std::memory_order_acquire);
    stats.loop_awaiting = m_loop_awaiting.load(std::memory_order_acquire);
    return stats;
}

std::size_t EventPool::reserved_queue_bytes() const {
    std::size_t bytes = 0;
    {
        MeasuredLock lock(m_mutex);
        bytes += m_queue.capacity() * sizeof(Pending) + m_arrival_samples.capacity() * sizeof(CounterSample);
    }
    std::lock_guard arrivals(m_arrivals.mutex);
    return bytes + m_arrivals.events.capacity() * sizeof(Pending) +
           m_arrivals.samples.capacity() * sizeof(CounterSample);
}

std::size_t EventPool::reserved_queue_bytes_bound() {
    return 2 * VectorQueue<Pending>::keep_capacity * (sizeof(Pending) + sizeof(CounterSample));
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
