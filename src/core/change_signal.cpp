#include "change_signal.hpp"

#include "platform/thread_identity.hpp"

namespace threadlab {

std::size_t ChangeSignal::slot_of_this_thread() {
    static std::atomic<std::size_t> next_slot{0};
    thread_local const std::size_t slot = next_slot.fetch_add(1, std::memory_order_relaxed) % slot_count;
    return slot;
}

std::uint64_t ChangeSignal::generation() const {
    std::uint64_t sum = 0;
    for (const auto& slot : m_slots) {
        sum += slot.changes.load(std::memory_order_seq_cst);
    }
    return sum;
}

void ChangeSignal::notify() {
    // seq_cst on both sides (increment here, then read m_waiters; the waiter registers, then reads
    // every slot): at least one of the two sees the other, so a waiter is never missed.
    m_slots[slot_of_this_thread()].changes.fetch_add(1, std::memory_order_seq_cst);
    if (m_waiters.load(std::memory_order_seq_cst) > 0) {
        // Taking the mutex orders this notify after a waiter's predicate check, so no wake-up is lost.
        { std::lock_guard lock(m_wait_mutex); }
        m_changed.notify_all();
    }
    // A plain load first: under load the flag is mostly false, and a read-modify-write on every
    // notify would pull the cache line away from the other threads each time.
    if (m_armed.load(std::memory_order_acquire) && m_armed.exchange(false, std::memory_order_acq_rel)) {
        m_listener_due.store(true, std::memory_order_release);
        m_listener_due.notify_one();
    }
}

std::uint64_t ChangeSignal::wait_for_change(std::uint64_t seen, std::chrono::milliseconds timeout) {
    m_waiters.fetch_add(1, std::memory_order_seq_cst);
    {
        std::unique_lock lock(m_wait_mutex);
        m_changed.wait_for(lock, timeout,
                           [&] { return generation() != seen; });
    }
    m_waiters.fetch_sub(1, std::memory_order_seq_cst);
    return generation();
}

ChangeSignal::~ChangeSignal() { stop_listener(); }

void ChangeSignal::set_listener(std::function<void()> listener) {
    stop_listener();
    if (!listener) {
        return;
    }
    m_listener = std::move(listener);
    m_listener_stopping.store(false, std::memory_order_relaxed);
    m_listener_thread = jthread([this] { run_listener(); });
}

void ChangeSignal::run_listener() {
    set_current_thread_name("tl-change-wake");
    for (;;) {
        m_listener_due.wait(false, std::memory_order_acquire);
        if (m_listener_stopping.load(std::memory_order_acquire)) {
            return;
        }
        // Cleared before the call: a change during the call (once rearmed) calls it again.
        m_listener_due.store(false, std::memory_order_relaxed);
        m_listener();
    }
}

void ChangeSignal::stop_listener() {
    if (!m_listener_thread.joinable()) {
        return;
    }
    m_listener_stopping.store(true, std::memory_order_release);
    m_listener_due.store(true, std::memory_order_release);
    m_listener_due.notify_one();
    m_listener_thread.join();
    m_listener = nullptr;
    m_listener_due.store(false, std::memory_order_relaxed);
}

}  // namespace threadlab
