#include "heap_usage.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace threadlab {

std::optional<std::size_t> heap_bytes_in_use() {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    // mallinfo2 (glibc 2.33) walks every arena under its lock: cheap enough once a second.
    const struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
#else
    return std::nullopt;
#endif
}

}  // namespace threadlab
