// libFuzzer target: the trace reader (--replay, the dashboard's replay), which takes files from
// anywhere. Any input must end in TraceData or a TraceFileError; another exception, a crash, a
// sanitizer report (an overflow in the timestamps' arithmetic) is a bug.

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/chrome_trace.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const threadlab::TraceData trace = threadlab::parse_chrome_trace(text, "fuzz input");
        // What the timeline relies on, checked for every trace the reader accepts.
        for (const auto& span : trace.spans) {
            if (span.finished < span.started) {
                __builtin_trap();  // a span never ends before it starts
            }
            // Differences the timeline takes must stay far from overflow.
            if ((span.finished - trace.origin) > std::chrono::hours(24 * 365) ||
                (trace.origin - span.submitted) > std::chrono::hours(24 * 365)) {
                __builtin_trap();
            }
        }
    } catch (const threadlab::TraceFileError&) {
        // A refusal with a message.
    }
    return 0;
}
