#include "chrome_trace.hpp"

#include <nlohmann/json.hpp>

#include "json_document.hpp"
#include "limits.hpp"
#include "text_file.hpp"
#include "time_scale.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <fstream>
#include <map>

namespace threadlab {

namespace {
using json = nlohmann::json;

constexpr int process_id = 1;
constexpr int session_track_base = 1'000'000;  // kernel thread ids stay far below this
constexpr const char* generator = "ThreadLab";

double micros(Clock::time_point origin, Clock::time_point when) {
    return std::chrono::duration<double, std::micro>(when - origin).count();
}

Clock::time_point at_micros(Clock::time_point origin, double us) {
    return origin + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double, std::micro>(us));
}

std::string label(const SpanRecord& span) {
    if (span.kind == SpanKind::task) {
        return "task " + std::to_string(span.id) + " (#" + std::to_string(span.session) + ")";
    }
    if (span.kind == SpanKind::process_startup) {
        return "process " + std::to_string(span.lane) + " start-up";
    }
    if (span.kind == SpanKind::process_job) {
        return "job " + std::to_string(span.id) + " (#" + std::to_string(span.session) + ")";
    }
    std::string text = std::string(to_string(span.kind)) + " " + std::to_string(span.ordinal) + " (#" +
                       std::to_string(span.session) + ")";
    if (span.async_step()) {
        text.append(" step ").append(std::to_string(span.step)).append("/").append(std::to_string(span.steps));
    }
    return text;
}

int session_track(SessionId session) { return session_track_base + static_cast<int>(session); }

std::optional<SpanKind> kind_named(const std::string& name) {
    for (const auto kind : {SpanKind::task, SpanKind::click, SpanKind::periodic, SpanKind::slider,
                            SpanKind::process_startup, SpanKind::process_job, SpanKind::next_tick,
                            SpanKind::unhold}) {
        if (name == to_string(kind)) {
            return kind;
        }
    }
    return std::nullopt;
}

std::optional<Outcome> outcome_named(const std::string& name) {
    for (const auto outcome : {Outcome::completed, Outcome::failed, Outcome::cancelled}) {
        if (name == to_string(outcome)) {
            return outcome;
        }
    }
    return std::nullopt;
}
}  // namespace

std::string to_chrome_trace(const TraceData& data) {
    json events = json::array();
    events.push_back({{"ph", "M"}, {"name", "process_name"}, {"pid", process_id}, {"tid", 0},
                      {"args", {{"name", data.title.empty() ? std::string(generator) : data.title}}}});

    // Name every thread and session track once.
    std::map<int, std::string> threads;
    std::map<SessionId, bool> sessions;
    for (const auto& span : data.spans) {
        threads.emplace(span.thread_id, thread_name(span));
        sessions.emplace(span.session, true);
    }
    for (const auto& [tid, name] : threads) {
        events.push_back({{"ph", "M"}, {"name", "thread_name"}, {"pid", process_id}, {"tid", tid},
                          {"args", {{"name", name}}}});
    }
    for (const auto& [session, unused] : sessions) {
        events.push_back({{"ph", "M"}, {"name", "thread_name"}, {"pid", process_id}, {"tid", session_track(session)},
                          {"args", {{"name", "session #" + std::to_string(session) + " (submits)"}}}});
    }

    // A coroutine's steps by event id, to draw its awaits: from a step's end to the next one's ready.
    std::map<std::pair<EventId, std::uint16_t>, Clock::time_point> step_ends;
    for (const auto& span : data.spans) {
        if (span.async_step()) {
            step_ends[{span.id, span.step}] = span.finished;
        }
    }
    std::uint64_t flow = 0;
    for (const auto& span : data.spans) {
        const std::string name = label(span);
        const double submitted = micros(data.origin, span.submitted);
        const double ready = micros(data.origin, span.async_step() ? span.ready : span.submitted);
        const double started = micros(data.origin, span.started);
        const double finished = micros(data.origin, span.finished);
        ++flow;
        // The run itself, on the thread that ran it, with the whole record in its args.
        events.push_back({{"ph", "X"}, {"name", name}, {"cat", to_string(span.kind)}, {"pid", process_id},
                          {"tid", span.thread_id}, {"ts", started}, {"dur", std::max(finished - started, 0.0)},
                          {"args", {{"session", span.session}, {"kind", to_string(span.kind)}, {"id", span.id},
                                    {"ordinal", span.ordinal}, {"lane", span.lane},
                                    {"thread", thread_name(span)}, {"submitted_us", submitted},
                                    {"queue_wait_ms", (started - ready) / 1000.0},
                                    {"outcome", to_string(span.outcome)}, {"step", span.step},
                                    {"steps", span.steps}, {"ready_us", micros(data.origin, span.ready)}}}});
        if (span.step <= 1) {
            // The submission on the session's track, and a flow arrow from it to the run.
            events.push_back({{"ph", "X"}, {"name", "submit " + name}, {"cat", "submit"}, {"pid", process_id},
                              {"tid", session_track(span.session)}, {"ts", submitted}, {"dur", 1.0}});
            events.push_back({{"ph", "s"}, {"name", name}, {"cat", "flow"}, {"id", flow}, {"pid", process_id},
                              {"tid", session_track(span.session)}, {"ts", submitted}});
            events.push_back({{"ph", "f"}, {"bp", "e"}, {"name", name}, {"cat", "flow"}, {"id", flow},
                              {"pid", process_id}, {"tid", span.thread_id}, {"ts", started}});
        } else if (const auto previous = step_ends.find({span.id, static_cast<std::uint16_t>(span.step - 1)});
                   previous != step_ends.end()) {
            // The await before a coroutine's later step: the loop was free meanwhile.
            events.push_back({{"ph", "b"}, {"name", "await: " + name}, {"cat", "await"}, {"id", flow},
                              {"pid", process_id}, {"tid", span.thread_id},
                              {"ts", micros(data.origin, previous->second)}});
            events.push_back({{"ph", "e"}, {"name", "await: " + name}, {"cat", "await"}, {"id", flow},
                              {"pid", process_id}, {"tid", span.thread_id}, {"ts", ready}});
        }
        // The wait in the queue (for a later step, for the loop after its await): async, because
        // waits overlap.
        events.push_back({{"ph", "b"}, {"name", "queued: " + name}, {"cat", "queue"}, {"id", flow},
                          {"pid", process_id}, {"tid", session_track(span.session)}, {"ts", ready}});
        events.push_back({{"ph", "e"}, {"name", "queued: " + name}, {"cat", "queue"}, {"id", flow},
                          {"pid", process_id}, {"tid", session_track(span.session)}, {"ts", started}});
    }
    for (const auto& sample : data.counters) {
        events.push_back({{"ph", "C"}, {"name", "event pool"}, {"pid", process_id},
                          {"ts", micros(data.origin, sample.when)},
                          {"args", {{"queued", sample.queued}, {"busy", sample.busy}}}});
    }
    const json document{{"traceEvents", events},
                        {"displayTimeUnit", "ms"},
                        {"otherData", {{"generator", generator}, {"title", data.title}, {"time_scale", data.time_scale}}}};
    return document.dump() + "\n";
}

