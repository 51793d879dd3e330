// threadlab: the dashboard. Parse the command line, open the window, build the World, run the loop.

#include <csignal>
#include <cstdio>
#include <optional>

#include "core/chrome_trace.hpp"
#include "core/lessons.hpp"
#include "core/world.hpp"
#include "bench_ui.hpp"
#include "headless.hpp"
#include "options.hpp"
#include "render_loop.hpp"
#include "stop_signals.hpp"
#include "ui/dashboard.hpp"
#include "ui/theme.hpp"
#include "window.hpp"

namespace {

int run(int argc, char** argv, threadlab::app::StopSignals& signals);

}  // namespace

int main(int argc, char** argv) {
    // The very first thing, so that every thread started later inherits the blocked stop signals,
    // and a SIGINT or SIGTERM at any moment (parsing, loading a large file, writing a trace,
    // tearing down) is caught and ends the program with 128 + its number.
    threadlab::app::StopSignals signals;
    const int exit_code = run(argc, argv, signals);
    if (!signals.stop_requested()) {
        return exit_code;
    }
    if (exit_code == 0) {
        // The run had no say in it (the signal came while files were read, or as it ended): say so.
        std::fprintf(stderr, "threadlab: stopped by %s\n", signals.signal() == SIGINT ? "SIGINT" : "SIGTERM");
    }
    return 128 + signals.signal();
}

namespace {

int run(int argc, char** argv, threadlab::app::StopSignals& signals) {
    using namespace threadlab;
    const auto parsed = app::parse_command_line(argc, argv);
    if (!parsed.options) {
        return parsed.exit_code;
    }
    const app::Options& options = *parsed.options;
    const auto started = Clock::now();  // the log's time zero

    if (options.bench_ui) {
        return app::run_bench_ui(options, signals);
    }
    if (options.list_lessons) {
        app::list_lessons();
        return 0;
    }

    if (options.headless) {
        return app::run_headless(options, signals);
    }

    // A replay file is read before any window opens, so a bad file is reported plainly.
    std::optional<TraceData> replay;
    if (!options.replay_path.empty()) {
        try {
            replay = read_chrome_trace(options.replay_path);
        } catch (const TraceFileError& bad) {
            std::fprintf(stderr, "threadlab: --replay: %s\n", bad.what());
            return 2;
        }
    }

    if (!options.lesson.empty()) {
        try {
            load_lesson(options.lesson);
        } catch (const ScenarioError& bad) {
            std::fprintf(stderr, "threadlab: --lesson: %s\n", bad.what());
            return 2;
        }
    }
    if (signals.stop_requested()) {
        return 0;  // stopped while the files were read: main() turns it into 128 + the signal
    }

    std::string error;
    const bool remember = options.screenshot_path.empty();
    const auto window = app::Window::open("ThreadLab", 1600, 1000, remember, error);
    if (!window) {
        std::fprintf(stderr, "threadlab: %s\n", error.c_str());
        return 1;
    }

    ui::Theme theme(window->content_scale());
    theme.set_presenter(options.presenter.value_or(window->preferences().presenter));

    // In a replay the World stays empty: it only keeps the render loop's machinery uniform.
    WorldConfig config;
    config.pool = options.pool;
    config.time_scale = options.time_scale;
    config.gil = options.gil;
    config.processes = options.processes;
    World world(config);
    for (int s = 0; s < (replay ? 0 : options.sessions); ++s) {
        const SessionId id = *world.add_session();  // the options allow at most max_live_sessions
        for (int t = 0; t < options.tasks_per_session; ++t) {
            world.add_task(id, options.work);
        }
        for (int c = 0; c < options.clicks_per_session; ++c) {
            world.click(id, options.work);
        }
    }
    ui::Dashboard dashboard(theme, {options.work, 8, false, {}}, started);
    if (replay) {
        dashboard.show_replay(*replay, options.replay_path);
    }
    if (!options.lesson.empty()) {
        dashboard.open_lesson(options.lesson);  // the name was checked before the window opened
        if (options.screenshot_at) {
            dashboard.run_lesson(world);
        }
    }
    const int exit_code = app::run_render_loop(
        *window, world, dashboard, signals,
        {options.screenshot_path, options.frames, options.report_frames, options.screenshot_at});
    window->preferences().presenter = theme.presenter();  // saved with the window layout on close
    return exit_code;
}

}  // namespace
