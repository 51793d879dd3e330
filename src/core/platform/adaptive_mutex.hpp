#pragma once
// The mutex of the engine's hottest locks (the event pool's queue, the trace). Their critical
// sections last a few dozen nanoseconds, and on a flood of events three threads want them at
// once: a std::mutex then puts the loser to sleep in the kernel and the winner must wake it, two
// system calls per handover that cost far more than the wait. glibc's adaptive mutex first
// retries a bounded number of times (glibc.pthread.mutex_spin_count, 100 by default) while the
// holder, running on another core, finishes; only then does it sleep like std::mutex. It is not
// a spin lock: a holder that is descheduled costs the waiter a short, bounded spin, not a core.
// Where the C library has no adaptive mutex (emscripten's musl), it is a plain pthread mutex.
//
// Meets Lockable, so std::lock_guard, std::unique_lock and condition_variable_any take it.

#include <pthread.h>

namespace threadlab {

class AdaptiveMutex {
public:
    AdaptiveMutex() = default;
    ~AdaptiveMutex() { pthread_mutex_destroy(&m_mutex); }
    AdaptiveMutex(const AdaptiveMutex&) = delete;
    AdaptiveMutex& operator=(const AdaptiveMutex&) = delete;

    // These cannot fail for a default (non-robust, non-error-checking) mutex used correctly.
    void lock() { pthread_mutex_lock(&m_mutex); }
    bool try_lock() { return pthread_mutex_trylock(&m_mutex) == 0; }
    void unlock() { pthread_mutex_unlock(&m_mutex); }

private:
#if defined(PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP)
    pthread_mutex_t m_mutex = PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP;
#else
    pthread_mutex_t m_mutex = PTHREAD_MUTEX_INITIALIZER;
#endif
};

}  // namespace threadlab
