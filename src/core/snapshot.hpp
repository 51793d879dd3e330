#pragma once
// A versioned snapshot: the way rich state (text, history) travels from a runner or worker to
// the render loop. The writer publishes at state transitions under a small mutex; the reader
// copies only when the version moved and holds the lock only for the copy. Nobody holds this
// lock while a task runs, so a reader never waits for running work.

#include <atomic>
#include <cstdint>
#include <mutex>

#include "lock_probe.hpp"

namespace threadlab {

template <class State>
class Snapshot {
public:
    Snapshot() = default;
    explicit Snapshot(State initial) : m_state(std::move(initial)) {}
    Snapshot(const Snapshot&) = delete;
    Snapshot& operator=(const Snapshot&) = delete;

    /// Applies `modify(State&)` and moves the version on, as one step for every reader.
    template <class Modify>
    void publish(Modify&& modify) {
        std::lock_guard lock(m_mutex);
        modify(m_state);
        m_version.store(m_version.load(std::memory_order_relaxed) + 1, std::memory_order_release);
    }

    /// Version 0 is never published, so a reader that starts from 0 always gets a first copy.
    std::uint64_t version() const { return m_version.load(std::memory_order_acquire); }

    /// Copies into `out` when the version differs from `seen`; updates `seen`. Returns whether it copied.
    bool copy_if_changed(State& out, std::uint64_t& seen) const {
        if (m_version.load(std::memory_order_acquire) == seen) {
            return false;
        }
        MeasuredLock lock(m_mutex);
        out = m_state;
        seen = m_version.load(std::memory_order_relaxed);
        return true;
    }

    /// Like copy_if_changed, but never waits: when a writer holds the lock right now (it may have
    /// been preempted mid-publish), returns false and leaves `seen` alone, so the next call retries.
    /// The render loop uses this: it draws last frame's copy rather than wait.
    bool try_copy_if_changed(State& out, std::uint64_t& seen) const {
        if (m_version.load(std::memory_order_acquire) == seen) {
            return false;
        }
        std::unique_lock lock(m_mutex, std::try_to_lock);
        if (!lock.owns_lock()) {
            if (t_lock_wait_recorder != nullptr) {
                t_lock_wait_recorder->record_skip();
            }
            return false;
        }
        out = m_state;
        seen = m_version.load(std::memory_order_relaxed);
        return true;
    }

    State copy() const {
        MeasuredLock lock(m_mutex);
        return m_state;
    }

private:
    // Guards m_state; held only to modify or copy it, never across work.
    mutable std::mutex m_mutex;
    State m_state{};
    // Starts at 1 so that a reader's initial `seen` of 0 differs from it.
    std::atomic<std::uint64_t> m_version{1};
};

}  // namespace threadlab
