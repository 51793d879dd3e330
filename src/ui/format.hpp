#pragma once
// Text the dashboard shows, kept free of ImGui so it can be unit-tested.

#include <string>

#include "core/ids.hpp"

namespace threadlab::ui {

/// "0 µs", "850 µs", "12.3 ms", "1.25 s", "2 min 05 s": three significant figures at most.
std::string format_duration(Clock::duration duration);

/// "+12.345 s" after `origin`, "-0.005 s" before it (log timestamps, relative to the start).
std::string format_offset(Clock::time_point origin, Clock::time_point when);

/// Shortens `text` to at most `max_chars` characters, ending in "..." when cut.
std::string ellipsize(const std::string& text, std::size_t max_chars);

}  // namespace threadlab::ui
