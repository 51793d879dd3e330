#include "chrome_trace.hpp"

#include <nlohmann/json.hpp>

#include "text_file.hpp"

#include <algorithm>
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
                            SpanKind::process_startup, SpanKind::process_job}) {
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

TraceData parse_chrome_trace(const std::string& text, const std::string& source) {
    json document;
    try {
        document = json::parse(text);
    } catch (const json::parse_error& error) {
        // Keep nlohmann's "at line L, column C: ..." and drop its "[json.exception...]" prefix.
        std::string message = error.what();
        if (const auto at = message.find("at line"); at != std::string::npos) {
            message = message.substr(at);
        }
        throw TraceFileError(source + ": not valid JSON, " + message);
    }
    if (!document.is_object() || !document.contains("traceEvents") || !document["traceEvents"].is_array()) {
        throw TraceFileError(source + ": not a Chrome trace (no \"traceEvents\" list)");
    }
    const auto other = document.value("otherData", json::object());
    if (!other.is_object() || other.value("generator", "") != generator) {
        throw TraceFileError(source + ": not a trace exported by ThreadLab (otherData.generator is not \"ThreadLab\")");
    }
    TraceData data;
    data.origin = Clock::now();
    data.title = other.value("title", "");
    data.time_scale = other.value("time_scale", 1.0);
    std::size_t index = 0;
    try {
        for (const auto& event : document["traceEvents"]) {
            const std::string phase = event.value("ph", "");
            if (phase == "X" && event.value("cat", "") != "submit") {
                const auto& args = event.at("args");
                SpanRecord span;
                const auto kind = kind_named(args.at("kind").get<std::string>());
                const auto outcome = outcome_named(args.at("outcome").get<std::string>());
                if (!kind || !outcome) {
                    throw TraceFileError("unknown kind or outcome");
                }
                span.kind = *kind;
                span.outcome = *outcome;
                span.session = args.at("session").get<SessionId>();
                span.id = args.at("id").get<std::uint64_t>();
                span.ordinal = args.at("ordinal").get<std::uint32_t>();
                span.lane = args.at("lane").get<std::uint32_t>();
                span.thread_id = event.at("tid").get<int>();
                const double started = event.at("ts").get<double>();
                span.started = at_micros(data.origin, started);
                span.finished = at_micros(data.origin, started + event.at("dur").get<double>());
                span.submitted = at_micros(data.origin, args.at("submitted_us").get<double>());
                // A coroutine's step (traces written before async callbacks have none).
                span.step = args.value("step", std::uint16_t{0});
                span.steps = args.value("steps", std::uint16_t{0});
                span.ready = args.contains("ready_us") ? at_micros(data.origin, args.at("ready_us").get<double>())
                                                       : span.submitted;
                data.spans.push_back(span);
            } else if (phase == "C") {
                const auto& args = event.at("args");
                data.counters.push_back({at_micros(data.origin, event.at("ts").get<double>()),
                                         args.at("queued").get<std::uint32_t>(), args.at("busy").get<std::uint32_t>()});
            }
            ++index;
        }
    } catch (const json::exception& error) {
        throw TraceFileError(source + ": traceEvents[" + std::to_string(index) + "]: " + error.what());
    } catch (const TraceFileError& error) {
        throw TraceFileError(source + ": traceEvents[" + std::to_string(index) + "]: " + error.what());
    }
    std::sort(data.spans.begin(), data.spans.end(),
              [](const SpanRecord& a, const SpanRecord& b) { return a.started < b.started; });
    std::sort(data.counters.begin(), data.counters.end(),
              [](const CounterSample& a, const CounterSample& b) { return a.when < b.when; });
    return data;
}

TraceData read_chrome_trace(const std::string& path) {
    std::string error;
    const auto text = read_text_file(path, error);
    if (!text) {
        throw TraceFileError(path + ": " + error);
    }
    return parse_chrome_trace(*text, path);
}

}  // namespace threadlab
