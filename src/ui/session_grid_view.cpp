#include "session_grid_view.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "format.hpp"
#include "grid_layout.hpp"
#include "palette.hpp"

namespace threadlab::ui {

namespace {

/// Makes the last item, when it is in sight, the place a click's line to the timeline starts: the
/// middle of its top edge, so the line, coming from the timeline above, does not cross the item.
void anchor_line_to_item(CardAnchors& anchors, SessionId session) {
    if (ImGui::IsItemVisible()) {
        anchors[session] = {(ImGui::GetItemRectMin().x + ImGui::GetItemRectMax().x) * 0.5f, ImGui::GetItemRectMin().y};
    }
}

constexpr int card_lines = 6;

/// The longest ellipsized form of `text` that fits `width` pixels in the current font.
std::string fit_width(const std::string& text, float width) {
    if (ImGui::CalcTextSize(text.c_str()).x <= width) {
        return text;
    }
    std::size_t chars = text.size();
    std::string candidate;
    do {
        candidate = ellipsize(text, --chars);
    } while (chars > 4 && ImGui::CalcTextSize(candidate.c_str()).x > width);
    return candidate;
}

void history_strip(const SessionState& state, float width) {
    // One square per recent task, oldest on the left, coloured by its state.
    const float size = ImGui::GetFontSize() * 0.8f;
    const float gap = size * 0.3f;
    const auto fits = static_cast<std::size_t>(std::max(1.0f, std::floor(width / (size + gap))));
    const std::size_t shown = std::min(state.history.size(), fits);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float top = origin.y + (ImGui::GetFrameHeight() - size) * 0.5f;
    float x = origin.x;
    for (std::size_t i = state.history.size() - shown; i < state.history.size(); ++i) {
        draw->AddRectFilled({x, top}, {x + size, top + size}, task_state_colour(state.history[i].state), 2.0f);
        x += size + gap;
    }
    ImGui::Dummy({width, ImGui::GetFrameHeight()});
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("Recent tasks of this session's runner, oldest first:\n"
                          "grey queued, blue running, green done, red failed, orange cancelled");
    }
}
}  // namespace

float SessionGridView::top_height() {
    return ImGui::GetFrameHeightWithSpacing() * 3.0f + ImGui::GetStyle().WindowPadding.y;
}

const SessionState& SessionGridView::state_of(const Session& session) {
    auto& cached = m_cache[session.id()];
    session.state().try_copy_if_changed(cached.state, cached.seen_version);
    return cached.state;
}

void SessionGridView::draw(World& world, const WorkControls& controls, CardAnchors& anchors) {
    // Never waits: while the list is being changed, last frame's list is drawn (the change then
    // wakes another frame).
    World::SessionList live;
    if (world.session_list().try_copy_if_changed(live, m_sessions_version)) {
        if (m_pointer_in_grid) {
            // While the pointer is over the cards, a destroyed session keeps its place (greyed),
            // so the next card never slides under the pointer; the gap closes when it leaves.
            std::vector<std::shared_ptr<const Session>> merged;
            for (const auto& shown : m_sessions) {
                const bool still = std::any_of(live.begin(), live.end(), [&](const auto& s) { return s == shown; });
                if (!still) {
                    m_ghosts.insert(shown.get());
                }
                merged.push_back(shown);
            }
            for (const auto& session : live) {
                if (std::find(merged.begin(), merged.end(), session) == merged.end()) {
                    merged.push_back(session);
                }
            }
            m_sessions = std::move(merged);
        } else {
            m_sessions = std::move(live);
            m_ghosts.clear();
        }
        std::erase_if(m_cache, [&](const auto& item) {
            return std::none_of(m_sessions.begin(), m_sessions.end(),
                                [&](const auto& session) { return session->id() == item.first; });
        });
    }
    if (!m_pointer_in_grid && !m_ghosts.empty()) {
        std::erase_if(m_sessions, [&](const auto& session) { return m_ghosts.contains(session.get()); });
        m_ghosts.clear();
    }
    const auto stopping = world.stopping_count();
    ImGui::Text("Sessions: %zu", m_sessions.size() - m_ghosts.size());
    if (stopping > 0) {
        ImGui::SameLine();
        ImGui::TextColored(ImColor(task_state_colour(TaskState::cancelled)),
                           "(%zu destroyed, their runner threads still stopping)", stopping);
    }
    if (m_sessions.empty()) {
        ImGui::TextColored(ImColor(muted_text_colour),
                           "No sessions. Press \"Add session\" (or A) to open one, like a new browser tab.");
        return;
    }

    const ImGuiStyle& style = ImGui::GetStyle();
    const float unit = ImGui::GetFontSize();
    const float spacing = style.ItemSpacing.x;
    ImGui::BeginChild("session-grid", {0, 0}, false);
    const auto layout =
        grid_layout(static_cast<int>(m_sessions.size()), ImGui::GetContentRegionAvail().x, unit * 19.0f, spacing);
    const int columns = layout.columns;
    const float card_width = layout.card_width;
    const float card_height = ImGui::GetFrameHeightWithSpacing() * card_lines + style.WindowPadding.y * 2.0f;
    const int rows = layout.rows;

    ImGuiListClipper clipper;
    clipper.Begin(rows, card_height + style.ItemSpacing.y);
    while (clipper.Step()) {
        for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            for (int column = 0; column < columns; ++column) {
                const auto index = static_cast<std::size_t>(row * columns + column);
                if (index >= m_sessions.size()) {
                    break;
                }
                if (column > 0) {
                    ImGui::SameLine();
                }
                const Session& session = *m_sessions[index];
                ImGui::PushID(static_cast<int>(session.id()));
                ImGui::PushStyleColor(ImGuiCol_Border, session_colour(session.id()));
                ImGui::PushStyleVar(ImGuiStyleVar_ChildBorderSize, 2.0f);
                ImGui::BeginChild("card", {card_width, card_height}, true, ImGuiWindowFlags_NoScrollbar);
                if (m_ghosts.contains(&session)) {
                    ImGui::TextColored(ImColor(muted_text_colour), "Session #%u: destroyed", session.id());
                } else {
                    draw_card(world, session, controls, card_width - style.WindowPadding.x * 2.0f, anchors);
                }
                ImGui::EndChild();
                ImGui::PopStyleVar();
                ImGui::PopStyleColor();
                ImGui::PopID();
            }
        }
    }
    m_pointer_in_grid = ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows);
    ImGui::EndChild();
    if (m_destroy_requested) {
        world.destroy_session(*m_destroy_requested);
        m_destroy_requested.reset();
    }
}

