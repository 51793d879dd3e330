#include <catch2/catch.hpp>

#include <algorithm>
#include <latch>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/world.hpp"
#include "support/wait.hpp"
#include "support/world_config.hpp"
#include "support/watchdog.hpp"
#include "core/platform/stop.hpp"

using namespace threadlab;
using namespace threadlab::testing;


TEST_CASE("destroying a busy session returns at once and its thread is joined soon after", "[world]") {
    Watchdog watchdog("world destroy");
    World world(fast_world());
    world.set_destroy_mode(StopMode::prompt);  // ThreadLab's own stop: interrupt and cancel
    const auto id = *world.add_session();
    world.add_task(id, WorkSpec{WorkKind::sleep, 1e5, false});
    world.add_task(id, WorkSpec{WorkKind::sleep, 1.0, false});
    world.click(id, WorkSpec{WorkKind::sleep, 1e5, false});
    world.start_periodic(id, {0.5, std::nullopt, std::nullopt}, WorkSpec{WorkKind::sleep, 0.1, false});
    auto session = world.sessions().front();
    REQUIRE(wait_until(world.changes(), [&] {
        return session->task_counts().running == 1 && session->event_counts().running == 1;
    }));

    CHECK(world.destroy_session(id));
    CHECK(world.session_count() == 0);
    CHECK_FALSE(world.destroy_session(id));
    CHECK_FALSE(world.add_task(id, WorkSpec{}).has_value());
    CHECK_FALSE(world.click(id, WorkSpec{}).has_value());
    CHECK(world.periodic_callbacks().empty());

    REQUIRE(wait_until(world.changes(), [&] {
        return world.stopping_sessions().empty() && session->event_counts().idle();
    }));
    const auto tasks = session->task_counts();
    CHECK(tasks.cancelled == 2);
    CHECK(tasks.balanced());
    const auto events = session->event_counts();
    CHECK(events.balanced());
    CHECK(events.cancelled >= 1);
    CHECK(world.retired_task_counts() == tasks);
    CHECK(world.pool().counts().balanced());
}

TEST_CASE("clicks are pool events attributed to their session", "[world]") {
    Watchdog watchdog("world clicks");
    World world(fast_world(PoolSetting::fixed(2)));
    const auto a = *world.add_session();
    const auto b = *world.add_session();
    for (int i = 0; i < 3; ++i) {
        world.click(a, WorkSpec{WorkKind::sleep, 0.1, false});
    }
    world.click(b, WorkSpec{WorkKind::sleep, 0.1, true});
    const auto sessions = world.sessions();
    REQUIRE(sessions.size() == 2);
    // The pool counts an event a moment before its session does: wait for all three counts.
    REQUIRE(wait_until(world.changes(), [&] {
        return world.pool().counts().finished() == 4 && sessions[0]->event_counts().finished() == 3 &&
               sessions[1]->event_counts().finished() == 1;
    }));
    CHECK(sessions[0]->event_counts().completed == 3);
    CHECK(sessions[1]->event_counts().failed == 1);
    CHECK(world.pool().counts().completed == 3);
}

