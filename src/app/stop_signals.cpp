#include "stop_signals.hpp"

#include <pthread.h>
#include <signal.h>

namespace threadlab::app {

namespace {
// SIGUSR2 only wakes the watcher for shutdown; it never comes from outside in normal use.
sigset_t watched_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGUSR2);
    return set;
}
}  // namespace

StopSignals::StopSignals() {
    const sigset_t set = watched_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    m_thread = std::thread([this] { watch(); });
}

StopSignals::~StopSignals() {
    m_closing.store(true, std::memory_order_release);
    pthread_kill(m_thread.native_handle(), SIGUSR2);
    m_thread.join();
}

void StopSignals::on_stop(std::function<void()> callback) {
    std::lock_guard lock(m_mutex);
    m_callback = std::move(callback);
}

void StopSignals::watch() {
    const sigset_t set = watched_signals();
    for (;;) {
        int received = 0;
        if (sigwait(&set, &received) != 0) {
            continue;
        }
        if (received == SIGUSR2 && m_closing.load(std::memory_order_acquire)) {
            return;
        }
        if (received == SIGINT || received == SIGTERM) {
            m_signal.store(received, std::memory_order_release);
            m_stop.store(true, std::memory_order_release);
            std::lock_guard lock(m_mutex);
            if (m_callback) {
                m_callback();
            }
        }
    }
}

}  // namespace threadlab::app
