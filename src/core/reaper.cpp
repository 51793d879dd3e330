#include "reaper.hpp"

#include "platform/thread_identity.hpp"
#include "platform/stop.hpp"

namespace threadlab {

Reaper::Reaper() : m_thread([this](stop_token stop) { run(stop); }) {}

Reaper::~Reaper() {
    m_thread.request_stop();
    m_thread.join();
}

void Reaper::adopt(jthread thread, std::shared_ptr<const void> keep_alive,
                   std::function<void()> after_join) {
    {
        std::lock_guard lock(m_mutex);
        m_entries.push_back({std::move(thread), std::move(keep_alive), std::move(after_join)});
    }
    m_work.notify_one();
}

std::size_t Reaper::pending() const {
    std::lock_guard lock(m_mutex);
    return m_entries.size() + m_in_progress;
}

void Reaper::drain() {
    std::unique_lock lock(m_mutex);
    m_idle.wait(lock, [this] { return m_entries.empty() && m_in_progress == 0; });
}

void Reaper::run(stop_token stop) {
    set_current_thread_name("tl-reaper");
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_work.wait(lock, stop, [this] { return !m_entries.empty(); });
        if (m_entries.empty()) {
            return;  // stop requested and nothing left to join
        }
        Entry entry = std::move(m_entries.front());
        m_entries.pop_front();
        ++m_in_progress;
        lock.unlock();
        if (entry.thread.joinable()) {
            entry.thread.request_stop();
            entry.thread.join();
        }
        // after_join may read the joined object (the World adds up a destroyed session's task
        // counts through a weak pointer), so it runs before the reaper lets go of it.
        if (entry.after_join) {
            entry.after_join();
        }
        entry.keep_alive.reset();
        entry = {};
        lock.lock();
        --m_in_progress;
        if (m_entries.empty() && m_in_progress == 0) {
            m_idle.notify_all();
        }
    }
}

}  // namespace threadlab
