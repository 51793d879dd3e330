#pragma once
// Keyboard shortcuts for the main actions, and the help overlay that lists them (F1).

#include "controls.hpp"
#include "core/world.hpp"
#include "theme.hpp"
#include "timeline_view.hpp"

namespace threadlab::ui {

struct ShortcutTargets {
    World& world;
    WorkControls& controls;
    Theme& theme;
    TimelineView& timeline;
    bool& help_open;
};

/// Acts on this frame's key presses (ignored while a text field has the keyboard).
void handle_shortcuts(const ShortcutTargets& targets);

/// Draws the help overlay when open; Escape or F1 closes it.
void draw_help_overlay(bool& open);

}  // namespace threadlab::ui
