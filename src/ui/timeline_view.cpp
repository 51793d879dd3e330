#include "timeline_view.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "colour_key.hpp"
#include "format.hpp"
#include "palette.hpp"
#include "timeline_awaits.hpp"
#include "timeline_fold.hpp"
#include "timeline_groups.hpp"

namespace threadlab::ui {

namespace {
constexpr ImU32 lane_background = IM_COL32(255, 255, 255, 16);
constexpr ImU32 gone_lane_background = IM_COL32(255, 255, 255, 6);
constexpr ImU32 contention_colour = IM_COL32(230, 80, 70, 110);
constexpr ImU32 folded_colour = IM_COL32(170, 170, 185, 255);
constexpr ImU32 no_session_colour = IM_COL32(150, 150, 160, 255);
constexpr ImU32 bar_outline = IM_COL32(0, 0, 0, 200);
constexpr ImU32 header_colour = IM_COL32(200, 200, 210, 255);
constexpr ImU32 leaked_colour = IM_COL32(240, 90, 80, 255);
constexpr std::array<float, 5> replay_speeds = {0.25f, 0.5f, 1.0f, 2.0f, 4.0f};

ImU32 colour_for(SessionId session) { return session == 0 ? no_session_colour : session_colour(session); }

ImU32 with_alpha(ImU32 colour, unsigned alpha) { return (colour & ~IM_COL32_A_MASK) | (alpha << IM_COL32_A_SHIFT); }

Clock::duration seconds(float value) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<float>(value));
}

/// Maps a moment to an x position: `end` at x1, `end - window` at x0.
struct TimeAxis {
    float x0;
    float x1;
    Clock::time_point end;
    float window_seconds;
    float x(Clock::time_point when) const {
        const float before = std::chrono::duration<float>(end - when).count();
        return x0 + std::clamp(1.0f - before / window_seconds, 0.0f, 1.0f) * (x1 - x0);
    }
    Clock::time_point start() const { return end - seconds(window_seconds); }
};

const char* mark_tip(LaneMark mark) {
    switch (mark) {
        case LaneMark::none: return nullptr;
        case LaneMark::retiring: return "This worker leaves after its current event: the pool shrank.";
        case LaneMark::retired: return "This worker has left the pool; its lane stays until its last bar scrolls away.";
        case LaneMark::stopping: return "The session was destroyed; its runner thread is stopping.";
        case LaneMark::draining:
            return "The session was destroyed as the seed's stop() does it: a flag and a wake-up. The runner\n"
                   "finishes its running task and every queued one before it looks at the flag, then ends.";
        case LaneMark::ended: return "The session was destroyed and its runner thread has ended.";
        case LaneMark::exited:
            return "This process has left: its executor was replaced (a lesson or scenario starts a fresh one)\n"
                   "or shut down. Its lane stays until its last bar scrolls away.";
        case LaneMark::leaked:
            return "The session was destroyed but nobody stopped its runner (on_session_destroyed was\n"
                   "forgotten): the thread lives on, waiting for tasks that will never come.";
        case LaneMark::died:
            return "This runner thread died on a failing task, as the seed's code is written (it sets\n"
                   "`self.value = ex` outside param.edit_constant, which raises TypeError). The session\n"
                   "lives on; its queued tasks never run.";
    }
    return nullptr;
}

const char* group_title(LaneGroup group, bool threaded) {
    switch (group) {
        case LaneGroup::loop:
            return threaded ? "Event loop (async, next-tick callbacks)" : "Event loop (threading off: every event)";
        case LaneGroup::pool: return threaded ? "Event pool" : "Event pool (threading off: retired workers)";
        case LaneGroup::processes: return "Processes (your ProcessPoolExecutor)";
        case LaneGroup::runners: return "Session runners";
        case LaneGroup::leaked: return "Leaked runners";
    }
    return "";
}

const char* group_tip(LaneGroup group) {
    switch (group) {
        case LaneGroup::loop:
            return "The server's one asyncio/Tornado event loop. Async callbacks (coroutines) always run here,\n"
                   "with or without nthreads: a step holds the loop until its next await; while it awaits\n"
                   "(the dashed line below) the loop is free for other callbacks. With threading off every\n"
                   "click and periodic call runs here too, one after another.\n"
                   "A worker thread may not touch the page: each widget value it sets comes here as a\n"
                   "next_tick callback that takes the session's document lock, applies it and sends it\n"
                   "(hold() in a worker adds one unhold callback that releases them; it does not merge them).";
        case LaneGroup::pool:
            return "Panel's automatic threading: the global pool's worker threads run every session's\n"
                   "plain (sync) clicks and periodic callbacks. Threading off: no worker, the event loop runs them.";
        case LaneGroup::processes:
            return "Not Panel's: the process pool your own code makes (concurrent.futures.ProcessPoolExecutor)\n"
                   "for CPU-bound Python. Each process has its own interpreter and its own GIL, so jobs run in\n"
                   "parallel; each process first starts up (striped), and the caller pickles the arguments and\n"
                   "unpickles the result under its GIL. `panel serve --num-procs` is different: whole servers.";
        case LaneGroup::runners:
            return "Panel's manual threading: each session's own task-runner thread, working through\n"
                   "its FIFO queue; idle while it waits for a task.";
        case LaneGroup::leaked:
            return "Runner threads of destroyed sessions that nobody stopped: still alive, still using memory.";
    }
    return "";
}

