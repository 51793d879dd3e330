#include "lesson_view.hpp"

#include <imgui.h>

#include <algorithm>

#include "format.hpp"
#include "palette.hpp"

namespace threadlab::ui {

namespace {
constexpr ImU32 correct_colour = IM_COL32(0, 158, 115, 255);
constexpr ImU32 heading_colour = IM_COL32(230, 159, 0, 255);

void labelled_text(const char* label, const std::string& text) {
    ImGui::TextColored(ImColor(heading_colour), "%s", label);
    ImGui::SameLine();
    ImGui::TextWrapped("%s", text.c_str());
}


bool has_action(const Scenario& scenario, ActionKind kind) {
    return std::any_of(scenario.actions.begin(), scenario.actions.end(),
                       [&](const ScenarioAction& action) { return action.kind == kind; });
}
}  // namespace

LessonView::LessonView() : m_lessons(built_in_lessons()) {
    for (const auto& lesson : m_lessons) {
        m_scenarios.push_back(load_lesson(lesson.name));
    }
}

bool LessonView::select(std::string_view name) {
    for (std::size_t i = 0; i < m_lessons.size(); ++i) {
        if (m_lessons[i].name == name) {
            if (m_selected != static_cast<int>(i)) {
                m_prediction = -1;
            }
            m_selected = static_cast<int>(i);
            return true;
        }
    }
    return false;
}

std::optional<double> LessonView::elapsed(const World& world) const {
    if (!m_active) {
        return std::nullopt;
    }
    if (m_active->finished) {
        return m_active->took_seconds;
    }
    return world.time().to_simulated(Clock::now() - m_active->player->started());
}

std::optional<Clock::time_point> LessonView::started_at() const {
    if (!m_active) {
        return std::nullopt;
    }
    return m_active->player->started();
}

std::optional<Clock::time_point> LessonView::ended_at() const {
    if (!m_active || !m_active->finished) {
        return std::nullopt;
    }
    return m_active->ended_at;
}

std::optional<double> LessonView::time_scale() const {
    if (!running() || !m_active || m_clearing) {
        return std::nullopt;
    }
    // Fixed for the whole run: its actions, markers and verdict are all timed on this scale.
    return m_active->time_scale;
}

bool LessonView::asks_about_durations() const {
    if (!m_active || !m_active->scenario.lesson || !m_active->scenario.lesson->measure) {
        return false;
    }
    const auto quantity = m_active->scenario.lesson->measure->quantity;
    return quantity == LessonQuantity::events_makespan || quantity == LessonQuantity::tasks_makespan;
}

std::vector<TimelineMarker> LessonView::markers(const World& world) const {
    std::vector<TimelineMarker> markers;
    if (!m_active) {
        return markers;
    }
    std::optional<ActionKind> last_kind;
    for (const auto& action : m_active->scenario.actions) {
        std::string label;
        switch (action.kind) {
            case ActionKind::gil: label = action.on ? "GIL on" : "GIL off"; break;
            case ActionKind::resize: label = "pool: " + action.pool.describe(); break;
            case ActionKind::threading: label = action.on ? "threading on" : "threading off"; break;
            case ActionKind::destroy_session: label = "destroy " + std::to_string(action.session); break;
            case ActionKind::close_tab: label = "tab " + std::to_string(action.session) + " closed"; break;
            case ActionKind::forget_on_session_destroyed:
                label = action.on ? "forget on_session_destroyed:" : "on_session_destroyed again:";
                break;
            case ActionKind::pause_events: label = action.on ? "pause" : "resume"; break;
            // Clicks whose work releases the GIL, or leaves for a process, begin a phase of their own.
            case ActionKind::click:
                if (action.work.kind == WorkKind::native) {
                    label = "native";
                } else if (action.work.kind == WorkKind::process) {
                    label = "processes";
                } else {
                    continue;
                }
                break;
            default: continue;
        }
        const auto at = m_active->player->started() + world.time().to_real(action.at);
        // Several changes at one moment share one line ("destroy 3, 4").
        if (!markers.empty() && markers.back().at == at) {
            const bool another_destroy = action.kind == ActionKind::destroy_session && last_kind == action.kind;
            const bool after_a_tab = last_kind == ActionKind::close_tab;
            markers.back().label += another_destroy ? ", " + std::to_string(action.session) : (after_a_tab ? ", " : " ") + label;
        } else {
            markers.push_back({at, std::move(label)});
        }
        last_kind = action.kind;
    }
    return markers;
}

void LessonView::run(World& world) {
    // A lesson starts on a clean stage: no sessions, no leaked threads, and session numbers from 1
    // as its text names them, which needs every old runner thread gone (a few milliseconds).
    if (m_active && !m_active->finished) {
        finish(world, true);
    }
    m_active.reset();
    world.set_events_paused(false);
    world.destroy_all_sessions();
    world.set_forget_on_session_destroyed(false);
    world.stop_leaked_sessions();
    m_clearing = true;
    advance(world, m_speed);
}

void LessonView::start(World& world) {
    Active active;
    active.scenario = m_scenarios[static_cast<std::size_t>(m_selected)];
    active.prediction = m_prediction;
    // The presenter's speed when the run starts holds until it ends: the scenario's times (and
    // the verdict's windows) are read on one scale. A new speed applies to the next run.
    active.time_scale = std::clamp(active.scenario.time_scale / m_speed, TimeScale::min_scale, TimeScale::max_scale);
    world.set_time_scale(active.time_scale);
    world.log_marker("Lesson \"" + active.scenario.lesson->title + "\" starts");
    m_active = std::move(active);
    // The player keeps a reference to the scenario: it lives in m_active, which stays put.
    m_active->player = std::make_unique<ScenarioPlayer>(world, m_active->scenario);
    const auto now = Clock::now();
    m_active->player->start(now);
    m_active->player->advance(now);
}

void LessonView::finish(World& world, bool stopped) {
    const auto now = Clock::now();
    m_active->finished = true;
    m_active->stopped = stopped;
    m_active->took_seconds = world.time().to_simulated(now - m_active->player->started());
    m_active->ended_at = now;
    m_active->leaked_at_end = world.leaked_sessions();
    if (!stopped) {
        // Measured before the leaked runners are stopped below: they are part of what it shows.
        const auto run = capture_lesson_run(world, m_active->player->started(), m_active->player->sessions(),
                                            m_active->leaked_at_end);
        m_active->verdict = judge_lesson(*m_active->scenario.lesson, run);
        world.log_marker("Lesson ended: " + verdict_summary(*m_active->verdict));
    } else {
        world.log_marker("Lesson stopped");
        for (const auto& periodic : world.periodic_callbacks()) {
            world.stop_periodic(periodic.id);
        }
        world.destroy_all_sessions();
    }
    // Leaked runners are counted above, and cleaned up now that the lesson has ended.
    world.set_forget_on_session_destroyed(false);
    world.stop_leaked_sessions();
}

void LessonView::advance(World& world, double speed) {
    m_speed = speed;
    if (m_clearing) {
        world.destroy_all_sessions();  // one added meanwhile (A, Add session) would hold the stage
        if (!world.restart_session_numbering()) {
            return;  // old runners or events still ending; the next frame looks again
        }
        m_clearing = false;
        start(world);
        return;
    }
    if (!m_active || m_active->finished) {
        return;
    }
    const auto now = Clock::now();
    m_active->player->advance(now);
    if (m_active->player->done() || m_active->player->past_end(now)) {
        finish(world, false);
    }
}

void LessonView::draw(World& world, bool& open) {
    draw_header(open);
    // The controls first, at a place that never moves: nothing above them changes size. What
    // is shown below is decided after them: Reset, Restart and Next change it.
    draw_controls(world);
    ImGui::Separator();
    const Scenario& scenario = m_scenarios[static_cast<std::size_t>(m_selected)];
    const LessonText& lesson = *scenario.lesson;
    const bool this_one = m_active && m_active->scenario.name == scenario.name;
    const bool judged = this_one && m_active->finished && m_active->verdict;
    const float unit = ImGui::GetFontSize();

    // The live evidence is pinned under the text, so that it is on screen at the lesson's key
    // moment however long the text; the text scrolls above it (its height: last frame's).
    const bool instruments = this_one && (!m_active->finished || judged);
    ImGui::BeginChild("##lesson-body", {0, instruments ? -m_instruments_height : 0.0f}, false);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(ImColor(255, 255, 255), "%s", lesson.title.c_str());
    // Once it has run, the setup makes room for what the run showed (the question stays).
    if (!judged) {
        ImGui::TextWrapped("%s", scenario.description.c_str());
    }
    ImGui::Spacing();

    // 1. Predict.
    labelled_text("Predict:", lesson.question);
    ImGui::BeginDisabled(running());
    for (std::size_t i = 0; i < lesson.choices.size(); ++i) {
        // The button, then its label wrapped to the column (a long choice is never cut off);
        // a click on either chooses.
        ImGui::PushID(static_cast<int>(i));
        bool chosen = ImGui::RadioButton("##choice", m_prediction == static_cast<int>(i));
        ImGui::SameLine(0.0f, ImGui::GetStyle().ItemInnerSpacing.x);
        ImGui::AlignTextToFramePadding();
        ImGui::TextWrapped("%s", choice_label(lesson, static_cast<int>(i)).c_str());
        chosen = chosen || (!running() && ImGui::IsItemClicked());
        ImGui::PopID();
        if (chosen) {
            m_prediction = static_cast<int>(i);
        }
    }
    ImGui::EndDisabled();

    // 3. What this run showed, the verdict on it, then why (only for a run that ended by itself:
    // a stopped run gives nothing away).
    if (this_one && m_active->finished) {
        ImGui::Separator();
        draw_result(*m_active);
        if (judged) {
            ImGui::Spacing();
            labelled_text("Watch:", lesson.watch);
            labelled_text("Why:", lesson.why);
            labelled_text("Panel:", lesson.panel);
        }
    }
    ImGui::PopTextWrapPos();
    ImGui::Dummy({unit, unit * 0.5f});
    ImGui::EndChild();

    // 2. While it runs, and with its verdict: the live evidence.
    if (instruments) {
        const float top = ImGui::GetCursorPosY();
        draw_instruments(world);
        const float drawn = ImGui::GetCursorPosY() - top;
        m_instruments_height = drawn > 0.0f ? drawn + ImGui::GetStyle().ItemSpacing.y : 0.0f;
    }
}

void LessonView::draw_header(bool& open) {
    const float unit = ImGui::GetFontSize();
    const auto count = static_cast<int>(m_lessons.size());
    ImGui::BeginDisabled(running());
    if (ImGui::ArrowButton("##previous", ImGuiDir_Left) && m_selected > 0) {
        select(m_lessons[static_cast<std::size_t>(m_selected - 1)].name);
    }
    ImGui::SameLine();
    const float close_width = ImGui::CalcTextSize("Close").x + ImGui::GetStyle().FramePadding.x * 2.0f;
    const float arrow = ImGui::GetFrameHeight();
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - close_width - arrow - ImGui::GetStyle().ItemSpacing.x * 2.0f);
    const std::string current = "Lesson " + std::to_string(m_selected + 1) + " of " + std::to_string(count) + ": " +
                                std::string(m_lessons[static_cast<std::size_t>(m_selected)].name);
    if (ImGui::BeginCombo("##lesson", current.c_str(), ImGuiComboFlags_HeightLargest)) {
        for (int i = 0; i < count; ++i) {
            const auto& scenario = m_scenarios[static_cast<std::size_t>(i)];
            const std::string label = std::to_string(i + 1) + ". " + scenario.lesson->title;
            if (ImGui::Selectable(label.c_str(), m_selected == i)) {
                select(m_lessons[static_cast<std::size_t>(i)].name);
            }
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    if (ImGui::ArrowButton("##next", ImGuiDir_Right) && m_selected + 1 < count) {
        select(m_lessons[static_cast<std::size_t>(m_selected + 1)].name);
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("Close")) {
        open = false;
    }
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("Close the lesson stage (L); the dashboard takes the whole window again");
    }
    (void)unit;
    ImGui::Separator();
}

void LessonView::draw_controls(World& world) {
    const float width = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x * 3.0f) / 4.0f;
    const bool busy = running();
    const bool ran = m_active && m_active->scenario.name == m_scenarios[static_cast<std::size_t>(m_selected)].name;

