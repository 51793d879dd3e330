#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <latch>
#include <memory>
#include <mutex>
#include <numeric>
#include <system_error>
#include <thread>
#include <vector>

#if defined(__GLIBC__)
#include <pthread.h>
#endif

#include "core/event_pool.hpp"
#include "support/pool_rig.hpp"
#include "support/threads_cannot_start.hpp"
#include "support/wait.hpp"
#include "support/watchdog.hpp"
#include "core/platform/stop.hpp"

using namespace threadlab;
using namespace threadlab::testing;

namespace {

EventRequest event_of(SessionId session, Work work, std::shared_ptr<Accounting> accounting = nullptr) {
    return {session, EventKind::click, 0, std::move(work), std::move(accounting), {}};
}

/// Work that blocks until `gate` opens (a latch, so no timing is involved).
Work blocked_on(std::latch& gate) {
    return [&gate](WorkContext&) {
        gate.wait();
        return std::string("released");
    };
}

/// Work that counts itself in on `entered` (the first `expected` events only: a latch must not go
/// below zero) and then blocks until `gate` opens.
Work entered_then_blocked(std::latch& entered, std::atomic<int>& inside, int expected, std::latch& gate) {
    return [&entered, &inside, expected, &gate](WorkContext&) {
        if (inside.fetch_add(1) < expected) {
            entered.count_down();
        }
        gate.wait();
        return std::string("released");
    };
}

/// Every lane idle, with `finished` events on them in all (their last publication made).
bool lanes_show_finished(const EventPool& pool, std::size_t finished) {
    std::size_t shown = 0;
    for (const auto& lane : pool.lanes()) {
        const auto state = lane->state().copy();
        if (state.running) {
            return false;
        }
        shown += state.recent.size();
    }
    return shown == finished;
}


}  // namespace

// Panel's pool is CPython's concurrent.futures.ThreadPoolExecutor(max_workers=nthreads). In
// Lib/concurrent/futures/thread.py, submit() queues the work item and calls
// ThreadPoolExecutor._adjust_thread_count(), which returns at once if an idle worker is there
// (`if self._idle_semaphore.acquire(timeout=0): return`) and otherwise starts one thread if
// `len(self._threads) < self._max_workers`; a worker thread never exits before shutdown. So
// threads start on demand, bounded by max_workers, and an idle worker is reused.

TEST_CASE("threads start on demand: a pool of 8 with two blocking events has two threads", "[pool][on-demand]") {
    Watchdog watchdog("pool on demand");
    EngineParts parts;
    EventPool pool(PoolSetting::fixed(8), parts.context());
    auto stats = pool.stats();
    CHECK(stats.target == 8);
    CHECK(stats.live == 0);  // Python's executor starts no thread before the first submit()
    CHECK(pool.lanes().empty());
    const auto version_before = pool.lanes_version();

    std::latch entered(2);
    std::atomic<int> inside{0};
    std::latch gate(1);
    for (int i = 0; i < 2; ++i) {
        REQUIRE(pool.submit(event_of(1, entered_then_blocked(entered, inside, 2, gate))));
    }
    entered.wait();  // both running at once: two threads at least
    stats = pool.stats();
    CHECK(stats.busy == 2);
    CHECK(stats.live == 2);  // and no more
    CHECK(stats.target == 8);
    const auto lanes = pool.lanes();
    CHECK(lanes.size() == 2);
    for (const auto& lane : lanes) {
        CHECK(lane->index() < 2);
    }
    CHECK(pool.lanes_version() != version_before);  // the timeline sees the new lanes

    gate.count_down();
    REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
    stats = pool.stats();
    CHECK(stats.events.completed == 2);
    CHECK(stats.live == 2);  // idle threads stay: no idle timeout
    CHECK(stats.failed_starts == 0);
}

