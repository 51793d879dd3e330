#pragma once
// Where ThreadLab keeps the window layout: $XDG_CONFIG_HOME/threadlab (or ~/.config/threadlab),
// never the current folder.

#include <string>

namespace threadlab::app {

/// The ini file's path, with its folder created; empty when there is no usable home or config
/// folder (then nothing is saved).
std::string imgui_ini_path();

}  // namespace threadlab::app
