#pragma once
// A Dear ImGui context for the length of a test: the dashboard's functions need one to measure text.

#include <imgui.h>

namespace threadlab::testing {

struct ImGuiContextScope {
    ImGuiContextScope() { ImGui::CreateContext(); }
    ~ImGuiContextScope() { ImGui::DestroyContext(); }
    ImGuiContextScope(const ImGuiContextScope&) = delete;
    ImGuiContextScope& operator=(const ImGuiContextScope&) = delete;
};

}  // namespace threadlab::testing
