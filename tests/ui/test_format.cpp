#include <catch2/catch.hpp>

#include "ui/format.hpp"

using namespace threadlab;
using namespace threadlab::ui;
using namespace std::chrono_literals;

TEST_CASE("durations read at a glance", "[ui][format]") {
    CHECK(format_duration(0ns) == "0 \xC2\xB5s");
    CHECK(format_duration(850us) == "850 \xC2\xB5s");
    CHECK(format_duration(2500us) == "2.50 ms");
    CHECK(format_duration(12300us) == "12.3 ms");
    CHECK(format_duration(1250ms) == "1.25 s");
    CHECK(format_duration(125s) == "2 min 05 s");
    CHECK(format_duration(-2s) == "-2.00 s");
}

TEST_CASE("log offsets and long text", "[ui][format]") {
    const auto origin = Clock::time_point{} + 10s;
    CHECK(format_offset(origin, origin + 12345ms) == "+12.345 s");
    CHECK(format_offset(origin, origin - 5ms) == "-0.005 s");
    CHECK(ellipsize("short", 10) == "short");
    CHECK(ellipsize("a rather long result", 10) == "a rathe...");
    CHECK(ellipsize("abcdef", 2) == "ab");
}