TEST_CASE("a sequential stream of events reuses the idle worker instead of starting threads", "[pool][on-demand]") {
    Watchdog watchdog("pool idle worker reused");
    EngineParts parts;
    EventPool pool(PoolSetting::fixed(4), parts.context());
    constexpr std::size_t events = 20;
    for (std::size_t i = 0; i < events; ++i) {
        REQUIRE(pool.submit(event_of(1, [](WorkContext&) { return std::string("done"); })));
        // The worker is back asleep: nothing runs, and its lane shows the event finished (a worker
        // registers as idle before its lane shows it idle).
        REQUIRE(wait_until(parts.changes, [&] {
            return pool.stats().busy == 0 && pool.counts().completed == i + 1 && lanes_show_finished(pool, i + 1);
        }));
        CHECK(pool.stats().live == 1);
    }
    CHECK(pool.lanes().size() == 1);
    CHECK(pool.counts().balanced());
}

TEST_CASE("ten blocking events on a pool of four start four threads and queue the other six", "[pool][on-demand]") {
    Watchdog watchdog("pool on demand bounded");
    EngineParts parts;
    EventPool pool(PoolSetting::fixed(4), parts.context());
    CHECK(pool.stats().live == 0);
    std::latch entered(4);
    std::atomic<int> inside{0};
    std::latch gate(1);
    for (int i = 0; i < 10; ++i) {
        REQUIRE(pool.submit(event_of(1, entered_then_blocked(entered, inside, 4, gate))));
    }
    entered.wait();
    auto stats = pool.stats();
    CHECK(stats.live == 4);
    CHECK(stats.busy == 4);
    CHECK(stats.events.queued == 6);
    CHECK(stats.events.balanced());
    CHECK(pool.lanes().size() == 4);

    gate.count_down();
    REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
    stats = pool.stats();
    CHECK(stats.events.completed == 10);
    // Threads never leave on their own, so this is the most there ever were.
    CHECK(stats.live == 4);
    CHECK(pool.lanes().size() == 4);
}

TEST_CASE("growing starts threads for the backlog at once and no more; shrinking still retires",
          "[pool][on-demand]") {
    Watchdog watchdog("pool grow for backlog");
    EngineParts parts;
    EventPool pool(PoolSetting::fixed(1), parts.context());
    std::latch entered(3);
    std::atomic<int> inside{0};
    std::latch gate(1);
    for (int i = 0; i < 3; ++i) {
        REQUIRE(pool.submit(event_of(1, entered_then_blocked(entered, inside, 3, gate))));
    }
    REQUIRE(wait_until(parts.changes, [&] { return pool.stats().busy == 1; }));
    CHECK(pool.stats().live == 1);

    // Two events wait: growing to 8 starts two threads, before resize() returns.
    pool.resize(PoolSetting::fixed(8));
    auto stats = pool.stats();
    CHECK(stats.target == 8);
    CHECK(stats.live == 3);
    CHECK(pool.lanes().size() == 3);
    entered.wait();  // all three run at once
    stats = pool.stats();
    CHECK(stats.busy == 3);
    CHECK(stats.live == 3);
    CHECK(stats.events.queued == 0);

    // With nothing waiting, growing starts nothing.
    pool.resize(PoolSetting::fixed(16));
    CHECK(pool.stats().live == 3);

    // Shrinking still marks busy surplus workers to retire after their event.
    pool.resize(PoolSetting::fixed(1));
    stats = pool.stats();
    CHECK(stats.retiring == 2);
    CHECK(stats.live == 3);
    gate.count_down();
    REQUIRE(wait_until(parts.changes, [&] { return idle(pool) && pool.stats().live == 1 && pool.stats().retiring == 0; }));
    CHECK(pool.counts().completed == 3);
    CHECK(pool.lanes().size() == 1);
}

