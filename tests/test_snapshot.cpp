#include <catch2/catch.hpp>

#include <atomic>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "core/snapshot.hpp"
#include "core/platform/stop.hpp"

using namespace threadlab;

namespace {
// Three fields a writer always changes together; a torn copy would break their relation
// (b == 2a + 1, text == a). The initial state keeps it too: a reader may copy before any write.
struct Triple {
    std::uint64_t a = 0;
    std::uint64_t b = 1;
    std::string text = "0";
};
}  // namespace

TEST_CASE("a snapshot reader copies only when the version moved", "[snapshot]") {
    Snapshot<Triple> snapshot;
    Triple copy;
    std::uint64_t seen = 0;
    CHECK(snapshot.copy_if_changed(copy, seen));
    CHECK_FALSE(snapshot.copy_if_changed(copy, seen));
    snapshot.publish([](Triple& t) { t.a = 7; });
    CHECK(snapshot.copy_if_changed(copy, seen));
    CHECK(copy.a == 7);
    CHECK_FALSE(snapshot.copy_if_changed(copy, seen));
}

TEST_CASE("a snapshot reader never sees a torn state", "[snapshot]") {
    Snapshot<Triple> snapshot;
    std::atomic<bool> writing{true};
    std::atomic<int> torn{0};
    std::atomic<int> copies{0};

    std::vector<jthread> writers;
    for (int w = 0; w < 3; ++w) {
        writers.emplace_back([&, w] {
            // Keep publishing until the readers have copied many times while writes were in flight.
            for (std::uint64_t i = 1; i <= 5000 || copies.load() < 2000; ++i) {
                const std::uint64_t value = i * 3 + static_cast<std::uint64_t>(w);
                snapshot.publish([value](Triple& t) {
                    t.a = value;
                    t.b = value * 2 + 1;
                    t.text = std::to_string(value);
                });
            }
        });
    }
    std::vector<jthread> readers;
    for (int r = 0; r < 2; ++r) {
        readers.emplace_back([&] {
            Triple copy;
            std::uint64_t seen = 0;
            while (writing.load()) {
                if (snapshot.copy_if_changed(copy, seen)) {
                    copies.fetch_add(1);
                    if (copy.b != copy.a * 2 + 1 || copy.text != std::to_string(copy.a)) {
                        torn.fetch_add(1);
                    }
                }
            }
        });
    }
    writers.clear();
    writing.store(false);
    readers.clear();
    CHECK(torn.load() == 0);
    CHECK(copies.load() >= 2000);
}

TEST_CASE("the render loop's copy never waits for a writer", "[snapshot]") {
    Snapshot<Triple> snapshot;
    snapshot.publish([](Triple& t) { t.a = 1; });
    Triple copy;
    std::uint64_t seen = 0;
    std::latch writing(1);
    std::latch done(1);
    // A writer that holds the snapshot's lock (as one preempted mid-publish would).
    jthread writer([&] {
        snapshot.publish([&](Triple& t) {
            writing.count_down();
            done.wait();
            t.a = 2;
        });
    });
    writing.wait();
    CHECK_FALSE(snapshot.try_copy_if_changed(copy, seen));  // returns at once: the lock is taken
    CHECK(seen == 0);                                       // so the next frame tries again
    done.count_down();
    writer.join();
    CHECK(snapshot.try_copy_if_changed(copy, seen));
    CHECK(copy.a == 2);
}
