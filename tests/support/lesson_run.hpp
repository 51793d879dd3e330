#pragma once
// Running a built-in lesson headless for a test, and judging it: shared by the lesson tests
// (test_lessons.cpp, test_lesson_processes.cpp).

#include <catch2/catch.hpp>

#include <algorithm>
#include <string_view>
#include <vector>

#include "core/lesson_verdict.hpp"
#include "core/lessons.hpp"
#include "core/scenario_runner.hpp"

namespace threadlab::testing {

// Small enough to keep the suite quick, large enough that a thread started 100 ms late on a
// loaded host (three suites, two at a time, one under ThreadSanitizer) cannot change an order.
constexpr double test_scale = 0.3;

struct LessonResult {
    ScenarioSummary summary;
    std::vector<SpanRecord> spans;
};

inline LessonResult run_lesson(std::string_view name) {
    LessonResult run;
    ScenarioRunOptions options;
    options.time_scale = test_scale;
    options.keep_lesson_run = true;
    run.summary = run_scenario(load_lesson(name), options);
    REQUIRE(run.summary.lesson_run);
    run.spans = run.summary.lesson_run->spans;
    std::sort(run.spans.begin(), run.spans.end(),
              [](const SpanRecord& a, const SpanRecord& b) { return a.submitted < b.submitted; });
    return run;
}

/// The lesson's measure, judged on this run, matches its canonical answer (a quiet machine's).
inline void check_verdict(std::string_view name, const ScenarioSummary& summary) {
    const auto lesson = load_lesson(name).lesson;
    REQUIRE(lesson);
    REQUIRE(lesson->measure);
    REQUIRE(summary.lesson_run);
    const auto verdict = judge_lesson(*lesson, *summary.lesson_run);
    INFO(verdict_sentence(*lesson, verdict, std::nullopt));
    CHECK(verdict.matched_choice == lesson->answer);
    CHECK(verdict.as_expected);
}

}  // namespace threadlab::testing
