#pragma once
// What the toolbar sets for new work; owned by the dashboard, read by the views that add work.

#include <optional>

#include "core/work.hpp"

namespace threadlab::ui {

struct WorkControls {
    WorkSpec work{WorkKind::sleep, 2.0, false};
    int sessions_to_add = 8;
    /// Clicks fire async callbacks (coroutines on the event loop) instead of plain ones.
    bool async_clicks = false;
    /// The presenter's speed: 2 runs twice as fast, 0.25 at a quarter (lessons too). Unset until
    /// the dashboard first reads it from the World's time scale (the --time-scale flag).
    std::optional<double> speed;
};

}  // namespace threadlab::ui
