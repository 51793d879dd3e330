#include <catch2/catch.hpp>

#include <vector>

#include "ui/metrics.hpp"
#include "ui/palette.hpp"

using namespace threadlab;
using namespace threadlab::ui;
using namespace std::chrono_literals;

TEST_CASE("a sample history gives rates and forgets old samples", "[ui][metrics]") {
    SampleHistory history(10s);
    const auto start = Clock::time_point{} + 100s;
    for (int i = 0; i <= 20; ++i) {
        history.add(start + i * 1s, i * 50.0);  // 50 per second
    }
    CHECK(history.rate(5s) == Approx(50.0));
    CHECK(history.values().size() == 11);  // 10 s of samples at 1 s: 11 points
    CHECK(history.latest() == Approx(1000.0));
    CHECK(history.peak() == Approx(1000.0));
    history.add(start + 20s + 10ms, 7.0);  // closer than the minimum gap: replaces the last one
    CHECK(history.values().size() == 11);
    CHECK(history.latest() == Approx(7.0));
}

TEST_CASE("a session keeps one colour, neighbours get different ones", "[ui][palette]") {
    CHECK(session_colour(3) == session_colour(3));
    for (SessionId id = 1; id < 20; ++id) {
        CHECK(session_colour(id) != session_colour(id + 1));
    }
    // Sixteen sessions side by side never share a colour; the seventeenth repeats the first.
    for (SessionId a = 1; a <= 16; ++a) {
        for (SessionId b = a + 1; b <= 16; ++b) {
            CHECK(session_colour(a) != session_colour(b));
        }
    }
    CHECK(session_colours() == 16);
    CHECK(session_colour(1) == session_colour(17));
    // Bar labels stay readable: dark text on the light colours, light text on the dark ones.
    CHECK(text_colour_on(session_colour(4)) == IM_COL32(0, 0, 0, 255));        // yellow
    CHECK(text_colour_on(IM_COL32(0, 0, 80, 255)) == IM_COL32(255, 255, 255, 255));  // navy
    CHECK(task_state_colour(TaskState::failed) != task_state_colour(TaskState::completed));
}
