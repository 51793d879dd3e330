#include <catch2/catch.hpp>

#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include "core/gil.hpp"
#include "core/work.hpp"
#include "support/watchdog.hpp"
#include "core/platform/stop.hpp"

using namespace threadlab;
using namespace threadlab::testing;

TEST_CASE("with the GIL on, two compute tasks never hold it at once", "[gil]") {
    Watchdog watchdog("gil exclusion");
    TimeScale time(1.0);
    Gil gil(std::chrono::microseconds(500));
    gil.set_enabled(true);
    std::atomic<int> inside{0};
    std::atomic<int> overlaps{0};
    std::atomic<int> slices{0};

    // Real compute work on two threads; a third thread samples the holder count while they run.
    std::latch start(2);
    std::vector<jthread> threads;
    for (int t = 0; t < 2; ++t) {
        threads.emplace_back([&] {
            WorkProgress progress;
            WorkContext context{{}, time, gil, progress};
            start.arrive_and_wait();
            make_simulated_work({WorkKind::compute, 0.05, false})(context);
        });
    }
    // And two threads that take the GIL by hand and check, inside it, that they are alone.
    for (int t = 0; t < 2; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i) {
                REQUIRE(gil.acquire({}));
                if (inside.fetch_add(1) != 0 || gil.holders() != 1) {
                    overlaps.fetch_add(1);
                }
                slices.fetch_add(1);
                inside.fetch_sub(1);
                gil.release();
            }
        });
    }
    threads.clear();
    CHECK(overlaps.load() == 0);
    CHECK(gil.violations() == 0);
    CHECK(slices.load() == 400);
    CHECK(gil.holders() == 0);
    CHECK(gil.handovers() >= 400);
}

TEST_CASE("waiting for the GIL is interrupted by a stop request", "[gil]") {
    Watchdog watchdog("gil stop");
    Gil gil;
    REQUIRE(gil.acquire({}));
    stop_source stop;
    std::latch waiting(1);
    std::atomic<bool> acquired{true};
    jthread waiter([&] {
        waiting.count_down();
        acquired = gil.acquire(stop.get_token());
    });
    waiting.wait();
    stop.request_stop();
    waiter.join();
    CHECK_FALSE(acquired.load());
    // The abandoned ticket is skipped: the next acquirer gets the GIL after one release.
    gil.release();
    REQUIRE(gil.acquire({}));
    CHECK(gil.holders() == 1);
    gil.release();
    CHECK(gil.violations() == 0);
}

TEST_CASE("the GIL is handed over in arrival order", "[gil]") {
    Watchdog watchdog("gil fifo");
    Gil gil;
    REQUIRE(gil.acquire({}));
    std::vector<int> order;
    std::vector<jthread> waiters;
    for (int i = 0; i < 4; ++i) {
        waiters.emplace_back([&, i] {
            REQUIRE(gil.acquire({}));
            order.push_back(i);  // guarded by the GIL itself
            gil.release();
        });
        // The next waiter must queue behind this one: wait until it is counted as waiting.
        while (gil.waiting() != i + 1) {
            std::this_thread::yield();
        }
    }
    gil.release();
    waiters.clear();
    CHECK(order == std::vector<int>{0, 1, 2, 3});
}

TEST_CASE("the GIL's history shows its holders and its contention", "[gil]") {
    Watchdog watchdog("gil history");
    Gil gil;
    REQUIRE(gil.acquire({}, 7));
    std::latch waiting(1);
    jthread waiter([&] {
        waiting.count_down();
        REQUIRE(gil.acquire({}, 9));
        gil.release();
    });
    waiting.wait();
    while (gil.waiting() == 0) {
        std::this_thread::yield();  // the waiter is between the latch and the GIL's queue
    }
    gil.release();
    waiter.join();
    const auto history = gil.history().copy();
    REQUIRE(history.holds.size() == 2);
    CHECK(history.holds[0].session == 7);
    CHECK(history.holds[1].session == 9);
    CHECK(history.holds[0].end.has_value());
    CHECK(history.holds[1].end.has_value());
    REQUIRE(history.contention.size() == 1);
    CHECK(history.contention[0].end.has_value());
    CHECK(*history.contention[0].end <= history.holds[1].start);
}

TEST_CASE("native compute runs without the GIL, even while another thread holds it", "[gil]") {
    // Panel's guide: threading helps CPU-bound work "where the operation being executed releases
    // the GIL, this includes many NumPy, Pandas and Numba functions"
    // (doc/how_to/concurrency/index.md:37, holoviz/panel@45cb9c1). ThreadLab's "native" work is
    // that: it computes for real and never takes the GIL, so it finishes while another thread
    // holds the GIL throughout; "compute" work in its place would wait until the GIL is released.
    Watchdog watchdog("gil native");
    TimeScale time(1.0);
    Gil gil;
    gil.set_enabled(true);
    REQUIRE(gil.acquire({}));  // held by this thread until the native work is done
    std::string result;
    jthread native([&] {
        WorkProgress progress;
        WorkContext context{{}, time, gil, progress};
        result = make_simulated_work({WorkKind::native, 0.02, false})(context);
    });
    native.join();
    CHECK(result.find("computed (GIL released)") == 0);
    CHECK(gil.holders() == 1);  // still only this thread
    gil.release();
    CHECK(gil.violations() == 0);
}
