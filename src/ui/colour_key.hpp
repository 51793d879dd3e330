#pragma once
// The key to every colour and mark the dashboard draws: session colours, task states on the cards'
// strips, outlines and hatching on the timeline's bars, greyed lanes, wake-up ticks, markers and
// the GIL lane. One key, shown in the help (F1) and in the timeline's "Key" tooltip.

namespace threadlab::ui {

/// Draws the key into the current window (or tooltip), one row per mark.
void draw_colour_key();

}  // namespace threadlab::ui
