#pragma once
// A reading of counters that other threads write, taken afresh at most once per refresh period of
// the reader's own clock. The event pool's submitter and workers each read the other side's
// accounting for their queue-depth samples and the queue's limit; under a flood, reading it on
// every event would pass its cache line between the threads on every event. Sparse events (more
// than a period apart, as every click a person makes) always read afresh; under a flood a reading
// misses at most one period of the other side's changes.

#include <chrono>

#include "ids.hpp"

namespace threadlab {

template <class Value>
class LaggedReading {
public:
    static constexpr Clock::duration refresh_period = std::chrono::microseconds(50);

    /// The reading at `now`: `read()`'s value, from now or from at most refresh_period before.
    template <class Read>
    const Value& at(Clock::time_point now, Read&& read) {
        if (!m_taken || now - m_taken_at >= refresh_period) {
            m_value = read();
            m_taken_at = now;
            m_taken = true;
        }
        return m_value;
    }

private:
    Value m_value{};
    Clock::time_point m_taken_at{};
    bool m_taken = false;
};

}  // namespace threadlab
