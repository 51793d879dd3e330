#pragma once
// What every runner and worker shares: the clock's scale, the simulated GIL, the change signal
// that wakes readers, the log of the seed's messages, the trace of what ran where, and the counts of what runs now. Owned by the World (or a test), which
// outlives every thread that uses it.

#include "change_signal.hpp"
#include "engine_activity.hpp"
#include "event_log.hpp"
#include "gil.hpp"
#include "shared_counters.hpp"
#include "time_scale.hpp"
#include "trace.hpp"

namespace threadlab {

struct EngineContext {
    const TimeScale& time;
    Gil& gil;
    ChangeSignal& changes;
    EventLog& log;
    Trace& trace;
    SharedCounters& counters;
    EngineActivity& activity;
};

}  // namespace threadlab
