#pragma once
// A simulated GIL (Python's global interpreter lock). Compute work must hold it; sleep work
// releases it. Like CPython, a holder hands it over when another thread has waited for a switch
// interval (5 ms by default). Handover is FIFO (a ticket lock), so a releasing thread cannot grab
// it straight back while others wait. Waiting is interruptible by a stop token.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <set>

#include "ids.hpp"
#include "snapshot.hpp"
#include "platform/stop.hpp"

namespace threadlab {

/// One stretch of time: who held the GIL, or while somebody waited for it.
struct GilSpan {
    SessionId session = 0;
    Clock::time_point start{};
    /// Unset while it lasts.
    std::optional<Clock::time_point> end;
};

/// Recent GIL activity, for the dashboard's GIL lane.
struct GilHistory {
    static constexpr std::size_t limit = 2048;
    std::deque<GilSpan> holds;
    /// Stretches during which at least one thread waited (the contention the lane shows).
    std::deque<GilSpan> contention;
};

class Gil {
public:
    explicit Gil(std::chrono::microseconds switch_interval = std::chrono::milliseconds(5));
    Gil(const Gil&) = delete;
    Gil& operator=(const Gil&) = delete;

    /// Whether compute work must take the GIL; may change at any time (checked at each slice).
    void set_enabled(bool enabled) { m_enabled.store(enabled, std::memory_order_release); }
    bool enabled() const { return m_enabled.load(std::memory_order_acquire); }

    /// Waits for the GIL in arrival order. Returns false, not holding it, when `stop` fired first.
    /// `session` names the holder in the history (0 for none).
    bool acquire(stop_token stop, SessionId session = 0);
    /// Hands the GIL to the longest waiter. Only the holder may call it.
    void release();

    /// Whether some thread is waiting: the holder's cue to hand over at the switch interval.
    bool has_waiters() const { return m_waiting.load(std::memory_order_acquire) > 0; }
    int waiting() const { return m_waiting.load(std::memory_order_acquire); }
    std::chrono::microseconds switch_interval() const { return m_switch_interval; }

    /// Threads holding it right now: 0 or 1, or the lock is broken.
    int holders() const { return m_holders.load(std::memory_order_acquire); }
    /// Times a thread took it while another held it; must stay 0 (checked by the tests).
    std::uint64_t violations() const { return m_violations.load(std::memory_order_acquire); }
    std::uint64_t handovers() const { return m_handovers.load(std::memory_order_acquire); }

    /// Who held it and when it was contended, recently. Published at every acquire and release.
    const Snapshot<GilHistory>& history() const { return m_history; }

private:
    void advance_locked();
    void record_waiting_locked(int waiting_before, int waiting_after);

    const std::chrono::microseconds m_switch_interval;
    std::atomic<bool> m_enabled{false};

    // Guards the tickets below; held only to take or pass a ticket, never while computing.
    std::mutex m_mutex;
    condition_variable_any m_turn_changed;
    std::uint64_t m_next_ticket = 0;
    std::uint64_t m_now_serving = 0;
    // Tickets whose waiters gave up (stopped); skipped when the turn reaches them.
    std::set<std::uint64_t> m_abandoned;

    // Observation only, written by acquire/release, read lock-free by the UI and tests.
    std::atomic<int> m_waiting{0};
    std::atomic<int> m_holders{0};
    std::atomic<std::uint64_t> m_violations{0};
    std::atomic<std::uint64_t> m_handovers{0};
    // Written under m_mutex (so spans are recorded in the order the GIL changed hands).
    Snapshot<GilHistory> m_history;
};

}  // namespace threadlab
