#pragma once
// Simulated work: what Panel's examples do with time.sleep(), in two flavours.
//  - sleep:   I/O-bound. Waits on a condition variable, so a stop or cancel wakes it at once.
//  - compute: CPU-bound. Really burns the CPU for the given time (measured as this thread's CPU
//             time, so eight compute tasks on two cores take four times as long, as in life),
//             checking for a stop between short slices. With the simulated GIL on, it runs
//             only while holding the GIL and hands it over at the switch interval.

#include <atomic>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "gil.hpp"
#include "ids.hpp"
#include "shared_counters.hpp"
#include "time_scale.hpp"
#include "platform/stop.hpp"

namespace threadlab {

enum class WorkKind : std::uint8_t {
    /// I/O-bound: waits (Panel's time.sleep), never holds the GIL.
    sleep,
    /// CPU-bound Python code: uses a core and must hold the GIL while it is on.
    compute,
    /// CPU-bound native code that releases the GIL while it runs, as many NumPy, pandas and Numba
    /// functions do: uses a core, runs in parallel whatever the GIL.
    native,
    /// Increments a shared counter `increments` times (the lost-updates lesson); takes no time of its own.
    increment,
    /// CPU-bound Python sent to a process pool (the user's ProcessPoolExecutor, process_work.hpp):
    /// the caller pickles the arguments (holding the GIL), waits for a process without it, then
    /// unpickles the result (holding it again).
    process,
};

const char* to_string(WorkKind kind);

struct WorkSpec {
    WorkKind kind = WorkKind::sleep;
    /// Simulated seconds; scaled to the wall clock by the TimeScale when the work starts.
    double seconds = 1.0;
    /// Throw at the end instead of returning a result (shows how a runner survives errors).
    bool fails = false;
    /// For WorkKind::increment: which counter, and how many times.
    CounterKind counter = CounterKind::racy;
    std::uint32_t increments = 0;

    friend bool operator==(const WorkSpec&, const WorkSpec&) = default;
};

/// Thrown by work that noticed a stop request; the runner counts the item as cancelled.
class WorkCancelled : public std::runtime_error {
public:
    WorkCancelled() : std::runtime_error("cancelled") {}
};

/// Progress of the item a thread is running, readable lock-free by the render loop.
/// Each field is atomic; a reader may mix two items at the instant one replaces the other,
/// which only shows one frame's progress bar wrong, and never is undefined behaviour.
class WorkProgress {
public:
    void begin(WorkKind kind, Clock::duration total, Clock::time_point now);
    void advance(Clock::duration done) { m_done_ns.store(done.count(), std::memory_order_release); }
    /// 0..1. Sleep progress follows the wall clock; compute progress follows the CPU time spent.
    double fraction(Clock::time_point now) const;

private:
    std::atomic<WorkKind> m_kind{WorkKind::sleep};
    std::atomic<Clock::rep> m_total_ns{0};
    std::atomic<Clock::rep> m_started_ns{0};
    std::atomic<Clock::rep> m_done_ns{0};
};

/// What a running item may use: its stop token, the time scale, the GIL, its progress, and the
/// session it works for (0 for none; shown as the GIL's holder).
struct WorkContext {
    stop_token stop;
    const TimeScale& time;
    Gil& gil;
    WorkProgress& progress;
    SessionId session = 0;
    /// The counters of the lost-updates lesson; null where nothing provides them.
    SharedCounters* counters = nullptr;
};

/// A unit of work: returns the value shown as the session's "Last Result", or throws.
using Work = std::function<std::string(WorkContext&)>;

/// How a run of work ended, and what it said: its result, or the failure's message.
struct WorkEnd {
    Outcome outcome = Outcome::completed;
    std::string value;
};

/// Runs `body` (returning the result, or nothing) and turns how it ended into an outcome, the one
/// rule for every runner: WorkCancelled is a cancellation, any other exception a failure with its
/// message; nothing escapes.
template <class Body>
WorkEnd run_to_end(Body&& body) {
    WorkEnd end;
    try {
        if constexpr (std::is_void_v<std::invoke_result_t<Body&>>) {
            body();
        } else {
            end.value = body();
        }
    } catch (const WorkCancelled&) {
        end.outcome = Outcome::cancelled;
    } catch (const std::exception& error) {
        end.outcome = Outcome::failed;
        end.value = error.what();
    } catch (...) {
        end.outcome = Outcome::failed;
        end.value = "unknown exception";
    }
    return end;
}

/// The simulated work described by `spec`. Work of kind process needs a process pool: see
/// make_process_work(); this one throws std::runtime_error when it runs.
Work make_simulated_work(WorkSpec spec);

/// CPU-bound Python for `total` (real time): burns the CPU, holding `context.gil` while it is
/// enabled and handing it over at the switch interval. Throws WorkCancelled when stopped.
void compute_python(Clock::duration total, WorkContext& context);

/// Interruptible sleep; throws WorkCancelled when `stop` fires first.
void sleep_for(Clock::duration duration, stop_token stop);

}  // namespace threadlab
