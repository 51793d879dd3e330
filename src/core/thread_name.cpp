#include "thread_name.hpp"

#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace threadlab {

void set_current_thread_name(const std::string& name) {
    pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
}

int current_thread_id() { return static_cast<int>(::syscall(SYS_gettid)); }

}  // namespace threadlab
