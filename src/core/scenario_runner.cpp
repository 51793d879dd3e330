#include "scenario_runner.hpp"

#include <algorithm>
#include <map>
#include <memory>

#include "scenario_player.hpp"
#include "platform/thread_count.hpp"
#include "world.hpp"
#include "platform/stop.hpp"

namespace threadlab {

namespace {

void summarize_spans(const World& world, ScenarioSummary& summary) {
    std::map<SessionId, std::pair<std::vector<Clock::duration>, std::vector<Clock::duration>>> per_session;
    std::vector<Clock::duration> event_waits, event_runs, task_waits, task_runs, job_waits, job_runs;
    for (const auto& span : world.trace().spans()) {
        if (span.kind == SpanKind::process_job) {
            job_waits.push_back(span.queue_wait());
            job_runs.push_back(span.run_time());
        } else if (span.kind == SpanKind::task) {
            task_waits.push_back(span.queue_wait());
            task_runs.push_back(span.run_time());
        } else if (is_pool_event(span.kind)) {
            event_waits.push_back(span.queue_wait());
            event_runs.push_back(span.run_time());
            per_session[span.session].first.push_back(span.queue_wait());
            per_session[span.session].second.push_back(span.run_time());
        }
    }
    summary.event_wait = summarize(event_waits);
    summary.event_run = summarize(event_runs);
    summary.task_wait = summarize(task_waits);
    summary.task_run = summarize(task_runs);
    summary.job_wait = summarize(job_waits);
    summary.job_run = summarize(job_runs);
    std::map<SessionId, std::vector<Clock::duration>> task_waits_by_session;
    for (const auto& span : world.trace().spans()) {
        if (span.kind == SpanKind::task) {
            task_waits_by_session[span.session].push_back(span.queue_wait());
        }
    }
    for (auto& session : summary.sessions) {
        auto& [waits, runs] = per_session[session.id];
        session.event_wait = summarize(waits);
        session.event_run = summarize(runs);
        session.task_wait = summarize(task_waits_by_session[session.id]);
    }
    summary.spans_dropped = world.trace().dropped();

    // Little's law over [first arrival, last departure] of the pool's events. An async callback
    // leaves a span per step, all with its submission: it is one event, counted at its last step.
    Clock::time_point first = Clock::time_point::max();
    Clock::time_point last = Clock::time_point::min();
    double time_in_system = 0.0;
    std::size_t events = 0;
    const double scale = world.time().get();
    for (const auto& span : world.trace().spans()) {
        if (is_page_callback(span.kind)) {
            summary.event_loop.busy_seconds += std::chrono::duration<double>(span.run_time()).count() / scale;
            (span.kind == SpanKind::unhold ? summary.event_loop.unhold_callbacks : summary.event_loop.next_tick_callbacks) += 1;
            continue;
        }
        if (!is_pool_event(span.kind)) {
            continue;
        }
        first = std::min(first, span.submitted);
        last = std::max(last, span.finished);
        if (span.on_loop()) {
            summary.event_loop.busy_seconds += std::chrono::duration<double>(span.run_time()).count() / scale;
            summary.event_loop.async_steps += span.async_step() ? 1u : 0u;
        }
        if (span.ends_event()) {
            time_in_system += std::chrono::duration<double>(span.finished - span.submitted).count();
            ++events;
            if (span.on_loop()) {
                ++summary.event_loop.events;
                summary.event_loop.async_events += span.async_step() ? 1u : 0u;
            }
        }
    }
    const auto counters = world.trace().counters();
    for (const auto& sample : counters) {
        summary.peak_queue = std::max(summary.peak_queue, sample.queued);
    }
    if (events > 0 && last > first) {
        const double window = std::chrono::duration<double>(last - first).count();
        // L independently of the spans: integrate the sampled (queued + busy) step function.
        double area = 0.0;
        for (std::size_t i = 0; i + 1 < counters.size(); ++i) {
            const auto from = std::max(counters[i].when, first);
            const auto to = std::min(counters[i + 1].when, last);
            if (to > from) {
                area += (counters[i].queued + counters[i].busy) * std::chrono::duration<double>(to - from).count();
            }
        }
        summary.littles_law.l = area / window;
        summary.littles_law.lambda_per_second = static_cast<double>(events) / window * scale;
        summary.littles_law.w_seconds = time_in_system / static_cast<double>(events) / scale;
    }
}

}  // namespace

ScenarioSummary run_scenario(const Scenario& scenario, const ScenarioRunOptions& options) {
    ScenarioSummary summary;
    summary.name = scenario.name;
    summary.time_scale = options.time_scale.value_or(scenario.time_scale);
    const auto threads_before = process_thread_count();
    const auto wall_start = Clock::now();
    {
        World world({scenario.pool, summary.time_scale, scenario.gil, scenario.one_event_per_session});
        world.set_tracing(options.trace);
        ScenarioPlayer player(world, scenario);
        // A stop request wakes the wait below at once.
        stop_callback wake_on_stop(options.stop, [&world] { world.changes().notify(); });

        std::uint64_t log_seen = 0;
        std::vector<LogEntry> fresh;
        auto last_thread_sample = Clock::time_point{};
        auto next_progress = wall_start + options.progress_every;
        const auto pump = [&] {
            fresh.clear();
            const auto seen_before = log_seen;
            log_seen = world.log().copy_since(log_seen, fresh);
            if (const auto missed = entries_missed(seen_before, fresh); missed > 0) {
                summary.log_lines_missed += missed;
                if (options.on_log) {
                    options.on_log({0, fresh.front().time, 0, missed_entries_notice(missed, world.log().capacity())});
                }
            }
            if (options.on_log) {
                for (const auto& entry : fresh) {
                    options.on_log(entry);
                }
            }
            // /proc is read at most every 10 ms, not at every one of thousands of transitions.
            if (const auto now = Clock::now(); now - last_thread_sample >= std::chrono::milliseconds(10)) {
                summary.peak_threads = std::max(summary.peak_threads, process_thread_count());
                last_thread_sample = now;
            }
            if (options.on_progress && Clock::now() >= next_progress) {
                options.on_progress(world, std::chrono::duration<double>(Clock::now() - wall_start).count());
                // After a stall, the next sample comes a period later rather than in a burst.
                next_progress = std::max(next_progress + options.progress_every, Clock::now());
            }
        };
        // Sleeps on the engine's change signal until `deadline` or `done()`; false when stopped.
        const auto wait_until = [&](Clock::time_point deadline, auto&& done) {
            for (;;) {
                const auto seen = world.changes().generation();
                pump();
                if (options.stop.stop_requested()) {
                    return false;
                }
                const auto now = Clock::now();
                if (done() || now >= deadline) {
                    return true;
                }
                // Wakes for the next progress sample too, so a quiet run still reports on time.
                const auto wake = options.on_progress ? std::min(deadline, next_progress) : deadline;
                const auto left = std::chrono::ceil<std::chrono::milliseconds>(std::max(wake - now, Clock::duration::zero()));
                world.changes().wait_for_change(seen, std::min(left, std::chrono::milliseconds(1000)));
            }
        };

        const auto start = Clock::now();
        // "end" is a hard stop (the player runs no action after it; a closed tab's discard may be).
        const auto end = scenario.end ? start + world.time().to_real(*scenario.end) : Clock::time_point::max();
        player.start(start);
        player.advance(start);
        while (const auto due = player.next_due()) {
            if (*due > end) {
                break;
            }
            if (!wait_until(*due, [] { return false; })) {
                summary.interrupted = true;
                break;
            }
            player.advance(Clock::now());
        }
        if (!summary.interrupted) {
            summary.interrupted = !wait_until(end, [&] { return player.done(); });
        }
        pump();
        summary.simulated_seconds = world.time().to_simulated(Clock::now() - start);

        summary.pool = world.pool().counts();
        summary.processes = world.processes().counts();
        for (std::size_t i = 0; i < player.sessions().size(); ++i) {
            const auto& session = player.sessions()[i];
            SessionSummary entry;
            entry.number = static_cast<int>(i + 1);
            entry.id = session->id();
            entry.destroyed = world.session(session->id()) == nullptr;
            entry.tasks = session->task_counts();
            entry.runner_wakeups = session->wakeups();
            if (const auto cpu = session->runner_cpu_time()) {
                entry.runner_cpu_seconds = std::chrono::duration<double>(*cpu).count();
            }
            entry.events = session->event_counts();
            summary.tasks += entry.tasks;
            summary.sessions.push_back(entry);
        }
        summary.leaked_sessions = world.leaked_sessions();
        summarize_spans(world, summary);
        summary.racy_counter = world.counters().read(CounterKind::racy);
        summary.atomic_counter = world.counters().read(CounterKind::atomic);
        summary.mutex_counter = world.counters().read(CounterKind::mutex);
        if (options.keep_lesson_run) {
            summary.lesson_run = capture_lesson_run(world, start, player.sessions(), summary.leaked_sessions);
        }
        if (options.before_teardown) {
            options.before_teardown(world);
        }
    }  // the World stops and joins every thread here
    summary.wall_seconds = std::chrono::duration<double>(Clock::now() - wall_start).count();
    const auto threads_after = settled_thread_count(threads_before);
    summary.threads_left = static_cast<long>(threads_after) - static_cast<long>(threads_before);
    return summary;
}

}  // namespace threadlab
