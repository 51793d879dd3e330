#pragma once
// Percentiles of durations, for the dashboard's counters and the headless summary.

#include <cstddef>
#include <vector>

#include "ids.hpp"

namespace threadlab {

struct LatencySummary {
    std::size_t samples = 0;
    Clock::duration p50{};
    Clock::duration p99{};
    Clock::duration max{};
};

/// Nearest-rank percentiles; all zero for no samples. Reorders `values`.
LatencySummary summarize(std::vector<Clock::duration>& values);

}  // namespace threadlab
