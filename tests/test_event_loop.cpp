// The server's event loop: one thread that always exists, runs every async callback (a coroutine,
// segment by segment between its awaits), and with threading off every plain event too.
//
// Panel: coroutine callbacks always go to the event loop, with or without nthreads: param's
// async_executor is replaced by Panel's `async_execute`, which ends in
// `state.curdoc.add_next_tick_callback(wrapped)` (panel/io/server.py:212-259, holoviz/panel@45cb9c1;
// param's own default, param/_utils.py:611-622 holoviz/param@73affe6, is asyncio.ensure_future on the
// running loop). `state.execute` sends coroutines to async_executor and never to the thread pool
// (panel/io/state.py:817-854). Without nthreads, plain callbacks run inline on the loop too
// (panel/io/callbacks.py:114-141 for periodic callbacks; doc/how_to/concurrency/index.md:7-8).
// asyncio semantics (a coroutine holds the loop until its next await; a timer's callback joins the
// loop's ready queue FIFO when its time comes) are the standard library's.

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <latch>
#include <memory>
#include <mutex>
#include <vector>

#include "core/event_pool.hpp"
#include "core/world.hpp"
#include "support/pool_rig.hpp"
#include "support/wait.hpp"
#include "support/watchdog.hpp"
#include "support/world_config.hpp"

using namespace threadlab;
using namespace threadlab::testing;

namespace {

Work noop() {
    return [](WorkContext&) { return std::string(); };
}

/// Work that records `name` in `order` when it runs.
Work record(std::mutex& mutex, std::vector<std::string>& order, std::string name) {
    return [&mutex, &order, name](WorkContext&) {
        std::lock_guard lock(mutex);
        order.push_back(name);
        return std::string();
    };
}

/// Work that says it entered, then blocks until `gate` opens: a blocking call (time.sleep) that
/// holds whatever thread runs it, without any timing.
Work blocking(std::latch& entered, std::latch& gate) {
    return [&entered, &gate](WorkContext&) {
        entered.count_down();
        gate.wait();
        return std::string();
    };
}

EventRequest coroutine_of(SessionId session, std::vector<CoroutineSegment> segments,
                          std::shared_ptr<Accounting> accounting = nullptr) {
    return {session, EventKind::click, 0, nullptr, std::move(accounting), std::move(segments)};
}

EventRequest plain_of(SessionId session, Work work, std::shared_ptr<Accounting> accounting = nullptr) {
    return {session, EventKind::click, 0, std::move(work), std::move(accounting), {}};
}

/// The loop's spans of one event, in step order.
std::vector<SpanRecord> steps_of(const Trace& trace, EventId id) {
    std::vector<SpanRecord> steps;
    for (const auto& span : trace.spans()) {
        if (span.id == id && span.kind != SpanKind::task) {
            steps.push_back(span);
        }
    }
    std::sort(steps.begin(), steps.end(), [](const SpanRecord& a, const SpanRecord& b) { return a.step < b.step; });
    return steps;
}

}  // namespace

TEST_CASE("three coroutines' awaits interleave on the one loop thread, threading on or off", "[loop]") {
    Watchdog watchdog("loop interleave");
    EngineParts parts;
    parts.time.set(1.0);
    const auto setting = GENERATE(PoolSetting::fixed(2), PoolSetting::off());
    EventPool pool(setting, parts.context());
    constexpr double await_seconds = 0.3;
    std::vector<EventId> ids;
    for (SessionId session = 1; session <= 3; ++session) {
        std::vector<CoroutineSegment> segments(2);
        segments[0].runs.push_back(noop());
        segments[0].await_seconds = await_seconds;
        segments[1].runs.push_back(noop());
        ids.push_back(*pool.submit(coroutine_of(session, std::move(segments))));
    }
    REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
    CHECK(pool.counts().completed == 3);
    CHECK(pool.counts().balanced());
    // A coroutine never takes a pool thread: with threads on demand, none started.
    CHECK(pool.stats().live == 0);
    Clock::time_point latest_await_start = Clock::time_point::min();
    Clock::time_point earliest_await_end = Clock::time_point::max();
    int loop_thread = 0;
    for (const auto id : ids) {
        const auto steps = steps_of(parts.trace, id);
        REQUIRE(steps.size() == 2);
        for (const auto& step : steps) {
            CHECK(step.on_loop());
            CHECK(thread_name(step) == "tl-event-loop");
            CHECK(step.steps == 2);
            CHECK(step.outcome == Outcome::completed);
            loop_thread = loop_thread == 0 ? step.thread_id : loop_thread;
            CHECK(step.thread_id == loop_thread);  // one thread for all
        }
        CHECK(steps[1].ready - steps[0].finished >= parts.time.to_real(await_seconds));
        latest_await_start = std::max(latest_await_start, steps[0].finished);
        earliest_await_end = std::min(earliest_await_end, steps[1].ready);
    }
    // Every await began before any ended: the three waited at the same time, on one thread.
    CHECK(latest_await_start < earliest_await_end);
}

