#include "status_line.hpp"

#include "palette.hpp"

namespace threadlab::ui {

void StatusLine::show_notice(std::string text, bool failed) {
    m_notice = std::move(text);
    m_notice_failed = failed;
}

std::optional<StatusLine::Message> StatusLine::message(const TraceExport::Status& exported, bool newcomer) {
    if (exported.running) {
        m_notice.clear();  // the newer message is the export's
    }
    if (!m_notice.empty()) {
        return Message{m_notice, m_notice_failed ? error_colour : muted_text_colour};
    }
    if (!exported.message.empty()) {
        return Message{exported.message, exported.failed ? error_colour : muted_text_colour};
    }
    if (newcomer) {
        return Message{"New here? Press L for a lesson.", IM_COL32(230, 159, 0, 255),
                       "Or press \"Click me\" on a session card and watch its click on the pool's lanes,\n"
                       "add a task to a session's own runner, or drag the Pool slider.",
                       "Press L for a lesson"};
    }
    return std::nullopt;
}

void StatusLine::draw_message(const Message& message) {
    ImGui::AlignTextToFramePadding();
    ImGui::PushStyleColor(ImGuiCol_Text, message.colour);
    ImGui::TextUnformatted(message.text.c_str());
    ImGui::PopStyleColor();
    if (message.tooltip && ImGui::IsItemHovered()) {
        ImGui::SetTooltip("%s", message.tooltip);
    }
}

void StatusLine::draw_beside_toolbar(const World& world, const TraceExport::Status& exported, bool newcomer) {
    const float unit = ImGui::GetFontSize();
    const float gap = unit * 1.5f;
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    const float room = right - (ImGui::GetItemRectMax().x + gap);
    m_beside = room >= unit * 12.0f;
    if (!m_beside) {
        // No room for the line, but a message that fits goes beside the toolbar all the same, rather
        // than over the views (a refusal floats: its Dismiss needs the room).
        auto said = m_refusals.pending(world) ? std::nullopt : message(exported, newcomer);
        const auto fits = [room](const char* text) { return *text && ImGui::CalcTextSize(text).x <= room; };
        if (said && !fits(said->text.c_str()) && fits(said->brief)) {
            said->text = said->brief;
        }
        m_beside = said && fits(said->text.c_str());
        if (m_beside) {
            ImGui::SameLine(0.0f, gap);
            draw_message(*said);
        }
        return;
    }
    ImGui::SameLine(0.0f, gap);
    ImGui::AlignTextToFramePadding();
    if (m_refusals.draw(world)) {
        return;
    }
    if (const auto said = message(exported, newcomer)) {
        draw_message(*said);  // a long one is clipped by the window
    } else {
        ImGui::TextUnformatted("");
    }
}

void StatusLine::draw_floating(const World& world, const TraceExport::Status& exported, bool newcomer, ImVec2 top_right,
                               bool input) {
    if (m_beside) {
        return;
    }
    const bool refused = m_refusals.pending(world);
    auto said = refused ? std::nullopt : message(exported, newcomer);
    if (!m_passing.update(said ? said->text : std::string{}, input, PassingMessage::Clock::now())) {
        said.reset();
    }
    if (!refused && !said) {
        return;
    }
    ImGui::SetNextWindowPos(top_right, ImGuiCond_Always, {1.0f, 0.0f});
    ImGui::PushStyleColor(ImGuiCol_Border, refused ? error_colour : said->colour);
    ImGui::Begin("##status-line", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav);
    if (refused) {
        m_refusals.draw(world);
    } else {
        draw_message(*said);
    }
    ImGui::End();
    ImGui::PopStyleColor();
}

}  // namespace threadlab::ui
