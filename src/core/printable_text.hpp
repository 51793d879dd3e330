#pragma once
// Text that came from a file or the command line, made safe to print and to carry in an error
// message: a control character could be an escape sequence that rewrites the terminal, and a NUL
// would cut a message short (what() is a C string). They are shown as \xNN instead, so the
// message says exactly what the input held.

#include <string>
#include <string_view>

namespace threadlab {

/// Control characters (and DEL) as \xNN; newlines kept when `keep_newlines` (a description).
/// UTF-8 passes unchanged.
std::string printable_text(std::string_view text, bool keep_newlines = false);

}  // namespace threadlab
