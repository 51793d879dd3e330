#include <catch2/catch.hpp>

#include <vector>

#include "core/latency.hpp"

using namespace threadlab;
using namespace std::chrono_literals;

TEST_CASE("latency percentiles use the nearest rank", "[latency]") {
    std::vector<Clock::duration> none;
    CHECK(summarize(none).samples == 0);
    std::vector<Clock::duration> values;
    for (int i = 100; i >= 1; --i) {
        values.push_back(std::chrono::milliseconds(i));
    }
    const auto summary = summarize(values);
    CHECK(summary.samples == 100);
    CHECK(summary.p50 == 50ms);
    CHECK(summary.p99 == 99ms);
    CHECK(summary.max == 100ms);
}

