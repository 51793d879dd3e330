#include "metrics.hpp"

#include <algorithm>

namespace threadlab::ui {

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

void SampleHistory::add(Clock::time_point when, double value, Clock::duration min_gap) {
    if (!m_samples.empty() && when - m_samples.back().when < min_gap) {
        m_samples.back().value = value;
        return;
    }
    m_samples.push_back({when, value});
    while (!m_samples.empty() && when - m_samples.front().when > m_span) {
        m_samples.pop_front();
    }
}

double SampleHistory::rate(Clock::duration window) const {
    if (m_samples.size() < 2) {
        return 0.0;
    }
    const auto& newest = m_samples.back();
    auto oldest = m_samples.begin();
    while (oldest != m_samples.end() - 1 && newest.when - oldest->when > window) {
        ++oldest;
    }
    const double seconds = std::chrono::duration<double>(newest.when - oldest->when).count();
    return seconds > 0.0 ? (newest.value - oldest->value) / seconds : 0.0;
}

std::vector<float> SampleHistory::values() const {
    std::vector<float> result;
    result.reserve(m_samples.size());
    for (const auto& sample : m_samples) {
        result.push_back(static_cast<float>(sample.value));
    }
    return result;
}

double SampleHistory::peak() const {
    double peak = 0.0;
    for (const auto& sample : m_samples) {
        peak = std::max(peak, sample.value);
    }
    return peak;
}

}  // namespace threadlab::ui
