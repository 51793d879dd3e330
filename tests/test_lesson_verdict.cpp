// A lesson's verdict is read from what the run measured: judge_lesson() on hand-built runs (each
// quantity, the edges of ranges, windows, nothing matched), the sentences it makes, the strict
// parsing of "measure", and real runs changed so that they land on another choice than the
// lesson's canonical answer, where the verdict must say so.

#include <catch2/catch.hpp>

#include <cmath>

#include "core/lesson_verdict.hpp"
#include "core/lessons.hpp"
#include "core/scenario_runner.hpp"
#include "support/watchdog.hpp"

using namespace threadlab;
using namespace threadlab::testing;

namespace {

const Clock::time_point t0 = Clock::time_point{} + std::chrono::hours(1);

Clock::time_point at(double wall_seconds) {
    return t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(wall_seconds));
}

/// A finished span; times are wall seconds after t0.
SpanRecord span(SpanKind kind, SessionId session, double submitted, double started, double finished,
                Outcome outcome = Outcome::completed) {
    SpanRecord record;
    record.kind = kind;
    record.session = session;
    record.submitted = at(submitted);
    record.started = at(started);
    record.finished = at(finished);
    record.outcome = outcome;
    return record;
}

/// Three choices, the second canonical, measured the given way.
LessonText lesson_measuring(LessonQuantity quantity, std::vector<MeasureRange> ranges) {
    LessonText lesson;
    lesson.title = "test";
    lesson.question = "how long?";
    lesson.choices = {"about 2 s", "about 4 s", "about 8 s"};
    lesson.answer = 1;
    lesson.measure = LessonMeasure{};
    lesson.measure->quantity = quantity;
    lesson.measure->ranges = std::move(ranges);
    return lesson;
}

const std::vector<MeasureRange> seconds_ranges = {{1.0, 3.0}, {3.0, 6.0}, {6.0, std::nullopt}};

/// Half a wall second per simulated second, so a forgotten conversion shows.
LessonRun run_at_half_scale(std::vector<SpanRecord> spans) {
    LessonRun run;
    run.started = t0;
    run.time_scale = 0.5;
    run.sessions = {11, 22, 33};
    run.spans = std::move(spans);
    return run;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

Scenario parse_lesson_with_measure(const std::string& measure, const std::string& choices = R"(["a", "b", "c"])") {
    return parse_scenario(R"({"sessions": 2, "lesson": {"title": "t", "watch": "w", "why": "y", "panel": "p",
        "question": "q", "choices": )" + choices + R"(, "answer": 1, "measure": )" + measure + "}}",
                          "test.json");
}

/// Runs a lesson's scenario (changed by the test) at the lesson tests' pace and judges the run.
std::pair<ScenarioSummary, LessonVerdict> judged_run(const Scenario& scenario) {
    ScenarioRunOptions options;
    options.time_scale = 0.3;
    options.keep_lesson_run = true;
    auto summary = run_scenario(scenario, options);
    REQUIRE(summary.lesson_run);
    auto verdict = judge_lesson(*scenario.lesson, *summary.lesson_run);
    return {std::move(summary), std::move(verdict)};
}

}  // namespace

TEST_CASE("verdict: MeasureRange: low included, high excluded, a point range holds exactly its value", "[verdict]") {
    const MeasureRange half_open{1.0, 3.0};
    CHECK(half_open.contains(1.0));
    CHECK(half_open.contains(2.999));
    CHECK_FALSE(half_open.contains(3.0));
    CHECK_FALSE(half_open.contains(0.999));
    const MeasureRange point{1.0, 1.0};
    CHECK(point.contains(1.0));
    CHECK_FALSE(point.contains(0.99999));
    CHECK_FALSE(point.contains(1.00001));
    const MeasureRange above{6.0, std::nullopt};
    CHECK(above.contains(1e9));
    CHECK_FALSE(above.contains(5.99));
    const MeasureRange below_zero{std::nullopt, 0.0};  // no count reaches it: a choice no run shows
    CHECK_FALSE(below_zero.contains(0.0));
    CHECK(below_zero.contains(-1.0));
}

