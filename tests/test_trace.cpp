#include <catch2/catch.hpp>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "core/trace.hpp"
#include "core/platform/stop.hpp"

using namespace threadlab;

namespace {

SpanRecord span_with_id(std::uint64_t id) {
    const auto now = Clock::now();
    return {SpanKind::click, 1, id, 0, 0, 0, now, now, now, Outcome::completed};
}

}  // namespace

TEST_CASE("a shard's spans belong to the trace at once, and stay when the shard goes", "[trace]") {
    Trace trace;
    {
        auto shard = trace.open_shard();
        for (std::uint64_t id = 1; id <= 3; ++id) {
            shard->add(span_with_id(id), {Clock::now(), 0, 1});
        }
        CHECK(trace.spans().size() == 3);  // still in the shard, below its batch
        CHECK(trace.counters().size() == 3);
        for (std::uint64_t id = 4; id <= 600; ++id) {
            shard->add(span_with_id(id), {Clock::now(), 0, 1});
        }
        CHECK(trace.spans().size() == 600);  // some moved into the trace's store, the rest not yet
    }
    const auto spans = trace.spans();
    REQUIRE(spans.size() == 600);
    CHECK(trace.counters().size() == 600);
    CHECK(trace.dropped() == 0);
    std::set<std::uint64_t> ids;
    for (const auto& span : spans) {
        ids.insert(span.id);
    }
    CHECK(ids.size() == 600);
}

TEST_CASE("a trace keeps its capacity's newest spans when shards fill it", "[trace]") {
    Trace trace(500);
    {
        auto shard = trace.open_shard();
        for (std::uint64_t id = 1; id <= 1000; ++id) {
            shard->add(span_with_id(id), {Clock::now(), 0, 1});
        }
    }
    const auto spans = trace.spans();
    REQUIRE(spans.size() == 500);
    CHECK(trace.dropped() == 500);
    CHECK(spans.front().id == 501);
    CHECK(spans.back().id == 1000);
}

TEST_CASE("a reader sees every span once while shards move their batches", "[trace]") {
    constexpr std::uint64_t per_writer = 20'000;
    Trace trace(8 * per_writer);  // room for all: nothing dropped
    std::atomic<int> writing{2};
    std::atomic<std::uint64_t> duplicated{0};
    std::atomic<std::uint64_t> shrank{0};
    std::atomic<std::uint64_t> reads{0};

    std::vector<jthread> writers;
    for (std::uint64_t w = 0; w < 2; ++w) {
        writers.emplace_back([&, w] {
            auto shard = trace.open_shard();
            // Keep writing until the reader has read a few times while batches were moving.
            for (std::uint64_t i = 0; i < per_writer || (reads.load() < 20 && i < 3 * per_writer); ++i) {
                shard->add(span_with_id(w * 1'000'000 + i), {Clock::now(), 0, 1});
            }
            writing.fetch_sub(1);
        });
    }
    std::size_t last_size = 0;
    while (writing.load() > 0) {
        const auto spans = trace.spans();
        std::set<std::uint64_t> ids;
        for (const auto& span : spans) {
            ids.insert(span.id);
        }
        duplicated.fetch_add(spans.size() - ids.size());
        shrank.fetch_add(spans.size() < last_size ? 1 : 0);
        last_size = spans.size();
        reads.fetch_add(1);
    }
    writers.clear();

    CHECK(duplicated.load() == 0);
    CHECK(shrank.load() == 0);  // nothing read, then missed while in transit
    CHECK(reads.load() >= 1);
    CHECK(trace.dropped() == 0);
}
