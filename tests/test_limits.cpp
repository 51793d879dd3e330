// The documented maxima (core/limits.hpp): past each one the engine refuses with a reason, loses
// nothing it already holds, and accepts again once there is room.

#include <catch2/catch.hpp>

#include <algorithm>
#include <latch>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "core/platform/thread_count.hpp"
#include "core/scenario.hpp"
#include "core/scenario_player.hpp"
#include "core/world.hpp"
#include "support/threads_cannot_start.hpp"
#include "support/wait.hpp"
#include "support/world_config.hpp"
#include "support/watchdog.hpp"

using namespace threadlab;
using namespace threadlab::testing;
using Catch::Matchers::Contains;

namespace {

World::Refusals refusals_of(const World& world) { return world.refusals().copy(); }

}  // namespace

TEST_CASE("a session past max_live_sessions is refused, from the toolbar or a scenario, until one is destroyed",
          "[limits][thousands]") {
    // One full World for both ways in: filling it starts max_live_sessions threads, seconds under
    // the sanitizers.
    Watchdog watchdog("limits sessions", std::chrono::seconds(200));
    World world(fast_world());
    SessionId first = 0;
    for (std::size_t i = 0; i < max_live_sessions; ++i) {
        const auto id = world.add_session();
        REQUIRE(id);
        first = first == 0 ? *id : first;
    }
    CHECK_FALSE(world.add_session());
    CHECK(world.session_count() == max_live_sessions);
    const auto refusals = refusals_of(world);
    CHECK(refusals.count == 1);
    CHECK_THAT(refusals.last, Contains("1024 sessions are open"));

    // A lesson started in a window that already holds max_live_sessions: the player once
    // dereferenced the refused add_session() (undefined behaviour). It skips what it could not open.
    const auto scenario = parse_scenario(R"({"sessions": 1, "actions": [
        {"at": 0, "do": "click", "session": 1}, {"at": 0, "do": "add_task", "session": 1},
        {"at": 0, "do": "slide", "session": 1, "value": 5}, {"at": 0, "do": "destroy_session", "session": 1}]})",
                                         "full.json");
    ScenarioPlayer player(world, scenario);
    player.start(Clock::now());
    player.advance(Clock::now());
    CHECK(player.sessions().empty());
    CHECK(world.pool().counts().submitted == 0);  // the click was skipped, not sent for no session
    std::vector<LogEntry> log;
    world.log().copy_since(0, log);
    CHECK(std::any_of(log.begin(), log.end(),
                      [](const LogEntry& entry) { return entry.text.starts_with("New session refused"); }));
    CHECK(refusals_of(world).count == 2);

    REQUIRE(world.destroy_session(first));
    CHECK(world.add_session());
    CHECK(refusals_of(world).count == 2);
}

TEST_CASE("a task past max_queued_tasks is refused and the queued ones still run", "[limits]") {
    Watchdog watchdog("limits tasks");
    World world(fast_world());
    const SessionId id = *world.add_session();
    std::latch gate(1);
    std::latch started(1);
    REQUIRE(world.add_task(id, [&](WorkContext&) {
        started.count_down();
        gate.wait();
        return std::string();
    }));
    started.wait();  // the runner holds it: the queue is empty again
    for (std::size_t i = 0; i < max_queued_tasks; ++i) {
        REQUIRE(world.add_task(id, [](WorkContext&) { return std::string(); }));
    }
    CHECK_FALSE(world.add_task(id, WorkSpec{WorkKind::sleep, 0.0, false}));
    CHECK_THAT(refusals_of(world).last, Contains("queue holds 10000 tasks"));
    gate.count_down();
    const auto session = world.session(id);
    REQUIRE(wait_until(world.changes(), [&] { return session->task_counts().idle(); }));
    const auto counts = session->task_counts();
    CHECK(counts.submitted == max_queued_tasks + 1);
    CHECK(counts.completed == max_queued_tasks + 1);
    CHECK(world.add_task(id, WorkSpec{WorkKind::sleep, 0.0, false}));  // room again
}

TEST_CASE("a click past max_queued_events is refused; the queued events are kept", "[limits]") {
    // 100 000 events to drain with two workers: seconds under ThreadSanitizer on a loaded host.
    Watchdog watchdog("limits events", std::chrono::seconds(240));
    World world(fast_world());
    const SessionId id = *world.add_session();
    world.set_events_paused(true);
    for (std::size_t i = 0; i < max_queued_events; ++i) {
        REQUIRE(world.click(id, [](WorkContext&) { return std::string(); }));
    }
    CHECK_FALSE(world.click(id, WorkSpec{WorkKind::sleep, 0.0, false}));
    CHECK_THAT(refusals_of(world).last, Contains("event pool's queue holds 100000 events"));
    CHECK(world.pool().counts().queued == max_queued_events);
    world.set_events_paused(false);
    REQUIRE(wait_until(world.changes(), [&] { return world.pool().counts().idle(); }, std::chrono::seconds(180)));
    CHECK(world.pool().counts().completed == max_queued_events);
    CHECK(world.pool().counts().balanced());
}

