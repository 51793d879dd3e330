#pragma once
// An async callback (a coroutine) as the event loop runs it. Panel runs every coroutine callback on
// the server's one asyncio/Tornado event loop, with or without `nthreads`: param's async_executor is
// replaced by Panel's `async_execute`, which calls `state.curdoc.add_next_tick_callback(...)`
// (panel/io/server.py:212-259, holoviz/panel@45cb9c1). A coroutine holds the loop from where it
// starts or resumes until its next `await`; while it awaits (asyncio.sleep, I/O) the loop is free
// and runs other callbacks; when the awaited thing is done, the rest is queued on the loop again.
//
// So a coroutine is a chain of segments: code that holds the loop, then (except for the last) an
// await that releases it. Its user-facing steps are what the scenario says: `run` (a WorkSpec that
// holds the loop: `sleep` stands for a blocking time.sleep inside the coroutine, `compute` for
// CPU-bound Python) and `await` (simulated seconds with the loop free).

#include <optional>
#include <string>
#include <vector>

#include "work.hpp"

namespace threadlab {

/// One step of an async callback, as a scenario or the dashboard describes it: exactly one of
/// `await_seconds` (the loop is released for that long) or `run` (holds the loop while it works).
struct AsyncStepSpec {
    std::optional<double> await_seconds;
    WorkSpec run;

    static AsyncStepSpec await_for(double seconds) { return {seconds, {}}; }
    static AsyncStepSpec running(WorkSpec work) { return {std::nullopt, work}; }
    friend bool operator==(const AsyncStepSpec&, const AsyncStepSpec&) = default;
};

/// What the loop runs between two awaits: the works one after another (none: the coroutine only
/// passes through, as `await asyncio.sleep(2)` right at the start still needs the loop to reach
/// it), then, unless it is the last segment, an await of `await_seconds` simulated seconds.
struct CoroutineSegment {
    std::vector<Work> runs;
    std::optional<double> await_seconds;
};

/// The segments of `steps`: runs between awaits grouped, so there is always one more segment
/// than awaits (the coroutine starts on the loop and resumes on it after each await).
std::vector<CoroutineSegment> make_coroutine(const std::vector<AsyncStepSpec>& steps);

/// "await 2 s, run sleep 0.1 s": for the log and tooltips.
std::string describe(const std::vector<AsyncStepSpec>& steps);

/// The dashboard's async click doing `work`: sleep work becomes `await asyncio.sleep(seconds)`
/// (the loop is free meanwhile); compute and native work hold the loop (a coroutine that calls
/// CPU-bound code, even NumPy's, does not reach an await until it returns).
std::vector<AsyncStepSpec> async_callback_for(const WorkSpec& work);

}  // namespace threadlab
