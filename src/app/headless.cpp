#include "headless.hpp"

#include <cstdio>
#include <fstream>
#include <string>

#include "core/chrome_trace.hpp"
#include "core/lesson_verdict.hpp"
#include "core/lessons.hpp"
#include "core/printable_text.hpp"
#include "core/world.hpp"
#include "core/scenario_runner.hpp"
#include "core/summary_json.hpp"
#include "ui/format.hpp"
#include "core/platform/stop.hpp"

namespace threadlab::app {

namespace {

// Predict first, as in the window: before the run only the setup and the question, nothing that
// gives the answer away (what to watch, why); after it what this run measured, then the rest.
void print_lesson_question(const Scenario& scenario) {
    const LessonText& lesson = *scenario.lesson;
    std::printf("Lesson: %s\n", lesson.title.c_str());
    if (!scenario.description.empty()) {
        std::printf("  Setup:   %s\n", printable_text(scenario.description, true).c_str());
    }
    std::printf("  Predict: %s\n", lesson.question.c_str());
    for (std::size_t i = 0; i < lesson.choices.size(); ++i) {
        std::printf("    %c) %s\n", static_cast<char>('a' + i), lesson.choices[i].c_str());
    }
    std::printf("\n");
}

void print_lesson_verdict(const LessonText& lesson, const LessonRun& run) {
    const auto verdict = judge_lesson(lesson, run);
    std::printf("\nLesson: %s\n", lesson.title.c_str());
    std::printf("  Watch:   %s\n", lesson.watch.c_str());
    std::printf("  Result:  %s\n", verdict_sentence(lesson, verdict, std::nullopt).c_str());
    std::printf("  Why:     %s\n", lesson.why.c_str());
    std::printf("  Panel:   %s\n", lesson.panel.c_str());
}

std::string ms(Clock::duration value) { return ui::format_duration(value); }

void print_row(const char* scope, const AccountingCounts& counts, const LatencySummary& wait,
               const LatencySummary& run) {
    std::printf("  %-12s %9llu %9llu %6llu %9llu  %9s %9s  %9s %9s\n", scope,
                static_cast<unsigned long long>(counts.submitted), static_cast<unsigned long long>(counts.completed),
                static_cast<unsigned long long>(counts.failed), static_cast<unsigned long long>(counts.cancelled),
                ms(wait.p50).c_str(), ms(wait.p99).c_str(), ms(run.p50).c_str(), ms(run.p99).c_str());
}

void print_summary(const ScenarioSummary& summary) {
    std::printf("\nSummary of \"%s\"%s: %.2f s on the wall clock, %.2f simulated s at time scale %g\n",
                printable_text(summary.name).c_str(), summary.interrupted ? " (interrupted)" : "", summary.wall_seconds,
                summary.simulated_seconds, summary.time_scale);
    std::printf("  %-12s %9s %9s %6s %9s  %9s %9s  %9s %9s\n", "", "submitted", "completed", "failed", "cancelled",
                "wait p50", "wait p99", "run p50", "run p99");
    print_row("pool events", summary.pool, summary.event_wait, summary.event_run);
    print_row("runner tasks", summary.tasks, summary.task_wait, summary.task_run);
    if (summary.processes.submitted > 0) {
        print_row("process jobs", summary.processes, summary.job_wait, summary.job_run);
    }
    for (const auto& session : summary.sessions) {
        if (session.events.submitted > 0) {
            const std::string scope = "session " + std::to_string(session.number) + (session.destroyed ? "*" : "");
            print_row(scope.c_str(), session.events, session.event_wait, session.event_run);
        }
    }
    for (const auto& session : summary.sessions) {
        if (session.tasks.submitted > 0) {
            std::printf("  session %d%s runner: %llu tasks (%llu completed, %llu failed, %llu cancelled), queue wait "
                        "p50 %s, p99 %s; woke %llu times while idle; %.3f s CPU\n",
                        session.number, session.destroyed ? "*" : "",
                        static_cast<unsigned long long>(session.tasks.submitted),
                        static_cast<unsigned long long>(session.tasks.completed),
                        static_cast<unsigned long long>(session.tasks.failed),
                        static_cast<unsigned long long>(session.tasks.cancelled), ms(session.task_wait.p50).c_str(),
                        ms(session.task_wait.p99).c_str(), static_cast<unsigned long long>(session.runner_wakeups),
                        session.runner_cpu_seconds);
        }
    }
    if (summary.leaked_sessions > 0) {
        std::printf("  leaked: %zu destroyed sessions still had their runner thread at the end "
                    "(stopped and joined now that the run is over)\n",
                    summary.leaked_sessions);
    }
    bool any_destroyed = false;
    for (const auto& session : summary.sessions) {
        any_destroyed = any_destroyed || session.destroyed;
    }
    if (any_destroyed) {
        std::printf("  (* destroyed during the run)\n");
    }
    const auto& loop = summary.event_loop;
    if (loop.events > 0 || loop.next_tick_callbacks + loop.unhold_callbacks > 0) {
        // A step is what ran between two awaits; the wait and run columns above count each step.
        std::printf("  event loop: %zu events (%zu async callbacks in %zu steps), held for %.2f simulated s\n",
                    loop.events, loop.async_events, loop.async_steps, loop.busy_seconds);
    }
    if (loop.next_tick_callbacks + loop.unhold_callbacks > 0) {
        std::printf("  back to the page: %zu next-tick callbacks under the document lock, %zu unhold callbacks\n",
                    loop.next_tick_callbacks, loop.unhold_callbacks);
    }
    const auto& law = summary.littles_law;
    if (summary.pool.submitted > 0) {
        std::printf("  queue: %u events at most; Little's law: L = %.2f events in the system on average, "
                    "lambda x W = %.2f/s x %.2f s = %.2f\n",
                    summary.peak_queue, law.l, law.lambda_per_second, law.w_seconds,
                    law.lambda_per_second * law.w_seconds);
    }
    for (const auto& [name, reading] : {std::pair{"racy", summary.racy_counter}, std::pair{"atomic", summary.atomic_counter},
                                        std::pair{"mutex", summary.mutex_counter}}) {
        if (reading.expected > 0) {
            std::printf("  %-6s counter: %llu of %llu increments kept, %llu lost\n", name,
                        static_cast<unsigned long long>(reading.value), static_cast<unsigned long long>(reading.expected),
                        static_cast<unsigned long long>(reading.lost()));
        }
    }
    std::printf("  threads: %zu at most during the run, %ld left after it\n", summary.peak_threads,
                summary.threads_left);
}

}  // namespace

void list_lessons() {
    for (const auto& lesson : built_in_lessons()) {
        const auto scenario = load_lesson(lesson.name);
        std::printf("%-24s %s\n", std::string(lesson.name).c_str(),
                    scenario.lesson ? scenario.lesson->title.c_str() : scenario.description.c_str());
    }
}

int run_headless(const Options& options, StopSignals& signals) {
    Scenario scenario;
    try {
        scenario = options.lesson.empty() ? load_scenario_file(options.scenario_path) : load_lesson(options.lesson);
    } catch (const ScenarioError& error) {
        std::fprintf(stderr, "threadlab: %s\n", error.what());
        return 2;
    }
    if (signals.stop_requested()) {
        return 0;  // stopped while the file was read; main() turns it into 128 + the signal
    }
    // Opened before the run, so that a path that cannot be written stops it at once.
    std::ofstream progress;
    if (!options.progress_json_path.empty()) {
        progress.open(options.progress_json_path, std::ios::trunc);
        if (!progress) {
            std::fprintf(stderr, "threadlab: --progress-json: cannot write %s\n", options.progress_json_path.c_str());
            return 2;
        }
    }

    stop_source stop;
    signals.on_stop([&stop] { stop.request_stop(); });

    std::printf("ThreadLab headless: %s \"%s\", pool %s, time scale %g\n", options.lesson.empty() ? "scenario" : "lesson",
                printable_text(scenario.name).c_str(), scenario.pool.describe().c_str(),
                options.time_scale_override.value_or(scenario.time_scale));
    if (!scenario.description.empty() && !scenario.lesson) {
        std::printf("%s\n", printable_text(scenario.description, true).c_str());
    }
    std::printf("\n");
    if (scenario.lesson) {
        print_lesson_question(scenario);
    }

    const auto origin = Clock::now();
    ScenarioRunOptions run;
    run.time_scale = options.time_scale_override;
    run.stop = stop.get_token();
    run.keep_lesson_run = scenario.lesson.has_value();
    run.on_log = [origin](const LogEntry& entry) {
        std::printf("  %s  ", ui::format_offset(origin, entry.time).c_str());
        if (entry.session != 0) {
            std::printf("#%-3u ", entry.session);
        }
        std::printf("%s\n", printable_text(entry.text).c_str());
        std::fflush(stdout);
    };
    if (progress.is_open()) {
        run.on_progress = [&progress](const World& world, double seconds) {
            progress << progress_to_json(world, seconds) << std::flush;  // readable while the run goes
        };
    }
    std::string trace_error;
    if (!options.trace_path.empty()) {
        run.before_teardown = [&](const World& world) {
            try {
                write_chrome_trace(world.trace_data(scenario.name), options.trace_path);
            } catch (const std::exception& error) {
                trace_error = error.what();
            }
        };
    }
    const auto summary = run_scenario(scenario, run);
    signals.on_stop({});
    print_summary(summary);
    // An interrupted run measured only part of the lesson: no verdict from it.
    if (scenario.lesson && summary.lesson_run && !summary.interrupted) {
        print_lesson_verdict(*scenario.lesson, *summary.lesson_run);
    }

    int exit_code = summary.interrupted && signals.stop_requested() ? 128 + signals.signal() : 0;
    if (!trace_error.empty()) {
        std::fprintf(stderr, "threadlab: --trace: %s\n", trace_error.c_str());
        exit_code = exit_code == 0 ? 1 : exit_code;
    } else if (!options.trace_path.empty()) {
        std::printf("Trace written to %s (open it in Perfetto UI or chrome://tracing)\n", options.trace_path.c_str());
    }
    if (!options.summary_json_path.empty()) {
        std::ofstream file(options.summary_json_path);
        file << summary_to_json(summary);
        if (!file) {
            std::fprintf(stderr, "threadlab: --summary-json: cannot write %s\n", options.summary_json_path.c_str());
            exit_code = exit_code == 0 ? 1 : exit_code;
        }
    }
    return exit_code;
}

}  // namespace threadlab::app