    // Fixed widths and "###" IDs: the buttons never move or lose a click when a label changes.
    ImGui::BeginDisabled(busy);
    if (ImGui::Button(ran ? "Restart###run" : "Run###run", {width, 0})) {
        run(world);
    }
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
        ImGui::SetTooltip("Replace the sessions with the lesson's own and play it live%s.",
                          m_prediction < 0 ? " (choose a prediction first, or run without one)" : "");
    }
    ImGui::SameLine();
    ImGui::BeginDisabled(!busy || m_clearing);
    if (ImGui::Button("Stop###stop", {width, 0})) {
        finish(world, true);
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(busy || !ran);
    if (ImGui::Button("Reset###reset", {width, 0})) {
        // A clean stage as the lesson starts it, without running: the prediction can be made again.
        world.destroy_all_sessions();
        world.stop_leaked_sessions();
        m_active.reset();
        m_prediction = -1;
    }
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
        ImGui::SetTooltip("Clear the stage and the answer, to ask the question again");
    }
    ImGui::SameLine();
    ImGui::BeginDisabled(busy || m_selected + 1 >= static_cast<int>(m_lessons.size()));
    if (ImGui::Button("Next###next-lesson", {width, 0})) {
        select(m_lessons[static_cast<std::size_t>(m_selected + 1)].name);
    }
    ImGui::EndDisabled();

    if (m_clearing) {
        ImGui::TextColored(ImColor(muted_text_colour), "Clearing the stage...");
    } else if (m_active && ran && !m_active->finished) {  // Reset or Restart above may have cleared it
        ImGui::TextColored(ImColor(task_state_colour(TaskState::running)), "Running: %.1f simulated s (speed ×%g)",
                           *elapsed(world), m_active->scenario.time_scale / m_active->time_scale);
    } else if (!ran) {
        ImGui::TextColored(ImColor(muted_text_colour), m_prediction < 0 ? "Choose what you expect, then Run."
                                                                        : "Run it and see.");
    }
}

