#include "options.hpp"

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <tuple>


#include "core/printable_text.hpp"
#include "core/time_scale.hpp"

#ifndef THREADLAB_VERSION
#define THREADLAB_VERSION "unknown"
#endif

namespace threadlab::app {

namespace {
constexpr int max_tasks_per_session = 1000;

std::string number_text(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
}

/// CLI::Range lets NaN through (every comparison with it is false): this names it and refuses it,
/// and infinities too, before the range is checked.
CLI::Validator finite_in(double low, double high) {
    return CLI::Validator(
        [low, high](std::string& text) -> std::string {
            double value = 0.0;
            try {
                std::size_t used = 0;
                value = std::stod(text, &used);
                if (used != text.size()) {
                    return "\"" + text + "\" is not a number";
                }
            } catch (const std::exception&) {
                // stod throws out_of_range for 1e999 and invalid_argument for words.
                return "\"" + text + "\" is not a number in range";
            }
            if (std::isnan(value)) {
                return "\"" + text + "\" is not a number (NaN); give one from " + number_text(low) + " to " +
                       number_text(high);
            }
            if (!(value >= low && value <= high)) {
                return text + " is out of range: give a number from " + number_text(low) + " to " + number_text(high);
            }
            return std::string();
        },
        "NUMBER in [" + number_text(low) + " - " + number_text(high) + "]");
}

/// An output path the run will write at its end, checked before the run starts, so that a long
/// run is not lost to a typo. Nothing is created.
std::string check_output_path(const std::string& flag, const std::string& path) {
    if (path.empty()) {
        return flag + ": the path is empty";
    }
    namespace fs = std::filesystem;
    std::error_code error;
    const fs::path target(path);
    const auto status = fs::status(target, error);
    if (fs::exists(status)) {
        if (fs::is_directory(status)) {
            return flag + ": " + path + " is a directory";
        }
        return ::access(path.c_str(), W_OK) == 0 ? std::string() : flag + ": cannot write " + path + " (no permission)";
    }
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    if (!fs::is_directory(folder, error)) {
        return flag + ": cannot write " + path + " (the folder " + folder.string() + " does not exist)";
    }
    if (::access(folder.c_str(), W_OK | X_OK) != 0) {
        return flag + ": cannot write " + path + " (no permission in " + folder.string() + ")";
    }
    return std::string();
}
}  // namespace

ParseResult parse_command_line(int argc, char** argv) {
    CLI::App cli{"ThreadLab: see HoloViz Panel's threading model at work. Sessions with their own task "
                 "runner threads, a global event pool you can resize live, and a simulated GIL.",
                 "threadlab"};
    cli.set_version_flag("--version", std::string("threadlab ") + THREADLAB_VERSION);

    Options options;
    std::string pool_text = "auto";
    cli.add_option("--sessions", options.sessions, "Sessions to open at start")
        ->check(CLI::Range(0, static_cast<int>(max_live_sessions)))
        ->capture_default_str();
    cli.add_option("--tasks", options.tasks_per_session, "Tasks to queue on each session's runner at start")
        ->check(CLI::Range(0, max_tasks_per_session))
        ->capture_default_str();
    cli.add_option("--clicks", options.clicks_per_session, "Button clicks (pool events) of each session at start")
        ->check(CLI::Range(0, max_tasks_per_session))
        ->capture_default_str();
    cli.add_option("--num-threads", pool_text,
                   "Event pool size: off (one event loop), auto (min(32, cores + 4)) or 1.." +
                       std::to_string(max_pool_threads) + " (Panel's --num-threads)")
        ->check([](const std::string& text) {
            return parse_pool_setting(text) ? std::string() : "must be off, auto, or a number from 0 to " +
                                                                  std::to_string(max_pool_threads);
        })
        ->capture_default_str();
    std::string work_text = "sleep";
    cli.add_option("--work", work_text,
                   "Kind of simulated work: sleep (I/O-bound), compute (CPU-bound Python, holds the GIL), native "
                   "(CPU-bound code that releases the GIL, like NumPy) or process (CPU-bound Python sent to your own "
                   "ProcessPoolExecutor, see --processes)")
        ->check(CLI::IsMember({"sleep", "compute", "native", "process"}))
        ->capture_default_str();
    cli.add_option("--duration", options.work.seconds, "Simulated seconds each task or click takes")
        ->check(finite_in(0.0, 3600.0))
        ->capture_default_str();
    cli.add_flag("--gil", options.gil, "Start with the simulated GIL on");
    cli.add_option("--processes", options.processes.workers,
                   "Worker processes of your own ProcessPoolExecutor(max_workers=N), for --work process (Panel has "
                   "no process pool; --num-procs forks whole servers)")
        ->check(CLI::Range(1u, max_process_workers))
        ->capture_default_str();
    cli.add_option("--process-startup", options.processes.startup_seconds,
                   "Simulated seconds each worker process takes to start (a new interpreter importing your modules)")
        ->check(finite_in(0.0, max_process_startup_seconds))
        ->capture_default_str();
    bool presenter = false;
    auto* presenter_flag = cli.add_flag("--presenter", presenter,
                                        "Start in presenter mode: large type, high contrast (F2 toggles; "
                                        "without the flag, the mode of the last run)");
    auto* time_scale = cli.add_option("--time-scale", options.time_scale, "Wall-clock seconds per simulated second")
                           ->check(finite_in(TimeScale::min_scale, TimeScale::max_scale))
                           ->capture_default_str();
    cli.add_option("--screenshot", options.screenshot_path,
                   "Render --frames frames with the setup running, save the window as PNG to this path, exit");
    cli.add_option("--frames", options.frames, "Frames to render before --screenshot")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    double at = 0.0;
    auto* at_option = cli.add_option("--at", at,
                                     "With --lesson and --screenshot: run the lesson in the window and save it at this "
                                     "simulated second")
                          ->check(finite_in(0.0, 3600.0));

    cli.add_flag("--headless", options.headless,
                 "Run a scenario or lesson without a window: print its log and a summary, then exit");
    auto* scenario = cli.add_option("--scenario", options.scenario_path, "Scenario file (JSON) to run, with --headless")
                         ->check(CLI::ExistingFile);
    auto* lesson = cli.add_option("--lesson", options.lesson,
                                  "Built-in lesson (see --list-lessons): run it with --headless, or open the window on it");
    scenario->excludes(lesson);
    cli.add_flag("--list-lessons", options.list_lessons, "List the built-in lessons and exit");
    cli.add_option("--summary-json", options.summary_json_path, "With --headless: write the summary as JSON to this file");
    cli.add_option("--progress-json", options.progress_json_path,
                   "With --headless: append a line of JSON every second of the run (sessions, threads, "
                   "accounting) to this file");
    cli.add_option("--trace", options.trace_path,
                   "With --headless: write the run as a Chrome trace (JSON) for Perfetto UI or chrome://tracing");
    auto* replay = cli.add_option("--replay", options.replay_path,
                   "Open a trace that ThreadLab exported (--trace, or the dashboard's Export trace) and scrub "
                   "through it, read-only")
        ->check(CLI::ExistingFile);
    replay->excludes(lesson);
    cli.add_flag("--bench-ui", options.bench_ui,
                 "Benchmark: build --frames dashboard frames (no window, no GL) with --sessions busy sessions; "
                 "print frame CPU time and lock waits");
    cli.add_flag("--report-frames", options.report_frames,
                 "On exit, print frame times (build + render of the dashboard, and the interval between frames)");

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        if (error.get_exit_code() == 0) {
            return {std::nullopt, cli.exit(error)};  // --help or --version: printed, exit 0
        }
        // CLI11 quotes the bad value as it came: printed through printable_text, so a control
        // character in it can neither rewrite the terminal nor cut the message short.
        std::fprintf(stderr, "%s\nRun with --help for more information.\n", printable_text(error.what()).c_str());
        return {std::nullopt, 2};
    }
    if (options.headless && (!options.replay_path.empty() || !options.screenshot_path.empty())) {
        std::fprintf(stderr, "--headless: --replay and --screenshot need the window; run them without --headless\n");
        return {std::nullopt, 2};
    }
    if (options.headless && options.scenario_path.empty() && options.lesson.empty()) {
        std::fprintf(stderr, "--headless: needs --scenario FILE or --lesson NAME (see --list-lessons)\n");
        return {std::nullopt, 2};
    }
    if (!options.headless && (!options.scenario_path.empty() || !options.summary_json_path.empty() ||
                              !options.trace_path.empty() || !options.progress_json_path.empty())) {
        std::fprintf(stderr, "--scenario, --summary-json, --progress-json and --trace: run with --headless\n");
        return {std::nullopt, 2};
    }
    for (const auto& [flag, path, given] :
         {std::tuple{"--trace", options.trace_path, cli.count("--trace") > 0},
          std::tuple{"--summary-json", options.summary_json_path, cli.count("--summary-json") > 0},
          std::tuple{"--screenshot", options.screenshot_path, cli.count("--screenshot") > 0}}) {
        if (given) {
            if (const auto problem = check_output_path(flag, path); !problem.empty()) {
                std::fprintf(stderr, "%s\n", problem.c_str());
                return {std::nullopt, 2};
            }
        }
    }
    if (at_option->count() > 0) {
        if (options.lesson.empty() || options.screenshot_path.empty() || options.headless) {
            std::fprintf(stderr, "--at: needs --lesson NAME and --screenshot PATH, without --headless\n");
            return {std::nullopt, 2};
        }
        options.screenshot_at = at;
    }
    if (time_scale->count() > 0) {
        options.time_scale_override = options.time_scale;
    }
    const auto start_events =
        static_cast<std::size_t>(options.sessions) * static_cast<std::size_t>(options.clicks_per_session);
    if (start_events > max_queued_events) {
        std::fprintf(stderr, "--sessions %d with --clicks %d: %zu events, more than the pool queues (%zu)\n",
                     options.sessions, options.clicks_per_session, start_events, max_queued_events);
        return {std::nullopt, 2};
    }
    options.pool = *parse_pool_setting(pool_text);
    if (presenter_flag->count() > 0) {
        options.presenter = presenter;
    }
    options.work.kind = work_text == "sleep"    ? WorkKind::sleep
                        : work_text == "native"  ? WorkKind::native
                        : work_text == "process" ? WorkKind::process
                                                 : WorkKind::compute;
    return {options, 0};
}

}  // namespace threadlab::app