TEST_CASE("a paused pool starts threads for its backlog when resumed", "[pool][on-demand]") {
    Watchdog watchdog("pool resume backlog");
    EngineParts parts;
    EventPool pool(PoolSetting::fixed(4), parts.context());
    REQUIRE(pool.submit(event_of(1, [](WorkContext&) { return std::string(); })));
    REQUIRE(wait_until(parts.changes, [&] { return idle(pool) && lanes_show_finished(pool, 1); }));
    REQUIRE(pool.stats().live == 1);
    pool.set_paused(true);
    std::latch entered(3);
    std::atomic<int> inside{0};
    std::latch gate(1);
    for (int i = 0; i < 3; ++i) {
        REQUIRE(pool.submit(event_of(1, entered_then_blocked(entered, inside, 3, gate))));
    }
    CHECK(pool.stats().live == 1);  // no thread starts for an event that cannot start
    // Resumed: the idle worker takes one, two threads start for the other two.
    pool.set_paused(false);
    CHECK(pool.stats().live == 3);
    entered.wait();
    CHECK(pool.stats().busy == 3);
    gate.count_down();
    REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
    CHECK(pool.stats().live == 3);
    CHECK(pool.counts().completed == 4);
}

#if defined(__GLIBC__)
TEST_CASE("a thread that cannot start loses no event and stops nothing", "[pool][on-demand]") {
    Watchdog watchdog("pool thread start fails");
    EngineParts parts;

    SECTION("with no worker at all, the event is refused and nothing is counted") {
        EventPool pool(PoolSetting::fixed(2), parts.context());
        {
            ThreadsCannotStart no_threads;
            CHECK_FALSE(pool.submit(event_of(1, [](WorkContext&) { return std::string(); })));
            const auto stats = pool.stats();
            CHECK(stats.live == 0);
            CHECK(stats.failed_starts == 1);
            CHECK(stats.events == AccountingCounts{});
            CHECK(pool.lanes().empty());
        }
        // Threads can start again: the next event starts one.
        REQUIRE(pool.submit(event_of(1, [](WorkContext&) { return std::string(); })));
        REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
        CHECK(pool.stats().live == 1);
        CHECK(pool.counts().submitted == 1);
        CHECK(pool.counts().completed == 1);
    }
    SECTION("with a worker, the event waits for it") {
        EventPool pool(PoolSetting::fixed(2), parts.context());
        std::latch gate(1);
        std::atomic<int> inside{0};
        std::latch entered(1);
        REQUIRE(pool.submit(event_of(1, entered_then_blocked(entered, inside, 1, gate))));
        entered.wait();
        std::atomic<bool> second_ran{false};
        {
            ThreadsCannotStart no_threads;
            REQUIRE(pool.submit(event_of(1, [&](WorkContext&) {
                second_ran = true;
                return std::string();
            })));
            const auto stats = pool.stats();
            CHECK(stats.live == 1);
            CHECK(stats.failed_starts == 1);
            CHECK(stats.events.queued == 1);
            CHECK(stats.events.balanced());
            CHECK(pool.lanes().size() == 1);
            gate.count_down();  // the one worker takes it when its event ends
            REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
        }
        CHECK(second_ran.load());
        CHECK(pool.counts().completed == 2);
        CHECK(pool.stats().live == 1);
    }
    SECTION("growing with a backlog keeps the backlog queued for the worker that exists") {
        EventPool pool(PoolSetting::fixed(1), parts.context());
        std::latch gate(1);
        std::atomic<int> inside{0};
        std::latch entered(1);
        for (int i = 0; i < 3; ++i) {
            REQUIRE(pool.submit(event_of(1, entered_then_blocked(entered, inside, 1, gate))));
        }
        entered.wait();
        {
            ThreadsCannotStart no_threads;
            pool.resize(PoolSetting::fixed(4));
            const auto stats = pool.stats();
            CHECK(stats.target == 4);
            CHECK(stats.live == 1);
            CHECK(stats.failed_starts == 1);  // the first failure ends the round
            CHECK(stats.events.queued == 2);
            gate.count_down();
            REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
        }
        CHECK(pool.counts().completed == 3);
        CHECK(pool.counts().balanced());
    }
    SECTION("the event loop exists from the start: threading off needs no thread to start") {
        // (A pool cannot be made while no thread starts: its reaper's thread would not start, and
        // the constructor throws. The loop starts with the pool, as the server's loop does.)
        EventPool pool(PoolSetting::fixed(2), parts.context());
        {
            ThreadsCannotStart no_threads;
            pool.resize(PoolSetting::off());
            CHECK(pool.stats().live == 0);
            CHECK(pool.stats().loop_live);
            CHECK(pool.stats().failed_starts == 0);
            REQUIRE(pool.submit(event_of(1, [](WorkContext&) { return std::string(); })));
            REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
        }
        CHECK(pool.counts().completed == 1);
        CHECK(pool.lanes().empty());
    }
}
#endif

