#include "log_view.hpp"

#include <iterator>
#include <string>

#include "format.hpp"
#include "palette.hpp"

namespace threadlab::ui {

void LogView::draw(const World& world) {
    // Take only what is new since the last frame.
    if (world.log().latest() != m_last_sequence) {
        m_incoming.clear();
        const auto seen_before = m_last_sequence;
        m_last_sequence = world.log().try_copy_since(m_last_sequence, m_incoming);
        if (const auto missed = entries_missed(seen_before, m_incoming); missed > 0) {
            m_lines.push_back({0, m_incoming.front().time, 0, missed_entries_notice(missed, world.log().capacity())});
        }
        m_lines.insert(m_lines.end(), std::make_move_iterator(m_incoming.begin()),
                       std::make_move_iterator(m_incoming.end()));
        while (m_lines.size() > max_lines) {
            m_lines.pop_front();
        }
    }
    const float unit = ImGui::GetFontSize();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Event log");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(unit * 5.5f);
    ImGui::InputInt("##session", &m_session_filter, 1, 10);
    m_session_filter = std::max(0, m_session_filter);
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("Show one session's messages (0: every session)");
    }
    ImGui::SameLine();
    // The text filter takes what is left beside the Clear button, so nothing is cut off.
    const float clear_width = ImGui::CalcTextSize("Clear").x + ImGui::GetStyle().FramePadding.x * 2.0f +
                              ImGui::GetStyle().ItemSpacing.x;
    m_text_filter.Draw("##text", std::clamp(ImGui::GetContentRegionAvail().x - clear_width, unit * 3.0f, unit * 8.0f));
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("Show lines containing this text (\"-word\" hides lines with word)");
    }
    ImGui::SameLine();
    if (ImGui::SmallButton("Clear")) {
        m_lines.clear();
    }

    // Unfiltered (the usual case), the clipper reads the lines in place: no pass over all 5000.
    const bool filtered = m_session_filter != 0 || m_text_filter.IsActive();
    std::vector<const LogEntry*> shown;
    if (filtered) {
        for (const auto& line : m_lines) {
            if ((m_session_filter == 0 || line.session == static_cast<SessionId>(m_session_filter)) &&
                m_text_filter.PassFilter(line.text.c_str())) {
                shown.push_back(&line);
            }
        }
    }
    const auto line_at = [&](int i) -> const LogEntry& {
        return filtered ? *shown[static_cast<std::size_t>(i)] : m_lines[static_cast<std::size_t>(i)];
    };
    ImGui::BeginChild("log-lines", {0, 0}, true, ImGuiWindowFlags_HorizontalScrollbar);
    const bool follow = ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 1.0f;
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(filtered ? shown.size() : m_lines.size()));
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const LogEntry& line = line_at(i);
            ImGui::TextColored(ImColor(muted_text_colour), "%s", format_offset(m_origin, line.time).c_str());
            ImGui::SameLine();
            if (line.session != 0) {
                ImGui::TextColored(ImColor(session_colour(line.session)), "#%u", line.session);
                ImGui::SameLine();
            }
            const bool bad = line.text.find("failed") != std::string::npos;
            if (bad) {
                ImGui::TextColored(ImColor(error_colour), "%s", line.text.c_str());
            } else {
                ImGui::TextUnformatted(line.text.c_str());
            }
        }
    }
    if (follow) {
        ImGui::SetScrollHereY(1.0f);
    }
    ImGui::EndChild();
}

}  // namespace threadlab::ui
