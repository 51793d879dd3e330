// ThreadLab's own jthread, stop tokens and stop-aware condition variable (for standard libraries
// without them: the web build). Tested here directly, in every build; the tsan preset also runs
// every engine test on them (THREADLAB_PORTABLE_STOP).

#include <catch2/catch.hpp>

#include <atomic>
#include <latch>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/platform/portable_stop.hpp"
#include "support/watchdog.hpp"

using namespace threadlab;
using namespace threadlab::testing;

TEST_CASE("portable stop: request_stop runs each callback once, on the requesting thread", "[platform]") {
    portable::stop_source source;
    const auto token = source.get_token();
    CHECK(token.stop_possible());
    CHECK_FALSE(token.stop_requested());
    int calls = 0;
    std::thread::id ran_on;
    portable::stop_callback first(token, [&] {
        ++calls;
        ran_on = std::this_thread::get_id();
    });
    portable::stop_callback second(token, [&] { ++calls; });
    std::thread requester([&] { CHECK(source.request_stop()); });
    const auto requester_id = requester.get_id();
    requester.join();
    CHECK(calls == 2);
    CHECK(ran_on == requester_id);
    CHECK(token.stop_requested());
    CHECK_FALSE(source.request_stop());  // only the first request counts
    CHECK(calls == 2);

    // Made after the request: runs at once, on the constructing thread.
    bool late = false;
    portable::stop_callback after(token, [&] { late = true; });
    CHECK(late);
}

TEST_CASE("portable stop: a token without a source can never stop", "[platform]") {
    portable::stop_token none;
    CHECK_FALSE(none.stop_possible());
    CHECK_FALSE(none.stop_requested());
    bool called = false;
    { portable::stop_callback never(none, [&] { called = true; }); }
    CHECK_FALSE(called);
}

TEST_CASE("portable stop: a removed callback is not called", "[platform]") {
    portable::stop_source source;
    bool called = false;
    { portable::stop_callback gone(source.get_token(), [&] { called = true; }); }
    source.request_stop();
    CHECK_FALSE(called);
}

TEST_CASE("portable stop: ~stop_callback waits for its callback running on another thread", "[platform]") {
    Watchdog watchdog("portable stop callback wait");
    portable::stop_source source;
    std::latch entered(1);
    std::latch gate(1);
    std::atomic<bool> finished{false};
    std::optional<portable::stop_callback<std::function<void()>>> callback;
    callback.emplace(source.get_token(), std::function<void()>([&] {
                         entered.count_down();
                         gate.wait();
                         finished = true;
                     }));
    std::thread requester([&] { source.request_stop(); });
    entered.wait();
    std::thread destroyer([&] {
        callback.reset();  // must not return before the callback has finished
        CHECK(finished.load());
    });
    gate.count_down();
    destroyer.join();
    requester.join();
}

TEST_CASE("portable stop: a callback may destroy its own stop_callback", "[platform]") {
    Watchdog watchdog("portable stop self-destroy");
    portable::stop_source source;
    std::optional<portable::stop_callback<std::function<void()>>> callback;
    bool ran = false;
    callback.emplace(source.get_token(), std::function<void()>([&] {
                         ran = true;
                         callback.reset();
                     }));
    CHECK(source.request_stop());
    CHECK(ran);
    CHECK_FALSE(callback.has_value());
}

TEST_CASE("portable stop: jthread passes its token and stops and joins when destroyed", "[platform]") {
    Watchdog watchdog("portable jthread");
    std::mutex mutex;
    portable::condition_variable_any wake;
    std::atomic<bool> saw_stop{false};
    {
        portable::jthread worker([&](portable::stop_token stop) {
            std::unique_lock lock(mutex);
            // Never ready by itself: only the stop request ends the wait.
            const bool ready = wake.wait(lock, stop, [] { return false; });
            saw_stop = !ready && stop.stop_requested();
        });
        CHECK(worker.joinable());
    }
    CHECK(saw_stop.load());

    int argument = 0;
    portable::jthread plain([&argument](int value) { argument = value; }, 7);
    plain.join();
    CHECK(argument == 7);
    CHECK_FALSE(plain.joinable());
}

TEST_CASE("portable stop: a stop-aware wait never misses a request", "[platform]") {
    // A request may come at any point of the waiter's way into its wait: before the first look at
    // the token, between the look and the sleep, or while it sleeps. None may be lost (the
    // watchdog fails the test on a hang).
    Watchdog watchdog("portable stop-aware wait");
    for (int round = 0; round < 2000; ++round) {
        std::mutex mutex;
        portable::condition_variable_any wake;
        portable::stop_source source;
        std::latch started(1);
        bool result = true;
        std::thread waiter([&] {
            std::unique_lock lock(mutex);
            started.count_down();
            result = wake.wait(lock, source.get_token(), [] { return false; });
        });
        started.wait();
        if (round % 2 == 0) {
            std::lock_guard lock(mutex);  // the engine requests stops under its own locks too
            source.request_stop();
        } else {
            source.request_stop();
        }
        waiter.join();
        REQUIRE_FALSE(result);
    }
}

TEST_CASE("portable stop: waits end on notify, on the deadline and on the predicate", "[platform]") {
    Watchdog watchdog("portable condition variable");
    std::mutex mutex;
    portable::condition_variable_any wake;
    portable::stop_source source;
    bool ready = false;
    std::thread notifier([&] {
        {
            std::lock_guard lock(mutex);
            ready = true;
        }
        wake.notify_all();
    });
    {
        std::unique_lock lock(mutex);
        CHECK(wake.wait(lock, source.get_token(), [&] { return ready; }));
        CHECK(lock.owns_lock());
    }
    notifier.join();

    std::unique_lock lock(mutex);
    // Nobody notifies: the deadline ends these waits, with the predicate's value.
    CHECK_FALSE(wake.wait_for(lock, source.get_token(), std::chrono::milliseconds(1), [] { return false; }));
    CHECK_FALSE(wake.wait_for(lock, std::chrono::milliseconds(1), [] { return false; }));
    CHECK(wake.wait_until(lock, std::chrono::steady_clock::now(), [] { return true; }));
    CHECK(lock.owns_lock());
}

TEST_CASE("portable jthread counts its threads from start to the end of their function", "[platform]") {
    // The live thread count where the system lists no threads (the browser).
    Watchdog watchdog("portable jthread count");
    const auto before = portable::g_live_threads.load();
    std::latch running(1);
    std::latch release(1);
    {
        portable::jthread worker([&] {
            running.count_down();
            release.wait();
        });
        running.wait();
        CHECK(portable::g_live_threads.load() == before + 1);
        release.count_down();
    }  // joined
    CHECK(portable::g_live_threads.load() == before);
}
