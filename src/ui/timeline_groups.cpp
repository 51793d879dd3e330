#include "timeline_groups.hpp"

namespace threadlab::ui {

namespace {

float height_of(const GroupLayoutInput& input, const PerLaneGroup<bool>& expanded, float row) {
    float total = input.gil_lane ? row : 0.0f;
    for (std::size_t g = 0; g < input.lanes.size(); ++g) {
        if (input.lanes[g] == 0) {
            continue;
        }
        // Folded, a group keeps a row of busy threads if it has something in view or was folded
        // by hand (its row stays, busy or not); else it is its title alone.
        const bool folded_row = input.active[g] || input.by_hand[g].has_value();
        total += input.header + (expanded[g] ? row * static_cast<float>(input.lanes[g]) : folded_row ? row : 0.0f);
    }
    const auto loop = static_cast<std::size_t>(LaneGroup::loop);
    if (input.lanes[loop] > 0 && expanded[loop]) {
        total += input.await_strip;  // folded, the loop's one row has none
    }
    return total;
}

}  // namespace

GroupLayout layout_lane_groups(const GroupLayoutInput& input, float max_height) {
    GroupLayout layout;
    for (std::size_t g = 0; g < input.lanes.size(); ++g) {
        layout.expanded[g] = input.by_hand[g].value_or(true);
    }
    layout.row = input.row;
    layout.height = height_of(input, layout.expanded, layout.row);
    if (layout.height > max_height) {
        layout.row = input.thin_row;
        layout.height = height_of(input, layout.expanded, layout.row);
    }
    const auto folds_before = [&](std::size_t a, std::size_t b) {
        return input.active[a] != input.active[b] ? !input.active[a] : input.lanes[a] > input.lanes[b];
    };
    while (layout.height > max_height) {
        std::optional<std::size_t> next;
        for (std::size_t g = 0; g < input.lanes.size(); ++g) {
            // Folding saves room only where it hides a lane: more than one, or an idle one.
            const bool saves_room = input.lanes[g] > 1 || (input.lanes[g] > 0 && !input.active[g]);
            if (layout.expanded[g] && !input.by_hand[g] && saves_room && (!next || folds_before(g, *next))) {
                next = g;
            }
        }
        if (!next) {
            break;  // what is left scrolls
        }
        layout.expanded[*next] = false;
        layout.height = height_of(input, layout.expanded, layout.row);
    }
    return layout;
}

}  // namespace threadlab::ui
