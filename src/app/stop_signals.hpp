#pragma once
// SIGINT and SIGTERM (Ctrl+C, a window manager, `kill`) end the program cleanly. The signals are
// blocked in every thread and received by one watcher thread with sigwait(), so the handler is
// ordinary code that may call the render loop's wake-up (glfwPostEmptyEvent is thread-safe).
// Construct it first in main(), before any other thread starts, so all threads inherit the mask.

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

namespace threadlab::app {

class StopSignals {
public:
    StopSignals();
    ~StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    /// Called on the watcher thread when a stop signal arrives; set before it can matter.
    void on_stop(std::function<void()> callback);
    bool stop_requested() const { return m_stop.load(std::memory_order_acquire); }
    /// The signal that arrived, 0 if none.
    int signal() const { return m_signal.load(std::memory_order_acquire); }

private:
    void watch();

    std::atomic<bool> m_stop{false};
    std::atomic<int> m_signal{0};
    std::atomic<bool> m_closing{false};
    // Guards m_callback against a change while the watcher calls it.
    std::mutex m_mutex;
    std::function<void()> m_callback;
    std::thread m_thread;
};

}  // namespace threadlab::app
