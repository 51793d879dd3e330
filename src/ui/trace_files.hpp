#pragma once
// What the program around the dashboard does with trace files. The desktop program writes an
// exported trace into the current folder and replays the one named by --replay FILE; the web page
// offers an export as a download, and replays a trace chosen in the browser's file dialog or
// dropped on the page.

#include <functional>

namespace threadlab::ui {

struct TraceFiles {
    /// Opens the host's file dialog for a trace to replay (the host then calls
    /// Dashboard::show_replay, or Dashboard::show_notice with why it could not). Null where the host
    /// has none.
    std::function<void()> choose;
    /// Exported traces are handed to the browser as downloads.
    bool downloads = false;
};

}  // namespace threadlab::ui
