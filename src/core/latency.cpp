#include "latency.hpp"

#include <algorithm>

namespace threadlab {

LatencySummary summarize(std::vector<Clock::duration>& values) {
    LatencySummary summary;
    summary.samples = values.size();
    if (values.empty()) {
        return summary;
    }
    std::sort(values.begin(), values.end());
    const auto rank = [&](double p) {
        // Nearest rank: the smallest value with at least p of the samples at or below it.
        const auto n = static_cast<double>(values.size());
        auto index = static_cast<std::size_t>(p * n + 0.999999);
        index = std::clamp<std::size_t>(index, 1, values.size());
        return values[index - 1];
    };
    summary.p50 = rank(0.50);
    summary.p99 = rank(0.99);
    summary.max = values.back();
    return summary;
}

}  // namespace threadlab