TEST_CASE("one worker runs events in submission order", "[pool]") {
    Watchdog watchdog("pool FIFO");
    EngineParts parts;
    EventPool pool(PoolSetting::fixed(1), parts.context());
    std::latch gate(1);
    pool.submit(event_of(1, blocked_on(gate)));  // holds the worker so the rest really queue up
    std::mutex order_mutex;
    std::vector<int> order;
    for (int i = 0; i < 50; ++i) {
        pool.submit(event_of(1, [&, i](WorkContext&) {
            std::lock_guard lock(order_mutex);
            order.push_back(i);
            return std::string();
        }));
    }
    CHECK(pool.counts().queued >= 50);
    gate.count_down();
    REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
    std::vector<int> expected(50);
    std::iota(expected.begin(), expected.end(), 0);
    std::lock_guard lock(order_mutex);
    CHECK(order == expected);
    CHECK(pool.counts().completed == 51);
}

TEST_CASE("N workers run N events at the same time", "[pool]") {
    Watchdog watchdog("pool overlap");
    EngineParts parts;
    constexpr int workers = 4;
    EventPool pool(PoolSetting::fixed(workers), parts.context());
    // Each event waits until all four are inside: with fewer than four at once this never returns.
    std::latch all_inside(workers);
    std::latch release(1);
    for (int i = 0; i < workers; ++i) {
        pool.submit(event_of(1, [&](WorkContext&) {
            all_inside.arrive_and_wait();
            release.wait();
            return std::string();
        }));
    }
    all_inside.wait();
    CHECK(pool.stats().busy == workers);
    release.count_down();
    REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
    CHECK(pool.counts().completed == workers);
}

TEST_CASE("the pool grows and shrinks under load without losing or repeating an event", "[pool]") {
    Watchdog watchdog("pool resize under load");
    EngineParts parts;
    EventPool pool(PoolSetting::fixed(1), parts.context());
    constexpr int events = 8;
    std::latch release(1);
    std::atomic<int> inside{0};
    std::vector<std::atomic<int>> runs(events);
    for (int i = 0; i < events; ++i) {
        pool.submit(event_of(1, [&, i](WorkContext&) {
            runs[static_cast<std::size_t>(i)].fetch_add(1);
            inside.fetch_add(1);
            release.wait();
            return std::string();
        }));
    }
    REQUIRE(wait_until(parts.changes, [&] { return pool.stats().busy == 1; }));

    pool.resize(PoolSetting::fixed(4));
    REQUIRE(wait_until(parts.changes, [&] { return pool.stats().busy == 4; }));
    auto stats = pool.stats();
    CHECK(stats.live == 4);
    CHECK(stats.events.balanced());
    CHECK(stats.events.queued == events - 4);

    // Every worker is blocked on the latch: resize() returning proves it does not wait for them.
    pool.resize(PoolSetting::fixed(2));
    stats = pool.stats();
    CHECK(stats.target == 2);
    CHECK(stats.retiring == 2);
    CHECK(stats.live == 4);
    CHECK(stats.events.balanced());

    release.count_down();
    REQUIRE(wait_until(parts.changes, [&] { return idle(pool) && pool.stats().live == 2 && pool.stats().retiring == 0; }));
    stats = pool.stats();
    CHECK(stats.events.completed == events);
    CHECK(stats.events.cancelled == 0);
    CHECK(stats.events.balanced());
    for (const auto& count : runs) {
        CHECK(count.load() == 1);
    }
    CHECK(pool.lanes().size() == 2);
}

