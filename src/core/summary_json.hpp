#pragma once
// The headless summary as JSON (--summary-json), so that scripts and tests can check a run.

#include <string>

#include "scenario_runner.hpp"

namespace threadlab {

/// Pretty-printed JSON: counters per session and for the pool, p50/p99 queue wait and run time in
/// milliseconds, peak live threads, threads left at exit, and whether the run was interrupted.
std::string summary_to_json(const ScenarioSummary& summary);

/// One line of JSON (--progress-json, a line per second of a headless run): live and stopping
/// sessions, threads, the pool's and the sessions' accounting, and whether every count read held.
std::string progress_to_json(const class World& world, double seconds);

}  // namespace threadlab
