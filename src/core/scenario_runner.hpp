#pragma once
// Runs a scenario against a real World, without a window: actions at their (scaled) times, the
// log handed out line by line as it happens, then a summary of what ran. The caller's stop token
// (SIGINT) ends the run early; the summary is still complete and says it was interrupted.

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "accounting.hpp"
#include "event_log.hpp"
#include "latency.hpp"
#include "lesson_verdict.hpp"
#include "scenario.hpp"
#include "shared_counters.hpp"
#include "platform/stop.hpp"

namespace threadlab {

struct ScenarioRunOptions {
    /// Overrides the scenario's time scale.
    std::optional<double> time_scale;
    /// Called on the caller's thread for each log line, in order, as the run goes.
    std::function<void(const LogEntry&)> on_log;
    /// Ends the run early when requested.
    stop_token stop;
    /// Record spans for a trace file (costs a little per event).
    bool trace = true;
    /// Receives the finished World's trace before it is destroyed (e.g. to export it).
    std::function<void(const class World&)> before_teardown;
    /// Called on the caller's thread once per `progress_every` of the run (wall clock) with the
    /// live World and the wall seconds since the start: a long run's pulse (--progress-json).
    std::function<void(const class World&, double seconds)> on_progress;
    std::chrono::milliseconds progress_every{1000};
    /// Keep what the run left behind for judge_lesson() in ScenarioSummary::lesson_run (a copy
    /// of the trace's spans, taken before the World and its leaked runners go).
    bool keep_lesson_run = false;
};

struct SessionSummary {
    int number = 0;        ///< 1-based, in creation order, as the scenario names it
    SessionId id = 0;
    bool destroyed = false;
    AccountingCounts tasks;
    AccountingCounts events;
    LatencySummary event_wait;
    LatencySummary event_run;
    LatencySummary task_wait;          ///< runner tasks: queued until their runner took them
    std::uint64_t runner_wakeups = 0;  ///< times the idle runner woke to look at its queue
    double runner_cpu_seconds = 0.0;   ///< CPU used by the runner thread (0 once it ended)
};

/// Little's law over the run's pool events: L (mean events in the system, from the sampled queue
/// depth and busy workers) against arrival rate lambda times mean time in the system W.
struct LittlesLaw {
    double l = 0.0;
    double lambda_per_second = 0.0;  ///< per simulated second
    double w_seconds = 0.0;          ///< simulated seconds
};

struct ScenarioSummary {
    std::string name;
    bool interrupted = false;
    double wall_seconds = 0.0;
    double simulated_seconds = 0.0;
    double time_scale = 1.0;
    AccountingCounts pool;
    AccountingCounts tasks;  ///< all sessions' runner tasks together
    /// Jobs of the user's process pool (work of kind process), with their queue wait (start-ups
    /// included) and run time.
    AccountingCounts processes;
    LatencySummary job_wait;
    LatencySummary job_run;
    LatencySummary event_wait;
    LatencySummary event_run;
    LatencySummary task_wait;
    LatencySummary task_run;
    std::vector<SessionSummary> sessions;
    std::size_t peak_threads = 0;   ///< the process's threads at most, during the run
    long threads_left = 0;          ///< threads still alive after the World was torn down, beyond those before it
    std::uint64_t spans_dropped = 0;
    /// Log lines written faster than the run read them, dropped before it could (each gap is
    /// also reported through on_log).
    std::uint64_t log_lines_missed = 0;
    LittlesLaw littles_law;
    /// Most events queued at once.
    std::uint32_t peak_queue = 0;
    /// What the server's event loop ran: events (plain ones while threading was off, and async
    /// callbacks), the async callbacks among them, their steps (one per segment between awaits),
    /// and the simulated seconds it was held (by a plain event, a step or a callback of the page);
    /// the next-tick callbacks that carried workers' widget changes to the page, and the `_unhold`
    /// callbacks among them (page_updates.hpp).
    struct EventLoopSummary {
        std::size_t events = 0;
        std::size_t async_events = 0;
        std::size_t async_steps = 0;
        double busy_seconds = 0.0;
        std::size_t next_tick_callbacks = 0;
        std::size_t unhold_callbacks = 0;
    } event_loop;
    /// The lost-updates lesson's counters (all zero when no work incremented them).
    CounterReading racy_counter;
    CounterReading atomic_counter;
    CounterReading mutex_counter;
    /// Sessions destroyed while on_session_destroyed was "forgotten": their runners were still alive
    /// at the end of the run (they are stopped and joined when the World goes).
    std::size_t leaked_sessions = 0;
    /// With ScenarioRunOptions::keep_lesson_run.
    std::optional<LessonRun> lesson_run;
};

/// Runs `scenario`; see the file comment. Throws std::invalid_argument for a bad time scale.
ScenarioSummary run_scenario(const Scenario& scenario, const ScenarioRunOptions& options = {});

}  // namespace threadlab
