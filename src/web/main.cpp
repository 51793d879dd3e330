// ThreadLab in the browser: the same World and Dashboard as the desktop program, drawn into the
// page's canvas once per animation frame (emscripten_set_main_loop), never blocking the page's
// main thread (the dashboard copies engine state with try_lock). Sessions, workers and the event
// loop are Web Workers. The page's console gets the event log, line by line, so that a test (or
// a curious workshop participant with the developer tools open) can follow it.

#include <emscripten/emscripten.h>

#include <cstdio>
#include <vector>

#include "browser_page.hpp"
#include "core/world.hpp"
#include "item_locator.hpp"
#include "ui/dashboard.hpp"
#include "ui/theme.hpp"

namespace {

using namespace threadlab;

struct Page {
    web::BrowserPage& browser;
    World& world;
    ui::Dashboard& dashboard;
    Clock::time_point started;
    std::uint64_t logged = 0;
    bool drawn = false;
};

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
    page.browser.begin_frame();
    web::new_item_frame();
    page.dashboard.draw(page.world, page.browser.take_key_presses());
    page.browser.render_frame();
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
    World world(WorldConfig{});
    for (int s = 0; s < 4; ++s) {
        world.add_session();
    }
    ui::Dashboard dashboard(theme, ui::WorkControls{}, started);
    Page page{*browser, world, dashboard, started};
    // Never returns (simulate_infinite_loop): main's locals live as long as the page.
    emscripten_set_main_loop_arg(draw_frame, &page, 0, true);
    return 0;
}
