#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "core/chrome_trace.hpp"
#include "core/lessons.hpp"
#include "core/scenario_runner.hpp"
#include "core/world.hpp"
#include "support/watchdog.hpp"

using namespace threadlab;
using namespace threadlab::testing;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {
TraceData run_and_trace(std::string_view lesson) {
    TraceData data;
    ScenarioRunOptions options;
    options.time_scale = 0.05;
    options.before_teardown = [&](const World& world) { data = world.trace_data(std::string(lesson)); };
    run_scenario(load_lesson(lesson), options);
    return data;
}
}  // namespace

TEST_CASE("an exported trace has the structure Perfetto and chrome://tracing expect", "[trace]") {
    Watchdog watchdog("trace structure");
    const auto data = run_and_trace("runner-per-session");
    REQUIRE(data.spans.size() == 10);  // nine tasks and one click
    const auto document = nlohmann::json::parse(to_chrome_trace(data));
    REQUIRE(document.at("traceEvents").is_array());
    CHECK(document.at("otherData").at("generator") == "ThreadLab");

    std::map<std::string, int> phases;
    std::set<int> named_threads;
    std::map<std::uint64_t, std::set<std::string>> flows;
    std::map<std::uint64_t, int> async_balance;
    for (const auto& event : document.at("traceEvents")) {
        const std::string phase = event.at("ph");
        ++phases[phase];
        CHECK(event.at("pid") == 1);
        if (phase != "M" && phase != "C") {
            CHECK(event.contains("tid"));
        }
        if (phase != "M") {
            CHECK(event.at("ts").get<double>() >= 0.0);
        }
        if (phase == "M" && event.at("name") == "thread_name") {
            named_threads.insert(event.at("tid").get<int>());
        }
        if (phase == "X") {
            CHECK(event.at("dur").get<double>() >= 0.0);
            CHECK(named_threads.contains(event.at("tid").get<int>()));  // names come first
        }
        if (phase == "s" || phase == "f") {
            flows[event.at("id").get<std::uint64_t>()].insert(phase);
        }
        if (phase == "b") {
            ++async_balance[event.at("id").get<std::uint64_t>()];
        }
        if (phase == "e") {
            --async_balance[event.at("id").get<std::uint64_t>()];
        }
        if (phase == "C") {
            CHECK(event.at("args").contains("queued"));
            CHECK(event.at("args").contains("busy"));
        }
    }
    CHECK(phases["X"] == 20);  // each span, and its submission on the session's track
    CHECK(phases["b"] == 10);
    CHECK(phases["e"] == 10);
    CHECK(phases["C"] == 2);  // the one click: queued, then done
    CHECK(flows.size() == 10);
    for (const auto& [id, ends] : flows) {
        CHECK(ends == std::set<std::string>{"s", "f"});
    }
    for (const auto& [id, balance] : async_balance) {
        CHECK(balance == 0);
    }
}

TEST_CASE("ThreadLab reads its own traces back for replay", "[trace]") {
    Watchdog watchdog("trace round trip");
    auto data = run_and_trace("pool-of-two");
    auto back = parse_chrome_trace(to_chrome_trace(data), "memory");
    REQUIRE(back.spans.size() == data.spans.size());
    // The reader orders spans by start; the two clicks may start in either order (1 run in 26 the
    // second click's new thread ran first): compare span by span in one order of identity.
    const auto by_identity = [](const SpanRecord& a, const SpanRecord& b) {
        return std::tie(a.kind, a.session, a.id) < std::tie(b.kind, b.session, b.id);
    };
    std::sort(data.spans.begin(), data.spans.end(), by_identity);
    std::sort(back.spans.begin(), back.spans.end(), by_identity);
    CHECK(back.title == "pool-of-two");
    CHECK(back.counters.size() == data.counters.size());
    for (std::size_t i = 0; i < back.spans.size(); ++i) {
        const auto& a = data.spans[i];
        const auto& b = back.spans[i];
        CHECK(a.session == b.session);
        CHECK(a.kind == b.kind);
        CHECK(a.id == b.id);
        CHECK(a.thread_id == b.thread_id);
        CHECK(a.outcome == b.outcome);
        // Microsecond timestamps: durations survive to within a microsecond.
        CHECK(std::chrono::duration<double, std::micro>(a.run_time() - b.run_time()).count() == Approx(0.0).margin(1.0));
        CHECK(std::chrono::duration<double, std::micro>(a.queue_wait() - b.queue_wait()).count() ==
              Approx(0.0).margin(1.0));
    }
}

