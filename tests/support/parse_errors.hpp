#pragma once
// What the scenario parser and the trace reader say about a text: the error's message, or
// "accepted" when they take it. For tests of refusals.

#include <string>

#include "core/chrome_trace.hpp"
#include "core/scenario.hpp"

namespace threadlab::test {

inline std::string scenario_error(const std::string& text, const std::string& file = "demo.json") {
    try {
        parse_scenario(text, file);
    } catch (const ScenarioError& error) {
        return error.what();
    }
    return "accepted";
}

inline std::string trace_error(const std::string& text, const std::string& file = "demo.json") {
    try {
        parse_chrome_trace(text, file);
    } catch (const TraceFileError& error) {
        return error.what();
    }
    return "accepted";
}

}  // namespace threadlab::test
