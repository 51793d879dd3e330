#pragma once
// Headless mode: run a scenario or lesson with no window, print its log as it happens and a
// summary table at the end, optionally write the summary as JSON. SIGINT or SIGTERM ends the run
// early, cleanly: the summary is still printed and written.

#include "options.hpp"
#include "stop_signals.hpp"

namespace threadlab::app {

/// Returns the exit code: 0, 2 for a bad scenario, 1 when the summary cannot be written,
/// 128 + the signal's number when a signal ended the run (130 for SIGINT).
int run_headless(const Options& options, StopSignals& signals);

/// Prints the built-in lessons with their titles.
void list_lessons();

}  // namespace threadlab::app
