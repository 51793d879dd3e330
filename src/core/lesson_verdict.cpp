#include "lesson_verdict.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>

#include "world.hpp"

namespace threadlab {

namespace {

constexpr double nothing_measured = std::numeric_limits<double>::quiet_NaN();

/// "0.153", "3.98", "22.5": enough digits to tell the choices apart, no more.
std::string seconds_text(double seconds) {
    char text[32];
    const char* format = seconds >= 10.0 ? "%.1f" : (seconds >= 0.1 ? "%.2f" : "%.3f");
    std::snprintf(text, sizeof text, format, seconds);
    return text;
}

/// "3", "0.5": a time the lesson file wrote, as it wrote it.
std::string bound_text(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", seconds);
    return text;
}

/// "100 000": digits in groups of three, the way the lesson texts write numbers.
std::string grouped(std::uint64_t value) {
    const std::string digits = std::to_string(value);
    std::string text;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) {
            text.push_back(' ');
        }
        text.push_back(digits[i]);
    }
    return text;
}

/// Which spans a span quantity counts: submitted in the measure's window, of its session.
class Scope {
public:
    Scope(const LessonMeasure& measure, const LessonRun& run) : m_measure(measure) {
        const auto offset = [&run](double simulated) {
            return run.started + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(simulated * run.time_scale));
        };
        m_from = offset(measure.from.value_or(0.0));
        m_until = measure.until ? offset(*measure.until) : Clock::time_point::max();
        if (measure.session) {
            const auto index = static_cast<std::size_t>(*measure.session - 1);
            if (index < run.sessions.size()) {
                m_session = run.sessions[index];
            } else {
                m_missing_session = true;
            }
        }
    }

    bool holds(const SpanRecord& span, bool tasks) const {
        // Tasks, or pool events; a process's start-up and jobs are part of the event or task that waits for them.
        return (tasks ? span.kind == SpanKind::task : is_pool_event(span.kind)) && span.submitted >= m_from && span.submitted < m_until &&
               (!m_session || span.session == *m_session);
    }
    /// A next-tick callback of the page (or an unhold) queued in the window, of the session.
    bool holds_page_callback(const SpanRecord& span) const {
        return is_page_callback(span.kind) && span.submitted >= m_from && span.submitted < m_until &&
               (!m_session || span.session == *m_session);
    }
    /// The lesson names a session this run never created (a window's lesson stopped early).
    bool missing_session() const { return m_missing_session; }

    /// " of session 3 submitted in the first 3 s": what narrowed the spans, for the text.
    std::string describe() const {
        std::string text;
        if (m_measure.session) {
            text += " of session " + std::to_string(*m_measure.session);
        }
        const double from = m_measure.from.value_or(0.0);
        if (m_measure.until) {
            text += from > 0.0 ? " submitted between " + bound_text(from) + " and " + bound_text(*m_measure.until) + " s"
                               : " submitted in the first " + bound_text(*m_measure.until) + " s";
        } else if (from > 0.0) {
            text += " submitted from " + bound_text(from) + " s on";
        }
        return text;
    }

private:
    const LessonMeasure& m_measure;
    Clock::time_point m_from{};
    Clock::time_point m_until{};
    std::optional<SessionId> m_session;
    bool m_missing_session = false;
};

double simulated(Clock::duration real, double time_scale) {
    return std::chrono::duration<double>(real).count() / time_scale;
}

// Why a run can land on another choice, per quantity: what the machine, not the lesson, decides.
const char* makespan_reason =
    "compute work is CPU-bound, so other programs on the same cores slow it down (and under the GIL the threads "
    "also take turns, handing it over every 5 ms); sleeps are not slowed that way, though a busy machine can start "
    "a thread late; and a pool or GIL setting changed during the run changes the time as well";
const char* destroyed_reason =
    "Bokeh destroys the session of a closed tab at its first unused-session check at least 15 s after the close "
    "(checks every 17 s from the server's start), while Destroy calls on_session_destroyed at once, so the time "
    "changes only when the session was destroyed directly, or the run ended before the server's check";
const char* leaked_reason =
    "a runner of a session destroyed without on_session_destroyed lives until the program ends, while one destroyed "
    "the usual way stops at once, so the count changes when on_session_destroyed was forgotten or restored at other "
    "moments; a crash is never measured (a run that crashed leaves no verdict)";
