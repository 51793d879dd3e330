#include "thread_count.hpp"

#include <cstdio>
#include <thread>

#if defined(__linux__)
#include <dirent.h>
#else
#include "portable_stop.hpp"
#endif

namespace threadlab {

#if defined(__linux__)

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

std::size_t kernel_thread_count() {
    // One short file, whatever the number of threads: /proc/self/task lists every thread (a few
    // milliseconds with a thousand of them), the status line is the kernel's own count.
    std::size_t count = 0;
    if (FILE* status = std::fopen("/proc/self/status", "r")) {
        char line[256];
        while (std::fgets(line, sizeof line, status) != nullptr) {
            unsigned long threads = 0;
            if (std::sscanf(line, "Threads: %lu", &threads) == 1) {
                count = threads;
                break;
            }
        }
        std::fclose(status);
    }
    return count;
}

#else

// No list of threads to read (the browser): the main thread and those the engine started.
std::size_t process_thread_count() { return 1 + portable::g_live_threads.load(std::memory_order_acquire); }

std::size_t kernel_thread_count() { return process_thread_count(); }

#endif

std::size_t settled_thread_count(std::size_t expected, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto count = process_thread_count();
    for (int reads = 1; count > expected && std::chrono::steady_clock::now() < deadline; ++reads) {
        // Usually gone within a few yields; a preempted exiting thread needs its core back first.
        if (reads < 100) {
            std::this_thread::yield();
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        count = process_thread_count();
    }
    return count;
}

}  // namespace threadlab
