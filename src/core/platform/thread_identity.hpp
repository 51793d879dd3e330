#pragma once
// Names and ids of threads, for debuggers, `top -H` and exported traces ("tl-runner-3",
// "tl-worker-1"), and for the dashboard's lane labels.

#include <string>

namespace threadlab {

/// Linux keeps 15 characters of a thread name; longer names are cut. In the browser the name
/// shows in the developer tools' thread list.
void set_current_thread_name(const std::string& name);

/// The calling thread's id: on Linux the kernel's (what `top -H` and /proc/self/task show); where
/// there is no such id (the browser), a number of ThreadLab's own, given in order of first use.
int current_thread_id();

}  // namespace threadlab
