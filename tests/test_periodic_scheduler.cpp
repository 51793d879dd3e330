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

    PeriodicScheduler::Fire recorder() {
        return [this](std::uint32_t call) {
            {
                std::lock_guard lock(mutex);
                calls.push_back(call);
            }
            changed.notify_all();
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

TEST_CASE("a periodic callback expires after its timeout", "[periodic]") {
    Watchdog watchdog("periodic timeout");
    TimeScale time(0.01);
    CallLog log;  // declared before the scheduler, so they outlive the scheduler's thread
    CallLog clock;
    PeriodicScheduler scheduler(time);
    // Period 1 s, timeout 2.5 s: calls are due at 1 and 2 s; the one due at 3 s is past the timeout.
    // (How many of the first two happen depends on how promptly the machine wakes the scheduler,
    // so the test checks only what is certain: nothing after the timeout, and the entry is gone.)
    scheduler.start(1, {1.0, std::nullopt, 2.5}, log.recorder());
    // A second callback is the clock: once it has fired at 1..8 s, time is well past the timeout.
    scheduler.start(2, {1.0, 8u, std::nullopt}, clock.recorder());
    REQUIRE(clock.wait_for(8));
    const auto calls = log.copy();
    CHECK(calls.size() <= 2);
    for (std::size_t i = 0; i < calls.size(); ++i) {
        CHECK(calls[i] == i + 1);
    }
    CHECK(scheduler.active().empty());
}

TEST_CASE("a bad period or timeout is refused", "[periodic]") {
    TimeScale time(1.0);
    PeriodicScheduler scheduler(time);
    CHECK_THROWS_AS(scheduler.start(1, {0.0, std::nullopt, std::nullopt}, [](std::uint32_t) {}),
                    std::invalid_argument);
    CHECK_THROWS_AS(scheduler.start(1, {1.0, std::nullopt, -1.0}, [](std::uint32_t) {}), std::invalid_argument);
    CHECK(scheduler.active().empty());
}
