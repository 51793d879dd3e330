#include "shortcuts.hpp"

#include "colour_key.hpp"

#include <GLFW/glfw3.h>  // key codes only: Dear ImGui 1.86 reports keys as the GLFW backend's codes
#include <imgui.h>

#include <algorithm>

namespace threadlab::ui {

namespace {
struct Shortcut {
    const char* keys;
    const char* action;
};
constexpr Shortcut shortcuts[] = {
    {"A", "add a session"},
    {"Shift+A", "add N sessions (N set in More...)"},
    {"C", "click \"Click me\" in every session (one event each; async with the toolbar's Async)"},
    {"N", "add a task to every session's runner"},
    {"Ctrl+D", "destroy every session"},
    {"T", "threading on / off (pool vs. single event loop)"},
    {"+  /  -", "grow / shrink the event pool by one thread"},
    {"G", "simulated GIL on / off"},
    {"P", "pause / resume new events"},
    {"Space", "freeze / follow the timeline view"},
    {"L", "the lessons: predict, run, see the answer"},
    {"F2", "presenter mode (large type, high contrast)"},
    {"F1", "this help"},
};


void resize_pool(World& world, int delta) {
    const auto setting = world.pool().stats().setting;
    const int current = static_cast<int>(setting.threaded ? setting.worker_count() : 1);
    const int next = std::clamp(current + delta, 1, static_cast<int>(max_pool_threads));
    world.set_pool(PoolSetting::fixed(static_cast<unsigned>(next)));
}
}  // namespace

void handle_shortcuts(const std::vector<KeyPress>& presses, bool text_input, const ShortcutTargets& targets) {
    World& world = targets.world;
    for (const KeyPress& press : presses) {
        const bool ctrl = (press.mods & GLFW_MOD_CONTROL) != 0;
        const bool shift = (press.mods & GLFW_MOD_SHIFT) != 0;
        switch (press.key) {
            case GLFW_KEY_F1: targets.help_open = !targets.help_open; continue;
            case GLFW_KEY_F2: targets.theme.set_presenter(!targets.theme.presenter()); continue;
            case GLFW_KEY_ESCAPE: targets.help_open = false; continue;
            default: break;
        }
        if (text_input) {
            continue;  // letters belong to the text field
        }
        if (ctrl) {
            if (press.key == GLFW_KEY_D) {
                world.destroy_all_sessions();
            }
            continue;
        }
        switch (press.key) {
            case GLFW_KEY_A:
                for (int i = 0, count = shift ? targets.controls.sessions_to_add : 1; i < count; ++i) {
                    world.add_session();
                }
                break;
            case GLFW_KEY_C:
                for (const auto& session : world.sessions()) {
                    if (targets.controls.async_clicks) {
                        world.click_async(session->id(), async_callback_for(targets.controls.work));
                    } else {
                        world.click(session->id(), targets.controls.work);
                    }
                }
                break;
            case GLFW_KEY_N:
                for (const auto& session : world.sessions()) {
                    world.add_task(session->id(), targets.controls.work);
                }
                break;
            case GLFW_KEY_T: {
                const auto setting = world.pool().stats().setting;
                world.set_pool(setting.threaded ? PoolSetting::off() : PoolSetting::automatic());
                break;
            }
            case GLFW_KEY_EQUAL:
            case GLFW_KEY_KP_ADD: resize_pool(world, +1); break;
            case GLFW_KEY_MINUS:
            case GLFW_KEY_KP_SUBTRACT: resize_pool(world, -1); break;
            case GLFW_KEY_G: world.set_gil(!world.gil().enabled()); break;
            case GLFW_KEY_P: world.set_events_paused(!world.pool().stats().paused); break;
            case GLFW_KEY_SPACE: targets.timeline.set_frozen(!targets.timeline.frozen()); break;
            case GLFW_KEY_L: targets.lessons_open = !targets.lessons_open; break;
            default: break;
        }
    }
}

void draw_help_overlay(bool& open) {
    if (!open) {
        return;
    }
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos({viewport->WorkPos.x + viewport->WorkSize.x * 0.5f,
                             viewport->WorkPos.y + viewport->WorkSize.y * 0.5f},
                            ImGuiCond_Always, {0.5f, 0.5f});
    ImGui::SetNextWindowBgAlpha(0.96f);
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_AlwaysAutoResize |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove;
    if (ImGui::Begin("Help: keys and colours (F1 or Esc to close)", &open, flags)) {
        // Side by side, so the whole help fits a 1280x720 projector.
        ImGui::BeginGroup();
        if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
            for (const auto& shortcut : shortcuts) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextColored(ImColor(230, 159, 0), "%s", shortcut.keys);
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(shortcut.action);
            }
            ImGui::EndTable();
        }
        ImGui::EndGroup();
        ImGui::SameLine(0.0f, ImGui::GetFontSize() * 1.5f);
        ImGui::BeginGroup();
        draw_colour_key();
        ImGui::EndGroup();
        ImGui::Spacing();
        ImGui::TextUnformatted("Hover any control for what it does and which Panel setting it stands for.");
    }
    ImGui::End();
}

}  // namespace threadlab::ui
