#include "bench_ui.hpp"

#include <imgui.h>

#include <cstdio>
#include <thread>
#include <vector>

#include "core/busy_load.hpp"
#include "core/latency.hpp"
#include "core/lock_probe.hpp"
#include "core/platform/thread_cpu.hpp"
#include "core/world.hpp"
#include "ui/dashboard.hpp"
#include "ui/format.hpp"
#include "ui/theme.hpp"

namespace threadlab::app {

int run_bench_ui(const Options& options, const StopSignals& signals) {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = {1600.0f, 1000.0f};
    io.DeltaTime = 1.0f / 60.0f;
    {
        ui::Theme theme(1.0f);
        unsigned char* pixels = nullptr;
        int width = 0;
        int height = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);  // what a renderer would upload

        World world({PoolSetting::fixed(8), 1.0, false, false});
        add_busy_sessions(world, options.sessions);  // the options allow at most max_live_sessions
        ui::Dashboard dashboard(theme, {options.work, 8, false, {}}, Clock::now());

        LockWaitRecorder recorder;
        t_lock_wait_recorder = &recorder;
        std::vector<Clock::duration> cpu;
        std::vector<Clock::duration> lock_waits;
        auto next_frame = Clock::now();
        for (int frame = 0; frame < options.frames && !signals.stop_requested(); ++frame) {
            // Paced like a 60 Hz display: the benchmark measures a frame, not a busy loop.
            next_frame += std::chrono::microseconds(16667);
            std::this_thread::sleep_until(next_frame);
            recorder.reset();
            const auto start = current_thread_cpu_time();
            ImGui::NewFrame();
            dashboard.draw(world);
            ImGui::Render();
            cpu.push_back(current_thread_cpu_time() - start);
            lock_waits.push_back(recorder.longest());
        }
        t_lock_wait_recorder = nullptr;
        const auto frame = summarize(cpu);
        const auto waits = summarize(lock_waits);
        std::printf("bench-ui: %d busy sessions, %d frames: frame CPU p50 %s, p99 %s, max %s; "
                    "longest lock wait per frame p99 %s, max %s\n",
                    options.sessions, options.frames, ui::format_duration(frame.p50).c_str(),
                    ui::format_duration(frame.p99).c_str(), ui::format_duration(frame.max).c_str(),
                    ui::format_duration(waits.p99).c_str(), ui::format_duration(waits.max).c_str());
    }
    ImGui::DestroyContext();
    return 0;
}

}  // namespace threadlab::app
