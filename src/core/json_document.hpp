#pragma once
// Parsing an untrusted JSON document (a scenario, a trace, a lesson) the one guarded way: nesting
// limited (a deep document would exhaust the stack of whatever walks it later), a key given twice
// in one object refused (which one would count?), a number too large for a double refused, and
// every failure a message that says where: "source:line:column: ..." for the syntax, or
// "source: path: ..." (path as in actions[3].do) for what the syntax allows and we do not.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "printable_text.hpp"

namespace threadlab {

/// Its message quotes the input's own text, made printable (printable_text.hpp).
class JsonDocumentError : public std::runtime_error {
public:
    explicit JsonDocumentError(const std::string& message) : std::runtime_error(printable_text(message)) {}
};

/// Deep enough for any document ThreadLab writes (a trace's args sit at depth 4).
inline constexpr std::size_t max_json_depth = 32;

nlohmann::json parse_json_document(std::string_view text, const std::string& source,
                                   std::size_t max_depth = max_json_depth);

/// "source:line:column" of the byte at `byte` (1-based line and column).
std::string text_position(std::string_view text, std::size_t byte, const std::string& source);

}  // namespace threadlab
