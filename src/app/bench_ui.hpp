#pragma once
// --bench-ui: builds real dashboard frames (Dear ImGui with a fixed 1600x1000 display and no GL,
// so it measures our code, not the driver) against N busy sessions, at 60 frames per second, and
// prints the frame's CPU time and the longest wait for an engine lock, per frame.

#include "options.hpp"
#include "stop_signals.hpp"

namespace threadlab::app {

/// Returns the exit code.
int run_bench_ui(const Options& options, const StopSignals& signals);

}  // namespace threadlab::app
