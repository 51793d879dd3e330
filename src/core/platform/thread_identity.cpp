#include "thread_identity.hpp"

#include <pthread.h>

#if defined(__EMSCRIPTEN__)
#include <emscripten/threading.h>

#include <atomic>
#else
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace threadlab {

#if defined(__EMSCRIPTEN__)

void set_current_thread_name(const std::string& name) { emscripten_set_thread_name(pthread_self(), name.c_str()); }

int current_thread_id() {
    static std::atomic<int> next{1};
    thread_local const int id = next.fetch_add(1, std::memory_order_relaxed);
    return id;
}

#else

void set_current_thread_name(const std::string& name) {
    pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
}

int current_thread_id() { return static_cast<int>(::syscall(SYS_gettid)); }

#endif

}  // namespace threadlab
