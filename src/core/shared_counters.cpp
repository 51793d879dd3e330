#include "shared_counters.hpp"

#include "platform/yield.hpp"

namespace threadlab {

const char* to_string(CounterKind kind) {
    switch (kind) {
        case CounterKind::racy: return "racy";
        case CounterKind::atomic: return "atomic";
        case CounterKind::mutex: return "mutex";
    }
    return "unknown";
}

void SharedCounters::increment(CounterKind kind) {
    m_expected[static_cast<int>(kind)].fetch_add(1, std::memory_order_relaxed);
    switch (kind) {
        case CounterKind::racy: {
            const auto value = m_racy.load(std::memory_order_relaxed);
            // Between the read and the write another thread may increment: its update is then
            // overwritten. The yield widens that window the way a page fault or a preemption would.
            yield_to_other_threads();
            m_racy.store(value + 1, std::memory_order_relaxed);
            break;
        }
        case CounterKind::atomic: m_atomic.fetch_add(1, std::memory_order_relaxed); break;
        case CounterKind::mutex: {
            std::lock_guard lock(m_mutex);
            ++m_guarded;
            break;
        }
    }
}

CounterReading SharedCounters::read(CounterKind kind) const {
    CounterReading reading;
    reading.expected = m_expected[static_cast<int>(kind)].load(std::memory_order_acquire);
    switch (kind) {
        case CounterKind::racy: reading.value = m_racy.load(std::memory_order_acquire); break;
        case CounterKind::atomic: reading.value = m_atomic.load(std::memory_order_acquire); break;
        case CounterKind::mutex: {
            std::lock_guard lock(m_mutex);
            reading.value = m_guarded;
            break;
        }
    }
    return reading;
}

}  // namespace threadlab
