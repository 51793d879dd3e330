#pragma once
// Reading a whole text file (scenarios, traces), with the failure said in words.

#include <optional>
#include <string>

namespace threadlab {

/// The file's contents, or nullopt with `error` set ("cannot open the file (...)", "cannot read the file").
std::optional<std::string> read_text_file(const std::string& path, std::string& error);

}  // namespace threadlab
