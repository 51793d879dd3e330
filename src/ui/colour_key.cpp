#include "colour_key.hpp"

#include <imgui.h>

#include <algorithm>
#include <string>

#include "palette.hpp"

namespace threadlab::ui {

namespace {
constexpr ImU32 neutral_fill = IM_COL32(60, 60, 70, 255);

/// A swatch the size of a line of text, drawn by `paint` into [min, max], then the explanation.
template <class Paint>
void row(const char* text, Paint paint) {
    const float unit = ImGui::GetFontSize();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const ImVec2 min{at.x, at.y + unit * 0.1f};
    const ImVec2 max{at.x + unit * 2.4f, at.y + unit * 0.95f};
    paint(ImGui::GetWindowDrawList(), min, max);
    ImGui::Dummy({unit * 2.4f, unit});
    ImGui::SameLine(0.0f, unit * 0.5f);
    ImGui::TextUnformatted(text);
}
}  // namespace

void paint_process_startup(ImDrawList* draw, ImVec2 min, ImVec2 max) {
    draw->AddRectFilled(min, max, IM_COL32(120, 120, 132, 255));
    draw->PushClipRect(min, max, true);
    const float h = max.y - min.y;
    for (float x = min.x - h; x < max.x; x += 7.0f) {  // diagonal stripes: not a callback's work
        draw->AddLine({x, max.y}, {x + h, min.y}, IM_COL32(235, 235, 240, 150), 2.0f);
    }
    draw->PopClipRect();
    draw->AddRect(min, max, IM_COL32(235, 235, 240, 200), 0.0f, 0, 1.0f);
}

void paint_process_wait(ImDrawList* draw, ImVec2 min, ImVec2 max) {
    draw->AddRectFilled(min, max, IM_COL32(0, 0, 0, 150));
    draw->PushClipRect(min, max, true);
    for (float x = min.x + 2.0f; x < max.x; x += 6.0f) {  // vertical dashes: a thread blocked, holding nothing
        for (float y = min.y + 1.0f; y < max.y; y += 5.0f) {
            draw->AddLine({x, y}, {x, std::min(y + 2.5f, max.y)}, IM_COL32(255, 255, 255, 170), 1.0f);
        }
    }
    draw->PopClipRect();
}

void paint_bar_key(ImDrawList* draw, ImVec2 min, ImVec2 max, BarKey kind) {
    switch (kind) {
        case BarKey::session:
            draw->AddRectFilled(min, max, session_colour(2), 3.0f);
            draw->AddRect(min, max, IM_COL32(0, 0, 0, 200), 3.0f);
            break;
        case BarKey::failed:
            draw->AddRectFilled(min, max, neutral_fill, 3.0f);
            draw->AddRect(min, max, error_colour, 3.0f, 0, 3.0f);
            break;
        case BarKey::cancelled:
            draw->AddRectFilled(min, max, neutral_fill, 3.0f);
            draw->AddRect(min, max, task_state_colour(TaskState::cancelled), 3.0f, 0, 3.0f);
            break;
        case BarKey::process_startup: paint_process_startup(draw, min, max); break;
        case BarKey::process_wait:
            draw->AddRectFilled(min, max, session_colour(2), 3.0f);
            paint_process_wait(draw, {min.x + (max.x - min.x) * 0.25f, min.y + 2.0f}, {max.x - (max.x - min.x) * 0.15f, max.y - 2.0f});
            break;
    }
}

void draw_colour_key() {
    const float unit = ImGui::GetFontSize();
    // Sessions: their colours, in order; the number is on every bar wide enough.
    const ImVec2 at = ImGui::GetCursorScreenPos();
    for (unsigned i = 0; i < session_colours(); ++i) {
        const float x = at.x + static_cast<float>(i) * unit * 1.15f;
        ImGui::GetWindowDrawList()->AddRectFilled({x, at.y + unit * 0.1f}, {x + unit, at.y + unit * 0.95f},
                                                  session_colour(i + 1), 2.0f);
    }
    ImGui::Dummy({static_cast<float>(session_colours()) * unit * 1.15f, unit});
    ImGui::TextUnformatted("Sessions #1 to #16: one colour each, in every view");
    ImGui::Spacing();

    row("a click or task on its thread's lane",
        [](ImDrawList* d, ImVec2 a, ImVec2 b) { paint_bar_key(d, a, b, BarKey::session); });
    row("failed: the callback raised an error",
        [](ImDrawList* d, ImVec2 a, ImVec2 b) { paint_bar_key(d, a, b, BarKey::failed); });
    row("cancelled", [](ImDrawList* d, ImVec2 a, ImVec2 b) { paint_bar_key(d, a, b, BarKey::cancelled); });
    row("many short events (the number: how many)", [](ImDrawList* d, ImVec2 a, ImVec2 b) {
        d->AddRectFilled(a, b, IM_COL32(170, 170, 185, 255));
        for (float x = a.x + 3.0f; x < b.x; x += 6.0f) {
            d->AddLine({x, a.y}, {x, b.y}, IM_COL32(0, 0, 0, 90));
        }
    });
    row("a worker process starting up (your ProcessPoolExecutor)",
        [](ImDrawList* d, ImVec2 a, ImVec2 b) { paint_bar_key(d, a, b, BarKey::process_startup); });
    row("a callback waiting for a process's result (GIL released)",
        [](ImDrawList* d, ImVec2 a, ImVec2 b) { paint_bar_key(d, a, b, BarKey::process_wait); });
    row("a retired worker's or ended runner's lane",
        [](ImDrawList* d, ImVec2 a, ImVec2 b) {
            d->AddRectFilled(a, b, IM_COL32(255, 255, 255, 10));
            d->AddRectFilled({a.x + (b.x - a.x) * 0.2f, a.y}, {b.x - (b.x - a.x) * 0.3f, b.y},
                             (session_colour(3) & ~IM_COL32_A_MASK) | (110u << IM_COL32_A_SHIFT), 3.0f);
        });
    row("a runner woke up to look at its queue", [](ImDrawList* d, ImVec2 a, ImVec2 b) {
        for (float x = a.x + 2.0f; x < b.x; x += 5.0f) {
            d->AddLine({x, a.y}, {x, a.y + (b.y - a.y) * 0.4f}, IM_COL32(255, 255, 255, 230));
        }
    });
    row("a lesson changed a setting here", [](ImDrawList* d, ImVec2 a, ImVec2 b) {
        const float x = (a.x + b.x) * 0.5f;
        for (float y = a.y; y < b.y; y += 6.0f) {
            d->AddLine({x, y}, {x, y + 3.0f}, IM_COL32(255, 255, 255, 200), 2.0f);
        }
    });
    row("the GIL's holder, in its session's colour", [](ImDrawList* d, ImVec2 a, ImVec2 b) {
        const float inset = (b.y - a.y) * 0.28f;
        d->AddRectFilled({a.x, a.y + inset}, {b.x, b.y - inset}, session_colour(1));
    });
    row("threads waiting for the GIL", [](ImDrawList* d, ImVec2 a, ImVec2 b) {
        d->AddRectFilled(a, b, IM_COL32(230, 80, 70, 110));
    });
    ImGui::Spacing();
    ImGui::TextUnformatted("Task strip on a card, oldest first:");
    for (const auto& [state, name] : {std::pair{TaskState::queued, "queued"}, std::pair{TaskState::running, "running"},
                                      std::pair{TaskState::completed, "done"}, std::pair{TaskState::failed, "failed"},
                                      std::pair{TaskState::cancelled, "cancelled"}}) {
        if (state != TaskState::queued) {
            ImGui::SameLine(0.0f, unit * 0.6f);
        }
        const ImVec2 swatch = ImGui::GetCursorScreenPos();
        ImGui::GetWindowDrawList()->AddRectFilled({swatch.x, swatch.y + unit * 0.15f},
                                                  {swatch.x + unit * 0.8f, swatch.y + unit * 0.95f},
                                                  task_state_colour(state), 2.0f);
        ImGui::Dummy({unit * 0.8f, unit});
        ImGui::SameLine(0.0f, unit * 0.25f);
        ImGui::TextUnformatted(name);
    }
}

}  // namespace threadlab::ui
