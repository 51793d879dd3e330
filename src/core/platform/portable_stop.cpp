#include "portable_stop.hpp"

namespace threadlab::portable::detail {

bool StopState::request_stop() {
    std::unique_lock lock(m_mutex);
    if (m_requested.load(std::memory_order_relaxed)) {
        return false;
    }
    m_requested.store(true, std::memory_order_release);
    m_requester = std::this_thread::get_id();
    // One at a time, without the lock: a callback may register or remove others, or destroy itself.
    while (m_head != nullptr) {
        StopCallbackBase* callback = m_head;
        m_head = callback->next;
        if (m_head != nullptr) {
            m_head->prev = nullptr;
        }
        callback->next = nullptr;
        callback->linked = false;
        bool destroyed = false;
        callback->destroyed_while_running = &destroyed;
        m_running = callback;
        lock.unlock();
        callback->invoke(callback);
        lock.lock();
        if (!destroyed) {
            callback->destroyed_while_running = nullptr;
        }
        m_running = nullptr;
        m_callback_done.notify_all();
    }
    return true;
}

bool StopState::add(StopCallbackBase* callback) {
    std::lock_guard lock(m_mutex);
    if (m_requested.load(std::memory_order_relaxed)) {
        return false;
    }
    callback->next = m_head;
    callback->prev = nullptr;
    if (m_head != nullptr) {
        m_head->prev = callback;
    }
    m_head = callback;
    callback->linked = true;
    return true;
}

void StopState::remove(StopCallbackBase* callback) {
    std::unique_lock lock(m_mutex);
    if (callback->linked) {
        (callback->prev != nullptr ? callback->prev->next : m_head) = callback->next;
        if (callback->next != nullptr) {
            callback->next->prev = callback->prev;
        }
        callback->linked = false;
        return;
    }
    if (m_running != callback) {
        return;  // it ran already (or never was registered)
    }
    if (m_requester == std::this_thread::get_id()) {
        // Destroyed from inside its own callback: request_stop() must not touch it afterwards.
        *callback->destroyed_while_running = true;
        return;
    }
    m_callback_done.wait(lock, [&] { return m_running != callback; });
}

}  // namespace threadlab::portable::detail
