#include "palette.hpp"

#include <array>

namespace threadlab::ui {

namespace {
// Sixteen colours before one repeats: Okabe & Ito (2008), "Color Universal Design", minus black
// (the background is dark), then Paul Tol's "light" scheme (2021), also designed for colour-blind
// viewers, minus its grey (too close to the no-session grey). Sessions past 7 are paler; every
// bar wide enough also carries its session's number.
constexpr std::array<ImU32, 16> session_palette = {
    IM_COL32(230, 159, 0, 255),    // orange
    IM_COL32(86, 180, 233, 255),   // sky blue
    IM_COL32(0, 158, 115, 255),    // bluish green
    IM_COL32(240, 228, 66, 255),   // yellow
    IM_COL32(0, 114, 178, 255),    // blue
    IM_COL32(213, 94, 0, 255),     // vermilion
    IM_COL32(204, 121, 167, 255),  // reddish purple
    IM_COL32(119, 170, 221, 255),  // light blue
    IM_COL32(238, 136, 102, 255),  // light orange
    IM_COL32(68, 187, 153, 255),   // mint
    IM_COL32(238, 221, 136, 255),  // light yellow
    IM_COL32(255, 170, 187, 255),  // pink
    IM_COL32(153, 221, 255, 255),  // light cyan
    IM_COL32(187, 204, 51, 255),   // pear
    IM_COL32(170, 170, 0, 255),    // olive
    IM_COL32(180, 150, 230, 255),  // lavender
};
}  // namespace

ImU32 session_colour(SessionId id) { return session_palette[(id - 1) % session_palette.size()]; }

std::size_t session_colours() { return session_palette.size(); }

ImU32 text_colour_on(ImU32 background) {
    const auto channel = [&](int shift) { return static_cast<float>((background >> shift) & 0xFFu) / 255.0f; };
    // Relative luminance (Rec. 709 weights on the gamma-encoded channels is close enough here).
    const float luminance = 0.2126f * channel(IM_COL32_R_SHIFT) + 0.7152f * channel(IM_COL32_G_SHIFT) +
                            0.0722f * channel(IM_COL32_B_SHIFT);
    return luminance > 0.45f ? IM_COL32(0, 0, 0, 255) : IM_COL32(255, 255, 255, 255);
}

ImU32 task_state_colour(TaskState state) {
    switch (state) {
        case TaskState::queued: return IM_COL32(120, 120, 135, 255);
        case TaskState::running: return IM_COL32(86, 180, 233, 255);
        case TaskState::completed: return IM_COL32(0, 158, 115, 255);
        case TaskState::failed: return error_colour;
        case TaskState::cancelled: return IM_COL32(230, 159, 0, 255);
    }
    return muted_text_colour;
}

}  // namespace threadlab::ui
