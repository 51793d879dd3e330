#include <catch2/catch.hpp>

#include "core/lagged_reading.hpp"

using namespace threadlab;

TEST_CASE("a lagged reading reads afresh only once its period has passed", "[lagged-reading]") {
    LaggedReading<int> reading;
    int reads = 0;
    const auto read = [&reads] { return ++reads; };
    const auto start = Clock::now();
    const auto period = LaggedReading<int>::refresh_period;

    CHECK(reading.at(start, read) == 1);  // the first call always reads
    CHECK(reading.at(start + period / 2, read) == 1);
    CHECK(reading.at(start + period, read) == 2);
    CHECK(reading.at(start + period + period / 2, read) == 2);
    CHECK(reading.at(start + 10 * period, read) == 3);  // sparse calls always read afresh
    CHECK(reading.at(start, read) == 3);  // an earlier clock reading (another thread's) keeps it
    CHECK(reads == 3);
}
