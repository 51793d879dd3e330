#include <catch2/catch.hpp>

#include <atomic>
#include <latch>

#include "core/change_signal.hpp"
#include "support/watchdog.hpp"

using namespace threadlab;
using namespace threadlab::testing;

TEST_CASE("a stalled listener never blocks notify, and is called again once rearmed", "[change-signal]") {
    Watchdog watchdog("change signal listener");
    ChangeSignal signal;
    std::atomic<int> calls{0};
    std::latch first_entered(1);
    std::latch release(1);
    std::latch second_call(1);
    signal.set_listener([&] {
        if (calls.fetch_add(1) == 0) {
            first_entered.count_down();
            release.wait();  // a display that does not answer
        } else {
            second_call.count_down();
        }
    });
    signal.notify();
    first_entered.wait();
    // The listener is stuck. Engine threads notify while holding their locks: none of this waits
    // for it (before, the first notify ran the listener itself and would hang here).
    for (int i = 0; i < 1000; ++i) {
        signal.notify();
    }
    CHECK(calls.load() == 1);  // not rearmed: a thousand changes, one wake-up
    signal.rearm();
    signal.notify();  // due again while the first call is still stuck
    release.count_down();
    second_call.wait();
    CHECK(calls.load() == 2);
    // Removed: no call after set_listener returns, whatever is notified.
    signal.set_listener({});
    signal.rearm();
    signal.notify();
    CHECK(calls.load() == 2);
}

TEST_CASE("a change signal without a listener still wakes a waiter", "[change-signal]") {
    ChangeSignal signal;
    const auto seen = signal.generation();
    signal.notify();
    CHECK(signal.wait_for_change(seen, std::chrono::seconds(10)) != seen);
}
