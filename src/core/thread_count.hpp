#pragma once
// How many threads this process has, as the kernel lists them in /proc/self/task.

#include <cstddef>

namespace threadlab {

std::size_t process_thread_count();

}  // namespace threadlab
