#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <thread>

#include "core/limits.hpp"
#include "core/pool_setting.hpp"

using namespace threadlab;

TEST_CASE("size 0 resolves to Python's formula min(32, cores + 4)", "[pool]") {
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    CHECK(auto_pool_threads() == std::min(32u, cores + 4));
    CHECK(PoolSetting::automatic().worker_count() == auto_pool_threads());
    CHECK(PoolSetting::fixed(3).worker_count() == 3);
    CHECK(PoolSetting::off().worker_count() == 1);
}

TEST_CASE("pool settings parse as the command line spells them", "[pool]") {
    CHECK(parse_pool_setting("off") == PoolSetting::off());
    CHECK(parse_pool_setting("auto") == PoolSetting::automatic());
    CHECK(parse_pool_setting("0") == PoolSetting::automatic());
    CHECK(parse_pool_setting("4") == PoolSetting::fixed(4));
    // The largest size there is (64; 32 in a browser), and one more.
    CHECK(parse_pool_setting(std::to_string(max_pool_threads)) == PoolSetting::fixed(max_pool_threads));
    CHECK_FALSE(parse_pool_setting(std::to_string(max_pool_threads + 1)));
    CHECK_FALSE(parse_pool_setting("-1"));
    CHECK_FALSE(parse_pool_setting("4x"));
    CHECK_FALSE(parse_pool_setting(""));
    CHECK(PoolSetting::off().describe() == "off (event loop)");
    CHECK(PoolSetting::fixed(1).describe() == "1 thread");
    CHECK(PoolSetting::fixed(4).spelling() == "4");
}
