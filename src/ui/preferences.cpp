#include "preferences.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include <cstdio>
#include <string_view>

namespace threadlab::ui {

namespace {
constexpr const char* section = "ThreadLab";
constexpr int min_size = 200;
constexpr int max_size = 16384;

Preferences& prefs_of(ImGuiSettingsHandler* handler) { return *static_cast<Preferences*>(handler->UserData); }
}  // namespace

void read_preference_line(Preferences& prefs, const char* line) {
    int value = 0;
    if (std::sscanf(line, "WindowWidth=%d", &value) == 1 && value >= min_size && value <= max_size) {
        prefs.window_width = value;
    } else if (std::sscanf(line, "WindowHeight=%d", &value) == 1 && value >= min_size && value <= max_size) {
        prefs.window_height = value;
    } else if (std::sscanf(line, "Presenter=%d", &value) == 1) {
        prefs.presenter = value != 0;
    }
}

void register_preferences(Preferences& prefs) {
    ImGuiSettingsHandler handler;
    handler.TypeName = section;
    handler.TypeHash = ImHashStr(section);
    handler.UserData = &prefs;
    handler.ReadOpenFn = [](ImGuiContext*, ImGuiSettingsHandler* self, const char* name) -> void* {
        return std::string_view(name) == "Preferences" ? &prefs_of(self) : nullptr;
    };
    handler.ReadLineFn = [](ImGuiContext*, ImGuiSettingsHandler*, void* entry, const char* line) {
        read_preference_line(*static_cast<Preferences*>(entry), line);
    };
    handler.WriteAllFn = [](ImGuiContext*, ImGuiSettingsHandler* self, ImGuiTextBuffer* out) {
        const Preferences& stored = prefs_of(self);
        out->appendf("[%s][Preferences]\n", section);
        if (stored.window_width && stored.window_height) {
            out->appendf("WindowWidth=%d\nWindowHeight=%d\n", *stored.window_width, *stored.window_height);
        }
        out->appendf("Presenter=%d\n\n", stored.presenter ? 1 : 0);
    };
    ImGui::GetCurrentContext()->SettingsHandlers.push_back(handler);
}

}  // namespace threadlab::ui