TEST_CASE("judge_lesson: events_makespan, first submission to last finish, in simulated seconds", "[verdict]") {
    const auto lesson = lesson_measuring(LessonQuantity::events_makespan, seconds_ranges);
    auto run = run_at_half_scale({
        span(SpanKind::click, 11, 0.0, 0.0, 1.0),
        span(SpanKind::click, 11, 0.05, 1.0, 2.0),
        span(SpanKind::task, 11, 0.0, 0.0, 9.0),        // a runner task: not a pool event
        span(SpanKind::click, 11, -5.0, -5.0, 20.0),    // before the lesson started: never counts
    });
    auto verdict = judge_lesson(lesson, run);
    CHECK(verdict.measured == Approx(4.0));  // 2 wall s at 0.5 wall s per simulated s
    CHECK(verdict.matched_choice == 1);
    CHECK(verdict.canonical == 1);
    CHECK(verdict.as_expected);
    CHECK(contains(verdict.measured_text, "4.00 simulated s"));

    SECTION("on a range's low edge the value belongs to that range, not to the one below") {
        run.spans[1].finished = at(1.5);  // 3.0 simulated s exactly
        verdict = judge_lesson(lesson, run);
        CHECK(verdict.matched_choice == 1);
        run.spans[1].finished = at(3.0);  // 6.0
        CHECK(judge_lesson(lesson, run).matched_choice == 2);
        run.spans[1].finished = at(1.4995);  // 2.999
        CHECK(judge_lesson(lesson, run).matched_choice == 0);
    }
    SECTION("below every range: matches none, and is not as expected") {
        run.spans[0].finished = at(0.4);
        run.spans[1].finished = at(0.45);  // 0.9
        verdict = judge_lesson(lesson, run);
        CHECK(verdict.measured == Approx(0.9));
        CHECK_FALSE(verdict.matched_choice);
        CHECK_FALSE(verdict.as_expected);
    }
    SECTION("no pool event at all: nothing measured, nothing matched") {
        run.spans = {span(SpanKind::task, 11, 0.0, 0.0, 1.0)};
        verdict = judge_lesson(lesson, run);
        CHECK(std::isnan(verdict.measured));
        CHECK_FALSE(verdict.matched_choice);
        CHECK_FALSE(verdict.as_expected);
        CHECK(contains(verdict_sentence(lesson, verdict, 1), "none of the choices"));
    }
}

TEST_CASE("judge_lesson: from and until count only what was submitted in the window", "[verdict]") {
    auto lesson = lesson_measuring(LessonQuantity::events_makespan, seconds_ranges);
    // Simulated: a pair submitted at 0 that ends at 4, a pair submitted at 3 and 3.5 that ends at 8.
    const auto run = run_at_half_scale({
        span(SpanKind::click, 11, 0.0, 0.0, 1.0),
        span(SpanKind::click, 11, 0.0, 0.0, 2.0),
        span(SpanKind::click, 11, 1.5, 2.0, 3.0),
        span(SpanKind::periodic, 11, 1.75, 3.0, 4.0),
    });
    lesson.measure->until = 3.0;  // the one submitted at exactly 3 s is out: until is excluded
    auto verdict = judge_lesson(lesson, run);
    CHECK(verdict.measured == Approx(4.0));
    CHECK(verdict.matched_choice == 1);
    CHECK(contains(verdict.measured_text, "submitted in the first 3 s"));

    lesson.measure->until.reset();
    lesson.measure->from = 3.0;  // from is included
    verdict = judge_lesson(lesson, run);
    CHECK(verdict.measured == Approx(5.0));  // 3 s to 8 s
    CHECK(verdict.matched_choice == 1);

    lesson.measure->from = 3.25;
    lesson.measure->until = 4.0;  // only the periodic call submitted at 3.5
    verdict = judge_lesson(lesson, run);
    CHECK(verdict.measured == Approx(4.5));
    CHECK(contains(verdict.measured_text, "between 3.25 and 4 s"));

    lesson.measure->from = 8.0;
    lesson.measure->until.reset();
    CHECK(std::isnan(judge_lesson(lesson, run).measured));

    lesson.measure->from.reset();
    lesson.measure->until = 1.0;
    CHECK(judge_lesson(lesson, run).measured == Approx(4.0));  // the pair submitted at 0
}

