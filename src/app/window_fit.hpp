#pragma once
// How large the window may open: no larger than the monitor's work area (the screen without
// panels and docks) less the window manager's frame, so that a 1600x1000 default or a size
// remembered from a bigger screen is never cut off on a 1280x720 projector.

#include <algorithm>

namespace threadlab::app {

struct WindowSize {
    int width = 0;
    int height = 0;
    friend bool operator==(const WindowSize&, const WindowSize&) = default;
};

/// The decoration around the window's content area, in screen coordinates.
struct FrameExtents {
    int left = 0;
    int top = 0;
    int right = 0;
    int bottom = 0;
};

/// `requested`, shrunk (never grown) to fit `work_area` with `frame` around it. An unknown work
/// area (zero or negative, as some drivers report) leaves the request as it is.
constexpr WindowSize fit_window_size(WindowSize requested, WindowSize work_area, FrameExtents frame = {}) {
    if (work_area.width <= 0 || work_area.height <= 0) {
        return requested;
    }
    const int room_width = std::max(work_area.width - frame.left - frame.right, 1);
    const int room_height = std::max(work_area.height - frame.top - frame.bottom, 1);
    return {std::min(requested.width, room_width), std::min(requested.height, room_height)};
}

}  // namespace threadlab::app
