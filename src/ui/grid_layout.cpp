#include "grid_layout.hpp"

#include <algorithm>

namespace threadlab::ui {

GridLayout grid_layout(int cards, float available, float min_card_width, float spacing) {
    GridLayout layout;
    layout.columns = std::max(1, static_cast<int>((available + spacing) / (min_card_width + spacing)));
    layout.rows = cards <= 0 ? 0 : (cards + layout.columns - 1) / layout.columns;
    layout.card_width = std::max(0.0f, (available - spacing * static_cast<float>(layout.columns - 1)) /
                                           static_cast<float>(layout.columns));
    return layout;
}

}  // namespace threadlab::ui
