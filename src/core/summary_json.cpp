#include "summary_json.hpp"

#include <nlohmann/json.hpp>

#include "platform/heap_usage.hpp"
#include "platform/thread_count.hpp"
#include "world.hpp"

namespace threadlab {

namespace {
// Ordered: keys come out in the order written, so the files read like the README describes them.
using ordered_json = nlohmann::ordered_json;

ordered_json counts(const AccountingCounts& value) {
    return {{"submitted", value.submitted}, {"completed", value.completed}, {"failed", value.failed},
            {"cancelled", value.cancelled}, {"queued", value.queued},       {"running", value.running}};
}

double milliseconds(Clock::duration value) { return std::chrono::duration<double, std::milli>(value).count(); }

ordered_json latency(const LatencySummary& value) {
    return {{"samples", value.samples},
            {"p50_ms", milliseconds(value.p50)},
            {"p99_ms", milliseconds(value.p99)},
            {"max_ms", milliseconds(value.max)}};
}
ordered_json reading(const CounterReading& value) {
    return {{"value", value.value}, {"expected", value.expected}, {"lost", value.lost()}};
}
}  // namespace

std::string summary_to_json(const ScenarioSummary& summary) {
    ordered_json sessions = ordered_json::array();
    for (const auto& session : summary.sessions) {
        sessions.push_back({{"number", session.number},
                            {"id", session.id},
                            {"destroyed", session.destroyed},
                            {"tasks", counts(session.tasks)},
                            {"events", counts(session.events)},
                            {"event_queue_wait", latency(session.event_wait)},
                            {"event_run_time", latency(session.event_run)},
                            {"task_queue_wait", latency(session.task_wait)},
                            {"runner_wakeups", session.runner_wakeups},
                            {"runner_cpu_seconds", session.runner_cpu_seconds}});
    }
    const ordered_json document{
        {"scenario", summary.name},
        {"interrupted", summary.interrupted},
        {"time_scale", summary.time_scale},
        {"wall_seconds", summary.wall_seconds},
        {"simulated_seconds", summary.simulated_seconds},
        {"pool", {{"events", counts(summary.pool)},
                  {"queue_wait", latency(summary.event_wait)},
                  {"run_time", latency(summary.event_run)}}},
        {"processes", {{"jobs", counts(summary.processes)},
                       {"queue_wait", latency(summary.job_wait)},
                       {"run_time", latency(summary.job_run)}}},
        {"tasks", {{"counts", counts(summary.tasks)},
                   {"queue_wait", latency(summary.task_wait)},
                   {"run_time", latency(summary.task_run)}}},
        {"event_loop", {{"events", summary.event_loop.events},
                        {"async_events", summary.event_loop.async_events},
                        {"async_steps", summary.event_loop.async_steps},
                        {"busy_seconds", summary.event_loop.busy_seconds},
                        {"next_tick_callbacks", summary.event_loop.next_tick_callbacks},
                        {"unhold_callbacks", summary.event_loop.unhold_callbacks}}},
        {"sessions", sessions},
        {"peak_threads", summary.peak_threads},
        {"leaked_sessions", summary.leaked_sessions},
        {"threads_left", summary.threads_left},
        {"spans_dropped", summary.spans_dropped},
        {"log_lines_missed", summary.log_lines_missed},
        {"peak_queue", summary.peak_queue},
        {"counters", {{"racy", reading(summary.racy_counter)},
                      {"atomic", reading(summary.atomic_counter)},
                      {"mutex", reading(summary.mutex_counter)}}},
        {"littles_law", {{"L", summary.littles_law.l},
                         {"lambda_per_second", summary.littles_law.lambda_per_second},
                         {"W_seconds", summary.littles_law.w_seconds},
                         {"lambda_times_W", summary.littles_law.lambda_per_second * summary.littles_law.w_seconds}}},
    };
    return document.dump(2) + "\n";
}

std::string progress_to_json(const World& world, double seconds) {
    // Each count is read once; `balanced` says whether every one of them held on its own.
    bool balanced = true;
    const auto checked = [&balanced](const AccountingCounts& value) {
        balanced = balanced && value.balanced();
        return value;
    };
    const auto pool = checked(world.pool().counts());
    AccountingCounts live_tasks;
    AccountingCounts live_events;
    const auto sessions = world.sessions();
    for (const auto& session : sessions) {
        live_tasks += checked(session->task_counts());
        live_events += checked(session->event_counts());
    }
    const auto retired_tasks = checked(world.retired_task_counts());
    const auto heap_in_use = heap_bytes_in_use();
    const ordered_json line{
        {"seconds", seconds},
        {"sessions", sessions.size()},
        {"stopping_sessions", world.stopping_sessions().size()},
        {"threads", process_thread_count()},
        {"heap_bytes_in_use", heap_in_use.has_value() ? ordered_json(*heap_in_use) : ordered_json(nullptr)},
        {"pool_queue_reserve_bytes", world.pool().reserved_queue_bytes()},
        {"pool", counts(pool)},
        {"live_session_tasks", counts(live_tasks)},
        {"live_session_events", counts(live_events)},
        {"retired_session_tasks", counts(retired_tasks)},
        {"spans_dropped", world.trace().dropped()},
        {"balanced", balanced},
    };
    return line.dump() + "\n";
}

}  // namespace threadlab
