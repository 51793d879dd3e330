#include "toolbar_view.hpp"

#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>

#include "core/chrome_trace.hpp"
#include "core/platform/thread_cpu.hpp"
#include "palette.hpp"

namespace threadlab::ui {

namespace {
constexpr const char* work_kinds_explained =
    "sleep: I/O-bound work like Panel's time.sleep(), releases the GIL. compute: CPU-bound Python code that "
    "really uses a core and must hold the GIL when it is on. native: CPU-bound code that releases the GIL "
    "while it runs, as many NumPy, pandas and Numba functions do: threads help it. process: the same Python "
    "sent to your own ProcessPoolExecutor (Panel has none): the callback pickles, waits without the GIL, "
    "unpickles; each process has its own GIL and starts up first.";

/// Places the next item on this line if `width` more pixels fit, otherwise on a new line, so the
/// toolbar wraps instead of being clipped (large presenter fonts, narrow windows). A `gap` of -1
/// is the style's item spacing.
void flow(float width, float gap) {
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    ImGui::SameLine(0.0f, gap);
    if (ImGui::GetCursorScreenPos().x + width > right) {
        ImGui::NewLine();
    }
}

/// Width of a labelled control whose frame is `frame_width` wide.
float labelled_width(const char* label, float frame_width) {
    return frame_width + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label, nullptr, true).x;
}

float checkbox_width(const char* label) { return labelled_width(label, ImGui::GetFrameHeight()); }

float button_width(const char* label) {
    return ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2.0f;
}

void tooltip(const char* text) {
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
        ImGui::TextUnformatted(text);
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
}
}  // namespace

