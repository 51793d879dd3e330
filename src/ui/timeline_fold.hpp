#pragma once
// Folding a lane's bars for drawing, as Tracy does: a bar at least `min_width` pixels wide is
// drawn alone; a run of thinner bars that touch (gaps under `min_width`) becomes one block that
// says how many events it holds, instead of thousands of slivers nobody can see or hover.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace threadlab::ui {

struct PixelSpan {
    float x0 = 0.0f;
    float x1 = 0.0f;
    /// What colours the bar (a session id).
    std::uint32_t key = 0;
};

struct FoldedSpan {
    float x0 = 0.0f;
    float x1 = 0.0f;
    std::uint32_t key = 0;
    /// Bars in this block; 1 for a bar drawn alone.
    std::size_t count = 1;
    /// Index in the input of its first bar.
    std::size_t first = 0;
    /// The block holds bars of more than one key.
    bool mixed = false;
};

/// `spans` must be sorted by x0 and not overlap (one lane runs one event at a time).
std::vector<FoldedSpan> fold_spans(std::span<const PixelSpan> spans, float min_width);
/// The same into `folded` (cleared first): a caller that draws every frame keeps its capacity.
void fold_spans(std::span<const PixelSpan> spans, float min_width, std::vector<FoldedSpan>& folded);

}  // namespace threadlab::ui
