#pragma once
// Panel's `nthreads` / `--num-threads`, as a value: off (events run one by one on a single
// event-loop thread), auto (0: min(32, cores + 4), Python's ThreadPoolExecutor default) or N.

#include <optional>
#include <string>
#include <string_view>

#include "limits.hpp"

namespace threadlab {

/// min(32, hardware threads + 4), as Python computes ThreadPoolExecutor's default size.
unsigned auto_pool_threads();

struct PoolSetting {
    bool threaded = true;
    /// 0 means auto. Ignored when !threaded.
    unsigned threads = 0;

    static PoolSetting off() { return {false, 0}; }
    static PoolSetting automatic() { return {true, 0}; }
    static PoolSetting fixed(unsigned threads) { return {true, threads}; }

    /// The number of worker threads this setting runs: 1 for off (the event loop).
    unsigned worker_count() const;
    /// "off (event loop)", "auto (6 threads)", "4 threads".
    std::string describe() const;
    /// The command-line and scenario spelling: "off", "auto" or the number.
    std::string spelling() const;

    friend bool operator==(const PoolSetting&, const PoolSetting&) = default;
};

/// Parses "off", "auto", "0" (auto) or 1..max_pool_threads; nullopt for anything else.
std::optional<PoolSetting> parse_pool_setting(std::string_view text);

}  // namespace threadlab