void SessionGridView::draw_card(World& world, const Session& session, const WorkControls& controls, float width,
                                CardAnchors& anchors) {
    const SessionState& state = state_of(session);
    const auto tasks = session.task_counts();
    const auto events = session.event_counts();
    const float unit = ImGui::GetFontSize();

    // Who: the session in its colour, its runner thread, and its clicks.
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(ImColor(session_colour(session.id())), "Session #%u", session.id());
    // Where the line from a click to its bar on the timeline starts when the button is out of
    // sight (a small screen shows the top of the card only): the card's title.
    anchor_line_to_item(anchors, session.id());
    ImGui::SameLine();
    if (const auto discarded = session.tab_discarded_at()) {
        // The tab is gone, the session is not: Bokeh discards it only at a later check.
        const double left = std::max(0.0, world.time().to_simulated(*discarded - Clock::now()));
        ImGui::TextColored(ImColor(task_state_colour(TaskState::cancelled)), "tab closed: destroyed in %.0f s", left);
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("The browser tab is closed, but the session lives on: Bokeh discards a session\n"
                              "unused for 15 s at its next check (every 17 s), and only then calls\n"
                              "on_session_destroyed. Its runner keeps working meanwhile.");
        }
    } else if (session.runner_died()) {
        // What the page never shows: its status and value look as if the runner were busy.
        ImGui::TextColored(ImColor(error_colour), "runner DEAD");
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("The runner thread died on a failing task, as the seed's code is written: its\n"
                              "`self.value = ex` is outside param.edit_constant, `value` is constant, so that\n"
                              "line raises TypeError and nothing catches it. The page still says \"Processing\";\n"
                              "queued tasks (%llu) will never run.",
                              static_cast<unsigned long long>(tasks.queued));
        }
    } else {
        ImGui::TextColored(ImColor(muted_text_colour), "runner %d", session.thread_id());
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("The kernel's id of this session's task runner thread (as top -H shows it)");
        }
    }
    // The way back to the page: next-tick callbacks of this session waiting for the loop.
    const DocumentLock& page = *session.document_lock();
    std::string clicks = "events " + std::to_string(events.finished()) + "/" + std::to_string(events.submitted);
    if (page.queued() > 0) {
        clicks.append(" · page ").append(std::to_string(page.queued()));
    }
    ImGui::SameLine(std::max(ImGui::GetCursorPosX(), width - ImGui::CalcTextSize(clicks.c_str()).x +
                                                         ImGui::GetStyle().WindowPadding.x));
    ImGui::TextColored(ImColor(muted_text_colour), "%s", clicks.c_str());
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("Runner tasks: %llu submitted, %llu completed, %llu failed, %llu cancelled\n"
                          "Pool events (clicks, periodic calls, slider): %llu submitted, %llu queued, %llu running,\n"
                          "  %llu completed, %llu failed, %llu cancelled\n"
                          "Page: %llu next-tick callbacks waiting for the event loop; the document lock taken %llu times;\n"
                          "  %llu messages sent to the browser with %llu widget changes",
                          static_cast<unsigned long long>(tasks.submitted),
                          static_cast<unsigned long long>(tasks.completed),
                          static_cast<unsigned long long>(tasks.failed),
                          static_cast<unsigned long long>(tasks.cancelled),
                          static_cast<unsigned long long>(events.submitted),
                          static_cast<unsigned long long>(events.queued),
                          static_cast<unsigned long long>(events.running),
                          static_cast<unsigned long long>(events.completed),
                          static_cast<unsigned long long>(events.failed),
                          static_cast<unsigned long long>(events.cancelled),
                          static_cast<unsigned long long>(page.queued()),
                          static_cast<unsigned long long>(page.acquisitions()),
                          static_cast<unsigned long long>(page.messages()),
                          static_cast<unsigned long long>(page.changes()));
    }

    // What a person does with it, right under its name: on a small screen the cards above the
    // timeline's lanes show their top part only.
    action_row(world, session, state, controls, anchors);

    // Queue, and the running task's progress under the seed's status text.
    ImGui::AlignTextToFramePadding();
    ImGui::Text("Queued %llu", static_cast<unsigned long long>(tasks.queued));
    ImGui::SameLine(unit * 6.0f);
    ImGui::PushStyleColor(ImGuiCol_PlotHistogram, task_state_colour(TaskState::running));
    const std::string status = fit_width(state.status, width - unit * 6.5f);
    ImGui::ProgressBar(static_cast<float>(session.progress(Clock::now())), {-1.0f, 0.0f}, status.c_str());
    ImGui::PopStyleColor();
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("The runner's status (the seed's `status`): %s", state.status.c_str());
    }

    // The last value, or the error in red (Panel's `value`).
    ImGui::AlignTextToFramePadding();
    if (state.value.empty()) {
        ImGui::TextColored(ImColor(muted_text_colour), "Last result: none yet");
    } else {
        const std::string text = fit_width("Last result: " + state.value, width);
        ImGui::TextColored(state.value_is_error ? ImColor(error_colour) : ImColor(255, 255, 255), "%s", text.c_str());
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("%s", state.value.c_str());
        }
    }

    // Recent tasks.
    history_strip(state, width);

    slider_row(world, session, controls, width);
}

