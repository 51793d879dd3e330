#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <latch>
#include <string>

#include "ui/trace_export.hpp"

using namespace threadlab;
using namespace threadlab::ui;

namespace {
std::string read_all(const std::filesystem::path& path) {
    std::ifstream file(path);  // for a FIFO: opening the reading end lets its writer go on
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}
}  // namespace

TEST_CASE("a trace is exported on a thread of its own, one export at a time", "[ui][export]") {
    const auto dir = std::filesystem::temp_directory_path() / ("threadlab-export-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    TraceData data;
    data.title = "export test";
    TraceExport exporter;
    CHECK(exporter.status().message.empty());

    SECTION("the caller never waits for the file, and a second export waits for the first") {
        // Writing to a FIFO blocks until someone reads it: the export is held mid-write.
        const auto fifo = dir / "held.fifo";
        REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
        REQUIRE(exporter.start(data, fifo.string()));
        CHECK(exporter.status().running);
        CHECK_THAT(exporter.status().message, Catch::Contains("saving"));
        CHECK_FALSE(exporter.start(data, (dir / "second.json").string()));
        CHECK(read_all(fifo).find("\"traceEvents\"") != std::string::npos);
        exporter.wait();
        CHECK_FALSE(exporter.status().running);
        CHECK_FALSE(exporter.status().failed);
        CHECK_THAT(exporter.status().message, Catch::Contains("saved " + fifo.string()));
        CHECK_FALSE(std::filesystem::exists(dir / "second.json"));
    }
    SECTION("a path that cannot be written is reported, and the next export may start") {
        std::latch ended(1);  // what wakes the window's render loop
        REQUIRE(exporter.start(data, (dir / "no such folder" / "trace.json").string(), [&] { ended.count_down(); }));
        ended.wait();
        CHECK(exporter.status().failed);
        CHECK_FALSE(exporter.status().running);
        const auto written = dir / "trace.json";
        REQUIRE(exporter.start(data, written.string()));
        exporter.wait();
        CHECK_FALSE(exporter.status().failed);
        CHECK(read_all(written).find("\"traceEvents\"") != std::string::npos);
    }
    std::filesystem::remove_all(dir);
}
