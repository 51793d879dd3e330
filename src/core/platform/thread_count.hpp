#pragma once
// How many threads this process has, as the kernel lists them in /proc/self/task; where there is
// no such list (the browser), the main thread and the threads the engine started (portable jthread).

#include <chrono>
#include <cstddef>

namespace threadlab {

std::size_t process_thread_count();
/// The kernel's count of this process's live threads (/proc/self/status), cheap at any number of
/// threads: for a display read several times a second. A thread that has just exited leaves this
/// count before it leaves /proc/self/task, so tests that wait for threads to go use the above.
std::size_t kernel_thread_count();

/// Waits until process_thread_count() is down to `expected` or the timeout passes; returns the
/// last count. A joined thread's kernel entry can linger a moment after pthread_join returns (the
/// thread is still on its way out on another core), and the kernel offers no notification for its
/// removal, so this is the one place that re-reads: first yielding, then in 1 ms naps. A thread
/// that really leaked never goes, so the count stays above `expected`.
std::size_t settled_thread_count(std::size_t expected, std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace threadlab
