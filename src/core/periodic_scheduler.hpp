#pragma once
// Panel's add_periodic_callback(callback, period, count, timeout): one scheduler thread fires
// every session's periodic callbacks on time, each firing an event into the event pool. The
// thread sleeps until the next due time or a change (condition variable, never polling).
// A callback longer than its period overlaps itself, as in Panel: firing never waits for the
// previous call to end.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "ids.hpp"
#include "time_scale.hpp"

namespace threadlab {

struct PeriodicSchedule {
    /// Simulated seconds between calls (Panel's period, 500 ms by default); the first call
    /// comes one period after the start.
    double period_seconds = 0.5;
    /// Stop after this many calls (Panel's count); unset runs until stopped.
    std::optional<std::uint32_t> count;
    /// Stop this many simulated seconds after the start (Panel's timeout); unset never expires.
    std::optional<double> timeout_seconds;
};

struct PeriodicInfo {
    PeriodicId id = 0;
    SessionId session = 0;
    PeriodicSchedule schedule;
    std::uint32_t calls = 0;
};

class PeriodicScheduler {
public:
    /// Called with the call number (1, 2, ...). Runs on the scheduler thread under its lock, so
    /// that after stop() returns it is never called again; it must only queue work, never block.
    using Fire = std::function<void(std::uint32_t call)>;

    explicit PeriodicScheduler(const TimeScale& time);
    ~PeriodicScheduler();
    PeriodicScheduler(const PeriodicScheduler&) = delete;
    PeriodicScheduler& operator=(const PeriodicScheduler&) = delete;

    /// Throws std::invalid_argument for a period <= 0 or a negative timeout.
    PeriodicId start(SessionId session, PeriodicSchedule schedule, Fire fire);
    /// False if it already ended. Once it returns, the callback is not called again.
    bool stop(PeriodicId id);
    /// Stops every callback of the session; returns how many.
    std::size_t stop_session(SessionId session);
    void stop_all();

    std::vector<PeriodicInfo> active() const;

private:
    struct Entry {
        PeriodicInfo info;
        Fire fire;
        Clock::time_point next_due;
        std::optional<Clock::time_point> expires;
    };
    void run(std::stop_token stop);

    const TimeScale& m_time;
    // Guards m_entries, m_next_id and m_changed; held while firing (firing only queues work).
    mutable std::mutex m_mutex;
    std::condition_variable_any m_wake;
    std::map<PeriodicId, Entry> m_entries;
    PeriodicId m_next_id = 1;
    bool m_changed = false;
    std::jthread m_thread;
};

}  // namespace threadlab
