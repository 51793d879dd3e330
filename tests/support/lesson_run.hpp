#pragma once
// Running a built-in lesson headless for a test, and the checks every lesson test shares: the run
// ended clean, and its measure (judged on this run) lands on the lesson's canonical answer.
// Shared by the lesson tests (test_lessons.cpp, test_lesson_processes.cpp).

#include <catch2/catch.hpp>

#include <algorithm>
#include <iterator>
#include <optional>
#include <string_view>
#include <vector>

#include "core/lesson_verdict.hpp"
#include "core/lessons.hpp"
#include "core/scenario_runner.hpp"

namespace threadlab::testing {

// Small enough to keep the suite quick, large enough that a thread started 100 ms late on a
// loaded host (three suites, two at a time, one under ThreadSanitizer) cannot change an order.
inline constexpr double test_scale = 0.3;

struct LessonResult {
    ScenarioSummary summary;
    std::vector<SpanRecord> spans;
};

/// Runs the lesson at test_scale; `pool` replaces its scenario's pool setting when given.
inline LessonResult run_lesson(std::string_view name, std::optional<PoolSetting> pool = std::nullopt) {
    LessonResult run;
    ScenarioRunOptions options;
    options.time_scale = test_scale;
    options.keep_lesson_run = true;
    auto scenario = load_lesson(name);
    if (pool) {
        scenario.pool = *pool;
    }
    run.summary = run_scenario(scenario, options);
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

inline std::vector<SpanRecord> of_kind(const std::vector<SpanRecord>& spans, SpanKind kind) {
    std::vector<SpanRecord> result;
    std::copy_if(spans.begin(), spans.end(), std::back_inserter(result),
                 [kind](const SpanRecord& span) { return span.kind == kind; });
    return result;
}

inline bool overlap(const SpanRecord& a, const SpanRecord& b) { return a.started < b.finished && b.started < a.finished; }

inline double simulated(Clock::duration duration) { return std::chrono::duration<double>(duration).count() / test_scale; }

inline void check_clean(const ScenarioSummary& summary) {
    CHECK_FALSE(summary.interrupted);
    CHECK(summary.pool.balanced());
    CHECK(summary.pool.idle());
    CHECK(summary.tasks.balanced());
    CHECK(summary.threads_left == 0);
}


}  // namespace threadlab::testing
