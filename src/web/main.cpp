// ThreadLab in the browser: the same World and Dashboard as the desktop program, drawn into the
// page's canvas once per animation frame (emscripten_set_main_loop), never blocking the page's
// main thread (the dashboard copies engine state with try_lock). Sessions, workers and the event
// loop are Web Workers. The page's console gets the event log, line by line, so that a test (or
// a curious workshop participant with the developer tools open) can follow it.
// The address may say what to open, as the desktop program's flags do:
//   ?lesson=NAME            opens the lesson's stage (&run=1 also runs it, as its Run button does)
//   ?time-scale=X           wall-clock seconds per simulated second, as --time-scale (0.001 to 100)
//   ?bench=N                the UI benchmark (as threadlab --bench-ui): N busy sessions on a pool
//                           of 8, and after 300 frames one console line with the frame times.
//   ?presenter=1 (or 0)     presenter mode on (off), as --presenter; otherwise as last time
// A value it cannot use is named in a console error, and the page opens without it.
// *Export trace* writes into the page's memory; the page then hands the file to the browser as a
// download (and forgets its own copy). *Open trace...* (or a file dropped on the page) replays a
// trace, as --replay does. Presenter mode is remembered in the browser's local storage.

#include <emscripten/emscripten.h>

#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "browser_page.hpp"
#include "core/busy_load.hpp"
#include "core/chrome_trace.hpp"
#include "core/latency.hpp"
#include "core/limits.hpp"
#include "core/time_scale.hpp"
#include "core/world.hpp"
#include "item_locator.hpp"
#include "ui/dashboard.hpp"
#include "ui/format.hpp"
#include "ui/theme.hpp"

// The value of the address's query parameter `name` written into `out` (cut to `size` bytes);
// its length, or -1 when the address has no such parameter.
EM_JS(int, read_query_parameter, (const char* name, char* out, int size), {
    const value = new URLSearchParams(location.search).get(UTF8ToString(name));
    if (value === null) {
        return -1;
    }
    stringToUTF8(value, out, size);
    return lengthBytesUTF8(value);
});

// Offers the file at `path` (the page's memory file system) as a download, then removes it there.
EM_JS(void, offer_download, (const char* path), {
    const name = UTF8ToString(path);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([FS.readFile(name)], { type: 'application/json' }));
    link.download = name.split('/').pop();
    document.body.appendChild(link);
    link.click();
    link.remove();
    FS.unlink(name);
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
});

// Lets the user replay a trace: a hidden file input (opened by *Open trace...*, through
// Module.threadlabChooseTrace) and a drop anywhere on the page. The page copies the file (at most
// `max_bytes` + 1 bytes of it: the reader names a larger one) into its memory file system and calls
// threadlab_replay_file. Files arrive between animation frames, on the page's main thread.
EM_JS(void, install_trace_inputs, (double max_bytes), {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'threadlab-trace-input';
    input.accept = '.json,application/json';
    input.style.display = 'none';
    document.body.appendChild(input);
    const replay = (file) => {
        file.slice(0, max_bytes + 1).arrayBuffer().then((bytes) => {
            const path = '/threadlab-replay.json';
            FS.writeFile(path, new Uint8Array(bytes));
            ccall('threadlab_replay_file', null, ['string', 'string'], [path, file.name]);
            FS.unlink(path);
        }, (error) => console.error('threadlab: ' + file.name + ' could not be read: ' + error));
    };
    input.addEventListener('change', () => {
        if (input.files.length > 0) {
            replay(input.files[0]);
        }
        input.value = "";
    });
    Module.threadlabChooseTrace = () => input.click();
    window.addEventListener('dragover', (event) => {
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
    });
    window.addEventListener('drop', (event) => {
        event.preventDefault();
        if (event.dataTransfer.files.length > 0) {
            replay(event.dataTransfer.files[0]);
        }
    });
});

EM_JS(void, choose_trace_file, (), { Module.threadlabChooseTrace(); });

// The stored preference `name` ("0" or "1"), or -1 when there is none (or no local storage: a
// private window may refuse it).
EM_JS(int, read_stored_flag, (const char* name), {
    try {
        const value = localStorage.getItem('threadlab.' + UTF8ToString(name));
        return value === '1' ? 1 : value === '0' ? 0 : -1;
    } catch (error) {
        return -1;
    }
});

EM_JS(void, store_flag, (const char* name, int on), {
    try {
        localStorage.setItem('threadlab.' + UTF8ToString(name), on ? '1' : '0');
    } catch (error) {
        // No local storage: the page forgets, as the desktop program does with --screenshot.
    }
});

