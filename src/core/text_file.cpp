#include "text_file.hpp"

#include <fstream>
#include <sstream>

namespace threadlab {

std::optional<std::string> read_text_file(const std::string& path, std::string& error) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        error = "cannot open the file (does it exist, and may it be read?)";
        return std::nullopt;
    }
    std::ostringstream contents;
    contents << file.rdbuf();
    if (file.bad()) {
        error = "cannot read the file";
        return std::nullopt;
    }
    return contents.str();
}

}  // namespace threadlab
