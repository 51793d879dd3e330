#pragma once
// A World set up for tests: a fixed pool and simulated time 100 times faster than the wall clock.

#include "core/world.hpp"

namespace threadlab::testing {

inline WorldConfig fast_world(PoolSetting pool = PoolSetting::fixed(2)) {
    WorldConfig config;
    config.pool = pool;
    config.time_scale = 0.01;
    return config;
}

}  // namespace threadlab::testing