TEST_CASE("a blocking step holds the loop: other coroutines wait, idle workers cannot take them", "[loop]") {
    Watchdog watchdog("loop blocking");
    EngineParts parts;
    EventPool pool(PoolSetting::fixed(4), parts.context());
    std::latch entered(1);
    std::latch gate(1);
    std::vector<CoroutineSegment> blocker(1);
    blocker[0].runs.push_back(blocking(entered, gate));  // time.sleep(2) inside `async def`
    const auto blocking_id = *pool.submit(coroutine_of(1, std::move(blocker)));
    entered.wait();
    std::vector<EventId> short_ones;
    for (SessionId session = 2; session <= 3; ++session) {
        std::vector<CoroutineSegment> segments(1);
        segments[0].runs.push_back(noop());
        short_ones.push_back(*pool.submit(coroutine_of(session, std::move(segments))));
    }
    // Both wait for the loop, while the pool has room for four threads and uses none.
    CHECK(pool.stats().loop_queued == 2);
    CHECK(pool.counts().queued == 2);
    CHECK(pool.stats().live == 0);
    CHECK(pool.stats().loop_busy);
    gate.count_down();
    REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
    const auto block = steps_of(parts.trace, blocking_id);
    REQUIRE(block.size() == 1);
    for (const auto id : short_ones) {
        const auto steps = steps_of(parts.trace, id);
        REQUIRE(steps.size() == 1);
        CHECK(steps[0].started >= block[0].finished);
    }
}

TEST_CASE("steps ready for the loop run in the order they became ready (FIFO)", "[loop]") {
    // asyncio's BaseEventLoop._run_once: each turn of the loop first moves the timers that came due
    // to the back of its ready queue, in the order of their deadlines, then runs what is ready. A
    // call_soon from elsewhere (Bokeh's add_next_tick_callback) joins the ready queue at once.
    Watchdog watchdog("loop fifo");
    EngineParts parts;
    parts.time.set(1.0);
    EventPool pool(PoolSetting::fixed(2), parts.context());
    std::mutex mutex;
    std::vector<std::string> order;
    const auto awaiting_then = [&](double seconds, std::string name) {
        std::vector<CoroutineSegment> segments(2);
        segments[0].await_seconds = seconds;
        segments[1].runs.push_back(record(mutex, order, std::move(name)));
        return segments;
    };
    SECTION("a free loop: the await that ends first resumes first") {
        // B awaits longer than C: C resumes first, although B was submitted first.
        pool.submit(coroutine_of(1, awaiting_then(0.5, "B")));
        pool.submit(coroutine_of(2, awaiting_then(0.05, "C")));
        REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
        std::lock_guard lock(mutex);
        CHECK(order == std::vector<std::string>{"C", "B"});
    }
    SECTION("a blocked loop: what came due meanwhile queues behind what was queued meanwhile") {
        pool.submit(coroutine_of(1, awaiting_then(0.02, "B")));
        pool.submit(coroutine_of(2, awaiting_then(0.01, "C")));
        std::latch entered(1);
        std::latch gate(1);
        std::vector<CoroutineSegment> blocker(1);
        // A blocking call in a coroutine. It starts after B's and C's awaits began (the loop runs
        // FIFO and they were queued first), holds the loop until E is queued (the gate), then a
        // time.sleep(0.05) longer than both awaits: both come due while it holds the loop.
        blocker[0].runs.push_back([&entered, &gate](WorkContext& context) {
            entered.count_down();
            gate.wait();
            sleep_for(std::chrono::milliseconds(50), context.stop);
            return std::string();
        });
        pool.submit(coroutine_of(3, std::move(blocker)));
        entered.wait();
        CHECK(pool.stats().loop_awaiting == 2);
        pool.submit(coroutine_of(4, {CoroutineSegment{{record(mutex, order, "E")}, std::nullopt}}));
        gate.count_down();
        REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
        std::lock_guard lock(mutex);
        CHECK(order == std::vector<std::string>{"E", "C", "B"});
    }
}

