#pragma once
// Colours that mean something, the same everywhere: a session keeps its colour in every view, and
// task states use one fixed set. Session colours (16 before one repeats) come from palettes chosen
// to stay distinguishable for colour-blind viewers.

#include <imgui.h>

#include <cstddef>

#include "core/ids.hpp"
#include "core/session.hpp"

namespace threadlab::ui {

ImU32 session_colour(SessionId id);
/// How many sessions get a colour of their own before the palette repeats.
std::size_t session_colours();
/// Black or white, whichever reads better on `background`.
ImU32 text_colour_on(ImU32 background);
ImU32 task_state_colour(TaskState state);

inline constexpr ImU32 error_colour = IM_COL32(230, 80, 70, 255);
inline constexpr ImU32 muted_text_colour = IM_COL32(150, 150, 160, 255);

}  // namespace threadlab::ui