const char* racy_reason =
    "an update is lost only when the two threads' read and write really interleave: with one pool thread, or when "
    "one click finished before the other started, nothing is lost, and how many are lost depends on how often the "
    "machine switches between the two threads";
const char* completed_reason =
    "a resize never drops an event, so fewer complete only when events were cancelled, their session was "
    "destroyed, or the run was stopped before the queue emptied";
const char* tasks_completed_reason =
    "a runner that stays alive runs every task queued to it, so fewer complete only when tasks failed or were "
    "cancelled, the runner thread died, or the run was stopped before the queues emptied";
const char* event_wait_reason =
    "an event waits while every worker is busy, and an async step while the event loop runs something else: slower "
    "work (compute slowed by other programs on the cores) or fewer threads make the queue and its wait grow, more "
    "threads shrink them (but not the loop's queue: the loop is one thread whatever the pool's size)";
const char* task_wait_reason =
    "a task waits until its runner notices it: a runner waiting on a condition variable starts it at once, a polling "
    "one only at its next look (which a busy machine can make later still), and a task queued behind a running one "
    "waits for it to finish";

const char* page_callbacks_reason =
    "each widget change from a worker thread is its own next-tick callback, with or without hold() or unlocked() "
    "around it (hold adds one that releases them), so the count changes only with the number of changes made, "
    "with one scheduled callback making them all, or when the run was stopped or the session destroyed before the "
    "loop ran them";

struct Measurement {
    double value = nothing_measured;
    std::string text;
    const char* reason = "";
};

/// A measurement not made yet, for `reason`; when the lesson names a session this run never
/// created, it says so and stays unmeasured (the caller returns it as it is).
Measurement begin_measurement(const Scope& scope, const LessonMeasure& measure, const char* reason) {
    Measurement result;
    result.reason = reason;
    if (scope.missing_session()) {
        result.text = "no session " + std::to_string(*measure.session);
    }
    return result;
}

Measurement measure_makespan(const LessonMeasure& measure, const LessonRun& run, bool tasks) {
    const Scope scope(measure, run);
    Measurement result = begin_measurement(scope, measure, makespan_reason);
    if (scope.missing_session()) {
        return result;
    }
    const std::string what = tasks ? "runner task" : "pool event";
    auto first = Clock::time_point::max();
    auto last = Clock::time_point::min();
    // A coroutine counts from its submission (every step's `submitted`) to its last step's end.
    for (const auto& span : run.spans) {
        if (scope.holds(span, tasks)) {
            first = std::min(first, span.submitted);
            last = std::max(last, span.finished);
        }
    }
    if (first == Clock::time_point::max()) {
        result.text = "no finished " + what + scope.describe();
        return result;
    }
    result.value = simulated(last - first, run.time_scale);
    result.text = seconds_text(result.value) + " simulated s from the first " + what + "'s submission to the last one's end" +
                  (scope.describe().empty() ? "" : " (" + what + "s" + scope.describe() + ")");
    return result;
}

Measurement measure_max_wait(const LessonMeasure& measure, const LessonRun& run, bool tasks) {
    const Scope scope(measure, run);
    Measurement result = begin_measurement(scope, measure, tasks ? task_wait_reason : event_wait_reason);
    if (scope.missing_session()) {
        return result;
    }
    const std::string what = tasks ? "runner task" : "pool event";
    // A coroutine step's wait counts from when it became ready (submitted, or its await ended):
    // the time it waited for the loop, not the time it chose to await.
    std::optional<Clock::duration> longest;
    for (const auto& span : run.spans) {
        if (scope.holds(span, tasks)) {
            longest = std::max(longest.value_or(Clock::duration::min()), span.queue_wait());
        }
    }
    if (!longest) {
        result.text = "no finished " + what + scope.describe();
        return result;
    }
    result.value = simulated(*longest, run.time_scale);
    result.text = "a longest queue wait of " + seconds_text(result.value) + " simulated s among the " + what + "s" +
                  scope.describe();
    return result;
}

