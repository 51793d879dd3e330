#include "timeline_view.hpp"

#include <imgui.h>

#include <algorithm>
#include <map>
#include <string>

#include "format.hpp"
#include "palette.hpp"
#include "timeline_fold.hpp"

namespace threadlab::ui {

namespace {
constexpr ImU32 lane_background = IM_COL32(255, 255, 255, 14);
constexpr ImU32 contention_colour = IM_COL32(230, 80, 70, 90);
constexpr ImU32 folded_colour = IM_COL32(170, 170, 185, 255);
constexpr ImU32 no_session_colour = IM_COL32(150, 150, 160, 255);

float seconds_before(Clock::time_point end, Clock::time_point when) {
    return std::chrono::duration<float>(end - when).count();
}

ImU32 colour_for(SessionId session) { return session == 0 ? no_session_colour : session_colour(session); }

/// Maps a moment to an x position: `end` at x1, `end - window` at x0.
struct TimeAxis {
    float x0;
    float x1;
    Clock::time_point end;
    float window_seconds;
    float x(Clock::time_point when) const {
        const float t = 1.0f - seconds_before(end, when) / window_seconds;
        return x0 + std::clamp(t, 0.0f, 1.0f) * (x1 - x0);
    }
    Clock::time_point start() const {
        return end - std::chrono::duration_cast<Clock::duration>(std::chrono::duration<float>(window_seconds));
    }
};

/// A lane's row: geometry and time axis, with its label and background already drawn.
struct LaneRow {
    ImDrawList* draw;
    float unit;
    float height;
    float left;
    float top;
    float bottom;
    TimeAxis axis;
    Clock::time_point now;