TEST_CASE("resizes from two threads while two others submit lose nothing and leave no stray thread",
          "[pool][race]") {
    // Threads start outside the pool's lock (reserved under it, started after): here sizes change
    // while submissions decide to start threads and workers retire, all at once.
    Watchdog watchdog("pool resize race");
    EngineParts parts;
    constexpr int submitters = 2;
    constexpr int events_each = 3000;
    std::vector<std::atomic<int>> runs(submitters * events_each);
    {
        EventPool pool(PoolSetting::fixed(2), parts.context());
        std::latch go(4);
        std::atomic<int> refused{0};
        std::vector<jthread> threads;
        for (unsigned resizer = 0; resizer < 2; ++resizer) {
            threads.emplace_back([&, resizer] {
                go.arrive_and_wait();
                // One grows to 16 and one shrinks to 1, over and over: workers reserved by a
                // growth are chosen to retire by a shrink before or while their thread starts.
                for (unsigned round = 0; round < 300; ++round) {
                    pool.resize(PoolSetting::fixed(resizer == 0 ? 16 : 1 + round % 3));
                }
            });
        }
        for (int submitter = 0; submitter < submitters; ++submitter) {
            threads.emplace_back([&, submitter] {
                go.arrive_and_wait();
                for (int i = 0; i < events_each; ++i) {
                    const auto index = static_cast<std::size_t>(submitter * events_each + i);
                    // Catch's assertions are not for other threads: refusals are counted.
                    const auto id = pool.submit(event_of(1, [&runs, index](WorkContext&) {
                        runs[index].fetch_add(1, std::memory_order_relaxed);
                        return std::string();
                    }));
                    refused.fetch_add(id ? 0 : 1, std::memory_order_relaxed);
                }
            });
        }
        threads.clear();  // joins
        REQUIRE(refused.load() == 0);
        pool.resize(PoolSetting::fixed(3));
        // Settled: idle, no worker retiring, and every counted worker's thread running. A worker
        // is counted when reserved, under the lock, and its thread starts after it (in WebAssembly
        // a Web Worker can take a while): its lane has no thread id until then, and a notify when
        // it gets one.
        const auto threads_running = [&] {
            const auto lanes = pool.lanes();
            return std::all_of(lanes.begin(), lanes.end(), [](const auto& lane) { return lane->thread_id() != 0; });
        };
        REQUIRE(wait_until(parts.changes, [&] {
            const auto stats = pool.stats();
            return idle(pool) && stats.retiring == 0 && stats.live <= 3 && threads_running();
        }));
        const auto stats = pool.stats();
        CHECK(stats.failed_starts == 0);
        CHECK(stats.events.completed == submitters * events_each);
        CHECK(stats.events.balanced());
        // Every worker that is counted has a lane with a running thread.
        const auto lanes = pool.lanes();
        CHECK(lanes.size() == stats.live);
        for (const auto& lane : lanes) {
            CHECK(lane->thread_id() != 0);
        }
    }  // the destructor joins every thread, those started by the resizes included
    for (const auto& count : runs) {
        REQUIRE(count.load() == 1);
    }
}

TEST_CASE("shrinking to one while busy lets running events finish", "[pool]") {
    Watchdog watchdog("pool shrink while busy");
    EngineParts parts;
    EventPool pool(PoolSetting::fixed(4), parts.context());
    std::latch all_inside(4);
    std::latch release(1);
    for (int i = 0; i < 4; ++i) {
        pool.submit(event_of(1, [&](WorkContext& context) {
            all_inside.count_down();
            release.wait();
            return std::string(context.stop.stop_requested() ? "interrupted" : "finished");
        }));
    }
    all_inside.wait();
    pool.resize(PoolSetting::fixed(1));
    CHECK(pool.stats().retiring == 3);
    CHECK(pool.stats().busy == 4);
    release.count_down();
    REQUIRE(wait_until(parts.changes, [&] { return idle(pool) && pool.stats().live == 1; }));
    const auto counts = pool.counts();
    CHECK(counts.completed == 4);
    CHECK(counts.cancelled == 0);
}

