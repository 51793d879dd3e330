#include "thread_count.hpp"

#include <dirent.h>

namespace threadlab {

std::size_t process_thread_count() {
    std::size_t count = 0;
    if (DIR* tasks = opendir("/proc/self/task")) {
        while (const dirent* entry = readdir(tasks)) {
            count += entry->d_name[0] != '.' ? 1 : 0;
        }
        closedir(tasks);
    }
    return count;
}

}  // namespace threadlab
