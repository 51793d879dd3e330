#pragma once
// Three counters that many threads increment at once, for the lost-updates lesson:
//  - racy:    read-modify-write as a separate atomic load and atomic store. No undefined behaviour
//             (every access is atomic), yet two threads can read the same value and both store
//             value + 1: one increment is lost. This is the classic race, shown safely.
//  - atomic:  fetch_add, one indivisible step: nothing is lost.
//  - mutex:   a plain integer incremented under a mutex: nothing is lost.

#include <atomic>
#include <cstdint>
#include <mutex>

namespace threadlab {

enum class CounterKind : std::uint8_t { racy, atomic, mutex };

const char* to_string(CounterKind kind);

struct CounterReading {
    std::uint64_t value = 0;
    /// Increments that were made (what the value would be if none were lost).
    std::uint64_t expected = 0;
    std::uint64_t lost() const { return expected - value; }
};

class SharedCounters {
public:
    /// Increments the counter once, the way its kind does.
    void increment(CounterKind kind);
    CounterReading read(CounterKind kind) const;

private:
    std::atomic<std::uint64_t> m_racy{0};
    std::atomic<std::uint64_t> m_atomic{0};
    // Guards m_guarded.
    mutable std::mutex m_mutex;
    std::uint64_t m_guarded = 0;
    std::atomic<std::uint64_t> m_expected[3] = {0, 0, 0};
};

}  // namespace threadlab
