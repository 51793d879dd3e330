#pragma once
// Panel's add_periodic_callback(callback, period, count, timeout): one scheduler thread fires
// every session's periodic callbacks on time, each firing an event into the event pool. The
// thread sleeps until the next due time or a change (condition variable, never polling).
//
// As in Panel (panel/io/callbacks.py, PeriodicCallback), how the next call is timed depends on
// where a call runs:
//  - with a thread pool, each firing only submits the call (`state._thread_pool.submit`), so
//    firing never waits for the previous call: a call longer than its period overlaps itself;
//  - without one, the call runs inline on the event loop and Bokeh's timer re-arms only after
//    it returns (bokeh/util/tornado.py, _AsyncPeriodic: "Will wait for func to finish each time
//    before we call it again"): the next call starts max(period, duration) after the last one
//    was invoked. No overlap, no backlog.
// The timeout is checked when a call ends (Panel's `_post_callback`): the callback stops once a
// call ends later than `timeout` after the start; calls already under way run to their end.
// (An inline call cancelled before it runs never returns: its callback fires no more. Panel has
// no way to cancel a call; ThreadLab's cancel_event does, and that is what it means here.)

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
#include "platform/stop.hpp"

namespace threadlab {

struct PeriodicSchedule {
    /// Simulated seconds between calls (Panel's period, 500 ms by default); the first call
    /// comes one period after the start.
    double period_seconds = 0.5;
    /// Stop after this many calls (Panel's count); unset runs until stopped.
    std::optional<std::uint32_t> count;
    /// Panel's timeout, in simulated seconds (Panel's own unit is milliseconds): the first call
    /// that ends later than this after the start stops the callback. Unset never expires.
    std::optional<double> timeout_seconds;
};

struct PeriodicInfo {
    PeriodicId id = 0;
    SessionId session = 0;
    PeriodicSchedule schedule;
    std::uint32_t calls = 0;
};

/// Where a fired call runs, which decides when the next one is due.
enum class Firing : std::uint8_t {
    submitted,  ///< handed to a pool: the next call is due a period after this one was due
    inline_call ///< on the event loop: the next call waits for call_ended() (Bokeh's re-arm)
};

class PeriodicScheduler {
public:
    /// Called with the callback's id and the call number (1, 2, ...). Runs on the scheduler
    /// thread under its lock, so that after stop() returns it is never called again; it must
    /// only queue work, never block. The call it queues reports its end with call_ended().
    using Fire = std::function<Firing(PeriodicId id, std::uint32_t call)>;

    explicit PeriodicScheduler(const TimeScale& time);
    ~PeriodicScheduler();
    PeriodicScheduler(const PeriodicScheduler&) = delete;
    PeriodicScheduler& operator=(const PeriodicScheduler&) = delete;

    /// Throws std::invalid_argument for a period <= 0 or a negative timeout.
    PeriodicId start(SessionId session, PeriodicSchedule schedule, Fire fire);
    /// Bokeh's add_timeout_callback: `fire` once, `delay_seconds` (simulated) from now, unless
    /// stopped first. Runs under the scheduler's lock like Fire, and must only queue work. Not a
    /// periodic callback: not listed by active(). Throws std::invalid_argument for a negative delay.
    PeriodicId start_timeout(SessionId session, double delay_seconds, std::function<void()> fire);
    /// A call ended (whatever its outcome): checks the timeout and, for an inline call, arms the
    /// next one at max(fired + period, ended): Bokeh starts the period's sleep when it invokes the
    /// call, so time spent queued or running counts against the period. Ignored for a callback
    /// already stopped.
    void call_ended(PeriodicId id, Clock::time_point ended);
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
        Clock::time_point started;
        /// Unset while an inline call runs: the next one is armed when it returns.
        std::optional<Clock::time_point> next_due;
        /// When the last call was fired.
        Clock::time_point fired{};
        /// False for a one-shot timeout callback (start_timeout).
        bool periodic = true;
    };
    PeriodicId add(Entry entry);
    void run(stop_token stop);

    const TimeScale& m_time;
    // Guards m_entries, m_next_id and m_changed; held while firing (firing only queues work).
    mutable std::mutex m_mutex;
    condition_variable_any m_wake;
    std::map<PeriodicId, Entry> m_entries;
    PeriodicId m_next_id = 1;
    bool m_changed = false;
    jthread m_thread;
};

}  // namespace threadlab