/// The label inside a bar: the longest that fits of "#3 click 2", "click 2", "#3" (pool events,
/// whose lanes mix sessions) or "task 2", "2" (a runner's lane is its session's).
std::string bar_label(const Bar& bar, bool show_session, float width) {
    const float room = width - ImGui::GetFontSize() * 0.4f;
    // Most bars are too narrow for any text: measure the shortest label first and stop there.
    const std::string number = std::to_string(bar.number);
    const bool with_session = show_session && bar.session != 0;
    const std::string shortest = with_session ? "#" + std::to_string(bar.session) : number;
    const auto fits = [&](const std::string& text) { return ImGui::CalcTextSize(text.c_str()).x <= room; };
    if (!fits(shortest)) {
        return {};
    }
    const std::string what = std::string(bar.kind) + " " + number +
                             (bar.steps > 0 ? " · " + std::to_string(bar.step) + "/" + std::to_string(bar.steps) : "");
    if (with_session) {
        std::string both = shortest + " " + what;
        return fits(both) ? both : fits(what) ? what : shortest;
    }
    return fits(what) ? what : shortest;
}

void bar_tooltip(const Bar& bar, Clock::time_point now) {
    ImGui::BeginTooltip();
    ImGui::TextColored(ImColor(colour_for(bar.session)), "Session #%u, %s %llu", bar.session, bar.kind,
                       static_cast<unsigned long long>(bar.number));
    if (bar.steps > 0) {
        ImGui::Text("async: step %u of %u (from %s, to its next await)", bar.step, bar.steps,
                    bar.step == 1 ? "its start" : "where its await ended");
    }
    ImGui::Text("queue wait  %s", format_duration(bar.queue_wait()).c_str());
    ImGui::Text("run time    %s%s", format_duration(bar.run_time(now)).c_str(), bar.finished ? "" : " (running)");
    if (bar.outcome) {
        ImGui::Text("outcome     %s", to_string(*bar.outcome));
    }
    if (!bar.error.empty()) {
        ImGui::TextColored(ImColor(error_colour), "%s", bar.error.c_str());
    }
    ImGui::EndTooltip();
}

/// A mark ("retired", "LEAKED") at the right end of a lane, on a dark box so it reads over bars.
void draw_mark(ImDrawList* draw, LaneMark mark, float x1, float top, float bottom) {
    const char* text = to_string(mark);
    const ImVec2 size = ImGui::CalcTextSize(text);
    const float pad = ImGui::GetFontSize() * 0.3f;
    const ImVec2 min{x1 - size.x - 2.0f * pad, top + 1.0f};
    draw->AddRectFilled(min, {x1, bottom - 1.0f}, IM_COL32(0, 0, 0, 210), 3.0f);
    const ImU32 colour = mark == LaneMark::leaked || mark == LaneMark::died        ? leaked_colour
                         : mark == LaneMark::retiring || mark == LaneMark::stopping || mark == LaneMark::draining
                             ? task_state_colour(TaskState::cancelled)
                                                                                    : muted_text_colour;
    draw->AddText({min.x + pad, top + (bottom - top - size.y) * 0.5f}, colour, text);
}
}  // namespace

void TimelineView::start_from(Clock::time_point since, std::optional<Clock::time_point> ended) {
    if (since != m_since) {
        m_fit_since = true;
    }
    m_since = since;
    m_since_ended = ended;
}

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
    m_gil = {};
    m_lanes.load_trace(data);
    if (data.spans.empty()) {
        m_frozen_at = data.origin;
        return;
    }
    Clock::time_point first = data.spans.front().submitted;
    Clock::time_point last = data.spans.front().finished;
    for (const auto& span : data.spans) {
        first = std::min(first, span.submitted);
        last = std::max(last, span.finished);
    }
    m_replay_seconds = std::chrono::duration<float>(last - first).count();
    m_window_seconds = std::clamp(m_replay_seconds * 1.05f, 1.0f, 30.0f);
    m_frozen_at = last;
    m_scroll_back_seconds = 0.0f;
}

void TimelineView::draw_controls() {
    const float unit = ImGui::GetFontSize();
    const float control_width = unit * 7.0f;  // Freeze view, and the window's slider
    const float key_gap = unit * 1.5f;
    const float legend_width = unit * 18.0f;
    if (ImGui::GetCursorPosX() > ImGui::GetCursorStartPos().x + 1.0f) {
        // The line above left room (the pool's compact numbers): the controls and the colour key
        // go on beside them where they all fit, which leaves the lanes a line more.
        const float controls_width = 2.0f * control_width + key_gap + legend_width + unit;
        if (ImGui::GetContentRegionAvail().x < controls_width + unit * 1.5f) {
            ImGui::NewLine();
        } else {
            ImGui::SameLine(0.0f, unit * 1.5f);
        }
    }
    if (m_replay) {
        draw_replay_player();
    } else {
        // "###freeze": one ID whatever the label says; fixed width so nothing moves when it flips.
        if (ImGui::Button(m_frozen ? "Follow live###freeze" : "Freeze view###freeze", {control_width, 0})) {
            set_frozen(!m_frozen);
        }
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("Freeze the timeline (the simulation keeps running) to inspect and scroll back;\n"
                              "follow live again to catch up. Shortcut: Space");
        }
        ImGui::SameLine();
    }
    ImGui::SetNextItemWidth(control_width);
    if (ImGui::SliderFloat("##window", &m_window_seconds, 0.5f, 30.0f, "show %.1f s")) {
        m_fit_since = false;  // the user's choice wins over fitting a lesson
    }
    if (m_frozen) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(unit * 12.0f);
        const float back_limit = m_replay ? std::max(m_replay_seconds, 0.1f) : 60.0f;
        ImGui::SliderFloat("##back", &m_scroll_back_seconds, 0.0f, back_limit,
                           m_replay ? "%.2f s before the end" : "%.1f s back");
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("Drag to scrub through the recorded history");
        }
    }

    // The key to the colours, where the bars are.
    ImGui::SameLine(0.0f, key_gap);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    // The process pool's marks join the inline key while its lanes are on screen, where there is room.
    const bool process_keys = m_lanes.count(LaneGroup::processes) > 0 &&
                              ImGui::GetCursorScreenPos().x + legend_width + unit * 15.0f <= right;
    if (ImGui::GetCursorScreenPos().x + legend_width > right) {
        // No room on this row: the key is one word away (and in the help, F1).
        ImGui::AlignTextToFramePadding();
        ImGui::TextColored(ImColor(muted_text_colour), "Key (?)");
        if (ImGui::IsItemHovered()) {
            ImGui::BeginTooltip();
            draw_colour_key();
            ImGui::EndTooltip();
        }
        ImGui::SameLine();
        if (m_frozen && !m_replay) {
            ImGui::TextColored(ImColor(task_state_colour(TaskState::cancelled)), "FROZEN");
            ImGui::SameLine();
        }
        ImGui::NewLine();
        return;
    }
    const auto swatch = [&](BarKey kind, const char* text) {
        const float size = unit * 0.8f;
        const ImVec2 at = ImGui::GetCursorScreenPos();
        const float top = at.y + (ImGui::GetFrameHeight() - size) * 0.5f;
        paint_bar_key(draw, {at.x, top}, {at.x + size * 1.6f, top + size}, kind);
        ImGui::Dummy({size * 1.6f, ImGui::GetFrameHeight()});
        ImGui::SameLine(0.0f, unit * 0.3f);
        ImGui::AlignTextToFramePadding();
        ImGui::TextColored(ImColor(muted_text_colour), "%s", text);
        ImGui::SameLine(0.0f, unit * 0.9f);
    };
    swatch(BarKey::session, "session colour");
    swatch(BarKey::failed, "failed");
    swatch(BarKey::cancelled, "cancelled");
    if (process_keys) {
        swatch(BarKey::process_startup, "process start-up");
        swatch(BarKey::process_wait, "waits for a process");
    }
    if (m_frozen && !m_replay) {
        ImGui::TextColored(ImColor(task_state_colour(TaskState::cancelled)), "FROZEN");
        ImGui::SameLine();
    }
    ImGui::NewLine();
}

