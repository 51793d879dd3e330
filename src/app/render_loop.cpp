#include "render_loop.hpp"

#include <algorithm>

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <cstdio>
#include <vector>

#include "ui/format.hpp"
#include "ui/metrics.hpp"

namespace threadlab::app {

namespace {
/// Frames drawn after the last input or change, so hovers, popups and animations settle.
constexpr int settle_frames = 3;
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
    std::vector<Clock::duration> build_times;
    std::vector<Clock::duration> frame_times;
    auto last_frame = Clock::now();

    while (!window.should_close() && !signals.stop_requested()) {
        // Wait for input or an engine change, unless something moves or queued clicks still have
        // to be fed (one transition per frame). Idle means no wake-ups: the engine's ChangeSignal
        // posts an empty event when its state changes.
        if (screenshot || extra_frames > 0 || window.input_pending() || world.busy() ||
            dashboard.animating()) {
            glfwPollEvents();
            extra_frames = std::max(0, extra_frames - 1);
        } else if (world.tabs_closing()) {
            // A closed tab's countdown, and its destroy when the server's check comes: a frame a
            // second, or at the check itself if sooner.
            const auto until = world.next_tab_expiry().value_or(Clock::now()) - Clock::now();
            glfwWaitEventsTimeout(std::clamp(std::chrono::duration<double>(until).count(), 0.0, 1.0));
            extra_frames = settle_frames;
        } else {
            glfwWaitEvents();
            extra_frames = settle_frames;
        }
        // Re-arm before reading the state: a change from now on wakes the next wait.
        world.changes().rearm();

        // Build and render the frame.
        const auto build_start = Clock::now();
        window.begin_frame();
        dashboard.draw(world, window.take_key_presses());
        window.render_frame();
        if (options.report_frames) {
            const auto now = Clock::now();
            build_times.push_back(now - build_start);
            frame_times.push_back(now - last_frame);
            last_frame = now;
        }

        ++frames;
        const bool due = options.screenshot_at ? frames >= 3 && dashboard.lesson_elapsed(world).value_or(0.0) >=
                                                                     *options.screenshot_at
                                               : frames >= options.frames;
        if (screenshot && (due || (options.screenshot_at && dashboard.lesson_finished()))) {
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
    if (options.report_frames && !build_times.empty()) {
        const auto build = summarize(build_times);
        const auto frame = summarize(frame_times);
        std::printf("frames %zu: build+render p50 %s, p99 %s, max %s; frame interval p50 %s, p99 %s\n",
                    build.samples, ui::format_duration(build.p50).c_str(), ui::format_duration(build.p99).c_str(),
                    ui::format_duration(build.max).c_str(), ui::format_duration(frame.p50).c_str(),
                    ui::format_duration(frame.p99).c_str());
        // What the input reached, so a script that clicks can check that no click was lost.
        std::printf("input: %lld mouse presses; %zu sessions open at exit\n", window.mouse_presses(),
                    world.sessions().size());
    }
    return exit_code;
}

}  // namespace threadlab::app
