// libFuzzer target: the scenario parser and validator, the one place where hand-written files
// enter ThreadLab. Any input must end in a Scenario or a ScenarioError: another exception, a
// crash, a leak or a sanitizer report is a bug.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const threadlab::Scenario scenario = threadlab::parse_scenario(text, "fuzz input");
        // What the player relies on, checked for every input the parser accepts.
        for (std::size_t i = 1; i < scenario.actions.size(); ++i) {
            if (scenario.actions[i].at < scenario.actions[i - 1].at) {
                __builtin_trap();  // actions must come sorted by time
            }
        }
    } catch (const threadlab::ScenarioError&) {
        // A refusal with a message: the expected outcome for most inputs.
    }
    return 0;
}
