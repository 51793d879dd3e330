#include "refusal_banner.hpp"

#include <imgui.h>

#include <string>

#include "palette.hpp"

namespace threadlab::ui {

bool RefusalBanner::pending(const World& world) {
    // Never waits: a refusal being recorded right now shows next frame.
    world.refusals().try_copy_if_changed(m_refusals, m_seen_version);
    return m_refusals.count > m_dismissed_count;
}

bool RefusalBanner::draw(const World& world) {
    if (!pending(world)) {
        return false;
    }
    const std::uint64_t unseen = m_refusals.count - m_dismissed_count;
    ImGui::PushStyleColor(ImGuiCol_Text, error_colour);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(m_refusals.last.c_str());
    ImGui::PopStyleColor();
    if (unseen > 1) {
        ImGui::SameLine();
        ImGui::TextDisabled("(%llu refusals)", static_cast<unsigned long long>(unseen));
    }
    ImGui::SameLine();
    if (ImGui::SmallButton("Dismiss###refusal")) {
        m_dismissed_count = m_refusals.count;
    }
    return true;
}

}  // namespace threadlab::ui
