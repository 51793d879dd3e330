#pragma once
// Chrome Trace Event JSON, the format Perfetto UI and chrome://tracing open:
//  - one complete event ("ph":"X") per task or event, on the lane of the thread that ran it;
//  - thread names ("ph":"M", thread_name), with a track per session for what it submitted;
//  - queue waits as async events ("b"/"e": they overlap, so they cannot be slices on one lane);
//  - counters ("ph":"C") for the pool's queue depth and busy workers;
//  - flow events ("s" -> "f") from the session that submitted to the thread that ran it.
// Every span's full record is kept in its args, so ThreadLab can read its own traces back (replay).

#include <stdexcept>
#include <string>
#include <vector>

#include "printable_text.hpp"
#include "trace.hpp"

namespace threadlab {

struct TraceData {
    std::vector<SpanRecord> spans;
    std::vector<CounterSample> counters;
    /// Time zero of the file's timestamps.
    Clock::time_point origin{};
    std::string title;
    double time_scale = 1.0;
};

/// The trace as Chrome Trace Event JSON text.
std::string to_chrome_trace(const TraceData& data);

/// Writes it to `path`; throws std::runtime_error naming the path when it cannot.
void write_chrome_trace(const TraceData& data, const std::string& path);

/// Its message quotes the input's own text, made printable (printable_text.hpp).
class TraceFileError : public std::runtime_error {
public:
    explicit TraceFileError(const std::string& message) : std::runtime_error(printable_text(message)) {}
};

/// Reads a trace that ThreadLab exported (spans and counters, timestamps from a fresh origin).
/// Throws TraceFileError naming the file and what is wrong (not JSON, not a ThreadLab trace, ...).
TraceData read_chrome_trace(const std::string& path);
/// The same, with errors naming the file as `source` (the web page reads a file the user chose
/// from a temporary copy, and names it as the user knows it).
TraceData read_chrome_trace(const std::string& path, const std::string& source);
TraceData parse_chrome_trace(const std::string& text, const std::string& source);

}  // namespace threadlab
