#include "settings_path.hpp"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace threadlab::app {

std::string imgui_ini_path() {
    namespace fs = std::filesystem;
    fs::path base;
    if (const char* config = std::getenv("XDG_CONFIG_HOME"); config != nullptr && *config == '/') {
        base = config;  // the spec ignores relative paths
    } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        base = fs::path(home) / ".config";
    } else {
        return {};
    }
    const fs::path folder = base / "threadlab";
    std::error_code error;
    fs::create_directories(folder, error);
    if (error) {
        return {};
    }
    return (folder / "imgui.ini").string();
}

}  // namespace threadlab::app
