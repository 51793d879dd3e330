#pragma once
// The render loop: draws the dashboard while the engine works, and sleeps when nothing changes.

#include <optional>
#include <string>

#include "core/world.hpp"
#include "stop_signals.hpp"
#include "ui/dashboard.hpp"
#include "window.hpp"

namespace threadlab::app {

struct LoopOptions {
    /// When set, render `frames` frames, save the window there and stop.
    std::string screenshot_path;
    int frames = 60;
    /// Print frame-time statistics on exit (for measurements).
    bool report_frames = false;
    /// With a screenshot: save it once the open lesson has run this many simulated seconds (or
    /// has ended), rather than after `frames` frames.
    std::optional<double> screenshot_at;
};

/// Runs until the window closes, a stop signal arrives, or the screenshot is taken.
/// Returns the process exit code.
int run_render_loop(Window& window, World& world, ui::Dashboard& dashboard, StopSignals& signals,
                    const LoopOptions& options);

}  // namespace threadlab::app
