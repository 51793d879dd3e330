#pragma once
// The event pool's numbers: target / live / busy / retiring workers, queue depth, counters,
// throughput, p50/p99 queue wait and run time, and plots of queue depth and busy workers.

#include "core/world.hpp"
#include "metrics.hpp"

namespace threadlab::ui {

class PoolView {
public:
    /// The numbers, and with `plots` also throughput, latency and the queue-depth and busy-worker
    /// plots over the last 30 s (without: the counts only, as compact as they fit, and the cursor
    /// stays on their last line, where the next view may go on if it fits).
    void draw(const World& world, const LatencySummary& queue_wait, const LatencySummary& run_time, bool plots);

private:
    SampleHistory m_queue_depth{std::chrono::seconds(30)};
    SampleHistory m_busy{std::chrono::seconds(30)};
    SampleHistory m_completed{std::chrono::seconds(30)};
    // The process's thread count, read from the kernel twice a second (a directory listing).
    std::size_t m_process_threads = 0;
    Clock::time_point m_threads_read_at{};
};

}  // namespace threadlab::ui