TEST_CASE("growing takes back a retirement before starting a thread", "[pool]") {
    Watchdog watchdog("pool un-retire");
    EngineParts parts;
    EventPool pool(PoolSetting::fixed(2), parts.context());
    std::latch both_inside(2);
    std::latch release(1);
    for (int i = 0; i < 2; ++i) {
        pool.submit(event_of(1, [&](WorkContext&) {
            both_inside.count_down();
            release.wait();
            return std::string();
        }));
    }
    both_inside.wait();
    pool.resize(PoolSetting::fixed(1));
    CHECK(pool.stats().retiring == 1);
    pool.resize(PoolSetting::fixed(2));
    CHECK(pool.stats().retiring == 0);
    CHECK(pool.stats().live == 2);
    release.count_down();
    REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
    CHECK(pool.stats().live == 2);
}

TEST_CASE("with threading off a single event loop runs events strictly one after another", "[pool]") {
    Watchdog watchdog("pool off");
    EngineParts parts;
    EventPool pool(PoolSetting::off(), parts.context());
    CHECK_FALSE(pool.stats().setting.threaded);
    // No worker: the event loop, which exists from the start, runs every event.
    CHECK(pool.stats().target == 0);
    CHECK(pool.stats().live == 0);
    CHECK(pool.lanes().empty());
    CHECK(pool.stats().loop_live);
    std::latch gate(1);
    pool.submit(event_of(1, blocked_on(gate)));
    std::atomic<int> concurrent{0};
    std::atomic<int> most{0};
    std::mutex order_mutex;
    std::vector<int> order;
    for (int i = 0; i < 20; ++i) {
        pool.submit(event_of(static_cast<SessionId>(i % 3), [&, i](WorkContext& context) {
            const int now = concurrent.fetch_add(1) + 1;
            int seen = most.load();
            while (now > seen && !most.compare_exchange_weak(seen, now)) {
            }
            sleep_for(std::chrono::microseconds(200), context.stop);  // give an overlap every chance
            {
                std::lock_guard lock(order_mutex);
                order.push_back(i);
            }
            concurrent.fetch_sub(1);
            return std::string();
        }));
    }
    gate.count_down();
    REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
    CHECK(most.load() == 1);
    std::vector<int> expected(20);
    std::iota(expected.begin(), expected.end(), 0);
    std::lock_guard lock(order_mutex);
    CHECK(order == expected);
}

TEST_CASE("a queued event can be cancelled and never runs", "[pool]") {
    Watchdog watchdog("pool cancel queued");
    EngineParts parts;
    EventPool pool(PoolSetting::fixed(1), parts.context());
    std::latch gate(1);
    pool.submit(event_of(1, blocked_on(gate)));
    std::atomic<bool> ran{false};
    const auto victim = pool.submit(event_of(1, [&](WorkContext&) {
        ran = true;
        return std::string();
    }));
    REQUIRE(victim);
    CHECK(pool.cancel(*victim));
    CHECK_FALSE(pool.cancel(*victim));
    gate.count_down();
    REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
    CHECK_FALSE(ran.load());
    CHECK(pool.counts().cancelled == 1);
    CHECK(pool.counts().completed == 1);
}

TEST_CASE("a running event is interrupted by cancel", "[pool]") {
    Watchdog watchdog("pool cancel running");
    EngineParts parts;
    EventPool pool(PoolSetting::fixed(1), parts.context());
    // 100 000 simulated seconds: only the cancel can end it within the watchdog's minute.
    const auto id = pool.submit(event_of(1, make_simulated_work({WorkKind::sleep, 1e5, false})));
    REQUIRE(wait_until(parts.changes, [&] { return pool.stats().busy == 1; }));
    CHECK(pool.cancel(*id));
    REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
    CHECK(pool.counts().cancelled == 1);
}