    float text_y() const { return top + (height - unit) * 0.5f; }
    /// Reserves the row in the layout; call when done drawing.
    void finish() const { ImGui::Dummy({axis.x1 - left, height + 2.0f}); }
};

LaneRow begin_lane(const char* label, ImU32 label_colour, const TimeAxis& axis, Clock::time_point now) {
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float height = ImGui::GetFrameHeight();
    LaneRow row{ImGui::GetWindowDrawList(), ImGui::GetFontSize(), height, origin.x, origin.y, origin.y + height,
                axis, now};
    row.draw->AddText({row.left, row.text_y()}, label_colour, label);
    row.draw->AddRectFilled({axis.x0, row.top}, {axis.x1, row.bottom}, lane_background);
    return row;
}

void outcome_outline(ImDrawList* draw, ImVec2 min, ImVec2 max, const EventRecord& record) {
    if (record.outcome == Outcome::failed) {
        draw->AddRect(min, max, error_colour, 0.0f, 0, 2.5f);
    } else if (record.outcome == Outcome::cancelled) {
        draw->AddRect(min, max, task_state_colour(TaskState::cancelled), 0.0f, 0, 2.5f);
    }
}

void event_tooltip(const EventRecord& record, Clock::time_point now, bool task) {
    ImGui::BeginTooltip();
    if (task) {
        ImGui::TextColored(ImColor(colour_for(record.session)), "Session #%u, task %llu", record.session,
                           static_cast<unsigned long long>(record.id));
    } else {
        ImGui::TextColored(ImColor(colour_for(record.session)), "Session #%u, %s %u", record.session,
                           to_string(record.kind), record.ordinal);
    }
    ImGui::Text("queue wait  %s", format_duration(record.queue_wait()).c_str());
    ImGui::Text("run time    %s%s", format_duration(record.run_time(now)).c_str(),
                record.finished ? "" : " (running)");
    if (record.outcome) {
        ImGui::Text("outcome     %s", to_string(*record.outcome));
    }
    if (!record.error.empty()) {
        ImGui::TextColored(ImColor(error_colour), "%s", record.error.c_str());
    }
    ImGui::EndTooltip();
}
}  // namespace

void TimelineView::set_frozen(bool frozen) {
    if (frozen && !m_frozen) {
        m_frozen_at = Clock::now();
        m_scroll_back_seconds = 0.0f;
    }
    m_frozen = frozen;
}

void TimelineView::set_replay(const TraceData& data) {
    m_replay = true;
    m_frozen = true;
    m_lanes.clear();
    m_gil = {};
    if (data.spans.empty()) {
        m_frozen_at = data.origin;
        return;
    }
    // One lane per thread: pool workers by lane number, then runners by session.
    std::map<std::pair<int, std::uint32_t>, Lane> lanes;
    Clock::time_point first = data.spans.front().submitted;
    Clock::time_point last = data.spans.front().finished;
    for (const auto& span : data.spans) {
        const bool runner = span.kind == SpanKind::task;
        Lane& lane = lanes[{runner ? 1 : 0, runner ? span.session : span.lane}];
        lane.runner = runner;
        lane.label = runner ? "runner #" + std::to_string(span.session) : "worker " + std::to_string(span.lane);
        lane.state.recent.push_back({span.id, span.session, span.kind == SpanKind::periodic ? EventKind::periodic : EventKind::click,
                                     span.ordinal, span.submitted, span.started, span.finished, span.outcome, {}});
        first = std::min(first, span.submitted);
        last = std::max(last, span.finished);
    }
    for (auto& [key, lane] : lanes) {
        std::sort(lane.state.recent.begin(), lane.state.recent.end(),
                  [](const EventRecord& a, const EventRecord& b) { return a.started < b.started; });
        m_lanes.push_back(std::move(lane));
    }
    m_replay_seconds = std::chrono::duration<float>(last - first).count();
    m_window_seconds = std::clamp(m_replay_seconds * 1.05f, 1.0f, 30.0f);
    m_frozen_at = last;
    m_scroll_back_seconds = 0.0f;
}

void TimelineView::refresh(const World& world) {
    if (world.pool().lanes_version() != m_lanes_version) {
        m_lanes_version = world.pool().lanes_version();
        std::vector<Lane> lanes;
        for (auto& lane : world.pool().lanes()) {
            const auto old = std::find_if(m_lanes.begin(), m_lanes.end(),
                                          [&](const Lane& cached) { return cached.lane == lane; });
            lanes.push_back(old != m_lanes.end() ? std::move(*old) : Lane{lane, 0, {}, {}, false});
        }
        m_lanes = std::move(lanes);
    }
    for (auto& lane : m_lanes) {
        lane.lane->state().try_copy_if_changed(lane.state, lane.seen);
    }
    world.gil().history().try_copy_if_changed(m_gil, m_gil_seen);
}

void TimelineView::draw(const World& world, const CardAnchors& anchors) {
    if (!m_frozen) {
        refresh(world);
    }
    const float unit = ImGui::GetFontSize();
    const bool threaded = world.pool().stats().setting.threaded;

    // Controls: freeze / follow, and how far back to look while frozen (in a replay: scrub).
    if (!m_replay) {
        if (ImGui::Button(m_frozen ? "Follow live" : "Freeze view")) {
            set_frozen(!m_frozen);
        }
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("Freeze the timeline (the simulation keeps running) to inspect and scroll back;\n"
                              "follow live again to catch up. Shortcut: Space");
        }
        ImGui::SameLine();
    }
    ImGui::SetNextItemWidth(unit * 7.0f);
    ImGui::SliderFloat("##window", &m_window_seconds, 0.5f, 30.0f, "show %.1f s");
    if (m_frozen) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(unit * 16.0f);
        const float back_limit = m_replay ? std::max(m_replay_seconds, 0.1f) : 60.0f;
        ImGui::SliderFloat("##back", &m_scroll_back_seconds, 0.0f, back_limit,
                           m_replay ? "%.2f s before the end" : "%.1f s back");
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("Drag to scrub through the recorded history");
        }
        if (!m_replay) {
            ImGui::SameLine();
            ImGui::TextColored(ImColor(task_state_colour(TaskState::cancelled)), "frozen");
        }
    }

    const Clock::time_point end =
        m_frozen ? m_frozen_at - std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<float>(m_scroll_back_seconds))
                 : Clock::now();
    const float label_width = unit * 9.0f;
    const float x0 = ImGui::GetCursorScreenPos().x + label_width;
    const float x1 = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x - unit * 0.5f;

    draw_axis(x0, x1);
    for (const auto& lane : m_lanes) {
        draw_lane(lane, threaded, x0, x1, end, anchors);
    }
    if (world.gil().enabled() || !m_gil.holds.empty()) {
        draw_gil_lane(x0, x1, end);
    }

    // Latency of the events that finished inside the window.
    std::vector<Clock::duration> waits;
    std::vector<Clock::duration> runs;
    const TimeAxis axis{x0, x1, end, m_window_seconds};
    for (const auto& lane : m_lanes) {
        for (const auto& record : lane.state.recent) {
            if (record.finished && *record.finished >= axis.start() && *record.finished <= end) {
                waits.push_back(record.queue_wait());
                runs.push_back(record.run_time(end));
            }
        }
    }
    m_queue_wait = summarize(waits);
    m_run_time = summarize(runs);
    bool running = false;
    for (const auto& lane : m_lanes) {
        running = running || lane.state.running.has_value();
    }
    const bool gil_visible = !m_gil.holds.empty() && m_gil.holds.back().end.value_or(end) >= axis.start();
    m_moving = !m_frozen && (running || !waits.empty() || gil_visible);
}

