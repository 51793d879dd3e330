#include <catch2/catch.hpp>

#include "ui/passing_message.hpp"

using namespace threadlab::ui;
using std::chrono::seconds;

namespace {
const PassingMessage::Clock::time_point start{};
}

TEST_CASE("passing message: stays until a click or key comes after it has been seen a while", "[ui][status]") {
    PassingMessage message(seconds(4));
    CHECK(message.update("saved trace.json", false, start));
    // The click that closes the menu after Export trace, a second later: the message stays.
    CHECK(message.update("saved trace.json", true, start + seconds(1)));
    CHECK(message.update("saved trace.json", false, start + seconds(3)));
    // A click once it has been there 4 s puts it away, for good.
    CHECK_FALSE(message.update("saved trace.json", true, start + seconds(5)));
    CHECK_FALSE(message.update("saved trace.json", false, start + seconds(60)));
}

TEST_CASE("passing message: without input it stays", "[ui][status]") {
    PassingMessage message(seconds(4));
    for (int s = 0; s < 100; s += 10) {
        CHECK(message.update("New here? Press L for a lesson.", false, start + seconds(s)));
    }
}

TEST_CASE("passing message: a new message shows at once and gets its own time", "[ui][status]") {
    PassingMessage message(seconds(4));
    CHECK(message.update("saving ...", false, start));
    CHECK(message.update("saved trace.json", true, start + seconds(10)));  // new this frame: not put away
    CHECK(message.update("saved trace.json", true, start + seconds(12)));  // seen 2 s only
    CHECK_FALSE(message.update("saved trace.json", true, start + seconds(14)));
}

TEST_CASE("passing message: the same text again after another message, or none, is news", "[ui][status]") {
    PassingMessage message(seconds(4));
    CHECK(message.update("saved trace.json", false, start));
    CHECK_FALSE(message.update("saved trace.json", true, start + seconds(5)));
    CHECK_FALSE(message.update("", false, start + seconds(6)));
    CHECK(message.update("saved trace.json", false, start + seconds(7)));  // a second export, same name
}

TEST_CASE("passing message: nothing to say shows nothing", "[ui][status]") {
    PassingMessage message(seconds(4));
    CHECK_FALSE(message.update("", false, start));
    CHECK_FALSE(message.update("", true, start + seconds(10)));
}
