#pragma once
// Reading a whole input file (scenarios, traces) without trusting it: only a regular file is read
// (a device such as /dev/zero would never end, and a FIFO would block in open() until a writer
// came), and never more than a limit, checked before reading and again while reading.

#include <cstddef>
#include <optional>
#include <string>

namespace threadlab {

/// The file's contents, or nullopt with `error` set to a sentence that says what is wrong
/// ("cannot open the file (...)", "not a regular file (...)", "larger than N MiB", ...).
std::optional<std::string> read_text_file(const std::string& path, std::size_t max_bytes, std::string& error);

}  // namespace threadlab
