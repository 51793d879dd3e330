#pragma once
// Keyboard shortcuts for the main actions, and the help overlay that lists them (F1).

#include <vector>

#include "controls.hpp"
#include "core/world.hpp"
#include "theme.hpp"
#include "timeline_view.hpp"

namespace threadlab::ui {

/// One key press as the window reported it (GLFW key code and modifier bits). Presses are queued
/// by the window's key callback, so a tap shorter than a frame is never lost.
struct KeyPress {
    int key = 0;
    int mods = 0;
};

struct ShortcutTargets {
    World& world;
    WorkControls& controls;
    Theme& theme;
    TimelineView& timeline;
    bool& help_open;
    bool& lessons_open;
};

/// Acts on the key presses since the last frame. Pass `text_input` true while a text field has
/// the keyboard: then only F1, F2 and Escape act.
void handle_shortcuts(const std::vector<KeyPress>& presses, bool text_input, const ShortcutTargets& targets);

/// Draws the help overlay when open; Escape or F1 closes it.
void draw_help_overlay(bool& open);

}  // namespace threadlab::ui