TEST_CASE("judge_lesson: tasks_makespan counts runner tasks only", "[verdict]") {
    const auto lesson = lesson_measuring(LessonQuantity::tasks_makespan, seconds_ranges);
    const auto run = run_at_half_scale({
        span(SpanKind::task, 11, 0.0, 0.0, 0.5),
        span(SpanKind::task, 22, 0.0, 0.0, 0.5),
        span(SpanKind::task, 22, 0.0, 0.5, 1.0),
        span(SpanKind::click, 22, 0.0, 0.0, 10.0),
    });
    const auto verdict = judge_lesson(lesson, run);
    CHECK(verdict.measured == Approx(2.0));
    CHECK(verdict.matched_choice == 0);
    CHECK_FALSE(verdict.as_expected);
    CHECK(contains(verdict.measured_text, "runner task"));
}

TEST_CASE("judge_lesson: the waits, over all events or one session's runner tasks", "[verdict]") {
    const std::vector<MeasureRange> wait_ranges = {{0.0, 0.02}, {0.02, 0.3}, {0.3, std::nullopt}};
    const auto run = run_at_half_scale({
        span(SpanKind::task, 11, 0.0, 0.0005, 0.1),    // session 1: 1 ms
        span(SpanKind::task, 33, 0.0, 0.05, 0.1),      // session 3: 100 ms
        span(SpanKind::task, 33, 0.2, 0.275, 0.3),     // session 3: 150 ms
        span(SpanKind::periodic, 11, 0.0, 0.2, 0.3),   // an event: 400 ms
        span(SpanKind::click, 22, 0.1, 0.35, 0.5),     // an event: 500 ms
    });
    auto tasks = lesson_measuring(LessonQuantity::max_task_wait, wait_ranges);
    tasks.measure->session = 3;
    auto verdict = judge_lesson(tasks, run);
    CHECK(verdict.measured == Approx(0.15));
    CHECK(verdict.matched_choice == 1);
    CHECK(contains(verdict.measured_text, "of session 3"));

    tasks.measure->session = 1;
    verdict = judge_lesson(tasks, run);
    CHECK(verdict.measured == Approx(0.001));
    CHECK(verdict.matched_choice == 0);

    tasks.measure->session.reset();
    CHECK(judge_lesson(tasks, run).measured == Approx(0.15));

    SECTION("a session this run never created measures nothing") {
        tasks.measure->session = 4;
        verdict = judge_lesson(tasks, run);
        CHECK(std::isnan(verdict.measured));
        CHECK_FALSE(verdict.matched_choice);
        CHECK(contains(verdict_sentence(tasks, verdict, std::nullopt), "had no session 4 to measure"));
    }

    const auto events = lesson_measuring(LessonQuantity::max_event_wait, wait_ranges);
    verdict = judge_lesson(events, run);
    CHECK(verdict.measured == Approx(0.5));
    CHECK(verdict.matched_choice == 2);
}

TEST_CASE("judge_lesson: events_completed counts completed events, of all that the run submitted", "[verdict]") {
    const auto lesson = lesson_measuring(LessonQuantity::events_completed, {{8, 8}, {12, 12}, {20, 20}});
    auto run = run_at_half_scale({});
    for (int i = 0; i < 12; ++i) {
        run.spans.push_back(span(SpanKind::click, 11, 0.0, 0.0, 1.0));
    }
    for (int i = 0; i < 6; ++i) {
        run.spans.push_back(span(SpanKind::click, 11, 0.0, 0.0, 1.0, Outcome::cancelled));
    }
    run.spans.push_back(span(SpanKind::task, 11, 0.0, 0.0, 1.0));  // not an event
    run.pool.queued = 1;   // still waiting when the run ended: no span, not completed
    run.pool.running = 1;
    auto verdict = judge_lesson(lesson, run);
    CHECK(verdict.measured == 12.0);
    CHECK(verdict.matched_choice == 1);
    CHECK(verdict.as_expected);
    CHECK(verdict.measured_text == "12 of 20 pool events completed");

    run.spans.push_back(span(SpanKind::click, 11, 0.0, 0.0, 1.0));
    verdict = judge_lesson(lesson, run);
    CHECK(verdict.measured == 13.0);
    CHECK_FALSE(verdict.matched_choice);  // the points are exact: 13 is none of 8, 12, 20
}

