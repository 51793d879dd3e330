#pragma once
// The headless summary as JSON (--summary-json), so that scripts and tests can check a run.

#include <string>

#include "scenario_runner.hpp"

namespace threadlab {

/// Pretty-printed JSON: counters per session and for the pool, p50/p99 queue wait and run time in
/// milliseconds, peak live threads, threads left at exit, and whether the run was interrupted.
std::string summary_to_json(const ScenarioSummary& summary);

}  // namespace threadlab
