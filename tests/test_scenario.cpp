#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "core/lessons.hpp"
#include "core/scenario.hpp"
#include "support/parse_errors.hpp"

using namespace threadlab;
using Catch::Matchers::Contains;

using threadlab::test::scenario_error;

TEST_CASE("a complete scenario parses, with defaults and sorted actions", "[scenario]") {
    const auto scenario = parse_scenario(R"({
        "name": "demo", "pool": "auto", "sessions": 2, "time_scale": 0.5, "gil": true,
        "work": {"kind": "compute", "seconds": 0.25},
        "end": 30,
        "actions": [
            {"at": 2, "do": "resize", "pool": 3},
            {"at": 0, "do": "click", "session": 1, "repeat": 2},
            {"at": 1, "do": "add_session"},
            {"at": 1.5, "do": "add_task", "session": 3, "work": {"kind": "sleep"}},
            {"at": 2, "do": "start_periodic", "session": 2, "name": "tick", "period": 0.5, "count": 3},
            {"at": 4, "do": "stop_periodic", "name": "tick"},
            {"at": 5, "do": "threading", "on": false},
            {"at": 5, "do": "cancel_task", "session": 3, "task": 1},
            {"at": 5, "do": "cancel_event", "event": 2},
            {"at": 6, "do": "destroy_session", "session": 1}
        ]})", "demo.json");
    CHECK(scenario.name == "demo");
    CHECK(scenario.pool == PoolSetting::automatic());
    CHECK(scenario.sessions == 2);
    CHECK(scenario.gil);
    CHECK(scenario.end == 30.0);
    REQUIRE(scenario.actions.size() == 10);
    CHECK(scenario.actions[0].kind == ActionKind::click);
    CHECK(scenario.actions[0].repeat == 2);
    CHECK(scenario.actions[0].work.kind == WorkKind::compute);  // the scenario's default work
    CHECK(scenario.actions[2].work.kind == WorkKind::sleep);
    CHECK(scenario.actions[2].work.seconds == 0.25);  // other fields keep the default
    CHECK(scenario.actions[3].kind == ActionKind::resize);  // same time: file order kept
    CHECK(scenario.actions[3].pool == PoolSetting::fixed(3));
    CHECK(scenario.actions[4].schedule.count == 3u);
}

TEST_CASE("bad JSON is reported with file, line and column", "[scenario]") {
    const auto message = scenario_error("{\n  \"name\": \"x\",\n  \"pool\": 2,,\n}");
    CHECK_THAT(message, Contains("demo.json:3:"));
    CHECK_THAT(message, Contains("not valid JSON"));
}

TEST_CASE("a number beyond a double is a refusal, not an escaped exception", "[scenario]") {
    // Found by fuzzing: nlohmann throws out_of_range, not parse_error, for "1e3082".
    CHECK_THROWS_MATCHES(parse_scenario(R"({"pool": 1e3082})", "big.json"), ScenarioError,
                         Catch::Matchers::Message("big.json:1:15: not valid JSON: number overflow parsing '1e3082'"));
}

TEST_CASE("a lesson without its choices is a refusal, not an escaped exception", "[scenario]") {
    // Found by fuzzing: the required "choices" was read with nlohmann's at(), which throws out_of_range.
    CHECK_THAT(scenario_error(R"({"lesson": {"title": "t", "watch": "w", "why": "y", "panel": "p", "question": "q",
                                     "answer": 0}})"),
               Contains("lesson.choices: missing (this key is required)"));
}

TEST_CASE("bad content is reported with its JSON path and what was expected", "[scenario]") {
    CHECK_THAT(scenario_error(R"({"sesions": 2})"), Contains("demo.json: sesions: unknown key"));
    CHECK_THAT(scenario_error(R"({"pool": 99})"), Contains("pool: expected \"off\", \"auto\" or a number of threads"));
    CHECK_THAT(scenario_error(R"({"sessions": "two"})"), Contains("sessions: expected a whole number from 0 to 1024"));
    CHECK_THAT(scenario_error(R"({"time_scale": 0})"), Contains("time_scale: expected a number from"));
    CHECK_THAT(scenario_error(R"({"work": {"kind": "nap"}})"), Contains("work.kind: expected \"sleep\", \"compute\", \"native\", \"increment\" or \"process\""));
    CHECK_THAT(scenario_error(R"({"actions": {}})"), Contains("actions: expected a list"));
    CHECK_THAT(scenario_error(R"({"actions": [{"do": "clik"}]})"), Contains("actions[0].do: unknown action \"clik\""));
    CHECK_THAT(scenario_error(R"({"actions": [{"do": "click"}]})"), Contains("actions[0].session: missing"));
    CHECK_THAT(scenario_error(R"({"actions": [{"do": "click", "session": 1, "colour": 3}]})"),
               Contains("actions[0].colour: unknown key"));
    CHECK_THAT(scenario_error(R"({"actions": [{"do": "resize"}]})"), Contains("actions[0].pool: missing"));
    CHECK_THAT(scenario_error(R"({"actions": [{"at": -1, "do": "add_session"}]})"), Contains("actions[0].at: expected"));
    CHECK_THAT(scenario_error(R"([1, 2])"), Contains("top level: expected an object"));
}

