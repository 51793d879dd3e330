#pragma once
// Layout maths of the session card grid, free of ImGui so it can be unit-tested.

namespace threadlab::ui {

struct GridLayout {
    int columns = 1;
    int rows = 0;
    float card_width = 0.0f;
};

/// As many columns of cards at least `min_card_width` wide as fit in `available` pixels with
/// `spacing` between them (always one or more), cards stretched to fill the row.
GridLayout grid_layout(int cards, float available, float min_card_width, float spacing);

}  // namespace threadlab::ui