void TimelineView::draw_replay_player() {
    const float unit = ImGui::GetFontSize();
    const auto now = Clock::now();
    if (m_replay_playing) {
        const float elapsed = std::chrono::duration<float>(now - m_replay_clock).count() * m_replay_speed;
        m_scroll_back_seconds = std::max(0.0f, m_scroll_back_seconds - elapsed);
        m_replay_playing = m_scroll_back_seconds > 0.0f;
    }
    m_replay_clock = now;
    if (ImGui::Button(m_replay_playing ? "Pause###play" : "Play###play", {unit * 5.0f, 0})) {
        if (!m_replay_playing && m_scroll_back_seconds <= 0.0f) {
            m_scroll_back_seconds = m_replay_seconds;  // from the start again
        }
        m_replay_playing = !m_replay_playing;
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(unit * 7.5f);
    char speed[32];
    std::snprintf(speed, sizeof speed, "speed ×%g", static_cast<double>(m_replay_speed));
    if (ImGui::BeginCombo("##speed", speed)) {
        for (const float option : replay_speeds) {
            std::snprintf(speed, sizeof speed, "×%g", static_cast<double>(option));
            if (ImGui::Selectable(speed, option == m_replay_speed)) {
                m_replay_speed = option;
            }
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
}

void TimelineView::draw(const World& world, float max_height) {
    const auto now = Clock::now();
    if (!m_frozen) {
        m_lanes.refresh(world, now, seconds(m_window_seconds), m_since, m_runner_bars);
        world.gil().history().try_copy_if_changed(m_gil, m_gil_seen);
    }
    if (m_fit_since && !m_frozen && !m_replay) {
        // A lesson from its start, bars as wide as they can be: the window grows with the run
        // (a margin on the left) and stops growing when the lesson ends.
        const float span = std::chrono::duration<float>(m_since_ended.value_or(now) - m_since).count();
        m_window_seconds = std::clamp(span * 1.15f + 0.3f, 2.0f, 30.0f);
    }
    const float top = ImGui::GetCursorScreenPos().y;
    draw_controls();

    const Clock::time_point end = m_frozen ? m_frozen_at - seconds(m_scroll_back_seconds) : now;
    const float unit = ImGui::GetFontSize();
    const float x0 = ImGui::GetCursorScreenPos().x + unit * 9.5f;
    // At least a sliver of lane however narrow the view, so every width below stays positive.
    const float x1 = std::max(x0 + unit, ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x - unit * 0.5f);
    draw_axis(x0, x1, end);
    const float used = ImGui::GetCursorScreenPos().y - top;
    draw_lanes(world, x0, x1, end, std::max(unit * 3.0f, max_height - used));

    // Latency of the events that finished inside the window.
    auto& waits = m_scratch.waits;
    auto& runs = m_scratch.runs;
    waits.clear();
    runs.clear();
    const TimeAxis axis{x0, x1, end, m_window_seconds};
    bool running = false;
    for (const Lane* lane : m_lanes.lanes()) {
        running = running || lane->running();
        if (lane->group != LaneGroup::pool && lane->group != LaneGroup::loop) {
            continue;
        }
        for (const auto& bar : lane->bars) {
            if (bar.finished && *bar.finished >= std::max(axis.start(), m_since) && *bar.finished <= end) {
                waits.push_back(bar.queue_wait());
                runs.push_back(bar.run_time(end));
            }
        }
    }
    m_queue_wait = summarize(waits);
    m_run_time = summarize(runs);
    const bool gil_visible = !m_gil.holds.empty() && m_gil.holds.back().end.value_or(end) >= axis.start();
    bool history_visible = false;
    for (const Lane* lane : m_lanes.lanes()) {
        history_visible = history_visible || lane->last_activity() >= axis.start();
    }
    m_moving = (!m_frozen && (running || history_visible || gil_visible)) || m_replay_playing;
}

void TimelineView::draw_axis(float x0, float x1, Clock::time_point end) {
    (void)end;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float height = ImGui::GetTextLineHeight();
    // Ticks at least five font widths apart, so their labels never run together.
    const float min_gap = ImGui::GetFontSize() * 5.0f;
    int step = 1;
    for (const int candidate : {1, 2, 5, 10, 15, 30}) {
        step = candidate;
        if ((x1 - x0) * static_cast<float>(candidate) / m_window_seconds >= min_gap) {
            break;
        }
    }
    for (int s = 0; s <= static_cast<int>(m_window_seconds); s += step) {
        const float x = x1 - (x1 - x0) * static_cast<float>(s) / m_window_seconds;
        const std::string label = s == 0 ? (m_frozen ? "end" : "now") : "-" + std::to_string(s) + " s";
        const float text_width = ImGui::CalcTextSize(label.c_str()).x;
        draw->AddText({std::clamp(x - text_width * 0.5f, x0, std::max(x0, x1 - text_width)), origin.y}, muted_text_colour,
                      label.c_str());
        draw->AddLine({x, origin.y + height}, {x, origin.y + height + 4.0f}, muted_text_colour);
    }
    ImGui::Dummy({x1 - origin.x, height + 4.0f});
}

void TimelineView::draw_lanes(const World& world, float x0, float x1, Clock::time_point end, float max_height) {
    const float unit = ImGui::GetFontSize();
    const float header = std::round(unit * 1.15f);
    const bool threaded = m_replay || world.pool().stats().setting.threaded;
    const bool gil_lane = !m_replay && (world.gil().enabled() || !m_gil.holds.empty());
    const auto& lanes = m_lanes.lanes();

    constexpr std::array<LaneGroup, 5> groups = {LaneGroup::loop, LaneGroup::pool, LaneGroup::processes, LaneGroup::runners,
                                                 LaneGroup::leaked};
    GroupLayoutInput fold_input;
    for (const Lane* lane : lanes) {
        ++fold_input.lanes[static_cast<std::size_t>(lane->group)];
    }
    const auto& counts = fold_input.lanes;
    // The event loop's lane has a strip under its bars for the awaits (the loop is free then).
    const float await_strip = std::round(unit * 1.5f);
    auto& active = fold_input.active;
    const Clock::time_point shown_from = std::max(end - seconds(m_window_seconds), m_since);
    // Folded runners' bars are not kept up to date: their samples say whether any was busy.
    const bool runners_sampled = !m_replay && !m_runner_bars;
    for (const Lane* lane : lanes) {
        if (!(runners_sampled && lane->group == LaneGroup::runners)) {
            active[static_cast<std::size_t>(lane->group)] =
                active[static_cast<std::size_t>(lane->group)] || lane->last_activity() >= shown_from;
        }
    }
    if (runners_sampled) {
        const auto& samples = m_lanes.runner_busy();
        active[static_cast<std::size_t>(LaneGroup::runners)] = std::any_of(
            samples.begin(), samples.end(), [&](const BusySample& sample) { return sample.busy > 0 && sample.at >= shown_from; });
    }
    fold_input.by_hand = m_expanded;
    fold_input.gil_lane = gil_lane;
    fold_input.header = header;
    fold_input.row = std::round(unit * 1.35f);
    fold_input.thin_row = std::round(unit * 1.1f);
    fold_input.await_strip = await_strip;
    const GroupLayout fold = layout_lane_groups(fold_input, max_height);
    const auto& expanded = fold.expanded;
    const float row = fold.row;
    const float needed = fold.height;

    m_runner_bars = m_replay || expanded[static_cast<std::size_t>(LaneGroup::runners)];
    m_click_targets.clear();
    const float height = std::min(needed, max_height) + 2.0f;
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, {0, 0});
    ImGui::BeginChild("##lanes", {0, height}, false, ImGuiWindowFlags_NoBackground);
    ImGui::PopStyleVar();
    // Rows are laid out edge to edge: the heights above are exact.
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, {ImGui::GetStyle().ItemSpacing.x, 0});
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float left = ImGui::GetCursorScreenPos().x;
    const TimeAxis axis{x0, x1, end, m_window_seconds};
    const Clock::time_point view_start = std::max(axis.start(), m_since);
    const Clock::time_point now = m_frozen ? m_frozen_at : Clock::now();
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const bool hovering_view = ImGui::IsWindowHovered();
    const ImVec2 clip_min = ImGui::GetWindowPos();
    const ImVec2 clip_max{clip_min.x + ImGui::GetWindowWidth(), clip_min.y + ImGui::GetWindowHeight()};

    // A group's header: its name and size; click to fold or unfold.
    m_scratch.titles.clear();
    const auto draw_header = [&](LaneGroup group) {
        const auto g = static_cast<std::size_t>(group);
        const ImVec2 at = ImGui::GetCursorScreenPos();
        std::string text = std::string(expanded[g] ? "▼ " : "▶ ") + group_title(group, threaded) + ": " +
                           std::to_string(counts[g]) +
                           (group == LaneGroup::processes ? (counts[g] == 1 ? " process" : " processes")
                                                          : (counts[g] == 1 ? " thread" : " threads"));
        if (!expanded[g]) {
            // The hint in full where it fits (beside a lesson it often does not; the tooltip says it too).
            const std::string hint = " (folded: click to show every lane)";
            text += ImGui::CalcTextSize((text + hint).c_str()).x <= x1 - at.x ? hint : std::string(" (folded)");
        }
        ImGui::PushID(static_cast<int>(g));
        if (ImGui::InvisibleButton("##group", {x1 - at.x, header})) {
            m_expanded[g] = !expanded[g];
        }
        ImGui::PopID();
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("%s\nClick to %s.", group_tip(group), expanded[g] ? "fold it into one row" : "show every lane");
        }
        const float text_top = at.y + (header - ImGui::GetTextLineHeight()) * 0.5f;
        const float text_end = at.x + ImGui::CalcTextSize(text.c_str()).x;
        draw->AddText({at.x, text_top}, group == LaneGroup::leaked ? leaked_colour : header_colour, text.c_str());
        m_scratch.titles.push_back({text_end, text_top});
        draw->AddLine({text_end + unit * 0.5f, at.y + header * 0.5f},
                      {x1, at.y + header * 0.5f}, IM_COL32(255, 255, 255, 40));
    };

    // One thread's lane: label, bars, mark.
    const auto draw_lane = [&](const Lane& lane) {
        const ImVec2 at = ImGui::GetCursorScreenPos();
        const float top = at.y + 1.0f;
        const float bottom = at.y + row - 1.0f;
        const bool loop = lane.group == LaneGroup::loop;
        ImGui::Dummy({x1 - at.x, row + (loop ? await_strip : 0.0f)});
        if (!ImGui::IsItemVisible()) {
            return;
        }
        if (loop) {
            draw->AddRectFilled({x0, bottom + 1.0f}, {x1, bottom + await_strip}, lane_background);
            draw_awaits(draw, lane.awaits, {left, x0, x1, bottom + 1.0f, await_strip - 1.0f},
                        [&axis](Clock::time_point when) { return axis.x(when); }, view_start, end, now, hovering_view);
        }
        const bool gone = lane.mark == LaneMark::retired || lane.mark == LaneMark::ended || lane.mark == LaneMark::exited;
        const ImU32 name_colour = gone                  ? muted_text_colour
                                  : lane.session != 0   ? colour_for(lane.session)
                                                        : IM_COL32(230, 230, 235, 255);
        draw->AddText({left, at.y + (row - ImGui::GetTextLineHeight()) * 0.5f}, name_colour, lane.name.c_str());
        draw->AddRectFilled({x0, top}, {x1, bottom}, gone ? gone_lane_background : lane_background);

        // Scratch kept across frames: a lane's vectors allocated anew each frame would cost more
        // than drawing it.
        auto& bars = m_scratch.bars;
        auto& spans = m_scratch.spans;
        bars.clear();
        spans.clear();
        for (const auto& bar : lane.bars) {
            if (bar.finished.value_or(now) >= view_start && bar.started <= end) {
                bars.push_back(&bar);
                spans.push_back({axis.x(std::max(bar.started, view_start)), axis.x(std::min(bar.finished.value_or(now), end)),
                                 bar.session});
            }
        }
        const bool mouse_in_lane = hovering_view && mouse.y >= top && mouse.y < bottom && mouse.x >= x0 && mouse.x <= x1;
        const unsigned alpha = gone ? 110u : 255u;
        fold_spans(spans, 3.0f, m_scratch.folded);
        for (const auto& block : m_scratch.folded) {
            ImVec2 min{block.x0, top + 2.0f};
            ImVec2 max{block.x1, bottom - 2.0f};
            if (block.count == 1) {
                const Bar& bar = *bars[block.first];
                // A gap on each side: two bars back to back never read as one.
                if (max.x - min.x > 6.0f) {
                    min.x += 1.5f;
                    max.x -= 1.5f;
                }
                // Square corners: a rounded rectangle costs a path of arcs, per bar, per frame.
                const bool startup = std::string_view(bar.kind) == "start-up";
                const ImU32 fill = startup ? IM_COL32(120, 120, 132, 255) : with_alpha(colour_for(bar.session), alpha);
                if (startup) {
                    paint_process_startup(draw, min, max);
                } else {
                    draw->AddRectFilled(min, max, fill);
                    draw->AddRect(min, max, bar_outline, 0.0f, 0, 1.0f);
                }
                if (bar.outcome == Outcome::failed) {
                    draw->AddRect(min, max, error_colour, 0.0f, 0, 3.0f);
                } else if (bar.outcome == Outcome::cancelled) {
                    draw->AddRect(min, max, task_state_colour(TaskState::cancelled), 0.0f, 0, 3.0f);
                }
                const std::string label = bar_label(bar, lane.group == LaneGroup::pool || lane.group == LaneGroup::processes,
                                                    max.x - min.x);
                if (!label.empty()) {
                    const ImVec2 text_at{min.x + unit * 0.25f, at.y + (row - ImGui::GetTextLineHeight()) * 0.5f};
                    if (startup) {  // on the stripes: a dark box so the word reads
                        const ImVec2 size = ImGui::CalcTextSize(label.c_str());
                        draw->AddRectFilled({text_at.x - 2.0f, text_at.y}, {text_at.x + size.x + 2.0f, text_at.y + size.y},
                                            IM_COL32(0, 0, 0, 190));
                    }
                    draw->AddText(text_at, startup ? IM_COL32(240, 240, 245, 255) : with_alpha(text_colour_on(fill), alpha),
                                  label.c_str());
                }
                if (mouse_in_lane && mouse.x >= min.x && mouse.x <= max.x) {
                    bar_tooltip(bar, now);
                }
                if (!bar.finished && !m_frozen && std::string_view(bar.kind) == "click") {
                    m_click_targets.push_back({bar.session, {max.x, (top + bottom) * 0.5f}});
                }
            } else {
                draw->AddRectFilled(min, max, block.mixed ? folded_colour : colour_for(block.key));
                for (float x = min.x + 3.0f; x < max.x; x += 6.0f) {  // hatching marks a folded block
                    draw->AddLine({x, min.y}, {x, max.y}, IM_COL32(0, 0, 0, 90));
                }
                const std::string count = std::to_string(block.count);
                if (ImGui::CalcTextSize(count.c_str()).x + 4.0f < max.x - min.x) {
                    draw->AddText({min.x + 2.0f, at.y + (row - ImGui::GetTextLineHeight()) * 0.5f},
                                  IM_COL32(0, 0, 0, 255), count.c_str());
                }
                if (mouse_in_lane && mouse.x >= min.x && mouse.x <= max.x) {
                    ImGui::SetTooltip("%zu events, each too short to draw on its own at this zoom.\n"
                                      "Freeze the view or shorten the window to see them one by one.",
                                      block.count);
                }
            }
        }
        // Stretches this thread waited for a process's result (a callback blocked in
        // future.result(), holding no GIL): dark and dashed over its bar, with the process named.
        if (const auto* waits = m_replay ? nullptr : m_lanes.process_waits(lane.thread_id)) {
            for (const auto& wait : *waits) {
                const auto wait_end = wait.to.value_or(now);
                if (wait_end < view_start || wait.from > end) {
                    continue;
                }
                const ImVec2 min{axis.x(std::max(wait.from, view_start)), top + 4.0f};
                const ImVec2 max{std::max(axis.x(std::min(wait_end, end)), min.x + 2.0f), bottom - 4.0f};
                paint_process_wait(draw, min, max);
                // The overlay covers its bar's own label: it says both, as much as fits.
                const std::string waiting = wait.process != 0 ? "waits for process " + std::to_string(wait.process)
                                                              : "waits for a process";
                std::string what;
                for (const auto& bar : lane.bars) {
                    if (bar.started <= wait.from && bar.finished.value_or(now) >= wait.from) {
                        what = std::string(bar.kind) + " " + std::to_string(bar.number);
                        if (lane.group == LaneGroup::pool && bar.session != 0) {
                            what = "#" + std::to_string(bar.session) + " " + what;
                        }
                    }
                }
                std::string shown;
                for (const std::string& candidate : {what.empty() ? waiting : what + " " + waiting, waiting, std::string("waits")}) {
                    if (ImGui::CalcTextSize(candidate.c_str()).x + unit * 0.5f < max.x - min.x) {
                        shown = candidate;
                        break;
                    }
                }
                if (!shown.empty()) {
                    const ImVec2 text_at{min.x + unit * 0.25f, at.y + (row - ImGui::GetTextLineHeight()) * 0.5f};
                    const ImVec2 box = ImGui::CalcTextSize(shown.c_str());
                    draw->AddRectFilled({text_at.x - 2.0f, text_at.y}, {text_at.x + box.x + 2.0f, text_at.y + box.y},
                                        IM_COL32(0, 0, 0, 220));
                    draw->AddText(text_at, IM_COL32(245, 245, 250, 255), shown.c_str());
                }
                if (mouse_in_lane && mouse.x >= min.x && mouse.x <= max.x) {
                    ImGui::SetTooltip("This thread waits for a process's result (future.result()): it holds no GIL\n"
                                      "meanwhile. It pickled the arguments before and unpickles the result after,\n"
                                      "both under its GIL.");
                }
            }
        }
        // A runner's wake-ups: a tick each time it looked at its queue (one per task when it waits
        // on its condition variable; a comb when it polls, solid where its teeth would touch).
        const float tick = (bottom - top) * 0.3f;
        const ImU32 tick_colour = IM_COL32(255, 255, 255, 230);
        float last_tick = -1.0f;
        const auto draw_tick = [&](Clock::time_point moment) {
            const float x = std::round(axis.x(moment));
            if (x != last_tick) {  // one line per pixel column is all the eye can see
                draw->AddLine({x, top}, {x, top + tick}, tick_colour, 1.0f);
                last_tick = x;
            }
        };
        for (const auto& run : lane.wakeups) {
            if (run.last < view_start || run.first > end) {
                continue;
            }
            if (run.count == 1) {
                draw_tick(run.first);
                continue;
            }
            const auto spacing = (run.last - run.first) / static_cast<Clock::rep>(run.count - 1);
            const float spacing_px = axis.x(view_start + spacing) - axis.x(view_start);
            if (spacing_px < 3.0f) {
                const float from = axis.x(std::max(run.first, view_start));
                draw->AddRectFilled({from, top}, {std::max(axis.x(std::min(run.last, end)), from + 1.0f), top + tick},
                                    tick_colour);
                continue;
            }
            // Only the teeth in view: a run may reach far beyond it.
            const auto skipped = run.first < view_start ? (view_start - run.first) / spacing : Clock::rep{0};
            for (auto tooth = run.first + spacing * skipped; tooth <= std::min(run.last, end); tooth += spacing) {
                draw_tick(tooth);
            }
        }
        if (lane.mark != LaneMark::none) {
            draw_mark(draw, lane.mark, x1, top, bottom);
            if (hovering_view && mouse.y >= top && mouse.y < bottom && mouse.x < x0) {
                ImGui::SetTooltip("%s", mark_tip(lane.mark));
            }
        }
    };

    // A folded group's one row: how many of its threads were busy, over time.
    const auto draw_summary = [&](LaneGroup group) {
        const ImVec2 at = ImGui::GetCursorScreenPos();
        const float top = at.y + 1.0f;
        const float bottom = at.y + row - 1.0f;
        ImGui::Dummy({x1 - at.x, row});
        const auto g = static_cast<std::size_t>(group);
        const std::string name = std::to_string(counts[g]) + (group == LaneGroup::pool        ? " workers"
                                                              : group == LaneGroup::processes ? " processes"
                                                                                              : " runners");
        draw->AddText({left, at.y + (row - ImGui::GetTextLineHeight()) * 0.5f}, header_colour, name.c_str());
        draw->AddRectFilled({x0, top}, {x1, bottom}, lane_background);
        const ImU32 colour = task_state_colour(TaskState::running);
        const auto share_of = [&](unsigned busy) {
            return std::min(1.0f, static_cast<float>(busy) / static_cast<float>(counts[g]));
        };
        const auto draw_busy_now = [&](unsigned busy_now) {
            const std::string now_text = "busy now: " + std::to_string(busy_now) + " of " + std::to_string(counts[g]);
            const ImVec2 size = ImGui::CalcTextSize(now_text.c_str());
            draw->AddRectFilled({x1 - size.x - unit * 0.6f, top + 1.0f}, {x1, bottom - 1.0f}, IM_COL32(0, 0, 0, 200), 3.0f);
            draw->AddText({x1 - size.x - unit * 0.3f, at.y + (row - size.y) * 0.5f}, header_colour, now_text.c_str());
            if (hovering_view && ImGui::IsMouseHoveringRect({x0, top}, {x1, bottom})) {
                ImGui::SetTooltip("How many of these threads were busy, over time (the bar's height).\n"
                                  "Click the group's title to show every lane.");
            }
        };
        if (group == LaneGroup::runners && runners_sampled) {
            // Live runners, from the samples: each count holds until the next sample that differs.
            const auto& samples = m_lanes.runner_busy();
            for (std::size_t i = 0, next = 0; i < samples.size(); i = next) {
                for (next = i + 1; next < samples.size() && samples[next].busy == samples[i].busy; ++next) {
                }
                const Clock::time_point from = std::max(samples[i].at, view_start);
                const Clock::time_point to = std::min(next < samples.size() ? samples[next].at : now, end);
                if (samples[i].busy > 0 && from < to) {
                    draw->AddRectFilled({axis.x(from), bottom - (bottom - top) * share_of(samples[i].busy)},
                                        {axis.x(to), bottom}, colour);
                }
            }
            draw_busy_now(samples.empty() ? 0u : samples.back().busy);
            return;
        }
        // Busy threads per 2-pixel column: +1 where a bar starts, -1 after it ends, then a running
        // sum, so the cost is one step per bar however wide it is.
        constexpr float bin_width = 2.0f;
        const auto bins = static_cast<std::size_t>(std::ceil((x1 - x0) / bin_width)) + 1;
        std::vector<int> steps(bins + 1, 0);
        unsigned busy_now = 0;
        for (const Lane* lane : lanes) {
            if (lane->group != group) {
                continue;
            }
            busy_now += lane->running() ? 1u : 0u;
            // Newest first: a lane's bars never overlap, so the first one that ended before the
            // view ends the search.
            for (auto bar = lane->bars.rbegin(); bar != lane->bars.rend(); ++bar) {
                if (bar->finished.value_or(now) < view_start) {
                    break;
                }
                if (bar->started <= end) {
                    const auto first = std::min(bins - 1, static_cast<std::size_t>(
                                                              (axis.x(std::max(bar->started, view_start)) - x0) / bin_width));
                    const auto last = std::min(bins - 1, static_cast<std::size_t>(
                                                             (axis.x(std::min(bar->finished.value_or(now), end)) - x0) / bin_width));
                    ++steps[first];
                    --steps[last + 1];
                }
            }
        }
        std::vector<unsigned> busy(bins, 0);
        int running_sum = 0;
        for (std::size_t b = 0; b < bins; ++b) {
            running_sum += steps[b];
            busy[b] = static_cast<unsigned>(std::max(0, running_sum));
        }
        for (std::size_t b = 0; b < busy.size(); ++b) {
            if (busy[b] > 0) {
                const float x = x0 + static_cast<float>(b) * bin_width;
                draw->AddRectFilled({x, bottom - (bottom - top) * share_of(busy[b])}, {std::min(x + bin_width, x1), bottom},
                                    colour);
            }
        }
        draw_busy_now(busy_now);
    };

    for (const auto group : groups) {
        const auto g = static_cast<std::size_t>(group);
        if (counts[g] == 0) {
            continue;
        }
        draw_header(group);
        if (!expanded[g]) {
            if (active[g] || m_expanded[g].has_value()) {  // folded by hand: its row stays, busy or not
                draw_summary(group);
            }
            continue;
        }
        for (const Lane* lane : lanes) {
            if (lane->group == group) {
                draw_lane(*lane);
            }
        }
    }

    // The GIL: who holds it (the session's colour) and, in red, when threads wait for it.
    if (gil_lane) {
        const ImVec2 at = ImGui::GetCursorScreenPos();
        const float top = at.y + 1.0f;
        const float bottom = at.y + row - 1.0f;
        ImGui::Dummy({x1 - at.x, row});
        draw->AddText({left, at.y + (row - ImGui::GetTextLineHeight()) * 0.5f}, task_state_colour(TaskState::cancelled),
                      world.gil().enabled() ? "GIL" : "GIL (off)");
        draw->AddRectFilled({x0, top}, {x1, bottom}, lane_background);
        for (const auto& wait : m_gil.contention) {
            const auto wait_end = wait.end.value_or(now);
            if (wait_end >= view_start && wait.start <= end) {
                draw->AddRectFilled({axis.x(std::max(wait.start, view_start)), top},
                                    {axis.x(std::min(wait_end, end)), bottom}, contention_colour);
            }
        }
        auto& spans = m_scratch.spans;
        spans.clear();
        for (const auto& hold : m_gil.holds) {
            const auto hold_end = hold.end.value_or(now);
            if (hold_end >= view_start && hold.start <= end) {
                spans.push_back({axis.x(std::max(hold.start, view_start)), axis.x(std::min(hold_end, end)), hold.session});
            }
        }
        const float inset = (bottom - top) * 0.28f;
        fold_spans(spans, 2.0f, m_scratch.folded);
        for (const auto& block : m_scratch.folded) {
            draw->AddRectFilled({block.x0, top + inset}, {block.x1, bottom - inset},
                                block.mixed ? folded_colour : colour_for(block.key));
        }
        // At this zoom 5 ms slices blur: say in words who holds it now.
        if (!m_frozen && !m_gil.holds.empty() && !m_gil.holds.back().end) {
            const SessionId holder = m_gil.holds.back().session;
            const std::string text = holder == 0 ? "held" : "held by #" + std::to_string(holder);
            const ImVec2 size = ImGui::CalcTextSize(text.c_str());
            draw->AddRectFilled({x1 - size.x - unit * 0.6f, top + 1.0f}, {x1, bottom - 1.0f}, IM_COL32(0, 0, 0, 210), 3.0f);
            draw->AddText({x1 - size.x - unit * 0.3f, at.y + (row - size.y) * 0.5f}, colour_for(holder), text.c_str());
        }
        if (hovering_view && ImGui::IsMouseHoveringRect({x0, top}, {x1, bottom})) {
            ImGui::SetTooltip("Who holds the simulated GIL, in the session's colour (grey: several in a blur).\n"
                              "Red background: threads are waiting for it. Compute work cannot run in parallel\n"
                              "while it is on: threads hand it over every 5 ms.");
        }
    }
    draw_markers(world, draw, x0, x1, clip_min.y, clip_max.y, end);
    // Keep click targets to what is visible in the lanes' region.
    std::erase_if(m_click_targets, [&](const ClickTarget& target) {
        return target.at.y < clip_min.y || target.at.y > clip_max.y;
    });
    ImGui::PopStyleVar();
    ImGui::EndChild();
}

