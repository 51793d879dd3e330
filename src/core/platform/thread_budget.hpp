#pragma once
// How many threads ThreadLab lets the user ask for, where it runs. On Linux a thread is cheap and
// the maxima are ThreadLab's own (1024 sessions, a pool of 64). In a browser each thread is a Web
// Worker, with a JavaScript engine of its own (several MiB, and tens of milliseconds to start):
// there the maxima are lower, and the refusals say why.

#include <cstddef>

namespace threadlab {

struct ThreadBudget {
    std::size_t sessions;
    unsigned pool_threads;
    unsigned process_workers;
    /// Appended to a refusal's reason ("" where the budget is ThreadLab's own choice).
    const char* why;
};

#if defined(__EMSCRIPTEN__)
inline constexpr ThreadBudget platform_thread_budget{64, 32, 16, " (in a browser each thread is a Web Worker)"};
#else
inline constexpr ThreadBudget platform_thread_budget{1024, 64, 64, ""};
#endif

}  // namespace threadlab
