#pragma once
// Lets a reader sleep until the engine changed. Runners and workers call notify() at every state
// transition (cheap: one atomic increment, plus a wake-up only when someone is waiting).
//
// Two ways to be woken:
//  - wait_for_change(): blocks on a condition variable (headless mode, tests);
//  - a listener (the render loop's glfwPostEmptyEvent), called at most once between two
//    rearm() calls, so a thousand transitions in one frame cost the UI one wake-up. It runs on the
//    signal's own thread, never on the notifying one: engine threads notify while they hold their
//    locks, and a listener that stalls (an X11 write to a stuck display) must not stall them.
//
// The count of changes is spread over slots on their own cache lines, each thread counting in
// one: under a flood of events the submitting thread and every worker notify at once, and one
// shared counter would move its cache line between their cores on every notify.

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "platform/stop.hpp"

namespace threadlab {

class ChangeSignal {
public:
    ChangeSignal() = default;
    ~ChangeSignal();
    ChangeSignal(const ChangeSignal&) = delete;
    ChangeSignal& operator=(const ChangeSignal&) = delete;

    /// Never blocks: at most a futex wake of the listener's thread.
    void notify();

    /// Increases with every notify(); compare two readings to see whether anything changed.
    std::uint64_t generation() const;

    /// Blocks until generation() != seen or the timeout passes; returns the generation then.
    std::uint64_t wait_for_change(std::uint64_t seen, std::chrono::milliseconds timeout);

    /// `listener` is called on a thread of the signal's own, started here (std::system_error if it
    /// cannot start). Pass an empty function to remove it: it is not called after set_listener
    /// returns. Not for concurrent use with itself.
    void set_listener(std::function<void()> listener);

    /// The reader has looked at the state: the next notify() calls the listener again.
    void rearm() { m_armed.store(true, std::memory_order_release); }

private:
    static constexpr std::size_t slot_count = 16;
    struct alignas(64) Slot {
        std::atomic<std::uint64_t> changes{0};
    };
    /// The calling thread's slot (threads take slots in turn, so the busiest few rarely share).
    static std::size_t slot_of_this_thread();

    // The generation is the sum of the slots: each only grows, so the sum does too.
    std::array<Slot, slot_count> m_slots;
    // Number of threads inside wait_for_change(); notify() skips the mutex when it is zero.
    std::atomic<int> m_waiters{0};
    // True when the listener should be told about the next change.
    std::atomic<bool> m_armed{true};

    // Guards nothing but the sleep of wait_for_change() (the generation itself is atomic).
    std::mutex m_wait_mutex;
    std::condition_variable m_changed;

    void run_listener();
    /// Ends the listener's thread, if any, and waits for it: no call is in progress afterwards.
    void stop_listener();

    // Read and written only by the listener's thread while it runs, by set_listener() otherwise.
    std::function<void()> m_listener;
    // The listener's thread sleeps on this (atomic wait) until a notify() finds the signal armed.
    std::atomic<bool> m_listener_due{false};
    std::atomic<bool> m_listener_stopping{false};
    jthread m_listener_thread;
};

}  // namespace threadlab
