#include "render_loop.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <cstdio>

namespace threadlab::app {

namespace {
/// Frames drawn after the last input or change, so hovers, popups and animations settle.
constexpr int settle_frames = 3;

/// Whether anything moves on screen by itself (progress bars): then draw every frame.
bool engine_busy(const World& world) {
    const auto pool = world.pool().stats();
    if (pool.busy > 0 || pool.events.queued > 0) {
        return true;
    }
    for (const auto& session : world.sessions()) {
        if (session->task_counts().running > 0) {
            return true;
        }
    }
    return !world.stopping_sessions().empty();
}
}  // namespace

int run_render_loop(Window& window, World& world, ui::Dashboard& dashboard, StopSignals& signals,
                    const LoopOptions& options) {
    // The engine wakes the loop from any thread; one wake-up per frame at most (see ChangeSignal).
    world.changes().set_listener([] { glfwPostEmptyEvent(); });
    signals.on_stop([] { glfwPostEmptyEvent(); });
    const bool screenshot = !options.screenshot_path.empty();
    if (screenshot) {
        // A virtual screen's pointer sits mid-window: ignore it so no tooltip covers the picture.
        ImGui::GetIO().ConfigFlags |= ImGuiConfigFlags_NoMouse;
    }
    int frames = 0;
    int extra_frames = settle_frames;
    int exit_code = 0;

    while (!window.should_close() && !signals.stop_requested()) {
        // Wait for input or an engine change, unless something is moving.
        if (screenshot || extra_frames > 0 || engine_busy(world)) {
            glfwPollEvents();
            extra_frames = std::max(0, extra_frames - 1);
        } else {
            glfwWaitEventsTimeout(1.0);
            extra_frames = settle_frames;
        }
        // Re-arm before reading the state: a change from now on wakes the next wait.
        world.changes().rearm();

        // Build and render the frame.
        window.begin_frame();
        dashboard.draw(world, window.take_key_presses());
        window.render_frame();

        if (screenshot && ++frames >= options.frames) {
            std::string error;
            if (!window.save_png(options.screenshot_path, error)) {
                std::fprintf(stderr, "threadlab: %s\n", error.c_str());
                exit_code = 1;
            }
            break;
        }
        window.present();
    }

    signals.on_stop({});
    world.changes().set_listener({});
    return exit_code;
}

}  // namespace threadlab::app