Measurement measure_completed(const LessonMeasure& measure, const LessonRun& run, bool tasks) {
    const Scope scope(measure, run);
    Measurement result = begin_measurement(scope, measure, tasks ? tasks_completed_reason : completed_reason);
    if (scope.missing_session()) {
        return result;
    }
    std::uint64_t completed = 0;
    std::uint64_t seen = 0;
    for (const auto& span : run.spans) {
        // A coroutine leaves a span per step: only its last one says how the event ended.
        if (scope.holds(span, tasks) && span.ends_event()) {
            ++seen;
            completed += span.outcome == Outcome::completed ? 1 : 0;
        }
    }
    // Events still queued or running when the run ended left no span; without a window or a
    // session they are all the lesson's, and they did not complete. (Runner tasks left over
    // are cancelled when their session goes, which leaves a span.)
    if (!tasks && !measure.session && !measure.until) {
        seen += run.pool.queued + run.pool.running;
    }
    result.value = static_cast<double>(completed);
    result.text = grouped(completed) + " of " + grouped(seen) + (tasks ? " runner tasks" : " pool events") +
                  " completed" + scope.describe();
    return result;
}

Measurement measure_page_callbacks(const LessonMeasure& measure, const LessonRun& run) {
    const Scope scope(measure, run);
    Measurement result = begin_measurement(scope, measure, page_callbacks_reason);
    if (scope.missing_session()) {
        return result;
    }
    std::uint64_t next_ticks = 0;
    std::uint64_t unholds = 0;
    for (const auto& span : run.spans) {
        if (scope.holds_page_callback(span)) {
            (span.kind == SpanKind::unhold ? unholds : next_ticks) += 1;
        }
    }
    result.value = static_cast<double>(next_ticks + unholds);
    result.text = grouped(next_ticks + unholds) + " callbacks of the page on the event loop";
    if (unholds > 0) {
        result.text.append(" (").append(grouped(unholds)).append(unholds == 1 ? " of them an unhold)" : " of them unholds)");
    }
    result.text.append(scope.describe());
    return result;
}

Measurement measure(const LessonMeasure& measure, const LessonRun& run) {
    switch (measure.quantity) {
        case LessonQuantity::events_makespan: return measure_makespan(measure, run, false);
        case LessonQuantity::tasks_makespan: return measure_makespan(measure, run, true);
        case LessonQuantity::max_event_wait: return measure_max_wait(measure, run, false);
        case LessonQuantity::max_task_wait: return measure_max_wait(measure, run, true);
        case LessonQuantity::events_completed: return measure_completed(measure, run, false);
        case LessonQuantity::tasks_completed: return measure_completed(measure, run, true);
        case LessonQuantity::page_callbacks: return measure_page_callbacks(measure, run);
        case LessonQuantity::session_destroyed_at: {
            Measurement result{std::numeric_limits<double>::quiet_NaN(), "", destroyed_reason};
            const auto number = static_cast<std::size_t>(measure.session.value_or(0));
            // Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive) on a chain of
            // string + literal here.
            std::string session = "session ";
            session.append(std::to_string(number));
            if (number < 1 || number > run.destroyed.size()) {
                result.text = "no " + session;
                return result;
            }
            if (const auto destroyed = run.destroyed[number - 1]) {
                result.value = simulated(*destroyed - run.started, run.time_scale);
                result.text = session;
                result.text.append(" destroyed ").append(seconds_text(result.value)).append(" simulated s after the start");
            } else {
                result.value = std::numeric_limits<double>::infinity();
                result.text = session;
                result.text.append(" never destroyed");
            }
            return result;
        }
        case LessonQuantity::leaked_runners: {
            Measurement result{static_cast<double>(run.leaked_runners), "", leaked_reason};
            result.text = run.leaked_runners == 0
                              ? std::string("no runner thread of a destroyed session alive at the end")
                              : grouped(run.leaked_runners) +
                                    (run.leaked_runners == 1 ? " runner thread" : " runner threads") +
                                    " of destroyed sessions still alive at the end";
            return result;
        }
        case LessonQuantity::racy_counter_ratio: {
            Measurement result{nothing_measured, "no increment of the racy counter", racy_reason};
            const auto& counter = run.racy_counter;
            if (counter.expected > 0) {
                result.value = static_cast<double>(counter.value) / static_cast<double>(counter.expected);
                char ratio[32];
                std::snprintf(ratio, sizeof ratio, "%.4f", result.value);
                result.text = grouped(counter.value) + " of " + grouped(counter.expected) +
                              " increments kept by the racy counter (a ratio of " + ratio + ")";
            }
            return result;
        }
    }
    return {};
}

}  // namespace

