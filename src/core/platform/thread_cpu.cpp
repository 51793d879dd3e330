#include "thread_cpu.hpp"

#include <pthread.h>
#include <time.h>

namespace threadlab {

namespace {
std::optional<Clock::duration> read_clock(clockid_t clock) {
    timespec used{};
    if (clock_gettime(clock, &used) != 0) {
        return std::nullopt;
    }
    return std::chrono::duration_cast<Clock::duration>(std::chrono::seconds(used.tv_sec) +
                                                       std::chrono::nanoseconds(used.tv_nsec));
}
}  // namespace

#if defined(__EMSCRIPTEN__)

bool has_thread_cpu_clock() { return false; }

Clock::duration current_thread_cpu_time() { return Clock::now().time_since_epoch(); }

std::optional<ThreadCpuClock> ThreadCpuClock::of_current_thread() { return std::nullopt; }

#else

bool has_thread_cpu_clock() { return true; }

Clock::duration current_thread_cpu_time() { return read_clock(CLOCK_THREAD_CPUTIME_ID).value_or(Clock::duration{}); }

std::optional<ThreadCpuClock> ThreadCpuClock::of_current_thread() {
    clockid_t clock{};
    if (pthread_getcpuclockid(pthread_self(), &clock) != 0) {
        return std::nullopt;
    }
    return ThreadCpuClock(clock);
}

#endif

std::optional<Clock::duration> ThreadCpuClock::read() const { return read_clock(m_clock); }

}  // namespace threadlab
