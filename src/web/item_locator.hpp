#pragma once
// Where the dashboard drew each labelled item in the last frame, for the browser test to click a
// real button with real mouse events (its DevTools driver asks threadlab_item_rect("Click me")).
// Filled through Dear ImGui's own test-engine hooks (IMGUI_ENABLE_TEST_ENGINE, web build only).

namespace threadlab::web {

/// Turns the recording on for the current Dear ImGui context; items are recorded from the next frame.
void start_item_locator();
/// Call at the start of each frame: the previous frame's items become the ones answered for.
void new_item_frame();

}  // namespace threadlab::web
