#include "gil.hpp"

#include <cassert>

namespace threadlab {

Gil::Gil(std::chrono::microseconds switch_interval) : m_switch_interval(switch_interval) {}

bool Gil::acquire(std::stop_token stop) {
    std::unique_lock lock(m_mutex);
    const auto ticket = m_next_ticket++;
    if (ticket != m_now_serving) {
        m_waiting.fetch_add(1, std::memory_order_acq_rel);
        const bool my_turn = m_turn_changed.wait(lock, stop, [&] { return m_now_serving == ticket; });
        m_waiting.fetch_sub(1, std::memory_order_acq_rel);
        if (!my_turn) {
            m_abandoned.insert(ticket);
            return false;
        }
    }
    if (m_holders.fetch_add(1, std::memory_order_acq_rel) != 0) {
        m_violations.fetch_add(1, std::memory_order_relaxed);
    }
    return true;
}

void Gil::release() {
    {
        std::lock_guard lock(m_mutex);
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