void SessionGridView::action_row(World& world, const Session& session, const SessionState& state,
                                 const WorkControls& controls, CardAnchors& anchors) {
    if (ImGui::Button("Add task")) {
        world.add_task(session.id(), controls.work);
    }
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("Queue a task on this session's own runner thread (the manual-threading seed)");
    }
    ImGui::SameLine();
    if (ImGui::Button(controls.async_clicks ? "Async click###click" : "Click me###click")) {
        if (controls.async_clicks) {
            world.click_async(session.id(), async_callback_for(controls.work));
        } else {
            world.click(session.id(), controls.work);
        }
    }
    anchor_line_to_item(anchors, session.id());  // else the title's anchor; none for a card out of sight
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip(controls.async_clicks
                              ? "An async click: a coroutine on the server's event loop (%s)"
                              : "A button click: an event for the global event pool (the automatic-threading seed)%s",
                          controls.async_clicks ? describe(async_callback_for(controls.work)).c_str() : "");
    }
    ImGui::SameLine();
    ImGui::BeginDisabled(!state.running_task);
    if (ImGui::Button("Cancel") && state.running_task) {
        world.cancel_task(session.id(), *state.running_task);
    }
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
        ImGui::SetTooltip("Interrupt the running task (Panel has no way to do this: issue 710)");
    }
    ImGui::SameLine();
    if (ImGui::Button("Destroy")) {
        m_destroy_requested = session.id();
    }
    if (ImGui::BeginPopupContextItem("##close-tab")) {
        if (ImGui::MenuItem("Close the tab instead (destroyed 15-32 s later, as Bokeh does)")) {
            world.close_tab(session.id());
        }
        ImGui::EndPopup();
    }
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("Destroy this session now (pn.state.on_session_destroyed): as the seed does, its\n"
                          "runner finishes its queue, then ends (More... > Prompt stop interrupts instead).\n"
                          "Right-click: close the tab instead, and see when Bokeh really destroys it.");
    }
}

void SessionGridView::slider_row(World& world, const Session& session, const WorkControls& controls, float width) {
    const auto& slider = *session.slider();
    const std::string calls = std::to_string(slider.changes_sent()) + " sent, " +
                              std::to_string(slider.batches_taken()) + " calls";
    const float calls_width = ImGui::CalcTextSize(calls.c_str()).x;
    ImGui::SetNextItemWidth(std::max(ImGui::GetFontSize() * 4.0f, width - calls_width - ImGui::GetStyle().ItemSpacing.x));
    int value = slider.position();
    const auto move = [&](bool released) {
        world.watch_slider(session.id(), {controls.work, std::nullopt});
        world.move_slider(session.id(), value, released);
    };
    if (ImGui::SliderInt("##slider", &value, slider_min, slider_max, "slider %d")) {
        move(false);
    }
    if (ImGui::IsItemDeactivatedAfterEdit()) {
        move(true);  // the release: Bokeh sends value and value_throttled together
    }
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("A Panel slider whose `value` is watched by a callback (the work set in the toolbar).\n"
                          "Panel merges its changes: the first change of a batch schedules one event 50 ms later,\n"
                          "and every change until that event starts only replaces the value it will see.\n"
                          "Drag it: many changes sent, few calls. A click flushes pending changes first.");
    }
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(ImColor(muted_text_colour), "%s", calls.c_str());
}

}  // namespace threadlab::ui
