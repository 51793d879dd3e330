#pragma once
// The event log: the seed's messages with timestamps relative to the start, filterable by
// session and by text, bounded in memory, following the newest line unless scrolled up.

#include <deque>
#include <imgui.h>

#include "core/world.hpp"

namespace threadlab::ui {

class LogView {
public:
    static constexpr std::size_t max_lines = 5000;

    explicit LogView(Clock::time_point origin) : m_origin(origin) {}
    void draw(const World& world);

private:
    Clock::time_point m_origin;
    std::uint64_t m_last_sequence = 0;
    std::deque<LogEntry> m_lines;
    std::vector<LogEntry> m_incoming;
    int m_session_filter = 0;  // 0: every session
    ImGuiTextFilter m_text_filter;
};

}  // namespace threadlab::ui