void write_chrome_trace(const TraceData& data, const std::string& path) {
    std::ofstream file(path, std::ios::binary);
    file << to_chrome_trace(data);
    if (!file) {
        throw std::runtime_error("cannot write the trace to " + path);
    }
}

namespace {

/// Reads one field of a trace, its type and range checked, naming its JSON path when it is wrong.
class TraceFieldReader {
public:
    explicit TraceFieldReader(const std::string& source) : m_source(source) {}

    const json& member(const json& object, const std::string& path, const char* key) const {
        if (!object.is_object()) {
            fail(path, std::string("expected an object {...}, got ").append(object.type_name()));
        }
        const auto found = object.find(key);
        if (found == object.end()) {
            fail(std::string(path).append(".").append(key), "missing");
        }
        return *found;
    }
    std::string text(const json& object, const std::string& path, const char* key) const {
        const json& value = member(object, path, key);
        if (!value.is_string()) {
            fail(std::string(path).append(".").append(key),
                 std::string("expected a string, got ").append(value.type_name()));
        }
        return value.get<std::string>();
    }
    double number(const json& object, const std::string& path, const char* key, double low, double high) const {
        const json& value = member(object, path, key);
        const std::string where = std::string(path).append(".").append(key);
        if (!value.is_number()) {
            fail(where, std::string("expected a number, got ").append(value.type_name()));
        }
        const double number = value.get<double>();
        if (!(number >= low && number <= high)) {  // NaN fails too
            fail(where, std::string("out of range (").append(json(number).dump()).append(", allowed ")
                            .append(json(low).dump()).append(" to ").append(json(high).dump()).append(")"));
        }
        return number;
    }
    template <class Integer>
    Integer integer(const json& object, const std::string& path, const char* key) const {
        // A 64-bit type's largest value rounds up to 2^64 as a double, which no longer fits (the
        // conversion would be undefined): the bound above is 2^digits, exclusive.
        const double above = std::ldexp(1.0, std::numeric_limits<Integer>::digits);
        const double value = number(object, path, key, static_cast<double>(std::numeric_limits<Integer>::min()), above);
        if (value == above) {
            fail(std::string(path).append(".").append(key), "out of range (too large for its type)");
        }
        if (value != std::floor(value)) {
            fail(std::string(path).append(".").append(key), "expected a whole number");
        }
        return static_cast<Integer>(value);
    }

    [[noreturn]] void fail(const std::string& path, const std::string& message) const {
        throw TraceFileError(std::string(m_source).append(": ").append(path).append(": ").append(message));
    }

private:
    const std::string& m_source;
};

}  // namespace

