#include "pool_view.hpp"

#include <imgui.h>

#include <string>

#include "core/platform/thread_count.hpp"
#include "format.hpp"
#include "palette.hpp"

namespace threadlab::ui {

namespace {
void labelled(const char* label, const std::string& value, const char* tip) {
    // On the next line when it would not fit on this one: nothing is clipped in a narrow view.
    const float width = ImGui::CalcTextSize(label).x + ImGui::CalcTextSize(value.c_str()).x + ImGui::GetFontSize() * 0.3f;
    if (ImGui::GetCursorScreenPos().x + width > ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) {
        ImGui::NewLine();
    }
    ImGui::TextColored(ImColor(muted_text_colour), "%s", label);
    ImGui::SameLine(0.0f, ImGui::GetFontSize() * 0.3f);
    ImGui::TextUnformatted(value.c_str());
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("%s", tip);
    }
    ImGui::SameLine(0.0f, ImGui::GetFontSize() * 1.2f);
}

std::string count(std::uint64_t value) { return std::to_string(value); }
}  // namespace

void PoolView::draw(const World& world, const LatencySummary& queue_wait, const LatencySummary& run_time, bool plots) {
    const auto stats = world.pool().stats();
    const auto now = Clock::now();
    m_queue_depth.add(now, static_cast<double>(stats.events.queued));
    m_busy.add(now, static_cast<double>(stats.busy));
    m_completed.add(now, static_cast<double>(stats.events.finished()));
    const float unit = ImGui::GetFontSize();

    // Size of the pool.
    ImGui::AlignTextToFramePadding();
    ImGui::Text("Event pool: %s", stats.setting.describe().c_str());
    if (stats.paused) {
        ImGui::SameLine();
        ImGui::TextColored(ImColor(task_state_colour(TaskState::cancelled)), "PAUSED: no new event starts");
    }
    ImGui::SameLine(0.0f, unit * 1.5f);
    labelled("target", count(stats.target),
             "The pool's size: the most threads it may start. They start on demand, one for each event that "
             "finds no idle thread, and stay (Python's ThreadPoolExecutor)");
    labelled("live", count(stats.live), "Worker threads that exist right now");
    labelled("busy", count(stats.busy), "Workers running an event");
    labelled("retiring", count(stats.retiring), "Workers that leave after their current event (the pool shrank)");
    labelled("queued", count(stats.events.queued), "Events waiting for a free worker or for the event loop");
    labelled("loop", stats.loop_busy ? std::string("busy") : std::string("free"),
             "The server's event loop: busy while a step of an async callback (or, threading off, any event) "
             "runs on it; free while coroutines only await");
    if (stats.loop_awaiting > 0) {
        labelled("awaiting", count(stats.loop_awaiting), "Async callbacks awaiting: the loop is free meanwhile");
    }
    if (now - m_threads_read_at >= std::chrono::milliseconds(500)) {
        m_process_threads = kernel_thread_count();
        m_threads_read_at = now;
    }
    labelled("process threads", count(m_process_threads),
             "Threads this program has right now, as the kernel counts them: the window's, the pool's\n"
             "workers, every session's runner, and runners nobody stopped (leaked) until they end.");
    if (plots) {
        ImGui::NewLine();
    }

    // What it has done, and how fast (compact: the counts only, on the same line if they fit).
    labelled("completed", count(stats.events.completed), "Events that finished normally");
    labelled("failed", count(stats.events.failed), "Events whose callback raised an error");
    labelled("cancelled", count(stats.events.cancelled), "Events cancelled before or while running");
    if (!plots) {
        return;  // on the same line: the timeline's controls go on here if they fit
    }
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.1f/s", m_completed.rate(std::chrono::seconds(5)));
    labelled("throughput", rate, "Events finished per second, over the last 5 s");
    labelled("wait p50/p99", format_duration(queue_wait.p50) + " / " + format_duration(queue_wait.p99),
             "Time events spent queued before a worker took them (events in the timeline's window)");
    labelled("run p50/p99", format_duration(run_time.p50) + " / " + format_duration(run_time.p99),
             "Time events took to run (events in the timeline's window)");
    ImGui::NewLine();

    // Plots over the last 30 s.
    const float plot_width = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
    const float plot_height = unit * 2.6f;
    const auto depth = m_queue_depth.values();
    const auto busy = m_busy.values();
    const std::string depth_label = "queue depth " + count(stats.events.queued);
    const std::string busy_label = "busy workers " + count(stats.busy) + " of " + count(stats.live);
    ImGui::PushStyleColor(ImGuiCol_PlotLines, task_state_colour(TaskState::cancelled));
    ImGui::PlotLines("##depth", depth.data(), static_cast<int>(depth.size()), 0, depth_label.c_str(), 0.0f,
                     static_cast<float>(std::max(1.0, m_queue_depth.peak())), {plot_width, plot_height});
    ImGui::PopStyleColor();
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_PlotLines, task_state_colour(TaskState::running));
    ImGui::PlotLines("##busy", busy.data(), static_cast<int>(busy.size()), 0, busy_label.c_str(), 0.0f,
                     static_cast<float>(std::max<unsigned>(1, stats.live)), {plot_width, plot_height});
    ImGui::PopStyleColor();
}

}  // namespace threadlab::ui
