#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "core/accounting.hpp"

using namespace threadlab;

TEST_CASE("accounting follows an item through every state", "[accounting]") {
    Accounting accounting;
    accounting.on_submitted();
    accounting.on_submitted();
    accounting.on_submitted();
    accounting.on_started();
    auto counts = accounting.read();
    CHECK(counts.submitted == 3);
    CHECK(counts.queued == 2);
    CHECK(counts.running == 1);
    CHECK(counts.balanced());

    accounting.on_finished(Outcome::failed);
    accounting.on_cancelled_queued(2);
    counts = accounting.read();
    CHECK(counts.failed == 1);
    CHECK(counts.cancelled == 2);
    CHECK(counts.idle());
    CHECK(counts.balanced());
}

TEST_CASE("a lock-free reader never sees a transition half done", "[accounting]") {
    Accounting accounting;
    std::mutex owner;  // the writers' serialising mutex, as a pool or runner holds it
    std::atomic<bool> writing{true};
    std::atomic<std::uint64_t> unbalanced{0};
    std::atomic<std::uint64_t> reads{0};

    std::atomic<std::uint64_t> written{0};
    std::vector<std::jthread> writers;
    for (int w = 0; w < 2; ++w) {
        writers.emplace_back([&, w] {
            // Keep writing until the reader has read many times while writes were in flight.
            for (int i = 0; i < 20000 || reads.load() < 20000; ++i) {
                std::lock_guard lock(owner);
                accounting.on_submitted();
                accounting.on_started();
                accounting.on_finished(static_cast<Outcome>((i + w) % 3));
                written.fetch_add(1);
            }
        });
    }
    std::jthread reader([&] {
        while (writing.load()) {
            const auto counts = accounting.read();
            if (!counts.balanced()) {
                unbalanced.fetch_add(1);
            }
            reads.fetch_add(1);
        }
    });
    writers.clear();  // joins the writers
    writing.store(false);
    reader.join();

    CHECK(unbalanced.load() == 0);
    CHECK(reads.load() >= 20000);
    const auto counts = accounting.read();
    CHECK(counts.submitted == written.load());
    CHECK(counts.finished() == written.load());
    CHECK(counts.balanced());
}
