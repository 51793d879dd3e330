#include "metrics.hpp"

#include <algorithm>

namespace threadlab::ui {

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
