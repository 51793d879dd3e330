#include "periodic_scheduler.hpp"

#include <algorithm>
#include <stdexcept>

#include "lock_probe.hpp"
#include "platform/thread_identity.hpp"
#include "platform/stop.hpp"

namespace threadlab {

PeriodicScheduler::PeriodicScheduler(const TimeScale& time)
    : m_time(time), m_thread([this](stop_token stop) { run(stop); }) {}

PeriodicScheduler::~PeriodicScheduler() {
    m_thread.request_stop();
    m_thread.join();
}

PeriodicId PeriodicScheduler::start(SessionId session, PeriodicSchedule schedule, Fire fire) {
    if (!(schedule.period_seconds > 0.0)) {
        throw std::invalid_argument("periodic callback period must be greater than 0 seconds");
    }
    if (schedule.timeout_seconds && !(*schedule.timeout_seconds >= 0.0)) {
        throw std::invalid_argument("periodic callback timeout must not be negative");
    }
    const auto now = Clock::now();
    return add(Entry{{0, session, schedule, 0}, std::move(fire), now, now + m_time.to_real(schedule.period_seconds)});
}

PeriodicId PeriodicScheduler::start_timeout(SessionId session, double delay_seconds, std::function<void()> fire) {
    if (!(delay_seconds >= 0.0)) {
        throw std::invalid_argument("timeout callback delay must not be negative");
    }
    const auto now = Clock::now();
    PeriodicSchedule once{delay_seconds, 1, std::nullopt};
    Entry entry{{0, session, once, 0},
                [fire = std::move(fire)](PeriodicId, std::uint32_t) {
                    fire();
                    return Firing::submitted;
                },
                now, now + m_time.to_real(delay_seconds)};
    entry.periodic = false;
    return add(std::move(entry));
}

PeriodicId PeriodicScheduler::add(Entry entry) {
    PeriodicId id = 0;
    {
        std::lock_guard lock(m_mutex);
        id = m_next_id++;
        entry.info.id = id;
        m_entries.emplace(id, std::move(entry));
        m_changed = true;
    }
    m_wake.notify_all();
    return id;
}

void PeriodicScheduler::call_ended(PeriodicId id, Clock::time_point ended) {
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_entries.find(id);
        if (it == m_entries.end()) {
            return;
        }
        Entry& entry = it->second;
        const auto& schedule = entry.info.schedule;
        // Panel's _post_callback: `dt = (time.time() - self._start_time) * 1000; if dt > self.timeout: self.stop()`.
        if (schedule.timeout_seconds && ended - entry.started > m_time.to_real(*schedule.timeout_seconds)) {
            m_entries.erase(it);
            return;
        }
        if (!entry.next_due) {
            if (schedule.count && entry.info.calls >= *schedule.count) {
                m_entries.erase(it);
                return;
            }
            // Bokeh's _AsyncPeriodic: the sleep started before the call, and both must be done.
            entry.next_due = std::max(entry.fired + m_time.to_real(schedule.period_seconds), ended);
        }
        m_changed = true;
    }
    m_wake.notify_all();
}

bool PeriodicScheduler::stop(PeriodicId id) {
    std::lock_guard lock(m_mutex);
    return m_entries.erase(id) != 0;
}

std::size_t PeriodicScheduler::stop_session(SessionId session) {
    std::lock_guard lock(m_mutex);
    return std::erase_if(m_entries, [session](const auto& item) { return item.second.info.session == session; });
}

void PeriodicScheduler::stop_all() {
    std::lock_guard lock(m_mutex);
    m_entries.clear();
}

std::vector<PeriodicInfo> PeriodicScheduler::active() const {
    MeasuredLock lock(m_mutex);
    std::vector<PeriodicInfo> result;
    result.reserve(m_entries.size());
    for (const auto& [id, entry] : m_entries) {
        if (entry.periodic) {
            result.push_back(entry.info);
        }
    }
    return result;
}

void PeriodicScheduler::run(stop_token stop) {
    set_current_thread_name("tl-periodic");
    std::unique_lock lock(m_mutex);
    while (!stop.stop_requested()) {
        m_changed = false;
        if (m_entries.empty()) {
            m_wake.wait(lock, stop, [this] { return m_changed; });
            continue;
        }
        auto next = Clock::time_point::max();
        for (const auto& [id, entry] : m_entries) {
            next = std::min(next, entry.next_due.value_or(Clock::time_point::max()));
        }
        if (next == Clock::time_point::max()) {
            // Every callback waits for an inline call to return.
            m_wake.wait(lock, stop, [this] { return m_changed; });
            continue;
        }
        if (m_wake.wait_until(lock, stop, next, [this] { return m_changed; })) {
            continue;  // a callback was added or re-armed: look again for the earliest due time
        }
        const auto now = Clock::now();
        for (auto it = m_entries.begin(); it != m_entries.end();) {
            Entry& entry = it->second;
            if (!entry.next_due || *entry.next_due > now) {
                ++it;
                continue;
            }
            const auto period = m_time.to_real(entry.info.schedule.period_seconds);
            entry.fired = now;
            const Firing firing = entry.fire(it->first, ++entry.info.calls);
            const bool last = entry.info.schedule.count && entry.info.calls >= *entry.info.schedule.count;
            if (firing == Firing::inline_call) {
                // Bokeh's timer re-arms when the call returns (call_ended), not now.
                entry.next_due.reset();
                ++it;  // kept even after the last call, for its timeout check; call_ended ends it
                continue;
            }
            if (last) {
                it = m_entries.erase(it);
                continue;
            }
            // Scheduled from the due time, not from now, so the period does not drift.
            *entry.next_due += period;
            if (*entry.next_due <= now) {
                // Fell behind (the time scale grew, or a long stall): skip, do not burst.
                entry.next_due = now + period;
            }
            ++it;
        }
    }
}

}  // namespace threadlab
