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

#include "ui/grid_layout.hpp"

TEST_CASE("the card grid fits as many columns as it can and stretches them", "[ui][layout]") {
    auto layout = grid_layout(10, 1000.0f, 300.0f, 10.0f);
    CHECK(layout.columns == 3);
    CHECK(layout.rows == 4);
    CHECK(layout.card_width == Approx((1000.0f - 20.0f) / 3.0f));
    layout = grid_layout(5, 200.0f, 300.0f, 10.0f);  // narrower than one card: still one column
    CHECK(layout.columns == 1);
    CHECK(layout.rows == 5);
    CHECK(layout.card_width == Approx(200.0f));
    CHECK(grid_layout(0, 1000.0f, 300.0f, 10.0f).rows == 0);
    CHECK(grid_layout(3, 930.0f, 300.0f, 15.0f).columns == 3);  // exactly three with their gaps
}

#include "ui/preferences.hpp"

TEST_CASE("stored preferences are read, and nonsense in them is ignored", "[ui][preferences]") {
    Preferences prefs;
    read_preference_line(prefs, "WindowWidth=1280");
    read_preference_line(prefs, "WindowHeight=800");
    read_preference_line(prefs, "Presenter=1");
    CHECK(prefs.window_width == 1280);
    CHECK(prefs.window_height == 800);
    CHECK(prefs.presenter);
    read_preference_line(prefs, "WindowWidth=-5");     // out of range: kept as it was
    read_preference_line(prefs, "WindowHeight=lots");  // not a number
    read_preference_line(prefs, "Colour=purple");      // unknown key
    CHECK(prefs.window_width == 1280);
    CHECK(prefs.window_height == 800);
    read_preference_line(prefs, "Presenter=0");
    CHECK_FALSE(prefs.presenter);
}
