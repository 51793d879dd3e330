#include "pool_view.hpp"

#include <imgui.h>

#include "palette.hpp"

namespace threadlab::ui {

void PoolView::draw(const World& world) {
    const auto stats = world.pool().stats();
    const auto& events = stats.events;
    ImGui::Text("Event pool: %s", stats.setting.describe().c_str());
    ImGui::SameLine();
    ImGui::TextColored(ImColor(muted_text_colour),
                       "target %u  live %u  busy %u  retiring %u  |  queued %llu  running %llu  completed %llu  "
                       "failed %llu  cancelled %llu",
                       stats.target, stats.live, stats.busy, stats.retiring,
                       static_cast<unsigned long long>(events.queued), static_cast<unsigned long long>(events.running),
                       static_cast<unsigned long long>(events.completed),
                       static_cast<unsigned long long>(events.failed),
                       static_cast<unsigned long long>(events.cancelled));
    if (world.gil().enabled()) {
        ImGui::SameLine();
        ImGui::TextColored(ImColor(task_state_colour(TaskState::cancelled)), "| GIL on, %d waiting",
                           world.gil().waiting());
    }

    const auto now = Clock::now();
    const float unit = ImGui::GetFontSize();
    for (const auto& lane : world.pool().lanes()) {
        const auto state = lane->state().copy();
        ImGui::PushID(static_cast<int>(lane->index()));
        // Every lane is one frame high, busy or idle, so nothing below jumps as work starts.
        ImGui::AlignTextToFramePadding();
        ImGui::TextColored(ImColor(muted_text_colour), "%s %2u", stats.setting.threaded ? "worker" : "event loop",
                           lane->index());
        ImGui::SameLine(unit * 6.5f);
        if (state.running) {
            const auto& event = *state.running;
            ImGui::TextColored(ImColor(session_colour(event.session)), "#%u %s %u", event.session,
                               to_string(event.kind), event.ordinal);
            ImGui::SameLine(unit * 14.0f);
            ImGui::PushStyleColor(ImGuiCol_PlotHistogram, session_colour(event.session));
            ImGui::ProgressBar(static_cast<float>(lane->progress().fraction(now)), {unit * 10.0f, 0.0f});
            ImGui::PopStyleColor();
        } else {
            ImGui::TextColored(ImColor(muted_text_colour), "idle");
            ImGui::SameLine();
            ImGui::Dummy({0.0f, ImGui::GetFrameHeight()});
        }
        if (lane->retiring()) {
            ImGui::SameLine();
            ImGui::TextColored(ImColor(task_state_colour(TaskState::cancelled)), "retiring after this event");
        }
        ImGui::PopID();
    }
}

}  // namespace threadlab::ui