LessonRun capture_lesson_run(const World& world, Clock::time_point started,
                             const std::vector<std::shared_ptr<const Session>>& sessions_in_order, std::size_t leaked) {
    LessonRun run;
    run.spans = world.trace().spans();
    // A window's World ran other work before the lesson: it never counts, so it is not kept.
    std::erase_if(run.spans, [started](const SpanRecord& span) { return span.submitted < started; });
    run.started = started;
    run.time_scale = world.time().get();
    for (const auto& session : sessions_in_order) {
        run.sessions.push_back(session->id());
        run.destroyed.push_back(session->stop_requested_at());
    }
    run.racy_counter = world.counters().read(CounterKind::racy);
    run.leaked_runners = leaked;
    run.pool = world.pool().counts();
    return run;
}

LessonVerdict judge_lesson(const LessonText& lesson, const LessonRun& run) {
    LessonVerdict verdict;
    verdict.canonical = lesson.answer;
    if (!lesson.measure) {
        verdict.measured = nothing_measured;
        verdict.explanation = "the lesson names nothing to measure";
        return verdict;
    }
    const auto measured = measure(*lesson.measure, run);
    verdict.measured = measured.value;
    verdict.measured_text = measured.text;
    verdict.explanation = measured.reason;
    if (!std::isnan(measured.value)) {
        const auto& ranges = lesson.measure->ranges;
        const auto found = std::find_if(ranges.begin(), ranges.end(),
                                        [&](const MeasureRange& range) { return range.contains(measured.value); });
        if (found != ranges.end()) {
            verdict.matched_choice = static_cast<int>(found - ranges.begin());
        }
    }
    verdict.as_expected = verdict.matched_choice == verdict.canonical;
    return verdict;
}

std::string choice_label(const LessonText& lesson, int choice) {
    if (choice < 0 || static_cast<std::size_t>(choice) >= lesson.choices.size()) {
        return "?";
    }
    return std::string(1, static_cast<char>('a' + choice)) + ") " + lesson.choices[static_cast<std::size_t>(choice)];
}

namespace {
std::string choice_letter(int choice) { return std::string(1, static_cast<char>('a' + choice)).append(")"); }

/// "run measured X, which matches C, the usual answer" ("..., not the usual answer C", "..., which
/// matches none of the choices (the usual answer is C)"), each choice named by `name`: the core of
/// both the stage's sentence and the log's summary.
template <class NameChoice>
std::string run_matched(const LessonVerdict& verdict, NameChoice name) {
    std::string text = std::isnan(verdict.measured) ? std::string("run had ").append(verdict.measured_text).append(" to measure")
                                                    : std::string("run measured ").append(verdict.measured_text);
    if (verdict.as_expected) {
        return text.append(", which matches ").append(name(*verdict.matched_choice)).append(", the usual answer");
    }
    if (verdict.matched_choice) {
        return text.append(", which matches ")
            .append(name(*verdict.matched_choice))
            .append(", not the usual answer ")
            .append(name(verdict.canonical));
    }
    return text.append(", which matches none of the choices (the usual answer is ").append(name(verdict.canonical)).append(")");
}
}  // namespace

std::string verdict_summary(const LessonVerdict& verdict) {
    if (verdict.measured_text.empty()) {  // a lesson file without "measure"
        return std::string("this lesson measures nothing (the usual answer is ").append(choice_letter(verdict.canonical)).append(")");
    }
    return std::string("this ").append(run_matched(verdict, choice_letter));
}

std::string verdict_sentence(const LessonText& lesson, const LessonVerdict& verdict, std::optional<int> prediction) {
    const std::string letter = prediction ? choice_letter(*prediction) : "";
    if (!lesson.measure) {
        std::string text = "This lesson measures nothing, so the run cannot tell which choice it showed; the usual "
                           "answer is " + choice_label(lesson, verdict.canonical) + ".";
        if (prediction) {
            text += " You predicted " + letter + ".";
        }
        return text;
    }
    std::string text = std::string("This ").append(
        run_matched(verdict, [&lesson](int choice) { return choice_label(lesson, choice); }));
    text += verdict.as_expected ? "." : ": " + verdict.explanation + ".";
    if (prediction) {
        if (verdict.matched_choice == prediction) {
            text += " You predicted " + letter + ": right.";
        } else if (verdict.matched_choice) {
            text += " You predicted " + letter + ": not what this run showed" +
                    (*prediction == verdict.canonical ? " (though it is what a quiet machine shows)." : ".");
        } else {
            text += " You predicted " + letter + ": this run showed none of the choices" +
                    (*prediction == verdict.canonical ? " (yours is what a quiet machine shows)." : ".");
        }
    }
    return text;
}

}  // namespace threadlab