TEST_CASE("judge_lesson: leaked runners; the crash choice's range is one no count reaches", "[verdict]") {
    const auto lesson = lesson_measuring(LessonQuantity::leaked_runners, {{0, 0}, {1, std::nullopt}, {std::nullopt, 0}});
    LessonRun run;
    run.leaked_runners = 0;
    auto verdict = judge_lesson(lesson, run);
    CHECK(verdict.matched_choice == 0);
    CHECK(contains(verdict.measured_text, "no runner thread"));
    run.leaked_runners = 1;
    CHECK(judge_lesson(lesson, run).matched_choice == 1);
    run.leaked_runners = 2;
    verdict = judge_lesson(lesson, run);
    CHECK(verdict.matched_choice == 1);
    CHECK(verdict.as_expected);
    CHECK(verdict.measured_text == "2 runner threads of destroyed sessions still alive at the end");
}

TEST_CASE("judge_lesson: session_destroyed_at: when on_session_destroyed ran, or never", "[verdict]") {
    auto lesson = lesson_measuring(LessonQuantity::session_destroyed_at, {{0, 5}, {5, 60}, {60, std::nullopt}});
    lesson.measure->session = 2;
    LessonRun run;
    run.started = t0;
    run.time_scale = 0.5;
    run.sessions = {7, 8};
    run.destroyed = {at(1.0), at(8.5)};  // wall seconds: 17 simulated for session 2
    auto verdict = judge_lesson(lesson, run);
    CHECK(verdict.measured == Approx(17.0));
    CHECK(verdict.matched_choice == 1);
    CHECK(verdict.measured_text == "session 2 destroyed 17.0 simulated s after the start");
    run.destroyed[1].reset();
    verdict = judge_lesson(lesson, run);
    CHECK(verdict.matched_choice == 2);
    CHECK(verdict.measured_text == "session 2 never destroyed");
    lesson.measure->session = 3;
    CHECK_FALSE(judge_lesson(lesson, run).matched_choice);
    CHECK(judge_lesson(lesson, run).measured_text == "no session 3");
}

TEST_CASE("judge_lesson: the racy counter's ratio: exactly 1, below, above (the earlier choice wins)", "[verdict]") {
    const auto lesson =
        lesson_measuring(LessonQuantity::racy_counter_ratio, {{1.0, 1.0}, {0.0, 1.0}, {1.0, std::nullopt}});
    LessonRun run;
    run.racy_counter = {96512, 100000};
    auto verdict = judge_lesson(lesson, run);
    CHECK(verdict.measured == Approx(0.96512));
    CHECK(verdict.matched_choice == 1);
    CHECK(contains(verdict.measured_text, "96 512 of 100 000"));
    run.racy_counter = {100000, 100000};
    CHECK(judge_lesson(lesson, run).matched_choice == 0);  // [1, 1] before [1, null]
    run.racy_counter = {100001, 100000};
    CHECK(judge_lesson(lesson, run).matched_choice == 2);
    run.racy_counter = {0, 0};
    verdict = judge_lesson(lesson, run);
    CHECK(std::isnan(verdict.measured));
    CHECK_FALSE(verdict.matched_choice);
}

