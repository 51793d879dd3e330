#include "timeline_fold.hpp"

#include <algorithm>

namespace threadlab::ui {

std::vector<FoldedSpan> fold_spans(std::span<const PixelSpan> spans, float min_width) {
    std::vector<FoldedSpan> folded;
    fold_spans(spans, min_width, folded);
    return folded;
}

void fold_spans(std::span<const PixelSpan> spans, float min_width, std::vector<FoldedSpan>& folded) {
    folded.clear();
    folded.reserve(spans.size());
    bool open_block = false;  // whether folded.back() is a block of thin bars still growing
    for (std::size_t i = 0; i < spans.size(); ++i) {
        const PixelSpan& span = spans[i];
        const bool thin = span.x1 - span.x0 < min_width;
        if (!thin) {
            folded.push_back({span.x0, span.x1, span.key, 1, i, false});
            open_block = false;
            continue;
        }
        if (open_block && span.x0 - folded.back().x1 < min_width) {
            FoldedSpan& block = folded.back();
            block.x1 = std::max(block.x1, span.x1);
            block.mixed = block.mixed || block.key != span.key;
            ++block.count;
            continue;
        }
        folded.push_back({span.x0, span.x1, span.key, 1, i, false});
        open_block = true;
    }
    // A block (or lone thin bar) is drawn at least min_width wide so that it can be seen and hovered.
    for (auto& block : folded) {
        if (block.x1 - block.x0 < min_width) {
            block.x1 = block.x0 + min_width;
        }
    }
}

}  // namespace threadlab::ui
