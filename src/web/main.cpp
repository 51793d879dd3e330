// ThreadLab in the browser: the same World and Dashboard as the desktop program, drawn into the
// page's canvas once per animation frame (emscripten_set_main_loop), never blocking the page's
// main thread (the dashboard copies engine state with try_lock). Sessions, workers and the event
// loop are Web Workers. The page's console gets the event log, line by line, so that a test (or
// a curious workshop participant with the developer tools open) can follow it.
// threadlab.html?bench=N is the UI benchmark (as threadlab --bench-ui): N busy sessions on a pool
// of 8, and after 300 frames one console line with the time each frame took to build and render.

#include <emscripten/emscripten.h>

#include <cstdio>
#include <vector>

#include "browser_page.hpp"
#include "core/busy_load.hpp"
#include "core/latency.hpp"
#include "core/world.hpp"
#include "item_locator.hpp"
#include "ui/dashboard.hpp"
#include "ui/format.hpp"
#include "ui/theme.hpp"

namespace {

using namespace threadlab;

struct Page {
    web::BrowserPage& browser;
    World& world;
    ui::Dashboard& dashboard;
    Clock::time_point started;
    int bench_sessions = 0;  // 0: not the benchmark
    std::uint64_t logged = 0;
    bool drawn = false;
    std::vector<Clock::duration> frame_times;  // the whole frame, WebGL calls included
    std::vector<Clock::duration> build_times;  // the dashboard's frame alone, as --bench-ui measures
};

constexpr std::size_t bench_frames = 300;

/// The benchmark's line, once it has its frames: what --bench-ui prints natively. The page has no
/// CPU clock per thread: the main thread's wall time, which is its CPU time unless preempted.
void report_bench(Page& page) {
    if (page.frame_times.size() != bench_frames) {
        return;
    }
    const auto frame = summarize(page.frame_times);
    const auto build = summarize(page.build_times);
    std::printf("threadlab bench: %d busy sessions, %zu frames: dashboard p50 %s, p99 %s, max %s; "
                "with WebGL p50 %s, p99 %s, max %s\n",
                page.bench_sessions, bench_frames, ui::format_duration(build.p50).c_str(),
                ui::format_duration(build.p99).c_str(), ui::format_duration(build.max).c_str(),
                ui::format_duration(frame.p50).c_str(), ui::format_duration(frame.p99).c_str(),
                ui::format_duration(frame.max).c_str());
    page.frame_times.push_back({});  // reported once
}

/// New lines of the event log to the console, as the log view shows them.
void log_to_console(Page& page) {
    static std::vector<LogEntry> entries;
    entries.clear();
    page.logged = page.world.log().try_copy_since(page.logged, entries);
    for (const auto& entry : entries) {
        const double seconds = std::chrono::duration<double>(entry.time - page.started).count();
        std::printf("threadlab log: +%.3f s #%llu %s\n", seconds, static_cast<unsigned long long>(entry.session),
                    entry.text.c_str());
    }
}

void draw_frame(void* argument) {
    auto& page = *static_cast<Page*>(argument);
    const auto start = Clock::now();
    page.browser.begin_frame();
    web::new_item_frame();
    page.dashboard.draw(page.world, page.browser.take_key_presses());
    const auto built = Clock::now();
    page.browser.render_frame();
    if (page.bench_sessions > 0 && page.frame_times.size() < bench_frames) {
        page.build_times.push_back(built - start);
        page.frame_times.push_back(Clock::now() - start);
        report_bench(page);
    }
    log_to_console(page);
    if (!page.drawn) {
        page.drawn = true;
        std::printf("threadlab: first frame drawn at %.0f ms after navigation\n",
                    EM_ASM_DOUBLE({ return performance.now(); }));
    }
}

}  // namespace

int main() {
    const auto started = Clock::now();
    auto browser = web::BrowserPage::open();
    if (!browser) {
        return 1;
    }
    web::start_item_locator();
    ui::Theme theme(browser->pixel_ratio());
    const int bench_sessions = EM_ASM_INT({
        const sessions = Number(new URLSearchParams(location.search).get('bench'));
        return Number.isInteger(sessions) && sessions > 0 ? sessions : 0;
    });
    WorldConfig config;
    if (bench_sessions > 0) {
        config.pool = PoolSetting::fixed(8);  // as --bench-ui
    }
    World world(config);
    if (bench_sessions > 0) {
        add_busy_sessions(world, bench_sessions);
    } else {
        for (int s = 0; s < 4; ++s) {
            world.add_session();
        }
    }
    ui::Dashboard dashboard(theme, ui::WorkControls{}, started);
    Page page{*browser, world, dashboard, started, bench_sessions, 0, false, {}, {}};
    // Never returns (simulate_infinite_loop): main's locals live as long as the page.
    emscripten_set_main_loop_arg(draw_frame, &page, 0, true);
    return 0;
}