TEST_CASE("verdict_sentence: says what was measured, and never 'right' for what the run did not show", "[verdict]") {
    const auto lesson = lesson_measuring(LessonQuantity::events_makespan, seconds_ranges);
    LessonVerdict verdict;
    verdict.measured = 3.98;
    verdict.measured_text = "3.98 simulated s";
    verdict.matched_choice = 1;
    verdict.canonical = 1;
    verdict.as_expected = true;
    verdict.explanation = "the machine was busy";

    CHECK(verdict_sentence(lesson, verdict, std::nullopt) ==
          "This run measured 3.98 simulated s, which matches b) about 4 s, the usual answer.");
    CHECK(verdict_summary(verdict) == "this run measured 3.98 simulated s, which matches b), the usual answer");
    CHECK(verdict_sentence(lesson, verdict, 1) ==
          "This run measured 3.98 simulated s, which matches b) about 4 s, the usual answer. You predicted b): right.");
    const auto wrong = verdict_sentence(lesson, verdict, 0);
    CHECK(contains(wrong, "You predicted a): not what this run showed."));
    CHECK_FALSE(contains(wrong, "right"));

    // Another choice than the canonical one: named, with the reason, and the canonical prediction is not "right".
    verdict.measured = 2.1;
    verdict.measured_text = "2.10 simulated s";
    verdict.matched_choice = 0;
    verdict.as_expected = false;
    const auto other = verdict_sentence(lesson, verdict, 1);
    CHECK(contains(other, "This run measured 2.10 simulated s, which matches a) about 2 s, not the usual answer "
                          "b) about 4 s: the machine was busy."));
    CHECK(contains(other, "You predicted b): not what this run showed (though it is what a quiet machine shows)."));
    CHECK_FALSE(contains(other, "right"));
    CHECK(contains(verdict_sentence(lesson, verdict, 0), "You predicted a): right."));
    CHECK(verdict_summary(verdict) == "this run measured 2.10 simulated s, which matches a), not the usual answer b)");

    // None of the choices.
    verdict.measured = 0.2;
    verdict.measured_text = "0.200 simulated s";
    verdict.matched_choice.reset();
    const auto none = verdict_sentence(lesson, verdict, 1);
    CHECK(contains(none, "which matches none of the choices (the usual answer is b) about 4 s): the machine was busy."));
    CHECK_FALSE(contains(none, "right"));
    CHECK(verdict_summary(verdict) ==
          "this run measured 0.200 simulated s, which matches none of the choices (the usual answer is b))");

    // A lesson with nothing to measure never pretends to know.
    auto unmeasured = lesson;
    unmeasured.measure.reset();
    const auto nothing = judge_lesson(unmeasured, LessonRun{});
    CHECK_FALSE(nothing.matched_choice);
    CHECK_FALSE(contains(verdict_sentence(unmeasured, nothing, 1), "right"));
    CHECK(verdict_summary(nothing) == "this lesson measures nothing (the usual answer is b))");
}

TEST_CASE("verdict explanations: each quantity says why a run can differ", "[verdict]") {
    for (const auto quantity : {LessonQuantity::events_makespan, LessonQuantity::tasks_makespan,
                                LessonQuantity::leaked_runners, LessonQuantity::racy_counter_ratio,
                                LessonQuantity::events_completed, LessonQuantity::max_event_wait,
                                LessonQuantity::max_task_wait, LessonQuantity::session_destroyed_at}) {
        const auto lesson = lesson_measuring(quantity, seconds_ranges);
        INFO(to_string(quantity));
        CHECK(judge_lesson(lesson, LessonRun{}).explanation.size() > 40);
    }
    const auto makespan = judge_lesson(lesson_measuring(LessonQuantity::events_makespan, seconds_ranges), LessonRun{});
    CHECK(contains(makespan.explanation, "CPU-bound"));
    const auto racy = judge_lesson(lesson_measuring(LessonQuantity::racy_counter_ratio, seconds_ranges), LessonRun{});
    CHECK(contains(racy.explanation, "interleave"));
}

TEST_CASE("verdict: measure parsing: the quantity, the window, the session and one range per choice", "[verdict][scenario]") {
    const auto scenario = parse_lesson_with_measure(
        R"({"quantity": "max_task_wait", "from": 0.5, "until": 3, "session": 2, "ranges": [[0, 0.02], [0.02, 0.3], [0.3, null]]})");
    REQUIRE(scenario.lesson);
    REQUIRE(scenario.lesson->measure);
    const auto& measure = *scenario.lesson->measure;
    CHECK(measure.quantity == LessonQuantity::max_task_wait);
    CHECK(measure.from == 0.5);
    CHECK(measure.until == 3.0);
    CHECK(measure.session == 2);
    REQUIRE(measure.ranges.size() == 3);
    CHECK(measure.ranges[2].low == 0.3);
    CHECK_FALSE(measure.ranges[2].high);
    CHECK_FALSE(parse_lesson_with_measure(R"({"quantity": "leaked_runners", "ranges": [[0, 0], [1, null], [null, 0]]})")
                    .lesson->measure->ranges[2]
                    .low);
}

