#include "page_updates.hpp"

#include <array>
#include <utility>

namespace threadlab {

namespace {
constexpr std::array<std::pair<std::string_view, UpdateMode>, 4> mode_names{{
    {"next_tick", UpdateMode::next_tick},
    {"hold", UpdateMode::hold},
    {"unlocked", UpdateMode::unlocked},
    {"one_callback", UpdateMode::one_callback},
}};
}  // namespace

const char* to_string(UpdateMode mode) {
    for (const auto& [name, named] : mode_names) {
        if (named == mode) {
            return name.data();  // the literals above end in '\0'
        }
    }
    return "next_tick";
}

std::optional<UpdateMode> update_mode_named(std::string_view name) {
    for (const auto& [text, mode] : mode_names) {
        if (text == name) {
            return mode;
        }
    }
    return std::nullopt;
}

}  // namespace threadlab
