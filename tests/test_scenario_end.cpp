// A scenario's "end" is a hard stop at that simulated second (issue 14): an action after it never
// runs, and the run does not wait for it first.

#include <catch2/catch.hpp>

#include "core/scenario.hpp"
#include "core/scenario_runner.hpp"
#include "support/watchdog.hpp"

using namespace threadlab;
using namespace threadlab::testing;

TEST_CASE("end stops the run at its time, before later actions", "[scenario]") {
    Watchdog watchdog("scenario end");
    const auto scenario = parse_scenario(R"({"sessions": 1, "end": 1, "actions": [
        {"at": 0, "do": "click", "session": 1, "work": {"kind": "sleep", "seconds": 0.2}},
        {"at": 30, "do": "add_task", "session": 1, "work": {"kind": "sleep", "seconds": 5}}]})",
                                         "end.json");
    ScenarioRunOptions options;
    options.time_scale = 0.05;
    const auto summary = run_scenario(scenario, options);
    CHECK_FALSE(summary.interrupted);
    // The click before the end was played; whether it finished inside the 50 ms the end leaves it
    // depends on the machine (a loaded one under TSan did not), so either ending counts.
    CHECK(summary.pool.submitted == 1);
    CHECK(summary.pool.completed + summary.pool.cancelled == 1);
    CHECK(summary.tasks.submitted == 0);  // the task at 30 s, after the end, never ran
    // Stopped at its end (1 s), not after the last action (30 s) and its 5 s of work.
    CHECK(summary.simulated_seconds >= 0.99);
    CHECK(summary.simulated_seconds < 10.0);
}