TEST_CASE("destroyed as the seed does, a runner finishes its running and queued tasks, then ends",
          "[world][destroy]") {
    // The seed's stop() only sets `_stop_thread = True` and the Event; `_task_runner`'s inner
    // `while self._queue:` runs every queued task before the outer loop looks at the flag, and
    // nothing interrupts the running one (Python cannot interrupt a thread) or joins the daemon
    // thread (/work/shared/seeds/manual-threading.md, SessionTaskRunner; the same code in
    // holoviz/panel@45cb9c1 doc/how_to/concurrency/manual_threading.md). The default.
    Watchdog watchdog("world destroy drain");
    World world(fast_world());
    CHECK(world.destroy_mode() == StopMode::drain);
    const auto id = *world.add_session();
    std::latch running(2);  // the first task and the test
    std::latch release(1);
    REQUIRE(world.add_task(id, [&](WorkContext&) {
        running.arrive_and_wait();
        release.wait();  // ignores stop requests: only the test ends it
        return std::string("first");
    }));
    REQUIRE(world.add_task(id, WorkSpec{WorkKind::sleep, 0.1, false}));
    REQUIRE(world.add_task(id, WorkSpec{WorkKind::sleep, 0.1, false}));
    const auto session = world.sessions().front();
    running.arrive_and_wait();

    CHECK(world.destroy_session(id));  // returns at once, with the task still running
    CHECK(session->draining());
    CHECK(world.stopping_sessions() == std::vector<SessionId>{id});
    CHECK_FALSE(world.add_task(id, WorkSpec{}).has_value());  // the session is gone for new work
    CHECK(session->task_counts().queued == 2);  // nothing cancelled
    release.count_down();

    REQUIRE(wait_until(world.changes(), [&] { return world.stopping_sessions().empty(); }));
    const auto tasks = session->task_counts();
    CHECK(tasks.completed == 3);  // the running one and both queued ones ran
    CHECK(tasks.cancelled == 0);
    CHECK(tasks.balanced());
}

TEST_CASE("a closed tab's session lives until the server's check after the unused-session lifetime",
          "[world][destroy]") {
    // Bokeh discards a session with no connection once it has been unused for
    // unused_session_lifetime (15 000 ms), at its check every check_unused_sessions (17 000 ms)
    // (src/bokeh/server/tornado.py:74-78, contexts.py:301-317, bokeh/bokeh@8fbd227); Panel's
    // on_session_destroyed callbacks run only then. So a tab's session outlives the tab by 15 to 32 s.
    Watchdog watchdog("world close tab");
    World world(fast_world());
    const auto id = *world.add_session();
    const auto other = *world.add_session();
    const auto before = Clock::now();
    REQUIRE(world.close_tab(id));
    CHECK_FALSE(world.close_tab(id));  // closed already
    CHECK_FALSE(world.close_tab(999));
    const auto tab = world.closed_tab(id);
    REQUIRE(tab);
    CHECK_FALSE(world.closed_tab(other));
    const auto lifetime = world.time().to_real(World::unused_session_lifetime_seconds);
    const auto check = world.time().to_real(World::unused_session_check_seconds);
    CHECK(tab->closed >= before);
    CHECK(tab->discarded - tab->closed >= lifetime);
    CHECK(tab->discarded - tab->closed < lifetime + check);
    CHECK(world.next_tab_expiry() == tab->discarded);
    CHECK(world.tabs_closing());
    REQUIRE(world.sessions().front()->tab_discarded_at() == tab->discarded);

    // Before the check: the session is there, and its runner still takes work.
    CHECK(world.expire_closed_tabs(tab->discarded - std::chrono::nanoseconds(1)) == 0);
    CHECK(world.session_count() == 2);
    CHECK(world.add_task(id, WorkSpec{WorkKind::sleep, 0.01, false}));
    // At the check: destroyed (on_session_destroyed), the other session untouched.
    CHECK(world.expire_closed_tabs(tab->discarded) == 1);
    CHECK(world.session_count() == 1);
    CHECK(world.sessions().front()->id() == other);
    CHECK_FALSE(world.tabs_closing());
    CHECK_FALSE(world.next_tab_expiry());
}

TEST_CASE("a session draining the seed's way is stopped promptly when the World closes", "[world][destroy]") {
    Watchdog watchdog("world destroy drain shutdown");
    const auto threads_before = live_thread_count();
    std::shared_ptr<const Session> session;
    {
        World world(fast_world());
        const auto id = *world.add_session();
        // A long queue: draining it would take 100 000 simulated seconds.
        for (int i = 0; i < 10; ++i) {
            REQUIRE(world.add_task(id, WorkSpec{WorkKind::sleep, 1e4, false}));
        }
        session = world.sessions().front();
        REQUIRE(wait_until(world.changes(), [&] { return session->task_counts().running == 1; }));
        CHECK(world.destroy_session(id));
        CHECK(session->draining());
    }  // the program ends: no queue is drained first
    CHECK(settled_thread_count(threads_before) == threads_before);
    const auto tasks = session->task_counts();
    CHECK(tasks.cancelled == 10);
    CHECK(tasks.balanced());
}

