// Every JSON input (scenario, trace, lesson) goes through one guarded path: regular files only,
// a size limit before reading, nesting limited, duplicate keys refused, numbers and types checked,
// and each refusal a message with the file and a position or JSON path (issue 14).

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/chrome_trace.hpp"
#include "core/json_document.hpp"
#include "core/limits.hpp"
#include "core/printable_text.hpp"
#include "core/scenario.hpp"
#include "core/text_file.hpp"
#include "support/parse_errors.hpp"

using namespace threadlab;
using Catch::Matchers::Contains;
using threadlab::test::scenario_error;
using threadlab::test::trace_error;

namespace {

/// A trace with one event after the header, as ThreadLab writes them.
std::string trace_with(const std::string& event, const std::string& other = R"("generator": "ThreadLab")") {
    return std::string(R"({"traceEvents": [)").append(event).append(R"(], "otherData": {)").append(other).append("}}");
}

const std::string good_span =
    R"({"ph": "X", "cat": "click", "tid": 7, "ts": 10, "dur": 5, "args": {"kind": "click", "outcome": "completed",
        "session": 1, "id": 1, "ordinal": 1, "lane": 0, "submitted_us": 2}})";

std::string span_with(const std::string& from, const std::string& to) {
    std::string span = good_span;
    const auto at = span.find(from);
    REQUIRE(at != std::string::npos);
    return span.replace(at, from.size(), to);
}

struct TempFile {
    explicit TempFile(const std::string& contents) {
        path = (std::filesystem::temp_directory_path() / ("threadlab-json-" + std::to_string(::getpid()) + ".json")).string();
        std::ofstream(path, std::ios::binary) << contents;
    }
    ~TempFile() { std::remove(path.c_str()); }
    std::string path;
};

}  // namespace

TEST_CASE("the guarded parser refuses a key given twice, naming the object's path", "[json]") {
    CHECK_THAT(scenario_error(R"({"actions": [{"at": 1, "do": "click", "do": "destroy_session", "session": 1}]})"),
               Contains("demo.json: actions[0].do: the key \"do\" appears twice in one object"));
    CHECK_THAT(trace_error(trace_with(good_span, R"("generator": "ThreadLab", "generator": "x")")),
               Contains("demo.json: otherData.generator: the key \"generator\" appears twice"));
}

TEST_CASE("the guarded parser refuses deep nesting before anything walks it", "[json]") {
    // Each level would be a frame of a recursive copy or destructor later (a stack overflow).
    const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
    CHECK_THAT(trace_error(trace_with(good_span, R"("generator": "ThreadLab", "deep": )" + deep)),
               Contains("demo.json: otherData.deep[0][0]"));
    CHECK_THAT(trace_error(trace_with(good_span, R"("generator": "ThreadLab", "deep": )" + deep)),
               Contains("nested deeper than 32 levels"));
    CHECK_THAT(scenario_error(deep), Contains("demo.json: [0][0]"));
    CHECK_NOTHROW(parse_json_document(std::string(32, '[') + std::string(32, ']'), "ok.json"));
    CHECK_THROWS_AS(parse_json_document(std::string(33, '[') + std::string(33, ']'), "no.json"), JsonDocumentError);
}

TEST_CASE("a number too large for a double is refused with its position, in every reader", "[json]") {
    CHECK_THAT(scenario_error(R"({"pool": 1e400})"), Contains("demo.json:1:"));
    CHECK_THAT(scenario_error(R"({"pool": 1e400})"), Contains("number overflow parsing '1e400'"));
    CHECK_THAT(trace_error(trace_with(span_with(R"("ts": 10)", R"("ts": 1e400)"))), Contains("number overflow"));
    CHECK_THAT(trace_error(trace_with(good_span, R"("generator": "ThreadLab", "n": -1e999)")), Contains("demo.json:2:"));
}

TEST_CASE("a trace's header fields are type-checked, not trusted", "[json][trace]") {
    CHECK_THAT(trace_error(trace_with(good_span, R"("generator": 5)")), Contains("not a trace exported by ThreadLab"));
    CHECK_THAT(trace_error(trace_with(good_span, R"("generator": "ThreadLab", "title": 5)")),
               Contains("demo.json: otherData.title: expected a string, got number"));
    CHECK_THAT(trace_error(trace_with(good_span, R"("generator": "ThreadLab", "time_scale": "fast")")),
               Contains("demo.json: otherData.time_scale: expected a number, got string"));
    CHECK_THAT(trace_error(trace_with(good_span, R"("generator": "ThreadLab", "time_scale": 1e9)")),
               Contains("otherData.time_scale: out of range"));
    CHECK_THAT(trace_error(R"({"traceEvents": [], "otherData": []})"), Contains("not a trace exported by ThreadLab"));
}

