#pragma once
// For tests of what happens when the system cannot start a thread (glibc only).

#if defined(__GLIBC__)
#include <pthread.h>

#include <catch2/catch.hpp>
#include <cstddef>
#include <system_error>
#include <thread>

#include "core/platform/stop.hpp"

namespace threadlab::testing {

/// While it lives, no thread can start: the default stack that pthread_create maps for a thread
/// (jthread asks for the default) is set to 1 PiB, more than any address space, so the call
/// fails and jthread throws std::system_error, as when the system is out of threads or
/// memory. Threads that already run are not affected. glibc's own API, no hook in the pool.
class ThreadsCannotStart {
public:
    ThreadsCannotStart() {
        REQUIRE(pthread_getattr_default_np(&m_saved) == 0);
        pthread_attr_t huge;
        REQUIRE(pthread_attr_init(&huge) == 0);
        REQUIRE(pthread_attr_setstacksize(&huge, std::size_t{1} << 50) == 0);
        REQUIRE(pthread_setattr_default_np(&huge) == 0);
        pthread_attr_destroy(&huge);
        // The premise: a plain thread cannot start now.
        REQUIRE_THROWS_AS(jthread([] {}), std::system_error);
    }
    ~ThreadsCannotStart() {
        pthread_setattr_default_np(&m_saved);
        pthread_attr_destroy(&m_saved);
    }
    ThreadsCannotStart(const ThreadsCannotStart&) = delete;
    ThreadsCannotStart& operator=(const ThreadsCannotStart&) = delete;

private:
    pthread_attr_t m_saved;
};

}  // namespace threadlab::testing
#endif