TEST_CASE("periodic callbacks fire pool events for their session", "[world]") {
    Watchdog watchdog("world periodic");
    World world(fast_world());
    const auto id = *world.add_session();
    REQUIRE(world.start_periodic(id, {0.5, 4u, std::nullopt}, WorkSpec{WorkKind::sleep, 0.1, false}));
    CHECK_FALSE(world.start_periodic(999, {0.5, 1u, std::nullopt}, WorkSpec{}));
    auto session = world.sessions().front();
    REQUIRE(wait_until(world.changes(), [&] { return session->event_counts().completed == 4; }));
    CHECK(world.periodic_callbacks().empty());
}

namespace {
/// Every periodic call the pool's lanes and the event loop recorded, in order of submission.
std::vector<EventRecord> periodic_records(const World& world) {
    std::vector<EventRecord> records;
    auto lanes = world.pool().lanes();
    lanes.push_back(world.pool().loop_lane());  // threading off, they ran on the event loop
    for (const auto& lane : lanes) {
        for (const auto& record : lane->state().copy().recent) {
            if (record.kind == EventKind::periodic) {
                records.push_back(record);
            }
        }
    }
    std::sort(records.begin(), records.end(),
              [](const EventRecord& a, const EventRecord& b) { return a.ordinal < b.ordinal; });
    return records;
}
}  // namespace

TEST_CASE("threading off, a periodic call runs inline and the next is armed only when it returns",
          "[world][periodic]") {
    // Panel without a thread pool awaits the callback on the event loop
    // (panel/io/callbacks.py:114-141, PeriodicCallback._periodic_callback, holoviz/panel@45cb9c1),
    // and Bokeh's periodic timer re-arms after the call returns (src/bokeh/util/tornado.py:89-146,
    // _AsyncPeriodic, bokeh/bokeh@8fbd227): start to start is max(period, duration), no backlog. A 0.5 s call every 0.1 s: each call is
    // submitted only after the previous one ran its 0.5 s.
    Watchdog watchdog("world periodic inline");
    World world(fast_world(PoolSetting::off()));
    const auto id = *world.add_session();
    constexpr double duration = 0.5;
    REQUIRE(world.start_periodic(id, {0.1, 3u, std::nullopt}, WorkSpec{WorkKind::sleep, duration, false}));
    const auto session = world.sessions().front();
    REQUIRE(wait_until(world.changes(), [&] { return session->event_counts().completed == 3; }));
    const auto records = periodic_records(world);
    REQUIRE(records.size() == 3);
    for (std::size_t i = 1; i < records.size(); ++i) {
        INFO("call " << records[i].ordinal);
        CHECK(records[i].submitted - records[i - 1].started >= world.time().to_real(duration));
    }
    CHECK(world.periodic_callbacks().empty());
}

TEST_CASE("with a pool, a periodic call longer than its period overlaps the next", "[world][periodic]") {
    // Panel with a thread pool only submits each call (panel/io/callbacks.py:124-128,
    // `state._thread_pool.submit(...)`; return, holoviz/panel@45cb9c1), so the timer does not
    // wait for it; Panel's own test_server_thread_pool_periodic (panel/tests/test_server.py:
    // 1400-1420) checks the overlap. A 0.5 s call every 0.1 s overlaps the next.
    Watchdog watchdog("world periodic pool");
    auto config = fast_world(PoolSetting::fixed(4));
    config.time_scale = 0.1;  // a 50 ms call every 10 ms: only a stall of 40 ms could hide the overlap
    World world(config);
    const auto id = *world.add_session();
    constexpr double duration = 0.5;
    REQUIRE(world.start_periodic(id, {0.1, 3u, std::nullopt}, WorkSpec{WorkKind::sleep, duration, false}));
    const auto session = world.sessions().front();
    REQUIRE(wait_until(world.changes(), [&] { return session->event_counts().completed == 3; }));
    const auto records = periodic_records(world);
    REQUIRE(records.size() == 3);
    // The second call started before the first had ended: they ran together.
    REQUIRE(records[0].finished);
    CHECK(records[1].started < *records[0].finished);
}