TEST_CASE("a coroutine can be cancelled while queued, while awaiting and while a step runs", "[loop]") {
    Watchdog watchdog("loop cancel");
    EngineParts parts;
    parts.time.set(1.0);
    EventPool pool(PoolSetting::fixed(2), parts.context());
    auto accounting = std::make_shared<Accounting>();
    std::atomic<int> second_steps{0};
    const auto with_long_await = [&] {
        std::vector<CoroutineSegment> segments(2);
        segments[0].runs.push_back(noop());
        segments[0].await_seconds = 3600.0;
        segments[1].runs.push_back([&second_steps](WorkContext&) {
            second_steps.fetch_add(1);
            return std::string();
        });
        return segments;
    };
    SECTION("awaiting: it never resumes, and the loop goes idle at once") {
        const auto id = *pool.submit(coroutine_of(1, with_long_await(), accounting));
        REQUIRE(wait_until(parts.changes, [&] { return pool.stats().loop_awaiting == 1; }));
        CHECK(accounting->read().running == 1);  // an awaiting coroutine is a running event
        CHECK(pool.cancel(id));
        CHECK(pool.stats().loop_awaiting == 0);
        CHECK(accounting->read().cancelled == 1);
        CHECK_FALSE(pool.cancel(id));  // it already ended
    }
    SECTION("queued behind a blocking step: it never starts") {
        std::latch entered(1);
        std::latch gate(1);
        std::vector<CoroutineSegment> blocker(1);
        blocker[0].runs.push_back(blocking(entered, gate));
        pool.submit(coroutine_of(2, std::move(blocker)));
        entered.wait();
        const auto id = *pool.submit(coroutine_of(1, with_long_await(), accounting));
        CHECK(pool.cancel(id));
        CHECK(accounting->read().cancelled == 1);
        CHECK(accounting->read().running == 0);
        gate.count_down();
        // The latches live in this section: the blocker must have left gate.wait() before it ends.
        REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
    }
    SECTION("while a step runs: the step is interrupted, and its await never begins") {
        std::vector<CoroutineSegment> segments = with_long_await();
        segments[0].runs.front() = [](WorkContext& context) {
            sleep_for(std::chrono::hours(1), context.stop);  // a blocking sleep, interruptible here
            return std::string();
        };
        const auto id = *pool.submit(coroutine_of(1, std::move(segments), accounting));
        REQUIRE(wait_until(parts.changes, [&] { return pool.stats().loop_busy; }));
        CHECK(pool.cancel(id));
        REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
        CHECK(accounting->read().cancelled == 1);
        CHECK(pool.stats().loop_awaiting == 0);
    }
    REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
    CHECK(second_steps.load() == 0);
    CHECK(accounting->read().balanced());
    CHECK(pool.counts().balanced());
}

TEST_CASE("destroying a session and shutting down account for every coroutine, awaiting or not", "[loop]") {
    Watchdog watchdog("loop accounting");
    const auto threads_before = live_thread_count();
    std::shared_ptr<const Session> kept;
    {
        auto config = fast_world(PoolSetting::fixed(2));
        config.time_scale = 1.0;
        World world(config);
        const auto doomed = *world.add_session();
        const auto other = *world.add_session();
        const std::vector<AsyncStepSpec> long_await{AsyncStepSpec::await_for(3600.0)};
        for (int i = 0; i < 3; ++i) {
            REQUIRE(world.click_async(doomed, long_await));
            REQUIRE(world.click_async(other, long_await));
        }
        REQUIRE(world.click_async(other, {AsyncStepSpec::running({WorkKind::sleep, 3600.0, false})}));
        REQUIRE(wait_until(world.changes(), [&] {
            const auto stats = world.pool().stats();
            return stats.loop_awaiting == 6 && stats.loop_busy;
        }));
        const auto doomed_session = world.session(doomed);
        world.destroy_session(doomed);
        // The destroyed session's coroutines end as cancelled, the other's await on.
        REQUIRE(wait_until(world.changes(), [&] { return doomed_session->event_counts().cancelled == 3; }));
        CHECK(doomed_session->event_counts().balanced());
        CHECK(doomed_session->event_counts().idle());
        CHECK(world.pool().stats().loop_awaiting == 3);
        CHECK(world.pool().counts().balanced());
        kept = world.session(other);
    }
    // The World's end cancels the awaiting coroutines and interrupts the running step.
    const auto counts = kept->event_counts();
    CHECK(counts.balanced());
    CHECK(counts.idle());
    CHECK(counts.cancelled == 4);
    CHECK(settled_thread_count(threads_before) == threads_before);
}

