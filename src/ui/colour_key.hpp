#pragma once
// The key to every colour and mark the dashboard draws: session colours, task states on the cards'
// strips, outlines and hatching on the timeline's bars, greyed lanes, wake-up ticks, markers and
// the GIL lane. One key, shown in the help (F1) and in the timeline's "Key" tooltip.

struct ImDrawList;
struct ImVec2;

namespace threadlab::ui {

/// The bars the key explains first, also shown inline beside the timeline's controls.
enum class BarKey {
    session,
    failed,
    cancelled,
    /// A worker process starting up (the process pool's lanes).
    process_startup,
    /// A thread blocked waiting for a process job's result (drawn over its bar).
    process_wait,
};

/// The overlay that marks a wait for a process over [min, max] of a bar: dark, hatched.
void paint_process_wait(ImDrawList* draw, ImVec2 min, ImVec2 max);
/// A process's start-up bar over [min, max]: grey, with diagonal hatching.
void paint_process_startup(ImDrawList* draw, ImVec2 min, ImVec2 max);

/// Paints a sample bar of that kind into [min, max]: one look wherever the key appears.
void paint_bar_key(ImDrawList* draw, ImVec2 min, ImVec2 max, BarKey kind);

/// Draws the key into the current window (or tooltip), one row per mark.
void draw_colour_key();

}  // namespace threadlab::ui