void TimelineView::draw_axis(float x0, float x1) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float height = ImGui::GetTextLineHeight();
    const int step = m_window_seconds > 15.0f ? 5 : (m_window_seconds > 4.0f ? 2 : 1);
    for (int s = 0; s <= static_cast<int>(m_window_seconds); s += step) {
        const float x = x1 - (x1 - x0) * static_cast<float>(s) / m_window_seconds;
        const std::string label = s == 0 ? (m_frozen ? "end" : "now") : "-" + std::to_string(s) + " s";
        const float text_width = ImGui::CalcTextSize(label.c_str()).x;
        draw->AddText({std::clamp(x - text_width * 0.5f, x0, x1 - text_width), origin.y}, muted_text_colour,
                      label.c_str());
        draw->AddLine({x, origin.y + height}, {x, origin.y + height + 4.0f}, muted_text_colour);
    }
    ImGui::Dummy({x1 - origin.x, height + 4.0f});
}

void TimelineView::draw_lane(const Lane& lane, bool threaded, float x0, float x1, Clock::time_point end,
                             const CardAnchors& anchors) {
    // Label: which thread, and whether it is leaving.
    const std::string name = !lane.label.empty() ? lane.label
                             : threaded          ? "worker " + std::to_string(lane.lane->index())
                                                 : "event loop";
    const LaneRow row = begin_lane(name.c_str(), IM_COL32(230, 230, 235, 255), {x0, x1, end, m_window_seconds},
                                   m_frozen ? m_frozen_at : Clock::now());
    const auto& [draw, unit, height, left, top, bottom, axis, now] = row;
    if (lane.lane && lane.lane->retiring()) {
        draw->AddText({left + ImGui::CalcTextSize(name.c_str()).x + unit * 0.4f, row.text_y()},
                      task_state_colour(TaskState::cancelled), "retiring");
    }

    // Bars: finished events in the window, then the running one.
    std::vector<const EventRecord*> records;
    std::vector<PixelSpan> spans;
    for (const auto& record : lane.state.recent) {
        if (record.finished && *record.finished >= axis.start() && record.started <= end) {
            records.push_back(&record);
            spans.push_back({axis.x(record.started), axis.x(*record.finished), record.session});
        }
    }
    if (lane.state.running && lane.state.running->started <= end) {
        records.push_back(&*lane.state.running);
        spans.push_back({axis.x(lane.state.running->started), axis.x(std::min(now, end)), lane.state.running->session});
    }
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const bool mouse_in_lane = mouse.y >= top && mouse.y < bottom && mouse.x >= x0 && mouse.x <= x1;
    for (const auto& block : fold_spans(spans, 3.0f)) {
        const ImVec2 min{block.x0, top + 2.0f};
        const ImVec2 max{block.x1, bottom - 2.0f};
        if (block.count == 1) {
            const EventRecord& record = *records[block.first];
            draw->AddRectFilled(min, max, colour_for(record.session), 2.0f);
            outcome_outline(draw, min, max, record);
            if (mouse_in_lane && mouse.x >= min.x && mouse.x <= max.x) {
                event_tooltip(record, now, lane.runner);
            }
        } else {
            draw->AddRectFilled(min, max, block.mixed ? folded_colour : colour_for(block.key), 0.0f);
            for (float x = min.x + 3.0f; x < max.x; x += 6.0f) {  // hatching marks a folded block
                draw->AddLine({x, min.y}, {x, max.y}, IM_COL32(0, 0, 0, 90));
            }
            const std::string count = std::to_string(block.count);
            if (ImGui::CalcTextSize(count.c_str()).x + 4.0f < max.x - min.x) {
                draw->AddText({min.x + 2.0f, row.text_y()}, IM_COL32(0, 0, 0, 255), count.c_str());
            }
            if (mouse_in_lane && mouse.x >= min.x && mouse.x <= max.x) {
                ImGui::SetTooltip("%zu events, each too short to draw on its own at this zoom.\n"
                                  "Freeze the view or shorten the window to see them one by one.",
                                  block.count);
            }
        }
    }

    // A line from the card whose click this worker is running, to the bar, while it runs.
    if (!m_frozen && lane.state.running && lane.state.running->kind == EventKind::click) {
        const auto anchor = anchors.find(lane.state.running->session);
        if (anchor != anchors.end()) {
            const float bar_x = axis.x(now);
            ImU32 colour = colour_for(lane.state.running->session);
            colour = (colour & 0x00FFFFFFu) | (170u << 24);
            ImGui::GetForegroundDrawList()->AddLine({anchor->second.first, anchor->second.second},
                                                    {bar_x, bottom - 2.0f}, colour, 2.0f);
            ImGui::GetForegroundDrawList()->AddCircleFilled({bar_x, bottom - 2.0f}, 4.0f, colour);
        }
    }
    row.finish();
}

