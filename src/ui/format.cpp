#include "format.hpp"

#include <cstdio>

namespace threadlab::ui {

std::string format_duration(Clock::duration duration) {
    const double seconds = std::chrono::duration<double>(duration).count();
    char text[32];
    if (seconds < 0.0) {
        return "-" + format_duration(-duration);
    }
    if (seconds < 1e-3) {
        std::snprintf(text, sizeof text, "%.0f \xC2\xB5s", seconds * 1e6);
    } else if (seconds < 1e-2) {
        std::snprintf(text, sizeof text, "%.2f ms", seconds * 1e3);
    } else if (seconds < 1.0) {
        std::snprintf(text, sizeof text, "%.1f ms", seconds * 1e3);
    } else if (seconds < 60.0) {
        std::snprintf(text, sizeof text, "%.2f s", seconds);
    } else {
        const auto whole = static_cast<long long>(seconds);
        std::snprintf(text, sizeof text, "%lld min %02lld s", whole / 60, whole % 60);
    }
    return text;
}

std::string format_offset(Clock::time_point origin, Clock::time_point when) {
    char text[32];
    std::snprintf(text, sizeof text, "%+.3f s", std::chrono::duration<double>(when - origin).count());
    return text;
}

std::string ellipsize(const std::string& text, std::size_t max_chars) {
    if (text.size() <= max_chars) {
        return text;
    }
    if (max_chars <= 3) {
        return text.substr(0, max_chars);
    }
    return text.substr(0, max_chars - 3) + "...";
}

}  // namespace threadlab::ui