TEST_CASE("verdict: measure parsing: mistakes are errors naming the JSON path", "[verdict][scenario]") {
    const auto error_of = [](const std::string& measure, const std::string& choices = R"(["a", "b", "c"])") {
        try {
            parse_lesson_with_measure(measure, choices);
        } catch (const ScenarioError& error) {
            return std::string(error.what());
        }
        return std::string("no error");
    };
    const std::string ranges = R"("ranges": [[0, 1], [1, 2], [2, null]])";
    CHECK(contains(error_of(R"({"quantity": "events_makespan", "unit": "s", )" + ranges + "}"),
                   "lesson.measure.unit: unknown key"));
    CHECK(contains(error_of(R"({"quantity": "makespan", )" + ranges + "}"),
                   "lesson.measure.quantity: unknown quantity \"makespan\""));
    CHECK(contains(error_of(R"({"quantity": 3, )" + ranges + "}"), "lesson.measure.quantity: expected text"));
    CHECK(contains(error_of(R"({)" + ranges + "}"), "lesson.measure.quantity: missing"));
    CHECK(contains(error_of(R"({"quantity": "events_makespan"})"), "lesson.measure.ranges: missing"));
    CHECK(contains(error_of(R"({"quantity": "events_makespan", "ranges": [[0, 1], [1, 2]]})"),
                   "lesson.measure.ranges: expected one range per choice (3), got 2"));
    CHECK(contains(error_of(R"({"quantity": "events_makespan", "ranges": [[0, 1], [1, 2], [2, 3], [3, 4]]})"),
                   "lesson.measure.ranges: expected one range per choice (3), got 4"));
    CHECK(contains(error_of(R"({"quantity": "events_makespan", "ranges": {"a": 1}})"),
                   "lesson.measure.ranges: expected a list"));
    CHECK(contains(error_of(R"({"quantity": "events_makespan", "ranges": [[0, 1], [1], [2, null]]})"),
                   "lesson.measure.ranges[1]: expected [low, high]"));
    CHECK(contains(error_of(R"({"quantity": "events_makespan", "ranges": [[0, 1], [1, "2"], [2, null]]})"),
                   "lesson.measure.ranges[1][1]: expected a number, or null"));
    CHECK(contains(error_of(R"({"quantity": "events_makespan", "ranges": [[0, 1], [3, 2], [2, null]]})"),
                   "lesson.measure.ranges[1]: low 3 is above high 2"));
    CHECK(contains(error_of(R"({"quantity": "events_makespan", "until": "3", )" + ranges + "}"),
                   "lesson.measure.until: expected a number"));
    CHECK(contains(error_of(R"({"quantity": "events_makespan", "from": 3, "until": 2, )" + ranges + "}"),
                   "lesson.measure.until: expected a time after \"from\""));
    CHECK(contains(error_of(R"({"quantity": "leaked_runners", "until": 2, )" + ranges + "}"),
                   "lesson.measure.until: only for quantities measured from the trace"));
    CHECK(contains(error_of(R"({"quantity": "session_destroyed_at", )" + ranges + "}"),
                   "lesson.measure.session: missing (\"session_destroyed_at\" measures one session)"));
    CHECK(contains(error_of(R"({"quantity": "session_destroyed_at", "session": 1, "until": 2, )" + ranges + "}"),
                   "lesson.measure.until: only for quantities measured from the trace"));
    CHECK(contains(error_of(R"({"quantity": "racy_counter_ratio", "session": 1, )" + ranges + "}"),
                   "lesson.measure.session: only for quantities measured from the trace"));
    CHECK(contains(error_of(R"({"quantity": "max_task_wait", "session": 0, )" + ranges + "}"),
                   "lesson.measure.session: expected a whole number from 1"));
    CHECK(contains(error_of(R"({"quantity": "max_task_wait", "session": 3, )" + ranges + "}"),
                   "lesson.measure.session: session 3 is never created (the scenario creates 2)"));
    CHECK(contains(error_of("[1, 2]"), "lesson.measure: expected an object"));
    CHECK(error_of(R"({"quantity": "events_makespan", )" + ranges + "}") == "no error");
}

