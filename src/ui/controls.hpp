#pragma once
// What the toolbar sets for new work; owned by the dashboard, read by the views that add work.

#include "core/work.hpp"

namespace threadlab::ui {

struct WorkControls {
    WorkSpec work{WorkKind::sleep, 2.0, false};
    int sessions_to_add = 8;
};

}  // namespace threadlab::ui
