#include "lesson_view.hpp"

#include <imgui.h>

#include "format.hpp"
#include "palette.hpp"

namespace threadlab::ui {

namespace {
constexpr ImU32 correct_colour = IM_COL32(0, 158, 115, 255);

void wrapped(const char* label, const std::string& text) {
    ImGui::TextColored(ImColor(task_state_colour(TaskState::cancelled)), "%s", label);
    ImGui::SameLine();
    ImGui::TextWrapped("%s", text.c_str());
}

char letter(int index) { return static_cast<char>('a' + index); }
}  // namespace

LessonView::LessonView() : m_lessons(built_in_lessons()) {
    for (const auto& lesson : m_lessons) {
        m_scenarios.push_back(load_lesson(lesson.name));
    }
}

bool LessonView::select(std::string_view name) {
    for (std::size_t i = 0; i < m_lessons.size(); ++i) {
        if (m_lessons[i].name == name) {
            m_selected = static_cast<int>(i);
            m_prediction = -1;
            return true;
        }
    }
    return false;
}

void LessonView::start(World& world) {
    // A lesson starts from a clean stage: no sessions, no leaked threads, its own settings.
    world.destroy_all_sessions();
    world.stop_leaked_sessions();
    Active active;
    active.scenario = m_scenarios[static_cast<std::size_t>(m_selected)];
    active.prediction = m_prediction;
    world.set_time_scale(active.scenario.time_scale);
    m_active = std::move(active);
    // The player keeps a reference to the scenario: it lives in m_active, which stays put.
    m_active->player = std::make_unique<ScenarioPlayer>(world, m_active->scenario);
    const auto now = Clock::now();
    m_active->player->start(now);
    m_active->player->advance(now);
}

void LessonView::advance(World& world) {
    if (!running()) {
        return;
    }
    const auto now = Clock::now();
    m_active->player->advance(now);
    if (m_active->player->done() || m_active->player->past_end(now)) {
        m_active->finished = true;
        m_active->took_seconds = world.time().to_simulated(now - m_active->player->started());
        m_active->leaked_at_end = world.leaked_sessions();
        m_active->racy = world.counters().read(CounterKind::racy);
        // Leaked runners are counted above, and cleaned up now that the lesson has ended.
        world.set_forget_on_session_destroyed(false);
        world.stop_leaked_sessions();
    }
}

void LessonView::draw(World& world, bool& open) {
    if (!open) {
        return;
    }
    const float unit = ImGui::GetFontSize();
    // At first over the log (bottom right), so the pool's lanes, which lessons ask to watch, stay visible.
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowSize({unit * 44.0f, unit * 30.0f}, ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowPos({viewport->WorkPos.x + viewport->WorkSize.x - unit, viewport->WorkPos.y + viewport->WorkSize.y - unit},
                            ImGuiCond_FirstUseEver, {1.0f, 1.0f});
    if (ImGui::Begin("Lessons (L)", &open)) {
        ImGui::BeginChild("list", {unit * 13.0f, 0}, true);
        draw_list();
        ImGui::EndChild();
        ImGui::SameLine();
        ImGui::BeginChild("lesson", {0, 0}, false);
        draw_lesson(world);
        ImGui::EndChild();
    }
    ImGui::End();
}

void LessonView::draw_list() {
    for (std::size_t i = 0; i < m_lessons.size(); ++i) {
        const auto& scenario = m_scenarios[i];
        const std::string label = std::to_string(i + 1) + ". " + std::string(m_lessons[i].name);
        if (ImGui::Selectable(label.c_str(), m_selected == static_cast<int>(i))) {
            if (m_selected != static_cast<int>(i)) {
                m_prediction = -1;
            }
            m_selected = static_cast<int>(i);
        }
        if (ImGui::IsItemHovered() && scenario.lesson) {
            ImGui::SetTooltip("%s", scenario.lesson->title.c_str());
        }
    }
}

void LessonView::draw_lesson(World& world) {
    const Scenario& scenario = m_scenarios[static_cast<std::size_t>(m_selected)];
    const LessonText& lesson = *scenario.lesson;
    const bool this_one_active = m_active && m_active->scenario.name == scenario.name;

    ImGui::TextColored(ImColor(255, 255, 255), "%s", lesson.title.c_str());
    ImGui::TextWrapped("%s", scenario.description.c_str());
    ImGui::Separator();

    // 1. Predict.
    ImGui::TextColored(ImColor(task_state_colour(TaskState::cancelled)), "Predict first:");
    ImGui::SameLine();
    ImGui::TextWrapped("%s", lesson.question.c_str());
    const bool locked = this_one_active && running();
    ImGui::BeginDisabled(locked);
    for (std::size_t i = 0; i < lesson.choices.size(); ++i) {
        const std::string choice = std::string(1, letter(static_cast<int>(i))) + ") " + lesson.choices[i];
        if (ImGui::RadioButton(choice.c_str(), m_prediction == static_cast<int>(i))) {
            m_prediction = static_cast<int>(i);
        }
    }
    ImGui::EndDisabled();

    // 2. Run.
    ImGui::Spacing();
    ImGui::BeginDisabled(running());
    // "###run": one ID whatever the label says, so a click is never lost to a label change.
    if (ImGui::Button(m_prediction < 0 ? "Run without a prediction###run" : "Run the lesson###run")) {
        start(world);
    }
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
        ImGui::SetTooltip("Replaces the sessions on the dashboard with the lesson's own, and plays its actions\n"
                          "at the lesson's pace (%g wall-clock seconds per simulated second).",
                          scenario.time_scale);
    }
    if (this_one_active && running()) {
        ImGui::SameLine();
        const double elapsed = world.time().to_simulated(Clock::now() - m_active->player->started());
        ImGui::TextColored(ImColor(task_state_colour(TaskState::running)), "running: %.1f simulated s", elapsed);
    }
    wrapped("Watch:", lesson.watch);

    // 3. The answer, next to the prediction.
    if (this_one_active && m_active->finished) {
        ImGui::Separator();
        draw_result(world, *m_active);
    }
}

void LessonView::draw_result(const World& world, const Active& active) {
    const LessonText& lesson = *active.scenario.lesson;
    const auto& answer = lesson.choices[static_cast<std::size_t>(lesson.answer)];
    ImGui::Text("It took %.2f simulated s.", active.took_seconds);
    if (active.prediction >= 0) {
        const bool right = active.prediction == lesson.answer;
        ImGui::TextColored(ImColor(right ? correct_colour : error_colour), "You predicted %c) %s: %s",
                           letter(active.prediction), lesson.choices[static_cast<std::size_t>(active.prediction)].c_str(),
                           right ? "right!" : "not quite.");
    }
    ImGui::TextColored(ImColor(correct_colour), "Answer: %c) %s", letter(lesson.answer), answer.c_str());
    if (active.racy.expected > 0) {
        ImGui::Text("Racy counter: %llu of %llu increments kept, %llu lost.",
                    static_cast<unsigned long long>(active.racy.value),
                    static_cast<unsigned long long>(active.racy.expected),
                    static_cast<unsigned long long>(active.racy.lost()));
    }
    if (active.leaked_at_end > 0) {
        ImGui::Text("%zu runner threads of destroyed sessions were still alive at the end (now stopped).",
                    active.leaked_at_end);
    }
    for (const auto& session : active.player->sessions()) {
        const auto cpu = session->runner_cpu_time();
        if (session->task_counts().submitted > 0 && cpu) {
            ImGui::Text("Session #%u's runner woke %llu times while idle and used %s of CPU.", session->id(),
                        static_cast<unsigned long long>(session->wakeups()), format_duration(*cpu).c_str());
        }
    }
    wrapped("Why:", lesson.why);
    wrapped("Panel:", lesson.panel);
    (void)world;
}

}  // namespace threadlab::ui
