#pragma once
// What ThreadLab remembers between runs, in its section of the Dear ImGui ini file under the
// user's config folder: the window's size and whether presenter mode was on.

#include <optional>

namespace threadlab::ui {

struct Preferences {
    std::optional<int> window_width;
    std::optional<int> window_height;
    bool presenter = false;
};

/// Registers the "[ThreadLab][Preferences]" ini section with the current ImGui context. `prefs`
/// is filled when the ini is read and written out when it is saved, so it must outlive the
/// context (the Window owns both).
void register_preferences(Preferences& prefs);

/// Reads `line` ("Key=Value") into `prefs`; unknown keys and bad values are ignored (a hand-edited
/// ini file never stops the program).
void read_preference_line(Preferences& prefs, const char* line);

}  // namespace threadlab::ui