TEST_CASE("verdict: every built-in lesson measures something, with one range per choice", "[verdict]") {
    for (const auto& file : built_in_lessons()) {
        INFO(file.name);
        const auto scenario = load_lesson(file.name);
        REQUIRE(scenario.lesson);
        REQUIRE(scenario.lesson->measure);
        CHECK(scenario.lesson->measure->ranges.size() == scenario.lesson->choices.size());
    }
}

// The key property: a real run that shows another choice than the lesson file's answer is told so.
// Sleep work only (no CPU contention decides the outcome), judged from the run's own spans.
TEST_CASE("verdict: a real run on another choice: single-threaded with a pool of two measures about 2 s", "[verdict][lesson]") {
    Watchdog watchdog("verdict single-threaded with two threads");
    auto scenario = load_lesson("single-threaded");
    REQUIRE(scenario.lesson);
    const LessonText& lesson = *scenario.lesson;
    REQUIRE(lesson.answer == 1);  // about 4 s, one click after the other
    scenario.pool = PoolSetting::fixed(2);
    ScenarioRunOptions options;
    options.time_scale = 0.3;
    options.keep_lesson_run = true;
    const auto summary = run_scenario(scenario, options);
    REQUIRE_FALSE(summary.interrupted);
    REQUIRE(summary.lesson_run);

    const auto verdict = judge_lesson(lesson, *summary.lesson_run);
    const auto sentence = verdict_sentence(lesson, verdict, lesson.answer);
    INFO(sentence);
    // Two 2 s sleeps side by side, the second submitted 0.1 s later: 2.1 s (less a rounding), never below.
    CHECK(verdict.measured >= 2.0);
    CHECK(verdict.matched_choice == 0);
    CHECK(verdict.matched_choice != verdict.canonical);
    CHECK_FALSE(verdict.as_expected);
    CHECK(contains(sentence, "which matches a) about 2 s, not the usual answer b) about 4 s"));
    CHECK_FALSE(contains(sentence, "right"));
    CHECK(contains(verdict_sentence(lesson, verdict, 0), "You predicted a): right."));
}

TEST_CASE("verdict: a real run on another choice: clean-up-on-destroy without forgetting leaks nothing", "[verdict][lesson]") {
    Watchdog watchdog("verdict clean-up-on-destroy remembered");
    auto scenario = load_lesson("clean-up-on-destroy");
    REQUIRE(scenario.lesson);
    const auto forgets = std::erase_if(scenario.actions, [](const ScenarioAction& action) {
        return action.kind == ActionKind::forget_on_session_destroyed;
    });
    REQUIRE(forgets == 1);
    const auto [summary, verdict] = judged_run(scenario);
    const auto sentence = verdict_sentence(*scenario.lesson, verdict, std::nullopt);
    INFO(sentence);
    CHECK(verdict.measured == 0.0);
    CHECK(verdict.matched_choice == 0);  // they stop at once
    CHECK_FALSE(verdict.as_expected);
    CHECK(contains(sentence, "which matches a) they stop at once, not the usual answer b)"));
}

TEST_CASE("verdict: a real run on another choice: lost-updates on one thread loses nothing", "[verdict][lesson]") {
    Watchdog watchdog("verdict lost-updates on one thread");
    auto scenario = load_lesson("lost-updates");
    REQUIRE(scenario.lesson);
    scenario.pool = PoolSetting::fixed(1);  // the two racy clicks run one after the other
    const auto [summary, verdict] = judged_run(scenario);
    INFO(verdict_sentence(*scenario.lesson, verdict, std::nullopt));
    CHECK(summary.racy_counter.expected == 100000);
    CHECK(verdict.measured == 1.0);
    CHECK(verdict.matched_choice == 0);  // exactly 100 000
    CHECK_FALSE(verdict.as_expected);
}
