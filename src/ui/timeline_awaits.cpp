#include "timeline_awaits.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "format.hpp"
#include "palette.hpp"

namespace threadlab::ui {

void draw_awaits(ImDrawList* draw, const std::vector<AwaitSpan>& awaits, const AwaitStrip& strip,
                 const std::function<float(Clock::time_point)>& x, Clock::time_point view_start, Clock::time_point end,
                 Clock::time_point now, bool hovered) {
    const float unit = ImGui::GetFontSize();
    draw->AddText(ImGui::GetFont(), unit * 0.75f, {strip.label_x + unit * 0.5f, strip.top}, muted_text_colour,
                  "await - -");
    draw->AddText(ImGui::GetFont(), unit * 0.75f, {strip.label_x + unit * 0.5f, strip.top + unit * 0.75f},
                  muted_text_colour, "queued []");
    constexpr std::size_t rows = 3;
    const float row_height = strip.height / static_cast<float>(rows);
    const float thickness = std::max(2.0f, std::round(row_height * 0.55f));
    // Each await takes the first row free at its start (a greedy interval colouring): awaits that
    // overlap in time stay apart while there are rows.
    std::array<float, rows> row_free_from{};
    row_free_from.fill(-1.0e9f);
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    for (const auto& await : awaits) {
        const Clock::time_point until = await.until.value_or(now);
        if (until < view_start || await.from > end) {
            continue;
        }
        const float from_x = x(std::max(await.from, view_start));
        const float drawn_to = x(std::min(until, end));
        if (await.queued && drawn_to - from_x < 2.0f) {
            continue;  // a wait too short to see: the loop took it at once
        }
        const float to_x = std::max(from_x + 2.0f, drawn_to);
        // The first free row; with none free, the one that frees first (overlaps stay short).
        std::size_t row = 0;
        while (row < rows && row_free_from[row] > from_x) {
            ++row;
        }
        if (row == rows) {
            row = static_cast<std::size_t>(std::min_element(row_free_from.begin(), row_free_from.end()) -
                                           row_free_from.begin());
        }
        row_free_from[row] = to_x + 2.0f;
        const float y = strip.top + row_height * (static_cast<float>(row) + 0.5f);
        const ImU32 colour = session_colour(await.session);
        if (await.queued) {
            // A hollow box: ready to run, but the loop is busy with something else.
            const float half = row_height * 0.42f;
            draw->AddRect({from_x, y - half}, {to_x, y + half}, colour, 0.0f, 0, std::max(2.0f, thickness * 0.5f));
        } else {
            // Dashes: the loop is not busy with it, only waiting on its behalf.
            const float dash = unit * 0.6f;
            for (float left = from_x; left < to_x; left += dash * 1.6f) {
                draw->AddLine({left, y}, {std::min(left + dash, to_x), y}, colour, thickness);
            }
        }
        if (hovered && mouse.y >= y - row_height * 0.5f && mouse.y < y + row_height * 0.5f && mouse.x >= from_x &&
            mouse.x <= to_x) {
            if (await.queued) {
                ImGui::SetTooltip("Session #%u's callback was ready and %s for the event loop (%s):\nthe loop "
                                  "ran something else.",
                                  await.session, await.until ? "waited" : "waits", format_duration(until - await.from).c_str());
            } else {
                ImGui::SetTooltip("Session #%u's async callback awaits%s (%s).\nThe event loop is free meanwhile: "
                                  "other callbacks run.",
                                  await.session, await.until ? "" : " now",
                                  format_duration(until - await.from).c_str());
            }
        }
    }
}

}  // namespace threadlab::ui
