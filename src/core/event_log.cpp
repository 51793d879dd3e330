#include "event_log.hpp"

#include <algorithm>

#include "lock_probe.hpp"

namespace threadlab {

void EventLog::add(SessionId session, std::string text) {
    const auto now = Clock::now();
    std::lock_guard lock(m_mutex);
    const auto sequence = m_next++;
    m_entries.push_back({sequence, now, session, std::move(text)});
    if (m_entries.size() > m_capacity) {
        m_entries.pop_front();
    }
    m_latest.store(sequence, std::memory_order_release);
}

std::uint64_t EventLog::try_copy_since(std::uint64_t after, std::vector<LogEntry>& out) const {
    std::unique_lock lock(m_mutex, std::try_to_lock);
    if (!lock.owns_lock()) {
        return after;
    }
    return copy_locked(after, out);
}

std::uint64_t EventLog::copy_since(std::uint64_t after, std::vector<LogEntry>& out) const {
    MeasuredLock lock(m_mutex);
    return copy_locked(after, out);
}

std::uint64_t EventLog::copy_locked(std::uint64_t after, std::vector<LogEntry>& out) const {
    // Sequence numbers are consecutive, so the first new entry is found by arithmetic.
    if (m_entries.empty() || m_entries.back().sequence <= after) {
        return after;
    }
    const auto first_kept = m_entries.front().sequence;
    const auto skip = after >= first_kept ? static_cast<std::size_t>(after - first_kept + 1) : 0;
    out.insert(out.end(), m_entries.begin() + static_cast<std::ptrdiff_t>(skip), m_entries.end());
    return m_entries.back().sequence;
}

std::string ordinal(std::uint64_t number) {
    const auto last_two = number % 100;
    const char* suffix = "th";
    if (last_two < 11 || last_two > 13) {
        switch (number % 10) {
            case 1: suffix = "st"; break;
            case 2: suffix = "nd"; break;
            case 3: suffix = "rd"; break;
            default: break;
        }
    }
    return std::to_string(number) + suffix;
}

std::string missed_entries_notice(std::uint64_t missed, std::size_t capacity) {
    return std::string("(").append(std::to_string(missed)).append(missed == 1 ? " line" : " lines")
        .append(" of the log went unread: it keeps the latest ").append(std::to_string(capacity)).append(")");
}

}  // namespace threadlab
