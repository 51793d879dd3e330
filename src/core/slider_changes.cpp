#include "slider_changes.hpp"

namespace threadlab {

bool SliderChanges::add(int value, bool released) {
    m_position.store(value, std::memory_order_release);
    m_changes_sent.fetch_add(1, std::memory_order_acq_rel);
    std::lock_guard lock(m_mutex);
    // Panel's `processing = bool(self._events)`: an open batch only merges.
    const bool opens = m_pending.empty();
    m_pending.value = value;
    if (released) {
        m_pending.value_throttled = value;
    }
    ++m_pending.changes;
    if (opens) {
        m_flush_due = true;
        m_open.store(true, std::memory_order_release);
    }
    return opens;
}

bool SliderChanges::claim_flush() {
    std::lock_guard lock(m_mutex);
    const bool due = m_flush_due;
    m_flush_due = false;
    return due;
}

SliderBatch SliderChanges::take() {
    SliderBatch batch = discard();
    if (!batch.empty()) {
        m_batches_taken.fetch_add(1, std::memory_order_acq_rel);
        if (batch.value_throttled) {
            m_releases_taken.fetch_add(1, std::memory_order_acq_rel);
        }
    }
    return batch;
}

SliderBatch SliderChanges::discard() {
    std::lock_guard lock(m_mutex);
    SliderBatch batch = m_pending;
    m_pending = {};
    m_flush_due = false;
    m_open.store(false, std::memory_order_release);
    return batch;
}

void SliderChanges::set_watchers(SliderWatchers watchers) {
    std::lock_guard lock(m_mutex);
    m_watchers = std::move(watchers);
}

SliderWatchers SliderChanges::watchers() const {
    std::lock_guard lock(m_mutex);
    return m_watchers;
}

}  // namespace threadlab