void LessonView::draw_instruments(const World& world) {
    const Scenario& scenario = m_active->scenario;
    const float unit = ImGui::GetFontSize();
    // Shared counters (lost updates): racy, atomic and locked side by side, against the expected total.
    const auto racy = world.counters().read(CounterKind::racy);
    const auto atomic = world.counters().read(CounterKind::atomic);
    const auto locked = world.counters().read(CounterKind::mutex);
    if (racy.expected + atomic.expected + locked.expected > 0 &&
        ImGui::BeginTable("##counters", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn("counter");
        ImGui::TableSetupColumn("reads");
        ImGui::TableSetupColumn("expected");
        ImGui::TableSetupColumn("lost");
        ImGui::TableHeadersRow();
        for (const auto& [name, reading] : {std::pair{"no lock", racy}, std::pair{"atomic", atomic}, std::pair{"mutex", locked}}) {
            if (reading.expected == 0) {
                continue;
            }
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(name);
            ImGui::TableNextColumn();
            ImGui::Text("%llu", static_cast<unsigned long long>(reading.value));
            ImGui::TableNextColumn();
            ImGui::Text("%llu", static_cast<unsigned long long>(reading.expected));
            ImGui::TableNextColumn();
            ImGui::TextColored(ImColor(reading.lost() > 0 ? error_colour : correct_colour), "%llu",
                               static_cast<unsigned long long>(reading.lost()));
        }
        ImGui::EndTable();
    }

    // A queue under load: Little's law, live. L = events in the system now; λ = arrivals per
    // simulated second so far; W = mean time in the system of the events finished so far.
    read_instruments(world);
    if (has_action(scenario, ActionKind::start_periodic)) {
        const auto stats = world.pool().stats();
        const double seconds = std::max(1e-3, elapsed(world).value_or(0.0));
        const double lambda = static_cast<double>(stats.events.submitted) / seconds;
        const double w = m_instruments.mean_in_system;
        const auto l = stats.events.queued + stats.events.running;
        ImGui::Text("Queue depth now: %llu    L = %llu in the system", static_cast<unsigned long long>(stats.events.queued),
                    static_cast<unsigned long long>(l));
        ImGui::Text("λ = %.1f/s    W = %.2f s    λW = %.1f", lambda, w, lambda * w);
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("Little's law: on average, L = λW. L: events queued or running; λ: arrivals per\n"
                              "simulated second; W: mean simulated seconds an event spends queued and running.");
        }
    }

    // Waiting well: how each runner waits, side by side.
    if (has_action(scenario, ActionKind::poll_runner) &&
        ImGui::BeginTable("##waiting", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn("runner");
        ImGui::TableSetupColumn("wake-ups");
        ImGui::TableSetupColumn("CPU");
        ImGui::TableSetupColumn("worst wait");
        ImGui::TableHeadersRow();
        for (const auto& session : m_active->player->sessions()) {
            const auto worst = m_instruments.worst_task_wait[session->id()];
            const auto cpu = session->runner_cpu_time();
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextColored(ImColor(session_colour(session->id())), "#%u", session->id());
            ImGui::TableNextColumn();
            ImGui::Text("%llu", static_cast<unsigned long long>(session->wakeups()));
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(cpu ? format_duration(*cpu).c_str() : "-");
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(format_duration(worst).c_str());
        }
        ImGui::EndTable();
    }

    // Debounce: the changes the browser sent against the calls the watchers got.
    if (has_action(scenario, ActionKind::slide)) {
        for (const auto& session : m_active->player->sessions()) {
            const auto& slider = *session->slider();
            if (slider.changes_sent() == 0) {
                continue;
            }
            ImGui::TextColored(ImColor(session_colour(session->id())), "Slider #%u at %d:", session->id(), slider.position());
            ImGui::SameLine();
            ImGui::Text("%llu changes sent", static_cast<unsigned long long>(slider.changes_sent()));
            ImGui::TextColored(ImColor(correct_colour), "%llu calls on value", static_cast<unsigned long long>(slider.batches_taken()));
            ImGui::SameLine();
            ImGui::Text("· %llu on value_throttled", static_cast<unsigned long long>(slider.releases_taken()));
        }
    }
    (void)unit;
}

void LessonView::read_instruments(const World& world) {
    const auto now = Clock::now();
    if (now - m_instruments.read_at < std::chrono::milliseconds(250)) {
        return;
    }
    m_instruments = {};
    m_instruments.read_at = now;
    const auto since = m_active->player->started();
    double in_system = 0.0;
    std::size_t events = 0;
    for (const auto& span : world.trace().spans()) {
        if (span.submitted < since) {
            continue;
        }
        if (span.kind == SpanKind::task) {
            auto& worst = m_instruments.worst_task_wait[span.session];
            worst = std::max(worst, span.queue_wait());
        } else if (is_pool_event(span.kind)) {
            in_system += world.time().to_simulated(span.finished - span.submitted);
            ++events;
        }
    }
    m_instruments.mean_in_system = events > 0 ? in_system / static_cast<double>(events) : 0.0;
}

void LessonView::draw_result(const Active& active) {
    if (active.stopped || !active.verdict) {
        ImGui::TextColored(ImColor(task_state_colour(TaskState::cancelled)),
                           "Stopped after %.1f simulated s: no verdict. Run it again to see the answer.",
                           active.took_seconds);
        return;
    }
    const LessonText& lesson = *active.scenario.lesson;
    const LessonVerdict& verdict = *active.verdict;
    // Green when the prediction is what this run showed, red when not; neutral without one.
    const std::optional<int> prediction =
        active.prediction >= 0 ? std::optional<int>(active.prediction) : std::nullopt;
    const bool right = prediction && verdict.matched_choice == prediction;
    const ImU32 colour = !prediction ? IM_COL32(255, 255, 255, 255) : right ? correct_colour : error_colour;
    ImGui::PushStyleColor(ImGuiCol_Text, colour);
    ImGui::TextWrapped("%s", verdict_sentence(lesson, verdict, prediction).c_str());
    ImGui::PopStyleColor();
    if (active.leaked_at_end > 0) {
        ImGui::TextWrapped("%zu runner threads of destroyed sessions were still alive at the end (now stopped).",
                           active.leaked_at_end);
    }
}

}  // namespace threadlab::ui
