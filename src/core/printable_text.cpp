#include "printable_text.hpp"

#include <cstdio>

namespace threadlab {

std::string printable_text(std::string_view text, bool keep_newlines) {
    std::string safe;
    safe.reserve(text.size());
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte < 0x20 && !(keep_newlines && c == '\n')) || byte == 0x7f) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned>(byte));
            safe.append(escaped);
        } else {
            safe.push_back(c);
        }
    }
    return safe;
}

}  // namespace threadlab
