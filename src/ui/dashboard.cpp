#include "dashboard.hpp"

#include <imgui.h>

#include <algorithm>

#include "format.hpp"


namespace threadlab::ui {

void Dashboard::show_replay(const TraceData& data, std::string source) {
    m_replay_source = std::move(source);
    m_replay_title = data.title;
    m_replay_spans = data.spans.size();
    m_timeline.set_replay(data);
}

void Dashboard::draw_replay() {
    ImGui::TextColored(ImColor(230, 159, 0), "Replay");
    ImGui::SameLine();
    ImGui::Text("of \"%s\" from %s: %zu tasks and events, read-only.", m_replay_title.c_str(),
                m_replay_source.c_str(), m_replay_spans);
    ImGui::TextWrapped("Drag the slider to scrub, widen or narrow the view, hover a bar for its session, queue "
                       "wait and run time. Queue wait p50/p99 %s / %s, run time p50/p99 %s / %s in the view.",
                       format_duration(m_timeline.queue_wait().p50).c_str(),
                       format_duration(m_timeline.queue_wait().p99).c_str(),
                       format_duration(m_timeline.run_time().p50).c_str(),
                       format_duration(m_timeline.run_time().p99).c_str());
    ImGui::Separator();
}

void Dashboard::draw(World& world, const std::vector<KeyPress>& presses) {
    if (m_timeline.replaying()) {
        const ImGuiViewport* viewport = ImGui::GetMainViewport();
        ImGui::SetNextWindowPos(viewport->WorkPos);
        ImGui::SetNextWindowSize(viewport->WorkSize);
        ImGui::Begin("ThreadLab replay", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
        draw_replay();
        m_timeline.draw(world, m_anchors);
        ImGui::End();
        (void)presses;
        return;
    }
    handle_shortcuts(presses, ImGui::GetIO().WantTextInput,
                     {world, m_controls, m_theme, m_timeline, m_help_open, m_lessons_open});
    m_lessons.advance(world);

    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->WorkPos);
    ImGui::SetNextWindowSize(viewport->WorkSize);
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
    if (!ImGui::Begin("ThreadLab", nullptr, flags)) {
        ImGui::End();
        return;
    }
    const float unit = ImGui::GetFontSize();

    // Toolbar.
    m_toolbar.draw(world, m_controls, m_theme, m_help_open, m_lessons_open);
    ImGui::Separator();
    m_refusals.draw(world);

    // The event pool: numbers and plots, then the timeline. The anchors of last frame's cards
    // are used for the click lines (the cards are drawn below, after the lanes).
    if (ImGui::CollapsingHeader("Event pool: the global thread pool that runs every session's clicks",
                                ImGuiTreeNodeFlags_DefaultOpen)) {
        m_pool.draw(world, m_timeline.queue_wait(), m_timeline.run_time());
        m_timeline.draw(world, m_anchors);
    }
    ImGui::Separator();

    // Sessions beside the log.
    m_anchors.clear();
    const float log_width = std::max(unit * 22.0f, ImGui::GetContentRegionAvail().x * 0.3f);
    ImGui::BeginChild("sessions", {ImGui::GetContentRegionAvail().x - log_width - ImGui::GetStyle().ItemSpacing.x, 0});
    m_sessions.draw(world, m_controls, m_anchors);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("log", {0, 0});
    m_log.draw(world);
    ImGui::EndChild();

    ImGui::End();
    m_lessons.draw(world, m_lessons_open);
    draw_help_overlay(m_help_open);
}

}  // namespace threadlab::ui
