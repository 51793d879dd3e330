#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <semaphore>
#include <thread>
#include <vector>

#include "core/accounting.hpp"
#include "core/platform/stop.hpp"

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
    std::vector<jthread> writers;
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
    jthread reader([&] {
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

TEST_CASE("arrivals and departures under separate locks: a reader never sees a departure without its arrival",
          "[accounting]") {
    // The event pool's split: the submitting thread counts arrivals under one lock, a worker counts
    // departures under another, starting only what it was told has arrived.
    Accounting accounting;
    std::mutex arrivals;
    std::mutex departures;
    std::counting_semaphore<> arrived(0);
    std::atomic<bool> submitting{true};
    std::atomic<std::uint64_t> unbalanced{0};
    std::atomic<std::uint64_t> negative_queue{0};
    std::atomic<std::uint64_t> reads{0};
    std::atomic<std::uint64_t> submitted{0};

    jthread reader([&] {
        while (submitting.load()) {
            const auto counts = accounting.read();
            unbalanced.fetch_add(counts.balanced() ? 0 : 1);
            // queued is submitted - dequeued: a departure read before its arrival would wrap around.
            negative_queue.fetch_add(counts.queued > counts.submitted ? 1 : 0);
            reads.fetch_add(1);
        }
    });
    jthread worker([&] {
        for (std::uint64_t departed = 0;; ++departed) {
            arrived.acquire();
            if (!submitting.load() && departed == submitted.load()) {
                return;  // the submitter's final release: everything has departed
            }
            std::lock_guard lock(departures);
            accounting.on_started();
            accounting.on_finished(departed % 7 == 0 ? Outcome::failed : Outcome::completed);
        }
    });
    // Keep submitting until the reader has read many times while both sides were writing.
    for (int i = 0; i < 50'000 || reads.load() < 20'000; ++i) {
        {
            std::lock_guard lock(arrivals);
            accounting.on_submitted();
        }
        submitted.fetch_add(1);
        arrived.release();
    }
    submitting.store(false);
    arrived.release();  // wakes the worker for its last check
    worker.join();
    reader.join();

    CHECK(unbalanced.load() == 0);
    CHECK(negative_queue.load() == 0);
    CHECK(reads.load() >= 20'000);
    const auto counts = accounting.read();
    CHECK(counts.submitted == submitted.load());
    CHECK(counts.finished() == submitted.load());
    CHECK(counts.idle());
}
