#include "trace_export.hpp"

#include <exception>
#include <system_error>
#include <utility>

#include "core/platform/stop.hpp"

namespace threadlab::ui {

bool TraceExport::start(TraceData data, std::string path, std::function<void()> ended) {
    {
        std::lock_guard lock(m_mutex);
        if (m_status.running) {
            return false;
        }
        m_status = {"saving " + path + " ...", false, true, {}};
    }
    wait();  // the last export's thread has ended (it cleared `running`): only joined here
    try {
        m_thread = jthread([this, data = std::move(data), path = std::move(path), ended = std::move(ended)] {
            Status result;
            try {
                write_chrome_trace(data, path);
                result.message = "saved " + path;
                result.path = path;
            } catch (const std::exception& error) {
                result.message = error.what();
                result.failed = true;
            }
            {
                std::lock_guard lock(m_mutex);
                m_status = std::move(result);
            }
            if (ended) {
                ended();
            }
        });
    } catch (const std::system_error& error) {
        std::lock_guard lock(m_mutex);
        m_status = {std::string("trace not saved: no thread to write it (") + error.what() + ")", true, false, {}};
        return false;
    }
    return true;
}

void TraceExport::wait() {
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

TraceExport::Status TraceExport::status() const {
    std::lock_guard lock(m_mutex);
    return m_status;
}

}  // namespace threadlab::ui