TEST_CASE("after a cancelled event the same worker runs the next one uninterrupted", "[pool]") {
    // Each worker keeps one stop source and replaces it only after it fired.
    Watchdog watchdog("pool stop source reuse");
    EngineParts parts;
    EventPool pool(PoolSetting::fixed(1), parts.context());
    for (int round = 0; round < 3; ++round) {
        const auto long_one = pool.submit(event_of(1, make_simulated_work({WorkKind::sleep, 1e5, false})));
        std::atomic<bool> stop_seen{true};
        pool.submit(event_of(1, [&](WorkContext& context) {
            stop_seen = context.stop.stop_requested();
            return std::string();
        }));
        REQUIRE(wait_until(parts.changes, [&] { return pool.stats().busy == 1; }));
        CHECK(pool.cancel(*long_one));
        REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
        CHECK_FALSE(stop_seen.load());
    }
    CHECK(pool.counts().cancelled == 3);
    CHECK(pool.counts().completed == 3);
}

TEST_CASE("an event submitted right after a cancelled one still wakes a sleeping worker", "[pool]") {
    // Submissions skip notify_one when every sleeping worker is already being woken; a wake-up
    // that finds its event cancelled must not leave that count stale (the next event would hang).
    Watchdog watchdog("pool wake-up count");
    EngineParts parts;
    for (const unsigned workers : {1u, 2u}) {
        EventPool pool(PoolSetting::fixed(workers), parts.context());
        for (int i = 0; i < 2000; ++i) {
            const auto victim = pool.submit(event_of(1, [](WorkContext&) { return std::string(); }));
            pool.cancel(*victim);
            std::latch ran(1);
            pool.submit(event_of(1, [&](WorkContext&) {
                ran.count_down();
                return std::string();
            }));
            ran.wait();
        }
        REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
        CHECK(pool.counts().balanced());
        CHECK(pool.counts().submitted == 4000);
    }
}

TEST_CASE("a failing event is counted as failed and the worker goes on", "[pool]") {
    Watchdog watchdog("pool failure");
    EngineParts parts;
    EventPool pool(PoolSetting::fixed(1), parts.context());
    pool.submit(event_of(1, [](WorkContext&) -> std::string { throw std::runtime_error("boom"); }));
    pool.submit(event_of(1, make_simulated_work({WorkKind::sleep, 0.01, false})));
    REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
    CHECK(pool.counts().failed == 1);
    CHECK(pool.counts().completed == 1);
    const auto lanes = pool.lanes();
    REQUIRE(lanes.size() == 1);
    // The lane shows the last event a moment after it is counted (outside the pool's lock).
    REQUIRE(wait_until(parts.changes, [&] { return lanes.front()->state().copy().recent.size() == 2; }));
    const auto lane = lanes.front()->state().copy();
    REQUIRE(lane.recent.size() == 2);
    CHECK(lane.recent.front().outcome == Outcome::failed);
    CHECK(lane.recent.front().error == "boom");
    CHECK(lane.recent.back().outcome == Outcome::completed);
    CHECK(lane.recent.back().queue_wait() >= Clock::duration::zero());
}

TEST_CASE("cancelling a session's events leaves other sessions' events alone", "[pool]") {
    Watchdog watchdog("pool cancel session");
    EngineParts parts;
    auto mine = std::make_shared<Accounting>();
    auto theirs = std::make_shared<Accounting>();
    {
        EventPool pool(PoolSetting::fixed(1), parts.context());
        std::latch gate(1);
        pool.submit(event_of(2, blocked_on(gate), theirs));
        for (int i = 0; i < 3; ++i) {
            pool.submit(event_of(1, make_simulated_work({WorkKind::sleep, 0.01, false}), mine));
            pool.submit(event_of(2, make_simulated_work({WorkKind::sleep, 0.01, false}), theirs));
        }
        CHECK(pool.cancel_session(1) == 3);
        gate.count_down();
        REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
        CHECK(mine->read().cancelled == 3);
        CHECK(theirs->read().completed == 4);
        CHECK(pool.counts().balanced());
    }
    CHECK(mine->read().balanced());
}

TEST_CASE("destroying the pool cancels queued events, interrupts running ones and joins", "[pool]") {
    Watchdog watchdog("pool shutdown");
    EngineParts parts;
    auto accounting = std::make_shared<Accounting>();
    const auto threads_before = live_thread_count();
    {
        EventPool pool(PoolSetting::fixed(2), parts.context());
        for (int i = 0; i < 10; ++i) {
            pool.submit(event_of(1, make_simulated_work({WorkKind::sleep, 1e5, false}), accounting));
        }
        REQUIRE(wait_until(parts.changes, [&] { return pool.stats().busy == 2; }));
    }
    const auto counts = accounting->read();
    CHECK(counts.cancelled == 10);
    CHECK(counts.balanced());
    CHECK(settled_thread_count(threads_before) == threads_before);
}

