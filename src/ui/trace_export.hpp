#pragma once
// Writes a trace file on a thread of its own: serialising up to 100 000 spans as JSON and writing
// them takes long enough to freeze the window for a visible moment if the render thread did it.
// The spans are copied by the caller (on the render thread, which owns its World access); only
// the JSON and the disk happen in the background. One export at a time.

#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "core/chrome_trace.hpp"
#include "core/platform/stop.hpp"

namespace threadlab::ui {

class TraceExport {
public:
    struct Status {
        std::string message;  // where the last trace went, or why it could not be written
        bool failed = false;
        bool running = false;
        std::string path;  // the file written, once it is (the web page then offers it as a download)
    };

    TraceExport() = default;
    /// Waits for an export still being written: the file is never left half-written.
    ~TraceExport() = default;
    TraceExport(const TraceExport&) = delete;
    TraceExport& operator=(const TraceExport&) = delete;

    /// Starts writing `data` to `path`; false (and nothing started) while another export runs.
    /// `ended` is called on the export's thread once its status is final (the window uses it to
    /// wake its render loop, which would otherwise sleep on "saving ..." until the next input).
    bool start(TraceData data, std::string path, std::function<void()> ended = {});
    Status status() const;
    /// Blocks until the export being written, if any, has ended.
    void wait();

private:
    // Guards m_status, written by the export's thread when it ends, read by the render thread.
    mutable std::mutex m_mutex;
    Status m_status;
    // Last member: joined first when the object goes, while the status it writes still exists.
    jthread m_thread;
};

}  // namespace threadlab::ui
