#pragma once
// Measures how long a reader waited for the engine's locks: the render loop must never wait long
// (design goal: under 50 µs). Off by default and then almost free (one thread-local pointer test);
// the UI benchmark turns it on for the render thread only.

#include <mutex>

#include "ids.hpp"

namespace threadlab {

class LockWaitRecorder {
public:
    void record(Clock::duration waited) {
        ++m_contended;
        m_longest = std::max(m_longest, waited);
    }
    /// A reader that found the lock taken and went on with its previous copy instead of waiting.
    void record_skip() { ++m_skipped; }
    Clock::duration longest() const { return m_longest; }
    std::size_t contended() const { return m_contended; }
    std::size_t skipped() const { return m_skipped; }
    void reset() { *this = {}; }

private:
    Clock::duration m_longest{};
    std::size_t m_contended = 0;
    std::size_t m_skipped = 0;
};

/// The recorder of the calling thread, or null (not measuring).
inline thread_local LockWaitRecorder* t_lock_wait_recorder = nullptr;

/// A lock_guard that, when the calling thread measures, records how long it waited for the mutex.
template <class Mutex>
class MeasuredLock {
public:
    explicit MeasuredLock(Mutex& mutex) : m_lock(mutex, std::defer_lock) {
        LockWaitRecorder* recorder = t_lock_wait_recorder;
        if (recorder == nullptr || m_lock.try_lock()) {
            if (!m_lock.owns_lock()) {
                m_lock.lock();
            }
            return;
        }
        const auto start = Clock::now();
        m_lock.lock();
        recorder->record(Clock::now() - start);
    }

private:
    std::unique_lock<Mutex> m_lock;
};

}  // namespace threadlab
