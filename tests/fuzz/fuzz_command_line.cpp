// libFuzzer target: the command line. The input is split at NUL bytes into arguments. Any of them
// must end in options or an exit code (0 for --help and --version, 2 for a refusal); an escaped
// exception (CLI11 converting "nan" or "1e999"), a crash or a sanitizer report is a bug.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "app/options.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<std::string> arguments{"threadlab"};
    std::string current;
    for (std::size_t i = 0; i < size; ++i) {
        if (data[i] == 0) {
            arguments.push_back(current);
            current.clear();
        } else {
            current.push_back(static_cast<char>(data[i]));
        }
    }
    arguments.push_back(current);
    if (arguments.size() > 64) {
        return 0;  // a shell's command line, not a megabyte of flags
    }
    std::vector<char*> argv;
    for (auto& argument : arguments) {
        argv.push_back(argument.data());
    }
    argv.push_back(nullptr);
    const auto parsed = threadlab::app::parse_command_line(static_cast<int>(arguments.size()), argv.data());
    if (parsed.options) {
        const auto& options = *parsed.options;
        // What the program relies on, for every command line that is accepted.
        if (!(options.time_scale > 0.0) || !(options.work.seconds >= 0.0) || options.sessions < 0) {
            __builtin_trap();
        }
    } else if (parsed.exit_code != 0 && parsed.exit_code != 2) {
        __builtin_trap();
    }
    return 0;
}
