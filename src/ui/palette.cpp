#include "palette.hpp"

#include <array>

namespace threadlab::ui {

namespace {
// Okabe & Ito (2008), "Color Universal Design", minus black (the background is dark).
constexpr std::array<ImU32, 7> okabe_ito = {
    IM_COL32(230, 159, 0, 255),    // orange
    IM_COL32(86, 180, 233, 255),   // sky blue
    IM_COL32(0, 158, 115, 255),    // bluish green
    IM_COL32(240, 228, 66, 255),   // yellow
    IM_COL32(0, 114, 178, 255),    // blue
    IM_COL32(213, 94, 0, 255),     // vermilion
    IM_COL32(204, 121, 167, 255),  // reddish purple
};
}  // namespace

ImU32 session_colour(SessionId id) { return okabe_ito[(id - 1) % okabe_ito.size()]; }

ImU32 task_state_colour(TaskState state) {
    switch (state) {
        case TaskState::queued: return IM_COL32(120, 120, 135, 255);
        case TaskState::running: return IM_COL32(86, 180, 233, 255);
        case TaskState::completed: return IM_COL32(0, 158, 115, 255);
        case TaskState::failed: return error_colour;
        case TaskState::cancelled: return IM_COL32(230, 159, 0, 255);
    }
    return muted_text_colour;
}

}  // namespace threadlab::ui