void ToolbarView::draw(World& world, WorkControls& controls, Theme& theme, bool& help_open, bool& lessons_open) {
    const float unit = ImGui::GetFontSize();

    // Sessions.
    if (ImGui::Button("Add session")) {
        world.add_session();
    }
    tooltip("Open one more simulated browser session, with its own task runner thread "
            "(Panel: a new browser tab connecting to the server). Shortcut: A");
    flow(button_width("Destroy all"), -1.0f);
    if (ImGui::Button("Destroy all")) {
        world.destroy_all_sessions();
    }
    tooltip("Destroy every session (Panel: pn.state.on_session_destroyed). Returns at once. As the seed "
            "does (the default), each runner finishes its running and queued tasks, then ends; with "
            "More... > Prompt stop, running tasks are interrupted and queued ones cancelled. The threads are "
            "joined in the background. Shortcut: Ctrl+D");

    // Event pool.
    const auto setting = world.pool().stats().setting;
    bool threaded = setting.threaded;
    flow(checkbox_width("Threading"), unit * 2.0f);
    if (ImGui::Checkbox("Threading", &threaded)) {
        world.set_pool(threaded ? PoolSetting::fixed(static_cast<unsigned>(std::max(m_pool_slider, 0)))
                                : PoolSetting::off());
    }
    tooltip("On: clicks and periodic callbacks go to a pool of threads (Panel: pn.extension(nthreads=N) or "
            "panel serve --num-threads N). Off: a single event loop runs every event one after another, and a "
            "periodic callback runs inline, its next call armed only when it returns.");
    if (m_shown_setting != setting) {
        m_shown_setting = setting;
        if (setting.threaded) {
            m_pool_slider = static_cast<int>(setting.threads);
        }
    }
    flow(labelled_width("Pool", unit * 12.0f), -1.0f);
    ImGui::BeginDisabled(!threaded);
    ImGui::SetNextItemWidth(unit * 12.0f);
    const auto label = !setting.threaded      ? std::string("off")
                       : m_pool_slider == 0   ? "auto (" + std::to_string(auto_pool_threads()) + ")"
                       : m_pool_slider == 1   ? std::string("1 thread")
                                              : std::string("%d threads");
    if (ImGui::SliderInt("Pool", &m_pool_slider, 0, static_cast<int>(max_pool_threads), label.c_str())) {
        world.set_pool(PoolSetting::fixed(static_cast<unsigned>(m_pool_slider)));
        m_shown_setting = PoolSetting::fixed(static_cast<unsigned>(m_pool_slider));
    }
    ImGui::EndDisabled();
    tooltip("Size of the event pool: the most threads it may start. As in Panel's ThreadPoolExecutor, a "
            "thread starts only for an event that finds no idle one, and stays. Changed live while you drag "
            "(ThreadLab's own): growing starts threads for the events waiting now, shrinking lets busy threads "
            "finish their event first. 0 = auto, min(32, cores + 4), Python's default for nthreads=0.");

    flow(checkbox_width("GIL"), unit * 2.0f);
    bool gil = world.gil().enabled();
    if (ImGui::Checkbox("GIL", &gil)) {
        world.set_gil(gil);
    }
    tooltip("Simulate Python's global interpreter lock: compute work must hold it, so it cannot use more "
            "than one core however many threads run it. Sleep work releases it. Shortcut: G");

    // Work and time, then lessons and help.
    int kind = controls.work.kind == WorkKind::sleep     ? 0
               : controls.work.kind == WorkKind::native  ? 2
               : controls.work.kind == WorkKind::process ? 3
                                                         : 1;
    flow(labelled_width("Work", unit * 7.0f), unit * 2.0f);
    ImGui::SetNextItemWidth(unit * 7.0f);
    if (ImGui::Combo("Work", &kind, "sleep\0compute\0native\0process\0")) {
        controls.work.kind = kind == 0   ? WorkKind::sleep
                             : kind == 2 ? WorkKind::native
                             : kind == 3 ? WorkKind::process
                                         : WorkKind::compute;
    }
    tooltip(has_thread_cpu_clock()
                ? work_kinds_explained
                : std::string(work_kinds_explained)
                      .append(" In the browser there is no CPU clock per thread: compute and native work "
                              "count wall-clock time instead, which is CPU time only while the thread has a "
                              "core to itself.")
                      .c_str());
    flow(labelled_width("Duration", unit * 8.0f), -1.0f);
    ImGui::SetNextItemWidth(unit * 8.0f);
    float seconds = static_cast<float>(controls.work.seconds);
    if (ImGui::SliderFloat("Duration", &seconds, 0.1f, 10.0f, "%.1f s")) {
        controls.work.seconds = seconds;
    }
    tooltip("How long each new task or event takes, in simulated seconds.");

    flow(checkbox_width("Async"), unit * 2.0f);
    ImGui::Checkbox("Async", &controls.async_clicks);
    tooltip("Clicks call an async callback (async def) instead of a plain one. Panel runs every coroutine on "
            "the server's one event loop, threading on or off. Sleep work becomes await asyncio.sleep(...): "
            "the loop is free meanwhile, so many wait at once. Compute and native work hold the loop (no "
            "await until they return): every session's async callbacks wait behind them.");

    flow(labelled_width("Speed", unit * 8.0f), unit * 2.0f);
    ImGui::SetNextItemWidth(unit * 8.0f);
    if (!controls.speed) {
        controls.speed = 1.0 / world.time().get();
    }
    float speed = static_cast<float>(*controls.speed);
    if (ImGui::SliderFloat("Speed", &speed, 0.25f, 4.0f, "×%.2g", ImGuiSliderFlags_Logarithmic)) {
        // The dashboard applies it to the World (and to a running lesson) every frame.
        controls.speed = std::clamp(static_cast<double>(speed), 0.25, 4.0);
    }
    tooltip("How fast simulated time runs: ×1 is real time, ×0.25 a quarter speed to talk over a lesson, "
            "×4 four times as fast. Applies to work that starts after the change, and to a lesson from its next "
            "Run (a running lesson keeps the speed it started with, so its timing stays true).");

    flow(button_width("Lessons (L)"), -1.0f);
    if (ImGui::Button("Lessons (L)")) {
        lessons_open = !lessons_open;
    }
    tooltip("Built-in lessons: the audience predicts, the lesson runs live, the answer appears next to the "
            "prediction.");
    flow(button_width("Help (F1)"), -1.0f);
    if (ImGui::Button("Help (F1)")) {
        help_open = !help_open;
    }
    tooltip("Keyboard shortcuts and the colour key");

    // Less frequent controls in one menu, so the toolbar stays short on a projector.
    flow(button_width("More..."), -1.0f);
    if (ImGui::Button("More...")) {
        ImGui::OpenPopup("##more");
    }
    tooltip("Add many sessions, pause events, one event per session, prompt stop on destroy, presenter mode, "
            "export a trace");
    if (ImGui::BeginPopup("##more")) {
        ImGui::SetNextItemWidth(unit * 5.0f);
        ImGui::InputInt("##count", &controls.sessions_to_add, 1, 8);
        controls.sessions_to_add = std::clamp(controls.sessions_to_add, 1, 256);
        ImGui::SameLine();
        const std::string add_n = "Add " + std::to_string(controls.sessions_to_add) + " sessions###add-n";
        if (ImGui::Button(add_n.c_str())) {
            for (int i = 0; i < controls.sessions_to_add; ++i) {
                world.add_session();
            }
        }
        tooltip("Open this many sessions at once. Shortcut: Shift+A");
        const auto stats = world.pool().stats();
        bool paused = stats.paused;
        if (ImGui::Checkbox("Pause events", &paused)) {
            world.set_events_paused(paused);
        }
        tooltip("Hold new events: queued clicks and periodic callbacks wait, running ones finish. Resume "
                "releases them. Panel has no such switch; it helps to explain a queue. Shortcut: P");
        bool serialize = stats.serialize_per_session;
        if (ImGui::Checkbox("One event per session", &serialize)) {
            world.set_serialize_events_per_session(serialize);
        }
        tooltip("Off (Panel's behaviour): two clicks of the same session may run at once on two workers. "
                "On: a session's events wait for each other, for comparison.");
        bool prompt = world.destroy_mode() == StopMode::prompt;
        if (ImGui::Checkbox("Prompt stop on destroy", &prompt)) {
            world.set_destroy_mode(prompt ? StopMode::prompt : StopMode::drain);
        }
        tooltip("Off (the seed's way): Destroy sets the runner's stop flag and wakes it; it finishes its running "
                "task and every queued one, then ends. Python cannot interrupt a thread. On (ThreadLab's own): "
                "the running task is interrupted and the queued ones are cancelled at once.");
        bool presenter = theme.presenter();
        if (ImGui::Checkbox("Presenter", &presenter)) {
            theme.set_presenter(presenter);
        }
        tooltip("Large type and high contrast for a projector. Shortcut: F2");
        const bool exporting = m_export.status().running;
        ImGui::BeginDisabled(exporting);
        if (ImGui::Button("Export trace")) {
            export_trace(world);
        }
        ImGui::EndDisabled();
        if (m_files.downloads) {
            tooltip("Download everything recorded so far as a Chrome trace (JSON): open it in Perfetto UI or "
                    "chrome://tracing, or replay it here with Open trace... (or drop the file on the page).");
        } else {
            tooltip("Write everything recorded so far as a Chrome trace (JSON) in the current folder: open it in "
                    "Perfetto UI or chrome://tracing, or replay it here with threadlab --replay FILE. It is "
                    "written in the background: the window keeps drawing.");
        }
        if (m_files.choose) {
            ImGui::SameLine();
            if (ImGui::Button("Open trace...")) {
                ImGui::CloseCurrentPopup();
                m_files.choose();
            }
            tooltip("Replay a trace exported earlier (by ThreadLab here or on the desktop): choose the file, or "
                    "drop it on the page. Back to live returns to the running sessions.");
        }
        ImGui::EndPopup();
    }
}

void ToolbarView::export_trace(World& world) {
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm local{};
    localtime_r(&now, &local);
    char name[64];
    std::strftime(name, sizeof name, "threadlab-trace-%Y%m%d-%H%M%S.json", &local);
    // The spans are copied here, on the render thread; the JSON and the file are written on the
    // export's own thread.
    // The World outlives the dashboard (and so this export's thread): its change signal wakes the
    // render loop when the status line has news.
    m_export.start(world.trace_data("ThreadLab dashboard"), std::filesystem::absolute(name).string(),
                   [&changes = world.changes()] { changes.notify(); });
}

}  // namespace threadlab::ui
