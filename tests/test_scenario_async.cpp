// Scenario keys for async clicks: {"do": "click", "async": [{"await": 2}, {"run": {work}}]}.

#include <catch2/catch.hpp>

#include "core/scenario.hpp"
#include "support/parse_errors.hpp"

using namespace threadlab;
using Catch::Matchers::Contains;

namespace {
std::string error_of(const std::string& actions) {
    return test::scenario_error(R"({"sessions": 1, "actions": [)" + actions + "]}");
}
}  // namespace

TEST_CASE("an async click parses into its steps, runs taking the scenario's work defaults", "[scenario][loop]") {
    const auto scenario = parse_scenario(R"({
        "sessions": 1, "work": {"kind": "compute", "seconds": 0.25},
        "actions": [
            {"at": 0, "do": "click", "session": 1, "async": [{"run": {}}, {"await": 2}, {"run": {"kind": "sleep", "seconds": 0.1}}]},
            {"at": 1, "do": "click", "session": 1}
        ]})", "demo.json");
    REQUIRE(scenario.actions.size() == 2);
    REQUIRE(scenario.actions[0].async);
    const auto& steps = *scenario.actions[0].async;
    REQUIRE(steps.size() == 3);
    CHECK(steps[0] == AsyncStepSpec::running({WorkKind::compute, 0.25, false}));
    CHECK(steps[1] == AsyncStepSpec::await_for(2.0));
    CHECK(steps[2] == AsyncStepSpec::running({WorkKind::sleep, 0.1, false}));
    CHECK_FALSE(scenario.actions[1].async);  // a plain click
    // Between two awaits the runs make one segment; the coroutine starts and resumes on the loop.
    CHECK(make_coroutine(steps).size() == 2);
    CHECK(make_coroutine({AsyncStepSpec::await_for(1.0)}).size() == 2);
}

TEST_CASE("bad async steps are errors that say what a step may be", "[scenario][loop]") {
    CHECK_THAT(error_of(R"({"do": "click", "session": 1, "async": []})"),
               Contains("actions[0].async: expected a list [...] of 1 to 64 steps") && Contains("an empty list"));
    CHECK_THAT(error_of(R"({"do": "click", "session": 1, "async": {"await": 1}})"),
               Contains("actions[0].async: expected a list"));
    CHECK_THAT(error_of(R"({"do": "click", "session": 1, "async": [{"await": 1, "run": {}}]})"),
               Contains("actions[0].async[0]") && Contains("either {\"await\": seconds}"));
    CHECK_THAT(error_of(R"({"do": "click", "session": 1, "async": [{}]})"),
               Contains("actions[0].async[0].await") && Contains("not both or neither"));
    CHECK_THAT(error_of(R"({"do": "click", "session": 1, "async": [{"sleep": 1}]})"),
               Contains("actions[0].async[0].sleep: unknown key (expected one of: await, run)"));
    CHECK_THAT(error_of(R"({"do": "click", "session": 1, "async": [{"await": -1}]})"),
               Contains("actions[0].async[0].await: expected a number from 0 to 3600"));
    CHECK_THAT(error_of(R"({"do": "click", "session": 1, "async": [{"run": {"kind": "nap"}}]})"),
               Contains("actions[0].async[0].run.kind"));
    CHECK_THAT(error_of(R"({"do": "click", "session": 1, "work": {}, "async": [{"await": 1}]})"),
               Contains("actions[0].work: an async click has no \"work\""));
    CHECK_THAT(error_of(R"({"do": "add_task", "session": 1, "async": [{"await": 1}]})"),
               Contains("actions[0].async: unknown key"));
}
