#include "gil.hpp"

#include <cassert>

#include "platform/stop.hpp"

namespace threadlab {

namespace {
void trim(std::deque<GilSpan>& spans) {
    while (spans.size() > GilHistory::limit) {
        spans.pop_front();
    }
}
}  // namespace

Gil::Gil(std::chrono::microseconds switch_interval) : m_switch_interval(switch_interval) {}

bool Gil::acquire(stop_token stop, SessionId session) {
    std::unique_lock lock(m_mutex);
    const auto ticket = m_next_ticket++;
    if (ticket != m_now_serving) {
        const int before = m_waiting.fetch_add(1, std::memory_order_acq_rel);
        record_waiting_locked(before, before + 1);
        const bool my_turn = m_turn_changed.wait(lock, stop, [&] { return m_now_serving == ticket; });
        const int after = m_waiting.fetch_sub(1, std::memory_order_acq_rel) - 1;
        record_waiting_locked(after + 1, after);
        if (!my_turn) {
            m_abandoned.insert(ticket);
            return false;
        }
    }
    if (m_holders.fetch_add(1, std::memory_order_acq_rel) != 0) {
        m_violations.fetch_add(1, std::memory_order_relaxed);
    }
    m_history.publish([&](GilHistory& history) {
        history.holds.push_back({session, Clock::now(), std::nullopt});
        trim(history.holds);
    });
    return true;
}

void Gil::record_waiting_locked(int waiting_before, int waiting_after) {
    if (waiting_before == 0 && waiting_after > 0) {
        m_history.publish([](GilHistory& history) {
            history.contention.push_back({0, Clock::now(), std::nullopt});
            trim(history.contention);
        });
    } else if (waiting_before > 0 && waiting_after == 0) {
        m_history.publish([](GilHistory& history) {
            if (!history.contention.empty()) {
                history.contention.back().end = Clock::now();
            }
        });
    }
}

void Gil::release() {
    {
        std::lock_guard lock(m_mutex);
        m_history.publish([](GilHistory& history) {
            if (!history.holds.empty()) {
                history.holds.back().end = Clock::now();
            }
        });
        m_holders.fetch_sub(1, std::memory_order_acq_rel);
        advance_locked();
        m_handovers.fetch_add(1, std::memory_order_relaxed);
    }
    m_turn_changed.notify_all();
}

void Gil::advance_locked() {
    ++m_now_serving;
    while (m_abandoned.erase(m_now_serving) != 0) {
        ++m_now_serving;
    }
}

}  // namespace threadlab