TEST_CASE("a periodic callback's period and timeout in seconds, or in Panel's milliseconds", "[scenario]") {
    // Panel's add_periodic_callback takes milliseconds for both (panel/io/callbacks.py:46-47 and
    // 56-58, holoviz/panel@45cb9c1; pn.state's docstring says seconds for timeout, which is wrong).
    const auto in_ms = parse_scenario(R"({"sessions": 1, "actions": [{"do": "start_periodic", "session": 1,
        "name": "tick", "period_ms": 250, "timeout_ms": 1500}]})", "ms.json");
    REQUIRE(in_ms.actions.size() == 1);
    CHECK(in_ms.actions[0].schedule.period_seconds == Approx(0.25));
    REQUIRE(in_ms.actions[0].schedule.timeout_seconds);
    CHECK(*in_ms.actions[0].schedule.timeout_seconds == Approx(1.5));
    const auto in_seconds = parse_scenario(R"({"sessions": 1, "end": 2, "actions": [{"do": "start_periodic", "session": 1,
        "name": "tick", "period": 0.25}]})", "s.json");
    CHECK(in_seconds.actions[0].schedule.period_seconds == Approx(0.25));
    CHECK_FALSE(in_seconds.actions[0].schedule.timeout_seconds);
    CHECK_THAT(scenario_error(R"({"sessions": 1, "actions": [{"do": "start_periodic", "session": 1, "name": "t",
        "period": 0.5, "period_ms": 500}]})"), Contains("actions[0].period_ms: give period (seconds) or period_ms"));
    CHECK_THAT(scenario_error(R"({"sessions": 1, "actions": [{"do": "start_periodic", "session": 1, "name": "t",
        "timeout_ms": -1}]})"), Contains("actions[0].timeout_ms: expected a number from 0"));
}

TEST_CASE("references must exist at the time they are used", "[scenario]") {
    CHECK_THAT(scenario_error(R"({"sessions": 1, "actions": [{"at": 2.5, "do": "click", "session": 2}]})"),
               Contains("actions[0].session: session 2 does not exist yet at 2.5 s (1 created by then)"));
    // Created by an earlier action: fine. Used before it is created: not.
    CHECK_NOTHROW(parse_scenario(
        R"({"actions": [{"at": 1, "do": "add_session"}, {"at": 2, "do": "click", "session": 1}]})", "ok"));
    CHECK_THAT(scenario_error(R"({"actions": [{"at": 2, "do": "add_session"}, {"at": 1, "do": "click", "session": 1}]})"),
               Contains("actions[1].session: session 1 does not exist yet"));
    CHECK_THAT(scenario_error(R"({"actions": [{"do": "stop_periodic", "name": "tick"}]})"),
               Contains("no periodic callback named \"tick\""));
}

TEST_CASE("a missing file is reported by name", "[scenario]") {
    CHECK_THROWS_WITH(load_scenario_file("/no/such/file.json"), Contains("/no/such/file.json: cannot open"));
}

TEST_CASE("every shipped scenario and lesson parses", "[scenario]") {
    for (const auto& entry : std::filesystem::directory_iterator(THREADLAB_SOURCE_DIR "/assets/scenarios")) {
        INFO(entry.path());
        CHECK_NOTHROW(load_scenario_file(entry.path().string()));
    }
    const auto lessons = built_in_lessons();
    CHECK(lessons.size() >= 7);
    for (const auto& lesson : lessons) {
        INFO(lesson.name);
        const auto scenario = load_lesson(lesson.name);
        CHECK(scenario.name == lesson.name);
        REQUIRE(scenario.lesson.has_value());
        CHECK(scenario.lesson->answer < static_cast<int>(scenario.lesson->choices.size()));
    }
    CHECK_THROWS_WITH(load_lesson("nope"), Contains("the lessons are: single-threaded, pool-of-two"));
}

TEST_CASE("a scenario that could never end is refused unless it sets end", "[scenario]") {
    // Events paused for good: the queue never empties.
    CHECK_THAT(scenario_error(R"({"sessions": 1, "actions": [{"at": 0, "do": "pause_events", "on": true},
                                                       {"at": 1, "do": "click", "session": 1}]})"),
               Contains("demo.json: actions[0]: pause_events is still on at the last action"));
    CHECK_THAT(scenario_error(R"({"sessions": 1, "actions": [{"at": 0, "do": "pause_events", "on": true}]})"),
               Contains("add \"end\""));
    CHECK(scenario_error(R"({"sessions": 1, "actions": [{"at": 0, "do": "pause_events", "on": true},
                                                  {"at": 1, "do": "pause_events", "on": false}]})") == "accepted");
    // A periodic callback with neither count nor timeout fires for ever...
    const std::string endless = R"({"at": 0, "do": "start_periodic", "session": 1, "name": "tick", "period": 1})";
    CHECK_THAT(scenario_error(R"({"sessions": 1, "actions": [)" + endless + "]}"),
               Contains("demo.json: actions[0]: the periodic callback \"tick\" has neither count nor timeout"));
    // ...unless it is stopped, its session goes, or the file has an end.
    CHECK(scenario_error(R"({"sessions": 1, "actions": [)" + endless + R"(, {"at": 3, "do": "stop_periodic", "name": "tick"}]})") ==
          "accepted");
    CHECK(scenario_error(R"({"sessions": 1, "actions": [)" + endless + R"(, {"at": 3, "do": "destroy_session", "session": 1}]})") ==
          "accepted");
    CHECK(scenario_error(R"({"sessions": 1, "end": 5, "actions": [)" + endless + "]}") == "accepted");
    CHECK(scenario_error(R"({"sessions": 1, "actions": [{"at": 0, "do": "start_periodic", "session": 1, "name": "t",
                                                   "period": 1, "count": 3}]})") == "accepted");
}
