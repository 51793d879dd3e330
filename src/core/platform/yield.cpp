#include "yield.hpp"

#include <chrono>
#include <thread>

namespace threadlab {

#if defined(__EMSCRIPTEN__)
void yield_to_other_threads() { std::this_thread::sleep_for(std::chrono::microseconds(1)); }
#else
void yield_to_other_threads() { std::this_thread::yield(); }
#endif

}  // namespace threadlab
