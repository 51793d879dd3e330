#pragma once
// The parts an EventPool or Session needs, real and ready, for tests that use one on its own.

#include "core/change_signal.hpp"
#include "core/engine_context.hpp"
#include "core/event_log.hpp"
#include "core/event_pool.hpp"
#include "core/gil.hpp"
#include "core/time_scale.hpp"
#include "core/trace.hpp"

namespace threadlab::testing {

struct EngineParts {
    ChangeSignal changes;
    TimeScale time{0.01};
    Gil gil;
    EventLog log;
    Trace trace;
    SharedCounters counters;
    EngineActivity activity;

    EngineContext context() { return {time, gil, changes, log, trace, counters, activity}; }
};

/// Nothing queued or running in the pool.
inline bool idle(const EventPool& pool) { return pool.counts().idle(); }

}  // namespace threadlab::testing
