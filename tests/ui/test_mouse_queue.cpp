#include <catch2/catch.hpp>

#include "app/mouse_queue.hpp"

using threadlab::app::MouseQueue;

namespace {
constexpr int left = 0;
constexpr int right = 1;

/// Dear ImGui counts a click when a button is down in a frame after a frame it was up: replays
/// the frames the queue hands out until it is drained and counts those.
int clicks_seen(MouseQueue& queue, int button, int max_frames = 100) {
    int clicks = 0;
    bool was_down = false;
    for (int frame = 0; frame < max_frames && queue.pending(); ++frame) {
        const bool down = queue.next_frame().down[static_cast<std::size_t>(button)];
        clicks += down && !was_down ? 1 : 0;
        was_down = down;
    }
    return clicks;
}
}  // namespace

TEST_CASE("A press and release within one frame reach Dear ImGui as down, then up") {
    MouseQueue queue;
    queue.record(left, true, {10, 20});
    queue.record(left, false, {11, 21});
    REQUIRE(queue.pending());

    const auto press = queue.next_frame();
    CHECK(press.down[left]);
    CHECK(press.presses == 1);
    REQUIRE(press.position);
    CHECK(press.position->x == 10.0f);  // where it was pressed, not where the cursor is now
    CHECK(press.position->y == 20.0f);

    const auto release = queue.next_frame();
    CHECK_FALSE(release.down[left]);
    CHECK(release.presses == 0);
    REQUIRE(release.position);
    CHECK(release.position->x == 11.0f);
    CHECK_FALSE(queue.pending());

    // Nothing queued: the button stays up and the backend's cursor position stands.
    const auto idle = queue.next_frame();
    CHECK_FALSE(idle.down[left]);
    CHECK_FALSE(idle.position);
}

TEST_CASE("Two clicks within one frame are two clicks over four frames") {
    MouseQueue queue;
    for (int click = 0; click < 2; ++click) {
        queue.record(left, true, {5, 5});
        queue.record(left, false, {5, 5});
    }
    std::vector<bool> fed;
    int presses = 0;
    while (queue.pending()) {
        const auto frame = queue.next_frame();
        fed.push_back(frame.down[left]);
        presses += frame.presses;
    }
    CHECK(fed == std::vector<bool>{true, false, true, false});
    CHECK(presses == 2);
}

TEST_CASE("A held button stays down until its release is fed") {
    MouseQueue queue;
    queue.record(left, true, {1, 1});
    CHECK(queue.next_frame().down[left]);
    for (int frame = 0; frame < 3; ++frame) {
        const auto held = queue.next_frame();
        CHECK(held.down[left]);
        CHECK(held.presses == 0);
    }
    queue.record(left, false, {9, 9});
    CHECK_FALSE(queue.next_frame().down[left]);
}

TEST_CASE("Buttons are queued independently: each gets one transition per frame") {
    MouseQueue queue;
    queue.record(left, true, {1, 1});
    queue.record(right, true, {1, 1});
    queue.record(left, false, {1, 1});
    queue.record(right, false, {1, 1});

    const auto first = queue.next_frame();
    CHECK(first.down[left]);
    CHECK(first.down[right]);
    CHECK(first.presses == 2);
    const auto second = queue.next_frame();
    CHECK_FALSE(second.down[left]);
    CHECK_FALSE(second.down[right]);
    CHECK_FALSE(queue.pending());
}

TEST_CASE("Many fast clicks are all counted") {
    MouseQueue queue;
    for (int click = 0; click < 25; ++click) {
        queue.record(left, true, {3, 4});
        queue.record(left, false, {3, 4});
    }
    CHECK(clicks_seen(queue, left) == 25);
}

TEST_CASE("Repeated transitions and unknown buttons are ignored") {
    MouseQueue queue;
    queue.record(left, false, {0, 0});  // already up
    CHECK_FALSE(queue.pending());
    queue.record(left, true, {0, 0});
    queue.record(left, true, {0, 0});  // a second press without a release in between
    queue.record(-1, true, {0, 0});
    queue.record(MouseQueue::button_count, true, {0, 0});  // GLFW has 8 buttons, Dear ImGui 5
    CHECK(queue.next_frame().down[left]);
    CHECK_FALSE(queue.pending());
}
