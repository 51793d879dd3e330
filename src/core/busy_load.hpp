#pragma once
// The load the UI benchmarks draw (threadlab --bench-ui natively, ?bench=N in the browser): busy
// sessions, each finishing about 100 runner tasks a second and clicking the pool 10 times a second.

#include "world.hpp"

namespace threadlab {

/// Adds `sessions` busy sessions (as many as the World accepts); returns how many it added.
int add_busy_sessions(World& world, int sessions);

}  // namespace threadlab
