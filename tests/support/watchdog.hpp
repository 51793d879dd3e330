#pragma once
// Fails the test process when a test stalls, so that a deadlock fails CI instead of hanging it
// (after BS::thread_pool's check_deadlock). The limit guards against a hang; it never paces a test.

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>

#include "core/platform/stop.hpp"

namespace threadlab::testing {

class Watchdog {
public:
    explicit Watchdog(std::string what, std::chrono::seconds limit = std::chrono::seconds(60))
        : m_what(std::move(what)), m_thread([this, limit] { watch(limit); }) {}
    ~Watchdog() {
        {
            std::lock_guard lock(m_mutex);
            m_done = true;
        }
        m_done_signal.notify_all();
    }
    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;

private:
    void watch(std::chrono::seconds limit) {
        std::unique_lock lock(m_mutex);
        if (!m_done_signal.wait_for(lock, limit, [this] { return m_done; })) {
            std::fprintf(stderr, "WATCHDOG: '%s' stalled for %lld s: deadlock or lost wake-up\n", m_what.c_str(),
                         static_cast<long long>(limit.count()));
            std::fflush(stderr);
            std::abort();
        }
    }

    std::string m_what;
    std::mutex m_mutex;
    std::condition_variable m_done_signal;
    bool m_done = false;
    jthread m_thread;  // last: starts after the members it uses
};

}  // namespace threadlab::testing