namespace {

using namespace threadlab;

std::optional<std::string> query_parameter(const char* name) {
    char value[256];
    const int length = read_query_parameter(name, value, sizeof value);
    if (length < 0) {
        return std::nullopt;
    }
    return std::string(value);
}

/// A number from the address, or nullopt (with a console error naming it) when it is not one.
std::optional<double> query_number(const char* name) {
    const auto text = query_parameter(name);
    if (!text) {
        return std::nullopt;
    }
    try {
        std::size_t used = 0;
        const double value = std::stod(*text, &used);
        if (used == text->size()) {
            return value;
        }
    } catch (const std::exception&) {
    }
    std::fprintf(stderr, "threadlab: ?%s=%s is not a number; ignored\n", name, text->c_str());
    return std::nullopt;
}

struct Page {
    web::BrowserPage& browser;
    World& world;
    ui::Theme& theme;
    ui::Dashboard& dashboard;
    Clock::time_point started;
    int bench_sessions = 0;  // 0: not the benchmark
    bool stored_presenter = false;  // presenter mode as in local storage
    std::uint64_t logged = 0;
    bool drawn = false;
    std::vector<Clock::duration> frame_times{};  // the whole frame, WebGL calls included
    std::vector<Clock::duration> build_times{};  // the dashboard's frame alone, as --bench-ui measures
    bool bench_reported = false;
    std::string downloaded{};  // the last trace offered as a download
};

Page* the_page = nullptr;  // for the functions the page's script calls (main's, lives as long as the page)

/// Presenter mode to local storage when it changed (F2, or the More... menu).
void remember_presenter(Page& page) {
    if (page.theme.presenter() != page.stored_presenter) {
        page.stored_presenter = page.theme.presenter();
        store_flag("presenter", page.stored_presenter ? 1 : 0);
    }
}

void offer_exported_trace(Page& page) {
    const auto status = page.dashboard.export_status();
    if (!status.running && !status.path.empty() && status.path != page.downloaded) {
        page.downloaded = status.path;
        offer_download(status.path.c_str());
    }
}

constexpr std::size_t bench_frames = 300;

/// The benchmark's line, once it has its frames: what --bench-ui prints natively. The page has no
/// CPU clock per thread: the main thread's wall time, which is its CPU time unless preempted.
void report_bench(Page& page) {
    if (page.bench_reported || page.frame_times.size() < bench_frames) {
        return;
    }
    page.bench_reported = true;
    const auto frame = summarize(page.frame_times);
    const auto build = summarize(page.build_times);
    std::printf("threadlab bench: %d busy sessions, %zu frames: dashboard p50 %s, p99 %s, max %s; "
                "with WebGL p50 %s, p99 %s, max %s\n",
                page.bench_sessions, bench_frames, ui::format_duration(build.p50).c_str(),
                ui::format_duration(build.p99).c_str(), ui::format_duration(build.max).c_str(),
                ui::format_duration(frame.p50).c_str(), ui::format_duration(frame.p99).c_str(),
                ui::format_duration(frame.max).c_str());
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
    if (const auto ratio = page.browser.pixel_ratio_change()) {
        page.theme.set_content_scale(*ratio);
        page.browser.upload_fonts();
    }
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
    offer_exported_trace(page);
    remember_presenter(page);
    if (!page.drawn) {
        page.drawn = true;
        std::printf("threadlab: first frame drawn at %.0f ms after navigation\n",
                    EM_ASM_DOUBLE({ return performance.now(); }));
    }
}

}  // namespace

/// Replays the trace the user chose or dropped (install_trace_inputs), copied to `path`; `name` is
/// the file's own name. A file it cannot read is named in the status line and the console.
extern "C" EMSCRIPTEN_KEEPALIVE void threadlab_replay_file(const char* path, const char* name) {
    if (the_page == nullptr) {
        return;
    }
    try {
        const auto data = read_chrome_trace(path, name);
        the_page->dashboard.show_replay(data, name);
        std::printf("threadlab: replaying %s: %zu spans\n", name, data.spans.size());
    } catch (const TraceFileError& bad) {
        the_page->dashboard.show_notice(std::string("Cannot replay ").append(bad.what()), true);
        std::fprintf(stderr, "threadlab: replay: %s\n", bad.what());
    }
}

int main() {
    const auto started = Clock::now();
    auto browser = web::BrowserPage::open();
    if (!browser) {
        return 1;
    }
    web::start_item_locator();
    ui::Theme theme(browser->pixel_ratio());
    const auto bench = query_number("bench");
    const int bench_sessions = bench && *bench >= 1 && *bench <= static_cast<double>(max_live_sessions)
                                   ? static_cast<int>(*bench)
                                   : 0;
    if (bench && bench_sessions == 0) {
        std::fprintf(stderr, "threadlab: ?bench= takes 1 to %zu sessions; ignored\n", max_live_sessions);
    }
    WorldConfig config;
    if (bench_sessions > 0) {
        config.pool = PoolSetting::fixed(8);  // as --bench-ui
    }
    if (const auto scale = query_number("time-scale")) {
        if (TimeScale::valid(*scale)) {
            config.time_scale = *scale;
        } else {
            std::fprintf(stderr, "threadlab: ?time-scale= takes %g to %g; ignored\n", TimeScale::min_scale,
                         TimeScale::max_scale);
        }
    }
    World world(config);
    if (bench_sessions > 0) {
        add_busy_sessions(world, bench_sessions);
    } else {
        for (int s = 0; s < 4; ++s) {
            world.add_session();
        }
    }
    const int stored_presenter = read_stored_flag("presenter");
    if (const auto presenter = query_number("presenter"); presenter && (*presenter == 0.0 || *presenter == 1.0)) {
        theme.set_presenter(*presenter == 1.0);
    } else {
        if (presenter) {
            std::fprintf(stderr, "threadlab: ?presenter= takes 1 (on) or 0 (off); ignored\n");
        }
        theme.set_presenter(stored_presenter == 1);
    }
    ui::Dashboard dashboard(theme, ui::WorkControls{}, started);
    install_trace_inputs(static_cast<double>(max_trace_bytes));
    dashboard.set_trace_files({[] { choose_trace_file(); }, true});
    if (const auto lesson = query_parameter("lesson")) {
        if (!dashboard.open_lesson(*lesson)) {
            std::fprintf(stderr, "threadlab: ?lesson=%s: there is no such lesson; ignored\n", lesson->c_str());
        } else if (query_parameter("run")) {
            dashboard.run_lesson(world);
        }
    }
    Page page{.browser = *browser,
              .world = world,
              .theme = theme,
              .dashboard = dashboard,
              .started = started,
              .bench_sessions = bench_sessions,
              .stored_presenter = stored_presenter == 1};
    the_page = &page;
    // Never returns (simulate_infinite_loop): main's locals live as long as the page.
    emscripten_set_main_loop_arg(draw_frame, &page, 0, true);
    return 0;
}
