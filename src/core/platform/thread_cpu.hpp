#pragma once
// The CPU time of threads: what compute work burns, and what a runner used in all.
// Linux has a CPU clock per thread. The browser has none: there compute work counts wall-clock
// time instead (the same while the thread has a core to itself, more when it has to share one),
// and a runner's CPU time is unknown. has_thread_cpu_clock() tells which, for the UI to say so.

#include <ctime>
#include <optional>

#include "../ids.hpp"

namespace threadlab {

bool has_thread_cpu_clock();

/// CPU time the calling thread has used; without a per-thread CPU clock, the wall clock (only
/// differences of two readings mean anything).
Clock::duration current_thread_cpu_time();

/// The CPU clock of one thread, which other threads can read while it lives.
class ThreadCpuClock {
public:
    /// The calling thread's clock; nullopt where there is none.
    static std::optional<ThreadCpuClock> of_current_thread();
    /// Its CPU time so far; nullopt if the clock cannot be read (the thread has ended).
    std::optional<Clock::duration> read() const;

private:
    explicit ThreadCpuClock(clockid_t clock) : m_clock(clock) {}
    clockid_t m_clock;
};

}  // namespace threadlab