TEST_CASE("the world's settings reach the pool, the GIL and the clock", "[world]") {
    World world(fast_world());
    world.set_pool(PoolSetting::off());
    CHECK(world.pool().stats().target == 0);  // no worker: the event loop runs every event
    CHECK(world.pool().stats().loop_live);
    CHECK_FALSE(world.pool().stats().setting.threaded);
    world.set_gil(true);
    CHECK(world.gil().enabled());
    world.set_time_scale(2.0);
    CHECK(world.time().get() == Approx(2.0));
    CHECK_THROWS_AS(world.set_time_scale(0.0), std::invalid_argument);
    world.set_serialize_events_per_session(true);
    CHECK(world.pool().stats().serialize_per_session);
}

TEST_CASE("closing a world with busy sessions joins every thread", "[world]") {
    Watchdog watchdog("world shutdown");
    const auto threads_before = live_thread_count();
    {
        World world(fast_world(PoolSetting::fixed(4)));
        world.set_gil(true);
        for (int s = 0; s < 24; ++s) {
            const auto id = *world.add_session();
            world.add_task(id, WorkSpec{s % 2 == 0 ? WorkKind::sleep : WorkKind::compute, 1e5, false});
            world.add_task(id, WorkSpec{WorkKind::sleep, 1.0, false});
            world.click(id, WorkSpec{WorkKind::compute, 1e5, false});
            world.start_periodic(id, {0.2, std::nullopt, std::nullopt}, WorkSpec{WorkKind::sleep, 1.0, false});
        }
        REQUIRE(wait_until(world.changes(), [&] { return world.pool().stats().busy == 4; }));
    }
    CHECK(settled_thread_count(threads_before) == threads_before);
}

namespace {
std::vector<std::string> messages_of(const World& world, SessionId session) {
    std::vector<LogEntry> entries;
    world.log().copy_since(0, entries);
    std::vector<std::string> texts;
    for (const auto& entry : entries) {
        if (entry.session == session && entry.text.find("click") != std::string::npos) {
            texts.push_back(entry.text);
        }
    }
    return texts;
}
}  // namespace

TEST_CASE("single-threaded, two clicks print the seed's first output", "[world]") {
    Watchdog watchdog("seed order off");
    World world(fast_world(PoolSetting::off()));
    const auto id = *world.add_session();
    world.click(id, WorkSpec{WorkKind::sleep, 2.0, false});
    world.click(id, WorkSpec{WorkKind::sleep, 2.0, false});
    REQUIRE(wait_until(world.changes(), [&] { return world.pool().counts().completed == 2; }));
    CHECK(messages_of(world, id) == std::vector<std::string>{
                                        "Button clicked for the 1st time.", "Finished processing 1st click.",
                                        "Button clicked for the 2nd time.", "Finished processing 2nd click."});
}

TEST_CASE("with a pool of two, two clicks print the seed's second output", "[world]") {
    Watchdog watchdog("seed order pool");
    World world(fast_world(PoolSetting::fixed(2)));
    const auto id = *world.add_session();
    // Both clicks must be inside their callback before either finishes: proves the overlap.
    std::latch both_started(2);
    std::mutex order_mutex;
    for (int i = 0; i < 2; ++i) {
        world.click(id, [&](WorkContext&) {
            both_started.arrive_and_wait();
            std::lock_guard lock(order_mutex);  // finish one after the other, in either order
            return std::string();
        });
    }
    REQUIRE(wait_until(world.changes(), [&] { return world.pool().counts().completed == 2; }));
    const auto messages = messages_of(world, id);
    REQUIRE(messages.size() == 4);
    CHECK(messages[0].find("Button clicked for the") == 0);
    CHECK(messages[1].find("Button clicked for the") == 0);
    CHECK(messages[2].find("Finished processing") == 0);
    CHECK(messages[3].find("Finished processing") == 0);
}

