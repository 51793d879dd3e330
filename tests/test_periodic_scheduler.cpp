#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>
#include <vector>

#include "core/periodic_scheduler.hpp"
#include "support/watchdog.hpp"

using namespace threadlab;
using namespace threadlab::testing;

namespace {
/// Records the calls of periodic callbacks and lets the test wait for a number of them.
struct CallLog {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::uint32_t> calls;

    std::vector<Clock::time_point> times;
    PeriodicId id = 0;

    /// Records each call; `firing` says where the call runs (a pool, or inline on the event loop).
    PeriodicScheduler::Fire recorder(Firing firing = Firing::submitted) {
        return [this, firing](PeriodicId fired, std::uint32_t call) {
            {
                std::lock_guard lock(mutex);
                id = fired;
                calls.push_back(call);
                times.push_back(Clock::now());
            }
            changed.notify_all();
            return firing;
        };
    }
    bool wait_for(std::size_t count) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, std::chrono::seconds(30), [&] { return calls.size() >= count; });
    }
    std::vector<std::uint32_t> copy() {
        std::lock_guard lock(mutex);
        return calls;
    }
    Clock::time_point time_of(std::size_t call) {
        std::lock_guard lock(mutex);
        return times.at(call - 1);
    }
};
}  // namespace

TEST_CASE("a periodic callback with a count fires exactly count times", "[periodic]") {
    Watchdog watchdog("periodic count");
    TimeScale time(0.01);
    CallLog log;  // declared before the scheduler, so it outlives the scheduler's thread
    PeriodicScheduler scheduler(time);
    scheduler.start(1, {0.5, 3u, std::nullopt}, log.recorder());
    REQUIRE(log.wait_for(3));
    // Once the third call is done the entry is gone, so nothing can fire a fourth.
    REQUIRE(scheduler.active().empty());
    CHECK(log.copy() == std::vector<std::uint32_t>{1, 2, 3});
}

TEST_CASE("stopping a session's callbacks stops them for good", "[periodic]") {
    Watchdog watchdog("periodic stop");
    TimeScale time(0.01);
    CallLog mine;  // declared before the scheduler, so they outlive the scheduler's thread
    CallLog theirs;
    PeriodicScheduler scheduler(time);
    scheduler.start(1, {0.1, std::nullopt, std::nullopt}, mine.recorder());
    scheduler.start(2, {0.1, std::nullopt, std::nullopt}, theirs.recorder());
    REQUIRE(mine.wait_for(2));
    CHECK(scheduler.stop_session(1) == 1);
    const auto calls_at_stop = mine.copy().size();
    REQUIRE(theirs.wait_for(theirs.copy().size() + 3));  // time passes: session 2 keeps firing
    CHECK(mine.copy().size() == calls_at_stop);
    CHECK(scheduler.active().size() == 1);
}

TEST_CASE("the timeout is checked when a call ends, as Panel's _post_callback does", "[periodic]") {
    // Panel (panel/io/callbacks.py:99-112, PeriodicCallback._post_callback, holoviz/panel@45cb9c1)
    // stops a periodic callback only after a call returns: `dt = (time.time() -
    // self._start_time) * 1000; if dt > self.timeout: self.stop()` (timeout in milliseconds,
    // callbacks.py:56-58). While no call has ended, calls keep firing past the timeout.
    Watchdog watchdog("periodic timeout");
    TimeScale time(0.01);
    CallLog log;  // declared before the scheduler, so they outlive the scheduler's thread
    PeriodicScheduler scheduler(time);
    // Period 1 s, timeout 2.5 s; none of its calls has ended yet.
    scheduler.start(1, {1.0, std::nullopt, 2.5}, log.recorder());
    REQUIRE(log.wait_for(4));  // a call at 3 s and 4 s: no call ended, so nothing checked the timeout
    const auto id = [&] {
        std::lock_guard lock(log.mutex);
        return log.id;
    }();
    // A call that ended before the timeout does not stop it.
    scheduler.call_ended(id, log.time_of(1) + time.to_real(0.1));
    CHECK(scheduler.active().size() == 1);
    // One that ends after it does.
    scheduler.call_ended(id, Clock::now());
    CHECK(scheduler.active().empty());
    const auto calls = log.copy().size();
    CHECK(scheduler.active().empty());
    CHECK(log.copy().size() == calls);  // stop() semantics: never called again
}

TEST_CASE("an inline call is re-armed only when it returns: start to start is max(period, duration)",
          "[periodic]") {
    // Without a thread pool Panel runs the callback inline on the event loop
    // (panel/io/callbacks.py:114-141, holoviz/panel@45cb9c1), and Bokeh's periodic timer starts
    // its sleep when it invokes the call and re-arms only once both are done
    // (src/bokeh/util/tornado.py:89-146, _AsyncPeriodic, bokeh/bokeh@8fbd227): no overlap, no backlog.
    Watchdog watchdog("periodic inline");
    TimeScale time(0.01);
    CallLog inline_log;  // declared before the scheduler, so they outlive the scheduler's thread
    CallLog clock;
    PeriodicScheduler scheduler(time);
    scheduler.start(1, {0.5, 3u, std::nullopt}, inline_log.recorder(Firing::inline_call));
    scheduler.start(2, {0.5, std::nullopt, std::nullopt}, clock.recorder());
    REQUIRE(inline_log.wait_for(1));
    // Ten periods pass on the clock while the first call has not returned: no second call.
    REQUIRE(clock.wait_for(clock.copy().size() + 10));
    CHECK(inline_log.copy().size() == 1);

    const auto id = [&] {
        std::lock_guard lock(inline_log.mutex);
        return inline_log.id;
    }();
    // It returns long after its period: the next call comes at once (max(period, duration)).
    const auto first_ended = Clock::now();
    scheduler.call_ended(id, first_ended);
    REQUIRE(inline_log.wait_for(2));
    CHECK(inline_log.time_of(2) >= first_ended);

    // It returns within its period: the next call keeps to the period from when it was invoked
    // (the recorder notes the time a moment after the scheduler does, hence the millisecond).
    const auto second_fired = inline_log.time_of(2);
    scheduler.call_ended(id, Clock::now());
    REQUIRE(inline_log.wait_for(3));
    CHECK(inline_log.time_of(3) - second_fired >= time.to_real(0.5) - std::chrono::milliseconds(1));

    // The count is reached: the entry stays for its last call's end, then goes.
    CHECK(scheduler.active().size() == 2);
    scheduler.call_ended(id, Clock::now());
    CHECK(scheduler.active().size() == 1);
    scheduler.stop_session(2);
    CHECK(inline_log.copy() == std::vector<std::uint32_t>{1, 2, 3});
}

TEST_CASE("a bad period or timeout is refused", "[periodic]") {
    TimeScale time(1.0);
    PeriodicScheduler scheduler(time);
    CHECK_THROWS_AS(scheduler.start(1, {0.0, std::nullopt, std::nullopt}, [](PeriodicId, std::uint32_t) { return Firing::submitted; }),
                    std::invalid_argument);
    CHECK_THROWS_AS(scheduler.start(1, {1.0, std::nullopt, -1.0},
                                    [](PeriodicId, std::uint32_t) { return Firing::submitted; }),
                    std::invalid_argument);
    CHECK(scheduler.active().empty());
}
