#pragma once
// Names threads for debuggers, `top -H` and exported traces ("tl-runner-3", "tl-worker-1").

#include <string>

namespace threadlab {

/// Linux keeps 15 characters of a thread name; longer names are cut.
void set_current_thread_name(const std::string& name);

/// The kernel's id of the calling thread (what `top -H` and /proc/self/task show).
int current_thread_id();

}  // namespace threadlab