#if defined(__GLIBC__)
TEST_CASE("a session whose runner thread cannot start is refused and the world goes on", "[limits][world]") {
    Watchdog watchdog("session thread start fails");
    World world(fast_world());
    const auto before = world.sessions().size();
    {
        ThreadsCannotStart no_threads;
        CHECK_FALSE(world.add_session());
        CHECK(world.sessions().size() == before);
        const auto refusals = refusals_of(world);
        CHECK(refusals.count == 1);
        CHECK_THAT(refusals.last, Contains("could not start its runner thread"));
    }
    // Threads start again: the next session opens and runs a task; its slot was given back.
    const auto id = world.add_session();
    REQUIRE(id);
    CHECK(world.sessions().size() == before + 1);
    REQUIRE(world.add_task(*id, WorkSpec{WorkKind::sleep, 0.01}));
    REQUIRE(wait_until(world.changes(), [&] { return world.session(*id)->task_counts().completed == 1; }));
}
#endif

#if defined(__GLIBC__)
TEST_CASE("a click no pool thread can start for is refused with that cause, not as a full queue", "[limits][world]") {
    Watchdog watchdog("pool thread start fails");
    World world(fast_world());  // the pool starts its threads on demand: none exists yet
    const SessionId id = *world.add_session();
    {
        ThreadsCannotStart no_threads;
        CHECK_FALSE(world.click(id, WorkSpec{WorkKind::sleep, 0.01, false}));
        const auto refusals = refusals_of(world);
        CHECK(refusals.count == 1);
        CHECK_THAT(refusals.last, Contains("no event pool thread could be started"));
        CHECK_THAT(refusals.last, !Contains("queue holds"));
    }
    // Threads start again: the next click runs.
    REQUIRE(world.click(id, WorkSpec{WorkKind::sleep, 0.01, false}));
    REQUIRE(wait_until(world.changes(), [&] { return world.pool().counts().completed == 1; }));
}
#endif

#if defined(__GLIBC__)
TEST_CASE("a world whose threads cannot start fails to open, at once and cleanly", "[limits][world]") {
    Watchdog watchdog("world thread start fails");
    const auto threads_before = process_thread_count();
    ThreadsCannotStart no_threads;
    // The sessions it asks for are refused (see above); a thread the world itself needs (the
    // reaper, the periodic scheduler) is an error its constructor reports, with nothing left running.
    std::optional<World> world;
    try {
        world.emplace(fast_world());
        CHECK(world->sessions().empty());
    } catch (const std::system_error&) {
        CHECK_FALSE(world.has_value());
    }
    world.reset();
    CHECK(settled_thread_count(threads_before) == threads_before);
}
#endif

TEST_CASE("the pool's queues keep room for the largest backlog up to a bound, and say how much", "[limits]") {
    // What the soak leaves out of the heap it compares (scripts/soak.py): a backlog's room is kept
    // for the next burst, so the heap's floor follows the largest backlog so far, up to this bound.
    Watchdog watchdog("limits queue reserve", std::chrono::seconds(120));
    World world(fast_world());
    const SessionId id = *world.add_session();
    const auto drained_backlog = [&](std::size_t events) {
        const auto completed = world.pool().counts().completed;
        world.set_events_paused(true);
        for (std::size_t i = 0; i < events; ++i) {
            REQUIRE(world.click(id, [](WorkContext&) { return std::string(); }));
        }
        world.set_events_paused(false);
        REQUIRE(wait_until(world.changes(), [&] { return world.pool().counts().completed == completed + events; },
                           std::chrono::seconds(60)));
        REQUIRE(wait_until(world.changes(), [&] { return world.pool().counts().idle(); }, std::chrono::seconds(60)));
        return world.pool().reserved_queue_bytes();
    };
    const std::size_t small = drained_backlog(100);
    const std::size_t large = drained_backlog(10'000);
    // Each queued event holds at least its id: 10 000 of them is room for more than 80 000 bytes.
    CHECK(large >= 10'000 * sizeof(EventId));
    CHECK(large > small);
    // A burst past VectorQueue::keep_capacity gives its room back once drained: what is kept
    // stays under the bound, burst after burst.
    CHECK(drained_backlog(VectorQueue<int>::keep_capacity + 4'000) <= EventPool::reserved_queue_bytes_bound());
    CHECK(drained_backlog(VectorQueue<int>::keep_capacity * 2) <= EventPool::reserved_queue_bytes_bound());
}
