#pragma once
// Numbers the pool view derives from what the engine publishes: rates and short histories for
// the plots (percentiles come from core/latency.hpp). Free of ImGui so they can be unit-tested.

#include <cstddef>
#include <deque>
#include <vector>

#include "core/ids.hpp"
#include "core/latency.hpp"

namespace threadlab::ui {

/// A value sampled over time, for a plot and for rates; keeps `span` of history.
class SampleHistory {
public:
    explicit SampleHistory(Clock::duration span) : m_span(span) {}
    /// Adds a sample; samples closer than `min_gap` to the previous one replace it.
    void add(Clock::time_point when, double value, Clock::duration min_gap = std::chrono::milliseconds(100));
    /// Change per second between the newest sample and the oldest one within `window`; 0 if unknown.
    double rate(Clock::duration window) const;
    /// The values, oldest first (for ImGui::PlotLines).
    std::vector<float> values() const;
    double latest() const { return m_samples.empty() ? 0.0 : m_samples.back().value; }
    double peak() const;

private:
    struct Sample {
        Clock::time_point when;
        double value;
    };
    Clock::duration m_span;
    std::deque<Sample> m_samples;
};

}  // namespace threadlab::ui
