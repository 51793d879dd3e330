#include "pool_setting.hpp"

#include <algorithm>
#include <charconv>
#include <thread>

namespace threadlab {

unsigned auto_pool_threads() {
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    return std::min(32u, cores + 4u);
}

unsigned PoolSetting::worker_count() const {
    if (!threaded) {
        return 1;
    }
    return threads == 0 ? auto_pool_threads() : threads;
}

std::string PoolSetting::describe() const {
    if (!threaded) {
        return "off (event loop)";
    }
    const auto count = std::to_string(worker_count());
    if (threads == 0) {
        return "auto (" + count + " threads)";
    }
    return count + (threads == 1 ? " thread" : " threads");
}

std::string PoolSetting::spelling() const {
    if (!threaded) {
        return "off";
    }
    return threads == 0 ? "auto" : std::to_string(threads);
}

std::optional<PoolSetting> parse_pool_setting(std::string_view text) {
    if (text == "off") {
        return PoolSetting::off();
    }
    if (text == "auto") {
        return PoolSetting::automatic();
    }
    unsigned value = 0;
    const auto* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc{} || stop != end || value > max_pool_threads) {
        return std::nullopt;
    }
    return value == 0 ? PoolSetting::automatic() : PoolSetting::fixed(value);
}

}  // namespace threadlab
