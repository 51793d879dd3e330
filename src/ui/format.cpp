#include "format.hpp"

#include <cmath>
#include <cstdio>

namespace threadlab::ui {

std::string format_duration(Clock::duration duration) {
    double seconds = std::chrono::duration<double>(duration).count();
    char text[40];
    // Negated as a double: negating the duration itself overflows at its minimum.
    const char* sign = seconds < 0.0 ? "-" : "";
    seconds = std::fabs(seconds);
    if (seconds < 1e-3) {
        std::snprintf(text, sizeof text, "%s%.0f \xC2\xB5s", sign, seconds * 1e6);
    } else if (seconds < 1e-2) {
        std::snprintf(text, sizeof text, "%s%.2f ms", sign, seconds * 1e3);
    } else if (seconds < 1.0) {
        std::snprintf(text, sizeof text, "%s%.1f ms", sign, seconds * 1e3);
    } else if (seconds < 60.0) {
        std::snprintf(text, sizeof text, "%s%.2f s", sign, seconds);
    } else {
        // Whole minutes as a double: a duration of centuries still prints (and never overflows).
        const double minutes = std::floor(seconds / 60.0);
        std::snprintf(text, sizeof text, "%s%.0f min %02d s", sign, minutes,
                      static_cast<int>(seconds - minutes * 60.0));
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