void TimelineView::draw_markers(const World& world, ImDrawList* draw, float x0, float x1, float top, float bottom,
                                Clock::time_point end) {
    if (m_markers.empty() && !m_phase_durations) {
        return;
    }
    const TimeAxis axis{x0, x1, end, m_window_seconds};
    const float unit = ImGui::GetFontSize();
    // A label on a dark box, left-aligned at x (centred with `centre`); returns its right edge.
    const auto label_box = [&](float x, float y, const std::string& text, ImU32 colour, bool centre) {
        const ImVec2 size = ImGui::CalcTextSize(text.c_str());
        const float left = std::clamp(centre ? x - size.x * 0.5f : x, x0, std::max(x0, x1 - size.x));
        draw->AddRectFilled({left - unit * 0.2f, y}, {left + size.x + unit * 0.2f, y + size.y}, IM_COL32(0, 0, 0, 225), 3.0f);
        draw->AddText({left, y}, colour, text.c_str());
        return left + size.x + unit * 0.2f;
    };

    // Phases: from the start (or a marker) to the next marker. Each is labelled with the time its
    // work took, from the first submission in it to the last end: what the lesson asks about.
    std::vector<Clock::time_point> bounds{m_since};
    if (!m_phase_durations) {
        bounds.clear();
    }
    for (const auto& marker : m_markers) {
        if (!bounds.empty() && marker.at > bounds.back()) {
            bounds.push_back(marker.at);
        }
    }
    const auto& lanes = m_lanes.lanes();
    float free_from = x0;  // phase labels never overlap: each starts after the last one ends
    for (std::size_t p = 0; p < bounds.size(); ++p) {
        const Clock::time_point from = bounds[p];
        const Clock::time_point until = p + 1 < bounds.size() ? bounds[p + 1] : Clock::time_point::max();
        std::optional<Clock::time_point> first;
        std::optional<Clock::time_point> last;
        bool open = false;
        for (const Lane* lane : lanes) {
            for (const auto& bar : lane->bars) {
                if (bar.queued >= from && bar.queued < until) {
                    first = std::min(first.value_or(bar.queued), bar.queued);
                    last = std::max(last.value_or(bar.finished.value_or(end)), bar.finished.value_or(end));
                    open = open || !bar.finished;
                }
            }
        }
        if (!first || *last < axis.start()) {
            continue;
        }
        const double seconds = world.time().to_simulated(*last - *first);
        char text[48];
        std::snprintf(text, sizeof text, open ? "%.1f s so far" : "took %.2f s", seconds);
        const float left = std::max(axis.x(*first) + unit * 0.3f, free_from + unit * 0.5f);
        free_from = label_box(left, bottom - ImGui::GetTextLineHeight() - 2.0f, text, IM_COL32(255, 255, 255, 255), false);
    }

    // The markers: a line through every lane, the label at the top, starting at the line; a
    // label that would cover another label or a group's title goes to the first line lower where
    // it covers nothing.
    const float line_height = ImGui::GetTextLineHeight() + 2.0f;
    const auto titles_end_on = [&](std::size_t line) {  // where the titles on that line of labels end
        const float line_top = top + 1.0f + static_cast<float>(line) * line_height;
        float titles_end = x0 - unit;
        for (const ImVec2& title : m_scratch.titles) {
            if (title.y < line_top + line_height && title.y + ImGui::GetTextLineHeight() > line_top) {
                titles_end = std::max(titles_end, title.x);
            }
        }
        return titles_end;
    };
    std::vector<float> line_ends;  // where the text on each line of labels ends
    for (const auto& marker : m_markers) {
        if (marker.at < axis.start() || marker.at > end) {
            continue;
        }
        const float x = axis.x(marker.at);
        for (float y = top; y < bottom; y += 8.0f) {
            draw->AddLine({x, y}, {x, std::min(y + 4.0f, bottom)}, IM_COL32(255, 255, 255, 200), 2.0f);
        }
        const float width = ImGui::CalcTextSize(marker.label.c_str()).x;
        const float left = std::clamp(x + unit * 0.2f, x0, std::max(x0, x1 - width));
        std::size_t line = 0;
        for (;; ++line) {
            if (line == line_ends.size()) {
                line_ends.push_back(titles_end_on(line));
            }
            if (left >= line_ends[line] + unit * 0.3f) {
                break;
            }
        }
        const float label_y = top + 1.0f + static_cast<float>(line) * line_height;
        line_ends[line] = label_box(left, label_y, marker.label, task_state_colour(TaskState::cancelled), false);
    }
}

void TimelineView::draw_click_lines(const CardAnchors& anchors) const {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    for (const auto& target : m_click_targets) {
        const auto anchor = anchors.find(target.session);
        if (anchor == anchors.end()) {
            continue;
        }
        const ImU32 colour = with_alpha(colour_for(target.session), 190u);
        draw->AddLine({anchor->second.first, anchor->second.second}, target.at, colour, 2.5f);
        draw->AddCircleFilled(target.at, 5.0f, colour);
    }
}

}  // namespace threadlab::ui
