#include <catch2/catch.hpp>

#include "ui/timeline_groups.hpp"

using namespace threadlab::ui;

namespace {

constexpr auto loop_group = static_cast<std::size_t>(LaneGroup::loop);
constexpr auto pool_group = static_cast<std::size_t>(LaneGroup::pool);
constexpr auto runners_group = static_cast<std::size_t>(LaneGroup::runners);

// Titles 20 px, lanes 30 px (20 px thin), the loop's await strip 30 px.
GroupLayoutInput sizes() {
    GroupLayoutInput input;
    input.header = 20.0f;
    input.row = 30.0f;
    input.thin_row = 20.0f;
    input.await_strip = 30.0f;
    return input;
}

// resize-under-load at its key moment: the loop idle, eight busy pool workers, four idle runners.
GroupLayoutInput resize_under_load() {
    GroupLayoutInput input = sizes();
    input.lanes[loop_group] = 1;
    input.lanes[pool_group] = 8;
    input.lanes[runners_group] = 4;
    input.active[pool_group] = true;
    return input;
}

}  // namespace

TEST_CASE("timeline groups: where everything fits, every lane shows at full height", "[ui][timeline]") {
    const GroupLayout layout = layout_lane_groups(resize_under_load(), 1000.0f);
    CHECK(layout.expanded[loop_group]);
    CHECK(layout.expanded[pool_group]);
    CHECK(layout.expanded[runners_group]);
    CHECK(layout.row == 30.0f);
    CHECK(layout.height == 3 * 20.0f + 13 * 30.0f + 30.0f);
}

TEST_CASE("timeline groups: rows get thinner before any group folds", "[ui][timeline]") {
    const GroupLayout layout = layout_lane_groups(resize_under_load(), 350.0f);
    CHECK(layout.row == 20.0f);
    CHECK(layout.expanded[loop_group]);
    CHECK(layout.expanded[pool_group]);
    CHECK(layout.expanded[runners_group]);
    CHECK(layout.height == 3 * 20.0f + 13 * 20.0f + 30.0f);
}

TEST_CASE("timeline groups: idle groups fold to their title before a busy one folds", "[ui][timeline]") {
    // The eight workers (seven of them retiring) are the lesson: the idle runners and loop make room.
    const GroupLayout layout = layout_lane_groups(resize_under_load(), 250.0f);
    CHECK_FALSE(layout.expanded[loop_group]);
    CHECK_FALSE(layout.expanded[runners_group]);
    CHECK(layout.expanded[pool_group]);
    CHECK(layout.height == 3 * 20.0f + 8 * 20.0f);

    // With less room the pool folds too, into one row of busy workers.
    const GroupLayout tighter = layout_lane_groups(resize_under_load(), 200.0f);
    CHECK_FALSE(tighter.expanded[pool_group]);
    CHECK(tighter.height == 3 * 20.0f + 20.0f);
}

TEST_CASE("timeline groups: among busy groups the one with the most lanes folds first", "[ui][timeline]") {
    GroupLayoutInput input = resize_under_load();
    input.active[loop_group] = true;
    input.active[runners_group] = true;
    const GroupLayout layout = layout_lane_groups(input, 260.0f);
    CHECK_FALSE(layout.expanded[pool_group]);
    CHECK(layout.expanded[runners_group]);
    CHECK(layout.expanded[loop_group]);  // one busy lane: folding it would save nothing
    CHECK(layout.height == 3 * 20.0f + (1 + 1 + 4) * 20.0f + 30.0f);
}

TEST_CASE("timeline groups: a click's choice stays, whatever the room", "[ui][timeline]") {
    GroupLayoutInput input = resize_under_load();
    input.by_hand[pool_group] = true;
    const GroupLayout unfolded = layout_lane_groups(input, 100.0f);
    CHECK(unfolded.expanded[pool_group]);
    CHECK_FALSE(unfolded.expanded[runners_group]);
    CHECK(unfolded.height == 3 * 20.0f + 8 * 20.0f);  // more than the room: it scrolls

    // Folded by hand, an idle group keeps its row (a title alone would look like nothing to show).
    input.by_hand[pool_group].reset();
    input.by_hand[runners_group] = false;
    const GroupLayout folded = layout_lane_groups(input, 1000.0f);
    CHECK_FALSE(folded.expanded[runners_group]);
    CHECK(folded.height == 3 * 20.0f + (1 + 8 + 1) * 30.0f + 30.0f);
}

TEST_CASE("timeline groups: the GIL's lane counts as a row", "[ui][timeline]") {
    GroupLayoutInput input = resize_under_load();
    input.gil_lane = true;
    CHECK(layout_lane_groups(input, 1000.0f).height == 3 * 20.0f + 14 * 30.0f + 30.0f);
}
