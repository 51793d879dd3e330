#pragma once
// The engine's threads and cooperative cancellation: jthread, stop_source, stop_token,
// stop_callback and a condition_variable_any with stop-aware waits, as names in `threadlab`.
// The standard library's where it has them (libstdc++), our own (portable_stop.hpp) where it does
// not (emscripten's libc++ 13), or when THREADLAB_PORTABLE_STOP is defined (the tsan preset, so
// that our own set runs through every engine test under TSan too). Code outside src/core/platform
// uses these names only, never std::jthread and friends.

#include <version>

#include "portable_stop.hpp"

#if defined(__cpp_lib_jthread) && !defined(THREADLAB_PORTABLE_STOP)
#include <condition_variable>
#include <stop_token>
#include <thread>

namespace threadlab {
using std::condition_variable_any;
using std::jthread;
using std::stop_callback;
using std::stop_source;
using std::stop_token;
inline constexpr bool uses_portable_stop = false;
}  // namespace threadlab
#else
namespace threadlab {
using portable::condition_variable_any;
using portable::jthread;
using portable::stop_callback;
using portable::stop_source;
using portable::stop_token;
inline constexpr bool uses_portable_stop = true;
}  // namespace threadlab
#endif