TEST_CASE("the runner logs the seed's messages", "[world]") {
    Watchdog watchdog("runner log");
    World world(fast_world());
    const auto id = *world.add_session();
    world.add_task(id, WorkSpec{WorkKind::sleep, 0.1, false});
    REQUIRE(wait_until(world.changes(), [&] { return world.sessions().front()->task_counts().completed == 1; }));
    world.destroy_session(id);
    REQUIRE(wait_until(world.changes(), [&] { return world.stopping_sessions().empty(); }));
    std::vector<LogEntry> entries;
    world.log().copy_since(0, entries);
    std::vector<std::string> texts;
    for (const auto& entry : entries) {
        texts.push_back(entry.text);
    }
    CHECK(std::find(texts.begin(), texts.end(), "Processing: 1 items left.") != texts.end());
    CHECK(std::find(texts.begin(), texts.end(), "Waiting for a task") != texts.end());
    CHECK(std::find(texts.begin(), texts.end(), "Stopping Task Runner") != texts.end());
    CHECK(texts.back() == "Finished Task Runner");
}

TEST_CASE("the trace records every task and event with the thread that ran it", "[world][trace]") {
    Watchdog watchdog("trace");
    World world(fast_world(PoolSetting::fixed(2)));
    const auto id = *world.add_session();
    world.add_task(id, WorkSpec{WorkKind::sleep, 0.1, false});
    world.click(id, WorkSpec{WorkKind::sleep, 0.1, false});
    world.click(id, WorkSpec{WorkKind::sleep, 0.1, true});
    REQUIRE(wait_until(world.changes(), [&] {
        return world.pool().counts().finished() == 2 && world.sessions().front()->task_counts().finished() == 1;
    }));
    // Spans are recorded before the counters move on, so all three are there now.
    const auto spans = world.trace().spans();
    REQUIRE(spans.size() == 3);
    int tasks = 0;
    int clicks = 0;
    for (const auto& span : spans) {
        CHECK(span.session == id);
        CHECK(span.thread_id > 0);
        CHECK(span.started >= span.submitted);
        CHECK(span.finished >= span.started);
        if (span.kind == SpanKind::task) {
            ++tasks;
            CHECK(thread_name(span) == "tl-runner-" + std::to_string(id));
        } else {
            ++clicks;
            CHECK(thread_name(span).rfind("tl-worker-", 0) == 0);
        }
    }
    CHECK(tasks == 1);
    CHECK(clicks == 2);
    CHECK(world.trace().counters().size() >= 4);  // a sample at each event's start and end
}

TEST_CASE("a click or periodic callback racing destroy_session never outlives the session", "[world][race]") {
    // World::click and start_periodic look the session up, then submit; destroy_session erases it,
    // then cancels its events and stops its periodic callbacks. A submit that lands between the
    // two used to outlive the session: its event ran, its periodic callback fired until the World
    // died. Each round races a thread that submits as fast as it can against the destroy.
    Watchdog watchdog("world submit racing destroy");
    World world(fast_world(PoolSetting::fixed(1)));
    constexpr int rounds = 300;
    for (int round = 0; round < rounds; ++round) {
        const SessionId id = *world.add_session();
        std::latch submitting(1);
        jthread submitter([&] {
            bool first = true;
            // Until the session is gone: each call either submits for a live session or finds none.
            for (;;) {
                const bool periodic = world.start_periodic(id, {1e6, std::nullopt, std::nullopt},
                                                           WorkSpec{WorkKind::sleep, 1e6, false}).has_value();
                const bool clicked = world.click(id, WorkSpec{WorkKind::sleep, 1e6, false}).has_value();
                if (first) {
                    first = false;
                    submitting.count_down();
                }
                if (!periodic && !clicked) {
                    return;
                }
            }
        });
        submitting.wait();
        REQUIRE(world.destroy_session(id));
        submitter.join();
        const auto callbacks = world.periodic_callbacks();
        CHECK(std::none_of(callbacks.begin(), callbacks.end(), [&](const PeriodicInfo& info) { return info.session == id; }));
        // Every event of the session was cancelled: nothing of it queued or running (a click of
        // 1e6 simulated seconds would still be running otherwise).
        REQUIRE(wait_until(world.changes(), [&] { return world.pool().counts().idle(); }));
    }
}

