#include "session_list_view.hpp"

#include <imgui.h>

#include <string>

#include "palette.hpp"

namespace threadlab::ui {

namespace {
void history_strip(const SessionState& state, float height) {
    // One small square per recent task, oldest on the left, coloured by its state.
    const float size = height * 0.6f;
    const float gap = size * 0.25f;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float top = origin.y + (height - size) * 0.5f;
    const std::size_t shown = std::min<std::size_t>(state.history.size(), 16);
    float x = origin.x;
    for (std::size_t i = state.history.size() - shown; i < state.history.size(); ++i) {
        draw->AddRectFilled({x, top}, {x + size, top + size}, task_state_colour(state.history[i].state), 2.0f);
        x += size + gap;
    }
    ImGui::Dummy({16 * (size + gap), height});
    if (ImGui::IsItemHovered() && !state.history.empty()) {
        ImGui::SetTooltip("Recent tasks, oldest first: grey queued, blue running, green done, red failed, "
                          "orange cancelled");
    }
}
}  // namespace

const SessionState& SessionListView::state_of(const Session& session) {
    auto& cached = m_cache[session.id()];
    session.state().copy_if_changed(cached.state, cached.seen_version);
    return cached.state;
}

void SessionListView::draw(World& world, const WorkControls& controls) {
    if (world.sessions_version() != m_sessions_version) {
        m_sessions_version = world.sessions_version();
        m_sessions = world.sessions();
        std::erase_if(m_cache, [&](const auto& item) {
            return std::none_of(m_sessions.begin(), m_sessions.end(),
                                [&](const auto& session) { return session->id() == item.first; });
        });
    }
    const auto stopping = world.stopping_sessions();
    ImGui::Text("%zu sessions", m_sessions.size());
    if (!stopping.empty()) {
        ImGui::SameLine();
        ImGui::TextColored(ImColor(task_state_colour(TaskState::cancelled)), "(%zu stopping: joining their threads)",
                           stopping.size());
    }
    if (m_sessions.empty()) {
        ImGui::TextColored(ImColor(muted_text_colour), "No sessions yet: press \"Add session\".");
        return;
    }

    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                  ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp |
                                  ImGuiTableFlags_Resizable;
    if (!ImGui::BeginTable("sessions", 8, flags)) {
        return;
    }
    const float unit = ImGui::GetFontSize();
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Session", ImGuiTableColumnFlags_WidthFixed, unit * 8.5f);
    ImGui::TableSetupColumn("Status", ImGuiTableColumnFlags_WidthFixed, unit * 13.0f);
    ImGui::TableSetupColumn("Queued", ImGuiTableColumnFlags_WidthFixed, unit * 4.0f);
    ImGui::TableSetupColumn("Progress", ImGuiTableColumnFlags_WidthFixed, unit * 7.0f);
    ImGui::TableSetupColumn("Last result", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("Tasks / clicks", ImGuiTableColumnFlags_WidthFixed, unit * 9.0f);
    ImGui::TableSetupColumn("History", ImGuiTableColumnFlags_WidthFixed, unit * 10.0f);
    ImGui::TableSetupColumn("Actions", ImGuiTableColumnFlags_WidthFixed, unit * 17.0f);
    ImGui::TableHeadersRow();

    const auto now = Clock::now();
    const float row_height = ImGui::GetFrameHeightWithSpacing();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(m_sessions.size()), row_height);
    std::optional<SessionId> to_destroy;
    while (clipper.Step()) {
        for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            const Session& session = *m_sessions[static_cast<std::size_t>(row)];
            const SessionState& state = state_of(session);
            const auto tasks = session.task_counts();
            const auto events = session.event_counts();
            ImGui::PushID(static_cast<int>(session.id()));
            ImGui::TableNextRow(ImGuiTableRowFlags_None, row_height);

            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextColored(ImColor(session_colour(session.id())), "#%u", session.id());
            ImGui::SameLine();
            ImGui::TextColored(ImColor(muted_text_colour), "tid %d", session.thread_id());

            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(state.status.c_str());

            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::Text("%llu", static_cast<unsigned long long>(tasks.queued));

            ImGui::TableNextColumn();
            const float progress = static_cast<float>(session.progress(now));
            ImGui::PushStyleColor(ImGuiCol_PlotHistogram, task_state_colour(TaskState::running));
            ImGui::ProgressBar(progress, {-1.0f, 0.0f}, state.running_task ? nullptr : "idle");
            ImGui::PopStyleColor();

            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            if (state.value.empty()) {
                ImGui::TextColored(ImColor(muted_text_colour), "none yet");
            } else if (state.value_is_error) {
                ImGui::TextColored(ImColor(error_colour), "%s", state.value.c_str());
            } else {
                ImGui::TextUnformatted(state.value.c_str());
            }

            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::Text("%llu / %llu done", static_cast<unsigned long long>(tasks.completed),
                        static_cast<unsigned long long>(events.completed));
            if (ImGui::IsItemHovered()) {
                ImGui::SetTooltip("Runner tasks: %llu submitted, %llu completed, %llu failed, %llu cancelled\n"
                                  "Pool events:  %llu submitted, %llu completed, %llu failed, %llu cancelled",
                                  static_cast<unsigned long long>(tasks.submitted),
                                  static_cast<unsigned long long>(tasks.completed),
                                  static_cast<unsigned long long>(tasks.failed),
                                  static_cast<unsigned long long>(tasks.cancelled),
                                  static_cast<unsigned long long>(events.submitted),
                                  static_cast<unsigned long long>(events.completed),
                                  static_cast<unsigned long long>(events.failed),
                                  static_cast<unsigned long long>(events.cancelled));
            }

            ImGui::TableNextColumn();
            history_strip(state, ImGui::GetFrameHeight());

            ImGui::TableNextColumn();
            if (ImGui::SmallButton("Add task")) {
                world.add_task(session.id(), controls.work);
            }
            ImGui::SameLine();
            if (ImGui::SmallButton("Click me")) {
                world.click(session.id(), controls.work);
            }
            ImGui::SameLine();
            ImGui::BeginDisabled(!state.running_task);
            if (ImGui::SmallButton("Cancel") && state.running_task) {
                world.cancel_task(session.id(), *state.running_task);
            }
            ImGui::EndDisabled();
            ImGui::SameLine();
            if (ImGui::SmallButton("Destroy")) {
                to_destroy = session.id();
            }
            ImGui::PopID();
        }
    }
    ImGui::EndTable();
    if (to_destroy) {
        world.destroy_session(*to_destroy);
    }
}

}  // namespace threadlab::ui
