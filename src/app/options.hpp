#pragma once
// The command line, parsed (CLI11). A bad value is reported with the flag's name and its range.

#include <optional>
#include <string>

#include "core/pool_setting.hpp"
#include "core/process_pool.hpp"
#include "core/work.hpp"

namespace threadlab::app {

struct Options {
    int sessions = 4;
    int tasks_per_session = 0;
    int clicks_per_session = 0;
    PoolSetting pool = PoolSetting::automatic();
    WorkSpec work{WorkKind::sleep, 2.0, false};
    bool gil = false;
    /// The user's own process pool, for work of kind process.
    ProcessPoolSetting processes{};
    /// Set only when given on the command line (which then wins over the stored preference).
    std::optional<bool> presenter;
    double time_scale = 1.0;
    std::string screenshot_path;
    bool headless = false;
    std::string scenario_path;
    std::string lesson;
    /// With --lesson and --screenshot: run the lesson and save the window at this simulated second.
    std::optional<double> screenshot_at;
    bool list_lessons = false;
    std::string summary_json_path;
    std::string trace_path;
    std::string progress_json_path;
    std::string replay_path;
    /// Set only when given: overrides a scenario's own time scale.
    std::optional<double> time_scale_override;
    int frames = 60;
    bool report_frames = false;
    bool bench_ui = false;
};

/// Parses argv. Returns the options, or the process exit code when the program should stop here
/// (0 after --help or --version, 2 after a bad flag or value, with the message already printed).
struct ParseResult {
    std::optional<Options> options;
    int exit_code = 0;
};
ParseResult parse_command_line(int argc, char** argv);

}  // namespace threadlab::app
