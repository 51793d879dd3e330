// The timeline's process lanes (TimelineLanes against a real World): the user's process pool as
// a group of its own, each process a lane with its start-up bar then its jobs, and the caller's
// wait for a job found by the caller's thread id. Every wait is on the engine's ChangeSignal.

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <string>

#include "../support/wait.hpp"
#include "../support/watchdog.hpp"
#include "../support/world_config.hpp"
#include "core/world.hpp"
#include "ui/timeline_lanes.hpp"

using namespace threadlab;
using namespace threadlab::testing;
using namespace threadlab::ui;
using namespace std::chrono_literals;

TEST_CASE("the process pool's processes get lanes: a start-up bar, then their jobs; callers show their waits",
          "[timeline]") {
    Watchdog watchdog("timeline processes");
    World world(fast_world());
    ProcessPoolSetting setting;
    setting.workers = 2;
    // 500 ms at the test's scale: both clicks submit their jobs long before a process is ready, so
    // neither finds an idle one and each starts its own.
    setting.startup_seconds = 50.0;
    setting.transfer_seconds = 0.0;
    world.set_processes(setting);
    const auto session = *world.add_session();
    REQUIRE(world.click(session, WorkSpec{WorkKind::process, 1.0, false}));
    REQUIRE(world.click(session, WorkSpec{WorkKind::process, 1.0, false}));
    REQUIRE(wait_until(world.changes(), [&] { return world.pool().counts().completed == 2; }));

    TimelineLanes lanes;
    lanes.refresh(world, Clock::now(), 60s);
    CHECK(lanes.count(LaneGroup::processes) == 2);
    std::vector<const Lane*> processes;
    for (const Lane* lane : lanes.lanes()) {
        if (lane->group == LaneGroup::processes) {
            processes.push_back(lane);
        }
    }
    REQUIRE(processes.size() == 2);
    // Drawn after the pool's workers and before the runners.
    const auto& order = lanes.lanes();
    const auto position = [&](const Lane* lane) { return std::find(order.begin(), order.end(), lane) - order.begin(); };
    for (const Lane* lane : order) {
        if (lane->group == LaneGroup::pool) {
            CHECK(position(lane) < position(processes[0]));
        }
        if (lane->group == LaneGroup::runners) {
            CHECK(position(lane) > position(processes[1]));
        }
    }
    for (const Lane* lane : processes) {
        CHECK(lane->name.rfind("process ", 0) == 0);
        CHECK(lane->thread_id != 0);
        REQUIRE(lane->bars.size() == 2);
        CHECK(std::string(lane->bars[0].kind) == "start-up");
        CHECK(lane->bars[0].finished.value() - lane->bars[0].started >= 500ms);
        CHECK(std::string(lane->bars[1].kind) == "job");
        CHECK(lane->bars[1].session == session);
        CHECK(lane->bars[1].started >= *lane->bars[0].finished);
        CHECK(lane->bars[1].outcome == Outcome::completed);
    }
    // The workers that ran the clicks waited for the two jobs: found by their thread ids.
    std::size_t waits = 0;
    for (const Lane* lane : order) {
        if (lane->group == LaneGroup::pool) {
            if (const auto* found = lanes.process_waits(lane->thread_id)) {
                for (const auto& wait : *found) {
                    CHECK(wait.to.has_value());
                    CHECK(wait.process != 0);
                    ++waits;
                }
            }
        }
    }
    CHECK(waits == 2);
    CHECK(lanes.process_waits(0) == nullptr);

    // A new executor: the old processes are marked as exited (they keep their lanes while in view).
    world.set_processes(setting);
    REQUIRE(wait_until(world.changes(), [&] { return world.processes().stats().live == 0; }));
    lanes.refresh(world, Clock::now(), 60s);
    std::size_t exited = 0;
    for (const Lane* lane : lanes.lanes()) {
        exited += lane->group == LaneGroup::processes && lane->mark == LaneMark::exited ? 1u : 0u;
    }
    CHECK(exited == 2);
}
