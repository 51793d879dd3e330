#include <catch2/catch.hpp>

#include <time.h>

#include <latch>
#include <thread>

#include "core/work.hpp"
#include "support/watchdog.hpp"
#include "core/platform/stop.hpp"

using namespace threadlab;
using namespace threadlab::testing;

namespace {
Clock::duration thread_cpu() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
}
}  // namespace

TEST_CASE("sleep work is interrupted at once by a stop request", "[work]") {
    Watchdog watchdog("sleep interrupt");
    TimeScale time(1.0);
    Gil gil;
    stop_source stop;
    std::latch started(1);
    bool cancelled = false;
    jthread sleeper([&] {
        WorkProgress progress;
        WorkContext context{stop.get_token(), time, gil, progress};
        started.count_down();
        try {
            make_simulated_work({WorkKind::sleep, 1e5, false})(context);  // a day and more
        } catch (const WorkCancelled&) {
            cancelled = true;
        }
    });
    started.wait();
    stop.request_stop();
    sleeper.join();
    CHECK(cancelled);
}

TEST_CASE("compute work burns the CPU for the time asked", "[work]") {
    TimeScale time(0.05);
    Gil gil;
    WorkProgress progress;
    WorkContext context{{}, time, gil, progress};
    const auto before = thread_cpu();
    const auto result = make_simulated_work({WorkKind::compute, 1.0, false})(context);
    const auto spent = thread_cpu() - before;
    CHECK(spent >= std::chrono::milliseconds(50));
    CHECK(result.find("computed 1.00 s, done ") == 0);
    CHECK(progress.fraction(Clock::now()) == Approx(1.0));
}

TEST_CASE("compute work stops between slices when asked", "[work]") {
    Watchdog watchdog("compute interrupt");
    TimeScale time(1.0);
    Gil gil;
    gil.set_enabled(true);
    stop_source stop;
    std::latch started(1);
    bool cancelled = false;
    jthread worker([&] {
        WorkProgress progress;
        WorkContext context{stop.get_token(), time, gil, progress};
        started.count_down();
        try {
            make_simulated_work({WorkKind::compute, 1e5, false})(context);
        } catch (const WorkCancelled&) {
            cancelled = true;
        }
    });
    started.wait();
    stop.request_stop();
    worker.join();
    CHECK(cancelled);
    CHECK(gil.holders() == 0);  // the GIL is released on the way out
}

TEST_CASE("failing work throws after doing its work", "[work]") {
    TimeScale time(0.01);
    Gil gil;
    WorkProgress progress;
    WorkContext context{{}, time, gil, progress};
    CHECK_THROWS_WITH(make_simulated_work({WorkKind::sleep, 0.5, true})(context),
                      "simulated failure after 0.50 s");
}

TEST_CASE("the time scale converts simulated seconds and rejects nonsense", "[work]") {
    TimeScale time(0.1);
    CHECK(time.to_real(2.0) == std::chrono::milliseconds(200));
    CHECK(time.to_simulated(std::chrono::milliseconds(200)) == Approx(2.0));
    CHECK_THROWS_AS(time.set(0.0), std::invalid_argument);
    CHECK_THROWS_AS(time.set(1000.0), std::invalid_argument);
    CHECK_THROWS_AS(TimeScale(-1.0), std::invalid_argument);
    CHECK(time.get() == Approx(0.1));
}

TEST_CASE("sleep progress follows the wall clock, compute progress the work done", "[work]") {
    WorkProgress progress;
    const auto start = Clock::now();
    progress.begin(WorkKind::sleep, std::chrono::seconds(4), start);
    CHECK(progress.fraction(start + std::chrono::seconds(1)) == Approx(0.25));
    CHECK(progress.fraction(start + std::chrono::seconds(9)) == Approx(1.0));
    progress.begin(WorkKind::compute, std::chrono::seconds(4), start);
    CHECK(progress.fraction(start + std::chrono::seconds(3)) == Approx(0.0));
    progress.advance(std::chrono::seconds(2));
    CHECK(progress.fraction(start + std::chrono::seconds(3)) == Approx(0.5));
}
