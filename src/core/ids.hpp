#pragma once
// Identifiers shared across the engine. Plain integers: cheap to copy into snapshots and traces.

#include <chrono>
#include <cstdint>

namespace threadlab {

using SessionId = std::uint32_t;
using TaskId = std::uint64_t;
using EventId = std::uint64_t;
using PeriodicId = std::uint64_t;

/// The one clock of the engine: monotonic, so spans never run backwards.
using Clock = std::chrono::steady_clock;

/// How a task or event ended. Every submitted item ends in exactly one of these.
enum class Outcome : std::uint8_t { completed, failed, cancelled };

const char* to_string(Outcome outcome);

/// How a session's runner stops when the session is destroyed.
enum class StopMode : std::uint8_t {
    /// The seed's stop(): `_stop_thread = True; _event.set()`. Its inner `while self._queue:`
    /// drains the queue before the outer loop looks at the flag; Python cannot interrupt a thread.
    drain,
    /// ThreadLab's own: interrupt the running task, cancel the queued ones.
    prompt,
};

}  // namespace threadlab