TEST_CASE("threading off, plain events run one by one on the event loop's lane, and no worker exists", "[loop]") {
    Watchdog watchdog("loop off");
    World world(fast_world(PoolSetting::off()));
    const auto id = *world.add_session();
    for (int i = 0; i < 3; ++i) {
        world.click(id, WorkSpec{WorkKind::sleep, 0.5, false});
    }
    REQUIRE(wait_until(world.changes(), [&] { return world.pool().counts().completed == 3; }));
    CHECK(world.pool().lanes().empty());
    auto spans = world.trace().spans();
    REQUIRE(spans.size() == 3);
    std::sort(spans.begin(), spans.end(), [](const SpanRecord& a, const SpanRecord& b) { return a.started < b.started; });
    for (std::size_t i = 0; i < spans.size(); ++i) {
        CHECK(spans[i].on_loop());
        CHECK_FALSE(spans[i].async_step());  // a plain event, not a coroutine step
        CHECK(thread_name(spans[i]) == "tl-event-loop");
        if (i > 0) {
            CHECK(spans[i].started >= spans[i - 1].finished);
        }
    }
    // The loop's lane shows them, as the timeline draws it.
    REQUIRE(wait_until(world.changes(), [&] { return world.pool().loop_lane()->state().copy().recent.size() == 3; }));
}

TEST_CASE("switching threading off hands the workers' queue to the loop; the loop stays one lane", "[loop]") {
    Watchdog watchdog("loop handover");
    EngineParts parts;
    EventPool pool(PoolSetting::fixed(1), parts.context());
    const auto loop_lane = pool.loop_lane();
    std::latch entered(1);
    std::latch gate(1);
    pool.submit(plain_of(1, blocking(entered, gate)));
    entered.wait();
    for (int i = 0; i < 3; ++i) {
        pool.submit(plain_of(1, noop()));
    }
    CHECK(pool.counts().queued == 3);
    pool.resize(PoolSetting::off());
    // The loop runs them while the worker is still blocked in its event (it retires after it).
    REQUIRE(wait_until(parts.changes, [&] { return pool.counts().completed == 3; }));
    CHECK(pool.counts().running == 1);
    gate.count_down();
    REQUIRE(wait_until(parts.changes, [&] { return idle(pool) && pool.stats().live == 0; }));
    CHECK(pool.counts().balanced());
    // Whatever the setting, the loop is the same lane, never among the workers' lanes.
    pool.resize(PoolSetting::fixed(3));
    CHECK(pool.loop_lane() == loop_lane);
    for (const auto& lane : pool.lanes()) {
        CHECK(lane != loop_lane);
    }
}

TEST_CASE("switching threading on and off keeps the order of what waits for the loop", "[loop]") {
    // Threading off -> on: what is on the loop's queue stays there, in its order. On -> off: the
    // events waiting for a worker join the loop's queue behind them, in their order.
    Watchdog watchdog("loop switch order");
    EngineParts parts;
    EventPool pool(PoolSetting::off(), parts.context());
    std::mutex mutex;
    std::vector<std::string> order;
    std::latch loop_entered(1);
    std::latch loop_gate(1);
    std::latch worker_entered(1);
    std::latch worker_gate(1);
    std::vector<EventId> ids;
    pool.submit(plain_of(1, blocking(loop_entered, loop_gate)));
    loop_entered.wait();
    ids.push_back(*pool.submit(plain_of(1, record(mutex, order, "A"))));
    ids.push_back(*pool.submit(plain_of(2, record(mutex, order, "B"))));
    CHECK(pool.stats().loop_queued == 2);

    pool.resize(PoolSetting::fixed(1));
    CHECK(pool.stats().loop_queued == 2);  // scheduled on the loop: they stay there
    pool.submit(plain_of(3, blocking(worker_entered, worker_gate)));
    worker_entered.wait();  // on the pool's one worker, not on the blocked loop
    CHECK(pool.stats().live == 1);
    ids.push_back(*pool.submit(plain_of(1, record(mutex, order, "C"))));
    ids.push_back(*pool.submit(plain_of(2, record(mutex, order, "D"))));
    CHECK(pool.stats().loop_queued == 2);  // C and D wait for the busy worker

    pool.resize(PoolSetting::off());
    CHECK(pool.stats().loop_queued == 4);
    loop_gate.count_down();
    REQUIRE(wait_until(parts.changes, [&] { return pool.counts().completed == 5; }));
    {
        std::lock_guard lock(mutex);
        CHECK(order == std::vector<std::string>{"A", "B", "C", "D"});
    }
    for (const auto id : ids) {
        const auto steps = steps_of(parts.trace, id);
        REQUIRE(steps.size() == 1);
        CHECK(steps[0].on_loop());
    }
    worker_gate.count_down();
    REQUIRE(wait_until(parts.changes, [&] { return idle(pool); }));
    CHECK(pool.counts().completed == 6);
    CHECK(pool.counts().balanced());
}
