#pragma once
// The seed's printed messages ("Button clicked for the 1st time.", "Finished processing 1st
// click.", the runner's "Waiting for a task"), as a bounded log that any thread appends to and
// the UI reads incrementally. Memory stays flat: the oldest entries go once the capacity is reached.

#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "ids.hpp"

namespace threadlab {

struct LogEntry {
    /// 1, 2, 3, ... in the order entries were added; never reused.
    std::uint64_t sequence = 0;
    Clock::time_point time{};
    /// 0 for messages of no session (the pool, the world).
    SessionId session = 0;
    std::string text;
};

class EventLog {
public:
    static constexpr std::size_t default_capacity = 5000;

    explicit EventLog(std::size_t capacity = default_capacity) : m_capacity(capacity) {}
    EventLog(const EventLog&) = delete;
    EventLog& operator=(const EventLog&) = delete;

    /// Thread-safe; a short critical section (no formatting under the lock).
    void add(SessionId session, std::string text);

    /// Sequence number of the newest entry, 0 when empty; lock-free.
    std::uint64_t latest() const { return m_latest.load(std::memory_order_acquire); }

    /// Appends to `out` the entries newer than `after` that are still kept, oldest first.
    /// Returns the newest sequence number copied (or `after` when there is nothing new).
    std::uint64_t copy_since(std::uint64_t after, std::vector<LogEntry>& out) const;

    /// Like copy_since, but never waits for a writer: returns `after` (nothing copied) when the
    /// log is being written right now, so the render loop takes the lines next frame.
    std::uint64_t try_copy_since(std::uint64_t after, std::vector<LogEntry>& out) const;

    std::size_t capacity() const { return m_capacity; }

private:
    std::uint64_t copy_locked(std::uint64_t after, std::vector<LogEntry>& out) const;

    const std::size_t m_capacity;
    // Guards m_entries and m_next; held for one push or one copy.
    mutable std::mutex m_mutex;
    std::deque<LogEntry> m_entries;
    std::uint64_t m_next = 1;
    std::atomic<std::uint64_t> m_latest{0};
};

/// How many entries newer than `after` were dropped before `copied` (what a copy_since(after, ...)
/// returned) was taken: a reader that fell more than capacity() entries behind lost the oldest.
inline std::uint64_t entries_missed(std::uint64_t after, const std::vector<LogEntry>& copied) {
    return copied.empty() ? 0 : copied.front().sequence - after - 1;
}

/// The line a reader shows in their place, so that a gap in the log never passes unsaid.
std::string missed_entries_notice(std::uint64_t missed, std::size_t capacity);

/// "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", ... (the seed prints "1th").
std::string ordinal(std::uint64_t number);

}  // namespace threadlab
