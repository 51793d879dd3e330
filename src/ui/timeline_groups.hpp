#pragma once
// Which of the timeline's groups of threads show every lane and which fold into one row, when not
// all of them fit the height the dashboard gives the timeline. First the rows get thinner (still a
// line of text); then groups fold: those with nothing in view before busy ones (folded, such a
// group is its title alone), then the one with the most lanes. A group folded or unfolded by a
// click stays as the user left it. What is left scrolls.

#include <array>
#include <cstddef>
#include <optional>

#include "timeline_lanes.hpp"

namespace threadlab::ui {

/// One value per LaneGroup, indexed by its value.
template <typename T>
using PerLaneGroup = std::array<T, 5>;

struct GroupLayoutInput {
    PerLaneGroup<std::size_t> lanes{};             // lanes in each group; 0: the group is not drawn
    PerLaneGroup<bool> active{};                   // something of the group's is in view
    PerLaneGroup<std::optional<bool>> by_hand{};   // unfolded (true) or folded (false) by a click
    bool gil_lane = false;                         // one more row, the GIL's
    float header = 0.0f;                           // a group's title
    float row = 0.0f;                              // a lane
    float thin_row = 0.0f;                         // a lane, when the rows must get thinner
    float await_strip = 0.0f;                      // under the event loop's lane, unfolded
};

struct GroupLayout {
    PerLaneGroup<bool> expanded{};
    float row = 0.0f;     // the lanes' height
    float height = 0.0f;  // all of it: more than the room when even folded it does not fit
};

GroupLayout layout_lane_groups(const GroupLayoutInput& input, float max_height);

}  // namespace threadlab::ui