TEST_CASE("a trace's spans are type- and range-checked, by JSON path", "[json][trace]") {
    CHECK(trace_error(trace_with(good_span)) == "accepted");
    // A duration of 1e18 µs once reached format_duration(INT64_MIN), which recursed until the stack ran out.
    CHECK_THAT(trace_error(trace_with(span_with(R"("dur": 5)", R"("dur": 1e18)"))),
               Contains("demo.json: traceEvents[0].dur: out of range"));
    // A negative duration was drawn as "-16666 min 40 s".
    CHECK_THAT(trace_error(trace_with(span_with(R"("dur": 5)", R"("dur": -1)"))), Contains("traceEvents[0].dur: out of range"));
    // Timestamps near ±9e15 µs overflowed the timeline's arithmetic.
    CHECK_THAT(trace_error(trace_with(span_with(R"("ts": 10)", R"("ts": -9e15)"))), Contains("traceEvents[0].ts: out of range"));
    CHECK_THAT(trace_error(trace_with(span_with(R"("submitted_us": 2)", R"("submitted_us": 9e15)"))),
               Contains("traceEvents[0].args.submitted_us: out of range"));
    CHECK_THAT(trace_error(trace_with(span_with(R"("session": 1)", R"("session": "one")"))),
               Contains("traceEvents[0].args.session: expected a number, got string"));
    CHECK_THAT(trace_error(trace_with(span_with(R"("lane": 0)", R"("lane": 0.5)"))),
               Contains("traceEvents[0].args.lane: expected a whole number"));
    CHECK_THAT(trace_error(trace_with(span_with(R"("lane": 0)", R"("lane": -1)"))), Contains("args.lane: out of range"));
    // 2^64 is what uint64's largest value becomes as a double: converting it back is undefined.
    CHECK_THAT(trace_error(trace_with(span_with(R"("id": 1)", R"("id": 18446744073709551616)"))),
               Contains("traceEvents[0].args.id: out of range"));
    CHECK_THAT(trace_error(trace_with(span_with(R"("session": 1)", R"("session": 4294967296)"))),
               Contains("traceEvents[0].args.session: out of range"));
    CHECK_THAT(trace_error(trace_with(span_with(R"("kind": "click")", R"("kind": "nap")"))),
               Contains("traceEvents[0].args.kind: not a kind ThreadLab writes"));
    CHECK_THAT(trace_error(trace_with(span_with(R"(, "args")", R"(, "nargs")"))), Contains("traceEvents[0].args: missing"));
    CHECK_THAT(trace_error(trace_with(span_with(R"("ph": "X")", R"("ph": 1)"))),
               Contains("traceEvents[0].ph: expected a string, got number"));
    CHECK_THAT(trace_error(trace_with("5")), Contains("traceEvents[0]: expected an object"));
    CHECK_THAT(trace_error(trace_with(R"({"ph": "C", "ts": 1, "args": {"queued": -2, "busy": 0}})")),
               Contains("traceEvents[0].args.queued: out of range"));
}

TEST_CASE("only a regular file is read, and never more than the limit", "[json]") {
    std::string error;
    // A device would never end: refused before a byte is read.
    CHECK_FALSE(read_text_file("/dev/zero", 1024, error));
    CHECK_THAT(error, Contains("not a regular file"));
    CHECK_THROWS_WITH(read_chrome_trace("/dev/urandom"), Contains("/dev/urandom: not a regular file"));
    CHECK_THROWS_WITH(load_scenario_file("/dev/zero"), Contains("/dev/zero: not a regular file"));
    // A FIFO with no writer would block in open(): opened non-blocking and refused at once.
    const auto fifo = (std::filesystem::temp_directory_path() / ("threadlab-fifo-" + std::to_string(::getpid()))).string();
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK_THROWS_WITH(load_scenario_file(fifo), Contains("not a regular file"));
    std::remove(fifo.c_str());
    CHECK_THROWS_WITH(load_scenario_file(std::filesystem::temp_directory_path().string()), Contains("a directory"));
    // Larger than the limit: refused from its size, before reading.
    const TempFile big(std::string(2000, ' '));
    CHECK_FALSE(read_text_file(big.path, 1999, error));
    CHECK_THAT(error, Contains("larger than 1999 bytes"));
    const auto exact = read_text_file(big.path, 2000, error);
    REQUIRE(exact);
    CHECK(exact->size() == 2000);
}

TEST_CASE("an error quoting the input shows its control characters, and a NUL no longer cuts it short", "[json]") {
    // "cl\u0000ik": the message once ended at the NUL (what() is a C string).
    const auto message = scenario_error(R"({"sessions": 1, "actions": [{"at": 0, "do": "cl\u0000ik\u001b[2J", "session": 1}]})");
    CHECK_THAT(message, Contains(R"(unknown action "cl\x00ik\x1b[2J" (expected one of)"));
    CHECK(printable_text("tab\there\nline\x7f") == R"(tab\x09here\x0aline\x7f)");
    CHECK(printable_text("two\nlines", true) == "two\nlines");
    CHECK(printable_text("Zoë → λ") == "Zoë → λ");  // UTF-8 passes
}

TEST_CASE("a lesson has two to six choices, each lettered", "[json]") {
    const auto lesson_with = [](int choices) {
        std::string list;
        for (int i = 0; i < choices; ++i) {
            list.append(i == 0 ? "" : ", ").append("\"choice ").append(std::to_string(i)).append("\"");
        }
        return std::string(R"({"sessions": 1, "lesson": {"title": "t", "watch": "w", "why": "y", "panel": "p",
            "question": "q", "answer": 0, "choices": [)").append(list).append("]}}");
    };
    CHECK(scenario_error(lesson_with(6)) == "accepted");
    // 27 choices once printed a label past z.
    CHECK_THAT(scenario_error(lesson_with(27)), Contains("demo.json: lesson.choices: expected a list of two to 6 answers (lettered a to f)"));
    CHECK_THAT(scenario_error(lesson_with(1)), Contains("lesson.choices: expected a list of two to 6"));
}