TraceData parse_chrome_trace(const std::string& text, const std::string& source) {
    if (text.size() > max_trace_bytes) {
        throw TraceFileError(std::string(source).append(": the file is larger than ")
                                 .append(std::to_string(max_trace_bytes / 1024 / 1024)).append(" MiB"));
    }
    json document;
    try {
        document = parse_json_document(text, source);
    } catch (const JsonDocumentError& error) {
        throw TraceFileError(error.what());
    }
    if (!document.is_object() || !document.contains("traceEvents") || !document["traceEvents"].is_array()) {
        throw TraceFileError(source + ": not a Chrome trace (no \"traceEvents\" list)");
    }
    const TraceFieldReader read(source);
    const auto other = document.find("otherData");
    if (other == document.end() || !other->is_object() || !other->contains("generator") ||
        (*other)["generator"] != generator) {
        throw TraceFileError(source + ": not a trace exported by ThreadLab (otherData.generator is not \"ThreadLab\")");
    }
    TraceData data;
    data.origin = Clock::now();
    if (other->contains("title")) {
        data.title = read.text(*other, "otherData", "title");
    }
    if (other->contains("time_scale")) {
        data.time_scale = read.number(*other, "otherData", "time_scale", TimeScale::min_scale, TimeScale::max_scale);
    }
    const auto& events = document["traceEvents"];
    for (std::size_t index = 0; index < events.size(); ++index) {
        const json& event = events[index];
        const std::string path = std::string("traceEvents[").append(std::to_string(index)).append("]");
        if (!event.is_object()) {
            read.fail(path, std::string("expected an object {...}, got ").append(event.type_name()));
        }
        const std::string phase = event.contains("ph") ? read.text(event, path, "ph") : std::string();
        const std::string category = event.contains("cat") ? read.text(event, path, "cat") : std::string();
        if (phase == "X" && category != "submit") {
            const std::string args_path = path + ".args";
            const json& args = read.member(event, path, "args");
            SpanRecord span;
            const auto kind = kind_named(read.text(args, args_path, "kind"));
            if (!kind) {
                read.fail(args_path + ".kind", "not a kind ThreadLab writes");
            }
            const auto outcome = outcome_named(read.text(args, args_path, "outcome"));
            if (!outcome) {
                read.fail(args_path + ".outcome", "not an outcome ThreadLab writes");
            }
            span.kind = *kind;
            span.outcome = *outcome;
            span.session = read.integer<SessionId>(args, args_path, "session");
            span.id = read.integer<std::uint64_t>(args, args_path, "id");
            span.ordinal = read.integer<std::uint32_t>(args, args_path, "ordinal");
            span.lane = read.integer<std::uint32_t>(args, args_path, "lane");
            span.thread_id = read.integer<int>(event, path, "tid");
            const double started = read.number(event, path, "ts", -max_trace_micros, max_trace_micros);
            const double duration = read.number(event, path, "dur", 0.0, max_trace_micros);
            const double submitted = read.number(args, args_path, "submitted_us", -max_trace_micros, max_trace_micros);
            span.started = at_micros(data.origin, started);
            span.finished = at_micros(data.origin, started + duration);
            span.submitted = at_micros(data.origin, submitted);
            // A coroutine's step (traces written before async callbacks have none).
            span.step = args.contains("step") ? read.integer<std::uint16_t>(args, args_path, "step") : std::uint16_t{0};
            span.steps = args.contains("steps") ? read.integer<std::uint16_t>(args, args_path, "steps") : std::uint16_t{0};
            if (span.step > span.steps) {
                read.fail(args_path + ".step", "a step after the coroutine's last (steps)");
            }
            span.ready = args.contains("ready_us")
                             ? at_micros(data.origin, read.number(args, args_path, "ready_us", -max_trace_micros,
                                                                  max_trace_micros))
                             : span.submitted;
            data.spans.push_back(span);
        } else if (phase == "C") {
            const std::string args_path = path + ".args";
            const json& args = read.member(event, path, "args");
            data.counters.push_back({at_micros(data.origin, read.number(event, path, "ts", -max_trace_micros, max_trace_micros)),
                                     read.integer<std::uint32_t>(args, args_path, "queued"),
                                     read.integer<std::uint32_t>(args, args_path, "busy")});
        }
    }
    std::sort(data.spans.begin(), data.spans.end(),
              [](const SpanRecord& a, const SpanRecord& b) { return a.started < b.started; });
    std::sort(data.counters.begin(), data.counters.end(),
              [](const CounterSample& a, const CounterSample& b) { return a.when < b.when; });
    return data;
}

TraceData read_chrome_trace(const std::string& path) { return read_chrome_trace(path, path); }

TraceData read_chrome_trace(const std::string& path, const std::string& source) {
    std::string error;
    const auto text = read_text_file(path, max_trace_bytes, error);
    if (!text) {
        throw TraceFileError(source + ": " + error);
    }
    return parse_chrome_trace(*text, source);
}

}  // namespace threadlab