TEST_CASE("busy() sees a running task, a pool event and a stopping runner, each on its own", "[world]") {
    // The render loop asks busy() on every frame, lock-free, to decide whether to keep drawing.
    Watchdog watchdog("world busy");
    World world(fast_world());
    CHECK_FALSE(world.busy());
    const auto id = *world.add_session();
    CHECK_FALSE(world.busy());  // an idle session is not work

    std::latch task_running(2);  // the task and the test
    std::latch release_task(1);
    REQUIRE(world.add_task(id, [&](WorkContext&) {
        task_running.arrive_and_wait();
        release_task.wait();  // ignores stop requests: only the test ends it
        return std::string();
    }));
    task_running.arrive_and_wait();
    CHECK(world.busy());
    release_task.count_down();
    REQUIRE(wait_until(world.changes(), [&] { return !world.busy(); }));

    std::latch event_running(2);
    std::latch release_event(1);
    REQUIRE(world.click(id, [&](WorkContext&) {
        event_running.arrive_and_wait();
        release_event.wait();
        return std::string();
    }));
    event_running.arrive_and_wait();
    CHECK(world.busy());
    release_event.count_down();
    REQUIRE(wait_until(world.changes(), [&] { return !world.busy(); }));

    // Destroyed while its task runs (drain: the task goes on): the runner is stopping, and busy.
    std::latch last_running(2);
    std::latch release_last(1);
    REQUIRE(world.add_task(id, [&](WorkContext&) {
        last_running.arrive_and_wait();
        release_last.wait();
        return std::string();
    }));
    last_running.arrive_and_wait();
    REQUIRE(world.destroy_session(id));
    CHECK(world.stopping_count() == 1);
    CHECK(world.busy());
    release_last.count_down();
    REQUIRE(wait_until(world.changes(), [&] { return world.stopping_count() == 0; }));
    CHECK(world.stopping_sessions().empty());
    CHECK_FALSE(world.busy());
}

TEST_CASE("the session list readers copy without the sessions' lock stays in id order under concurrent adds",
          "[world][race]") {
    Watchdog watchdog("world session list");
    World world(fast_world());
    std::latch go(2);
    std::vector<jthread> adders;
    std::atomic<int> refused{0};
    for (int adder = 0; adder < 2; ++adder) {
        adders.emplace_back([&] {
            go.arrive_and_wait();
            for (int i = 0; i < 20; ++i) {  // 40 in all: within a browser's 64 too
                refused.fetch_add(world.add_session() ? 0 : 1);
            }
        });
    }
    adders.clear();
    REQUIRE(refused.load() == 0);
    World::SessionList list;
    std::uint64_t seen = 0;
    REQUIRE(world.session_list().try_copy_if_changed(list, seen));
    REQUIRE(list.size() == 40);
    CHECK(std::is_sorted(list.begin(), list.end(), [](const auto& a, const auto& b) { return a->id() < b->id(); }));
    CHECK(world.sessions() == list);
    CHECK_FALSE(world.session_list().try_copy_if_changed(list, seen));  // unchanged: no copy

    REQUIRE(world.destroy_session(list[10]->id()));
    REQUIRE(world.session_list().try_copy_if_changed(list, seen));
    CHECK(list.size() == 39);
    CHECK(std::none_of(list.begin(), list.end(), [&](const auto& s) { return s == nullptr; }));
    CHECK(world.session_count() == 39);
}
