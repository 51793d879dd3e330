#include "dashboard.hpp"

#include <imgui.h>

namespace threadlab::ui {

void Dashboard::draw(World& world) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->WorkPos);
    ImGui::SetNextWindowSize(viewport->WorkSize);
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
    if (!ImGui::Begin("ThreadLab", nullptr, flags)) {
        ImGui::End();
        return;
    }
    m_toolbar.draw(world, m_controls);
    ImGui::Separator();
    m_pool.draw(world);
    ImGui::Separator();
    m_sessions.draw(world, m_controls);
    ImGui::End();
}

}  // namespace threadlab::ui