void TimelineView::draw_gil_lane(float x0, float x1, Clock::time_point end) {
    const LaneRow row = begin_lane("GIL holder", task_state_colour(TaskState::cancelled),
                                   {x0, x1, end, m_window_seconds}, m_frozen ? m_frozen_at : Clock::now());
    const auto& [draw, unit, height, left, top, bottom, axis, now] = row;
    for (const auto& wait : m_gil.contention) {
        const auto wait_end = wait.end.value_or(now);
        if (wait_end >= axis.start() && wait.start <= end) {
            draw->AddRectFilled({axis.x(wait.start), top}, {axis.x(std::min(wait_end, end)), bottom}, contention_colour);
        }
    }
    std::vector<PixelSpan> spans;
    for (const auto& hold : m_gil.holds) {
        const auto hold_end = hold.end.value_or(now);
        if (hold_end >= axis.start() && hold.start <= end) {
            spans.push_back({axis.x(hold.start), axis.x(std::min(hold_end, end)), hold.session});
        }
    }
    for (const auto& block : fold_spans(spans, 2.0f)) {
        draw->AddRectFilled({block.x0, top + height * 0.3f}, {block.x1, bottom - height * 0.3f},
                            block.mixed ? folded_colour : colour_for(block.key));
    }
    // At this zoom 5 ms slices blur: say in words who holds it now and how many wait.
    if (!m_frozen && !m_gil.holds.empty() && !m_gil.holds.back().end) {
        const SessionId holder = m_gil.holds.back().session;
        std::string now_text = holder == 0 ? "held" : "held by #" + std::to_string(holder);
        const ImVec2 size = ImGui::CalcTextSize(now_text.c_str());
        const float text_x = x1 - size.x - unit * 0.3f;
        draw->AddRectFilled({text_x - unit * 0.2f, top + 1.0f}, {x1, bottom - 1.0f}, IM_COL32(0, 0, 0, 200));
        draw->AddText({text_x, row.text_y()}, colour_for(holder), now_text.c_str());
    }
    if (ImGui::IsMouseHoveringRect({x0, top}, {x1, bottom})) {
        ImGui::SetTooltip("Who holds the simulated GIL, in the session's colour (grey: several in a blur).\n"
                          "Red background: threads are waiting for it. Compute work cannot run in parallel\n"
                          "while it is on: threads hand it over every 5 ms.");
    }
    row.finish();
}

}  // namespace threadlab::ui