TEST_CASE("per-session serialisation is off by default and can be turned on", "[pool]") {
    Watchdog watchdog("pool serialisation");
    EngineParts parts;
    EventPool pool(PoolSetting::fixed(4), parts.context());

    SECTION("off: two clicks of one session run at the same time, as in Panel") {
        std::latch both(2);
        for (int i = 0; i < 2; ++i) {
            pool.submit(event_of(5, [&](WorkContext&) {
                both.arrive_and_wait();
                return std::string();
            }));
        }
        REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
        CHECK(pool.counts().completed == 2);
    }
    SECTION("on: one event per session at a time, other sessions still overlap") {
        pool.set_serialize_per_session(true);
        CHECK(pool.stats().serialize_per_session);
        std::atomic<int> per_session[2] = {0, 0};
        std::atomic<int> worst{0};
        // One event of each session must be in flight together: proves sessions still overlap.
        std::latch sessions_overlap(2);
        for (int i = 0; i < 12; ++i) {
            const int s = i % 2;
            pool.submit(event_of(static_cast<SessionId>(s + 1), [&, s, i](WorkContext& context) {
                const int now = per_session[s].fetch_add(1) + 1;
                int seen = worst.load();
                while (now > seen && !worst.compare_exchange_weak(seen, now)) {
                }
                if (i < 2) {
                    sessions_overlap.arrive_and_wait();
                }
                sleep_for(std::chrono::microseconds(300), context.stop);
                per_session[s].fetch_sub(1);
                return std::string();
            }));
        }
        REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
        CHECK(worst.load() == 1);
        CHECK(pool.counts().completed == 12);
    }
}

TEST_CASE("serialisation turned on while a session's event runs holds back its next one", "[pool]") {
    // The per-session running counts are kept only while serialising, so turning it on must
    // count the events already running.
    Watchdog watchdog("pool serialisation turned on late");
    EngineParts parts;
    EventPool pool(PoolSetting::fixed(2), parts.context());
    std::latch gate(1);
    std::latch entered(1);
    std::atomic<int> inside{0};
    pool.submit(event_of(7, entered_then_blocked(entered, inside, 1, gate)));
    // A latch, not wait_until: `inside` is the test's own state, which the engine does not signal.
    entered.wait();
    pool.set_serialize_per_session(true);
    std::atomic<bool> second_ran{false};
    pool.submit(event_of(7, [&](WorkContext&) {
        second_ran = true;
        return std::string();
    }));
    std::latch other_session(1);
    pool.submit(event_of(8, [&](WorkContext&) {
        other_session.count_down();
        return std::string();
    }));
    // Session 8's event, queued behind session 7's, passes it and runs on the free worker.
    other_session.wait();
    CHECK_FALSE(second_ran.load());
    CHECK(pool.counts().queued == 1);
    gate.count_down();
    REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
    CHECK(second_ran.load());
    CHECK(pool.counts().completed == 3);
}

TEST_CASE("a paused pool starts no new event until resumed", "[pool]") {
    Watchdog watchdog("pool pause");
    EngineParts parts;
    EventPool pool(PoolSetting::fixed(2), parts.context());
    pool.set_paused(true);
    CHECK(pool.stats().paused);
    std::atomic<int> ran{0};
    for (int i = 0; i < 5; ++i) {
        pool.submit(event_of(1, [&](WorkContext&) {
            ran.fetch_add(1);
            return std::string();
        }));
    }
    // Nothing can have started: the workers' wait predicate is false while paused.
    CHECK(pool.counts().queued == 5);
    CHECK(ran.load() == 0);
    pool.set_paused(false);
    REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
    CHECK(ran.load() == 5);
}
