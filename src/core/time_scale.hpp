#pragma once
// Simulated time: lessons speak in simulated seconds ("a click takes 2 s"); the scale says how
// long one simulated second lasts on the wall clock, so tests run fast and demos can run slowly.

#include <atomic>

#include "ids.hpp"

namespace threadlab {

class TimeScale {
public:
    static constexpr double min_scale = 0.001;
    static constexpr double max_scale = 100.0;

    /// Throws std::invalid_argument when `scale` is outside [min_scale, max_scale].
    explicit TimeScale(double scale = 1.0);

    /// Applies to work that starts after the call. Throws std::invalid_argument when out of range.
    void set(double scale);
    double get() const { return m_scale.load(std::memory_order_acquire); }

    /// Wall-clock length of `simulated_seconds`.
    Clock::duration to_real(double simulated_seconds) const;
    /// Simulated seconds that `real` stands for at the current scale.
    double to_simulated(Clock::duration real) const;

    static bool valid(double scale) { return scale >= min_scale && scale <= max_scale; }

private:
    // Read by every worker when work starts, written by the UI: a lone double needs no lock.
    std::atomic<double> m_scale;
};

}  // namespace threadlab