TEST_CASE("a file that is not a ThreadLab trace is refused by name", "[trace]") {
    CHECK_THROWS_WITH(parse_chrome_trace("{nope", "bad.json"), Contains("bad.json:1:3: not valid JSON"));
    CHECK_THROWS_WITH(parse_chrome_trace(R"({"events": []})", "x.json"), Contains("x.json: not a Chrome trace"));
    CHECK_THROWS_WITH(parse_chrome_trace(R"({"traceEvents": []})", "y.json"), Contains("not a trace exported by ThreadLab"));
    CHECK_THROWS_WITH(
        parse_chrome_trace(R"({"traceEvents": [{"ph": "X", "ts": 1}], "otherData": {"generator": "ThreadLab"}})", "z.json"),
        Contains("z.json: traceEvents[0]"));
    CHECK_THROWS_WITH(read_chrome_trace("/no/such/trace.json"), Contains("cannot open"));
    // The web page reads a chosen file from a copy, and names it as the user knows it.
    CHECK_THROWS_WITH(read_chrome_trace("/no/such/copy.json", "mine.json"), StartsWith("mine.json: cannot open"));
}

TEST_CASE("an async callback's steps and awaits survive export and replay", "[trace][loop]") {
    Watchdog watchdog("trace async steps");
    auto data = run_and_trace("async-interleaving");
    REQUIRE(data.spans.size() == 6);  // three coroutines of two steps
    const auto text = to_chrome_trace(data);
    const auto document = nlohmann::json::parse(text);
    int awaits_begun = 0;
    int submissions = 0;
    std::set<std::string> loop_threads;
    for (const auto& event : document.at("traceEvents")) {
        if (event.value("cat", "") == "await" && event.at("ph") == "b") {
            ++awaits_begun;
        }
        if (event.value("cat", "") == "submit") {
            ++submissions;  // one per click, not one per step
        }
        if (event.at("ph") == "M" && event.at("name") == "thread_name") {
            loop_threads.insert(event.at("args").at("name").get<std::string>());
        }
    }
    CHECK(awaits_begun == 3);
    CHECK(submissions == 3);
    CHECK(loop_threads.contains("tl-event-loop"));
    // A step past the coroutine's last is refused by its JSON path.
    std::string broken = text;
    for (auto at = broken.find("\"steps\":2"); at != std::string::npos; at = broken.find("\"steps\":2", at)) {
        broken.replace(at, std::string_view("\"steps\":2").size(), "\"steps\":1");
    }
    CHECK_THROWS_WITH(parse_chrome_trace(broken, "steps.json"),
                      Contains("steps.json: traceEvents[") && Contains(".args.step: a step after the coroutine's last"));
    auto back = parse_chrome_trace(text, "memory");
    REQUIRE(back.spans.size() == data.spans.size());
    const auto by_step = [](const SpanRecord& a, const SpanRecord& b) {
        return std::tie(a.id, a.step) < std::tie(b.id, b.step);
    };
    std::sort(data.spans.begin(), data.spans.end(), by_step);
    std::sort(back.spans.begin(), back.spans.end(), by_step);
    for (std::size_t i = 0; i < back.spans.size(); ++i) {
        const auto& a = data.spans[i];
        const auto& b = back.spans[i];
        CHECK(b.on_loop());
        CHECK(a.step == b.step);
        CHECK(b.steps == 2);
        CHECK(std::chrono::duration<double, std::micro>((a.ready - a.submitted) - (b.ready - b.submitted)).count() ==
              Approx(0.0).margin(1.0));
        CHECK(std::chrono::duration<double, std::micro>(a.queue_wait() - b.queue_wait()).count() ==
              Approx(0.0).margin(1.0));
    }
}
