#include "dashboard.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "format.hpp"
#include "palette.hpp"


namespace threadlab::ui {

void Dashboard::show_replay(const TraceData& data, std::string source) {
    m_replay_source = std::move(source);
    m_replay_title = data.title;
    m_replay_spans = data.spans.size();
    m_timeline.set_replay(data);
}

void Dashboard::leave_replay() {
    m_timeline = TimelineView{};  // the live lanes are built afresh from the World
    m_replay_source.clear();
    m_replay_title.clear();
    m_replay_spans = 0;
}

void Dashboard::show_notice(std::string text, bool failed) {
    m_status.show_notice(std::move(text), failed);
}

void Dashboard::draw_replay() {
    if (ImGui::Button("Back to live")) {
        leave_replay();
    }
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("Close the recorded trace and show the running sessions again.");
    }
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(ImColor(230, 159, 0), "Replay");
    ImGui::SameLine();
    // Wrapped: a long path must not run off a projector's 1280 pixels.
    ImGui::TextWrapped("of \"%s\" from %s: %zu tasks and events, read-only.", m_replay_title.c_str(),
                       m_replay_source.c_str(), m_replay_spans);
    ImGui::TextWrapped("Play it back (at a speed you choose) or drag the slider to scrub; widen or narrow the view; hover a bar for its session, queue "
                       "wait and run time. Queue wait p50/p99 %s / %s, run time p50/p99 %s / %s in the view.",
                       format_duration(m_timeline.queue_wait().p50).c_str(),
                       format_duration(m_timeline.queue_wait().p99).c_str(),
                       format_duration(m_timeline.run_time().p50).c_str(),
                       format_duration(m_timeline.run_time().p99).c_str());
    ImGui::Separator();
}

void Dashboard::apply_speed(World& world) {
    if (!m_controls.speed) {
        m_controls.speed = 1.0 / world.time().get();
    }
    m_lessons.advance(world, *m_controls.speed);
    // A lesson runs at its own pace divided by the presenter's speed; otherwise the speed alone.
    const double wanted = std::clamp(m_lessons.time_scale().value_or(1.0 / *m_controls.speed), TimeScale::min_scale,
                                     TimeScale::max_scale);
    if (std::abs(wanted - world.time().get()) > 1e-9 * wanted) {
        world.set_time_scale(wanted);
    }
    if (const auto since = m_lessons.started_at()) {
        m_timeline.start_from(*since, m_lessons.ended_at());
    }
    m_timeline.set_markers(m_lessons.markers(world), m_lessons.asks_about_durations());
}

void Dashboard::draw(World& world, const std::vector<KeyPress>& presses) {
    if (m_timeline.replaying()) {
        const ImGuiViewport* viewport = ImGui::GetMainViewport();
        ImGui::SetNextWindowPos(viewport->WorkPos);
        ImGui::SetNextWindowSize(viewport->WorkSize);
        ImGui::Begin("ThreadLab replay", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
        draw_replay();
        m_timeline.draw(world, ImGui::GetContentRegionAvail().y);
        ImGui::End();
        (void)presses;
        return;
    }
    m_theme.fit_display(ImGui::GetIO().DisplaySize.y);
    const bool input = !presses.empty() || ImGui::IsMouseClicked(ImGuiMouseButton_Left);
    if (input || m_lessons_open) {
        m_newcomer = false;
    }
    handle_shortcuts(presses, ImGui::GetIO().WantTextInput,
                     {world, m_controls, m_theme, m_timeline, m_help_open, m_lessons_open});
    apply_speed(world);
    world.expire_closed_tabs(Clock::now());  // the server's unused-session check (World::close_tab)

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

    // Toolbar and status line.
    m_toolbar.draw(world, m_controls, m_theme, m_help_open, m_lessons_open);
    // One look at the export per frame: beside the toolbar and floating, the line says the same.
    const TraceExport::Status exported = m_toolbar.export_status();
    m_status.draw_beside_toolbar(world, exported, m_newcomer);
    ImGui::Separator();

    // The views, and beside them the lesson stage when a lesson is open.
    const bool stage = m_lessons_open;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float stage_width = stage ? std::clamp(avail.x * 0.36f, unit * 20.0f, unit * 34.0f) : 0.0f;
    const ImVec2 views_min = ImGui::GetCursorScreenPos();
    const ImVec2 views_size{std::max(unit * 12.0f, stage ? avail.x - stage_width - spacing : avail.x), avail.y};
    ImGui::BeginChild("##views", views_size, false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    draw_views(world, stage);
    ImGui::EndChild();
    if (stage) {
        ImGui::SameLine();
        ImGui::BeginChild("##stage", {0, avail.y}, true);
        m_lessons.draw(world, m_lessons_open);
        ImGui::EndChild();
    }

    // The lines from cards to the lanes running their clicks: drawn last, over the views only.
    ImGui::SetCursorScreenPos(views_min);
    ImGui::BeginChild("##click-lines", views_size, false,
                      ImGuiWindowFlags_NoInputs | ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoScrollbar);
    m_timeline.draw_click_lines(m_anchors);
    ImGui::EndChild();

    ImGui::End();
    m_status.draw_floating(world, exported, m_newcomer, {views_min.x + views_size.x, views_min.y}, input);
    draw_help_overlay(m_help_open);
}

void Dashboard::draw_views(World& world, bool stage) {
    const float unit = ImGui::GetFontSize();
    const float full_height = ImGui::GetContentRegionAvail().y;
    // Plots only where they leave room for the lanes and a row of cards.
    m_pool.draw(world, m_timeline.queue_wait(), m_timeline.run_time(), !stage && full_height > unit * 34.0f);

    // The timeline takes what it needs (its lanes are what a demo or a lesson is about), but always
    // leaves the top of a row of cards below it: who, the actions and the queue; the cards scroll
    // for the rest. Where the lanes need less, the cards get the room.
    const float cards_height = SessionGridView::top_height() + ImGui::GetFrameHeightWithSpacing();
    const float timeline_budget = std::max(unit * 5.0f, ImGui::GetContentRegionAvail().y - cards_height);
    m_timeline.draw(world, timeline_budget);
    ImGui::Separator();

    // Sessions, beside the log unless the lesson stage takes that room.
    m_anchors.clear();
    if (stage) {
        ImGui::BeginChild("sessions", {0, 0});
        m_sessions.draw(world, m_controls, m_anchors);
        ImGui::EndChild();
        return;
    }
    const float log_width = std::max(unit * 22.0f, ImGui::GetContentRegionAvail().x * 0.3f);
    ImGui::BeginChild("sessions", {ImGui::GetContentRegionAvail().x - log_width - ImGui::GetStyle().ItemSpacing.x, 0});
    m_sessions.draw(world, m_controls, m_anchors);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("log", {0, 0});
    m_log.draw(world);
    ImGui::EndChild();
}

}  // namespace threadlab::ui
