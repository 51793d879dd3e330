#include "item_locator.hpp"

#include <emscripten/emscripten.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace threadlab::web {

namespace {
struct LocatedItem {
    std::string label;  // as drawn: the part before "##"
    ImRect rect;
};
std::vector<LocatedItem> g_drawing;  // this frame's, so far
std::vector<LocatedItem> g_drawn;    // the last whole frame's
}  // namespace

void start_item_locator() { ImGui::GetCurrentContext()->TestEngineHookItems = true; }

void new_item_frame() {
    g_drawn.swap(g_drawing);
    g_drawing.clear();
}

}  // namespace threadlab::web

// Dear ImGui's hooks (imgui_internal.h), called on the render thread while a frame is built.
void ImGuiTestEngineHook_ItemAdd(ImGuiContext*, const ImRect&, ImGuiID) {}
void ImGuiTestEngineHook_ItemInfo(ImGuiContext* context, ImGuiID, const char* label, ImGuiItemStatusFlags) {
    if (label == nullptr) {
        return;
    }
    const std::string_view full(label);
    threadlab::web::g_drawing.push_back({std::string(full.substr(0, full.find("##"))), context->LastItemData.Rect});
}
void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}
const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID) { return nullptr; }

/// The `index`-th item labelled `label` in the last frame, as JSON {"x","y","w","h"} in CSS pixels
/// of the page (what DevTools' mouse events take), or "null".
extern "C" EMSCRIPTEN_KEEPALIVE const char* threadlab_item_rect(const char* label, int index) {
    static std::string answer;
    answer = "null";
    const double ratio = emscripten_get_device_pixel_ratio();
    for (const auto& item : threadlab::web::g_drawn) {
        if (item.label == label && index-- == 0) {
            char text[160];
            std::snprintf(text, sizeof text, R"({"x":%.1f,"y":%.1f,"w":%.1f,"h":%.1f})", item.rect.Min.x / ratio,
                          item.rect.Min.y / ratio, item.rect.GetWidth() / ratio, item.rect.GetHeight() / ratio);
            answer = text;
            break;
        }
    }
    return answer.c_str();
}
