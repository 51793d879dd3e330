#pragma once
// The event loop's awaits on the timeline: while a coroutine awaits (asyncio.sleep, I/O) the loop
// is free for other callbacks. Drawn in a strip under the loop's bars, a dashed line per await in
// its session's colour, so that the audience sees three callbacks' steps share one lane while
// their awaits run side by side.

#include <imgui.h>

#include <functional>
#include <vector>

#include "timeline_lanes.hpp"

namespace threadlab::ui {

struct AwaitStrip {
    float label_x = 0.0f;  ///< where the lane names are written
    float x0 = 0.0f;       ///< the time axis's left and right ends
    float x1 = 0.0f;
    float top = 0.0f;
    float height = 0.0f;
};

/// Draws `awaits` (of one lane) in `strip`; `x` maps a moment to the axis. Awaits that overlap in
/// time go on separate rows (up to three, then they share). Shows a tooltip for the one under the mouse.
void draw_awaits(ImDrawList* draw, const std::vector<AwaitSpan>& awaits, const AwaitStrip& strip,
                 const std::function<float(Clock::time_point)>& x, Clock::time_point view_start, Clock::time_point end,
                 Clock::time_point now, bool hovered);

}  // namespace threadlab::ui
