#include "accounting.hpp"

#include <cassert>
#include <thread>

namespace threadlab {

namespace {
constexpr auto relaxed = std::memory_order_relaxed;

// Only one writer at a time (the owner's mutex), so a load and a store suffice. The store is a
// release: it cannot move before the odd sequence number stored ahead of it, so a reader that sees
// the new value also sees the write in progress. (This is the seqlock without fences, which
// ThreadSanitizer can check.)
void add(std::atomic<std::uint64_t>& counter, std::uint64_t amount) {
    counter.store(counter.load(relaxed) + amount, std::memory_order_release);
}
void subtract(std::atomic<std::uint64_t>& counter, std::uint64_t amount) {
    assert(counter.load(relaxed) >= amount);
    counter.store(counter.load(relaxed) - amount, std::memory_order_release);
}
}  // namespace

template <class Change>
void Accounting::depart(Change&& change) {
    const auto sequence = m_sequence.load(relaxed);
    assert(sequence % 2 == 0 && "two writers at once: the owner's departures lock is not held");
    m_sequence.store(sequence + 1, relaxed);
    change();
    m_sequence.store(sequence + 2, std::memory_order_release);
}

void Accounting::on_submitted() {
    // One counter: no sequence needed. A reader loads it after the departures, so it never sees a
    // departure without its arrival.
    add(m_submitted, 1);
}

void Accounting::on_started() {
    depart([this] {
        add(m_dequeued, 1);
        add(m_running, 1);
    });
}

void Accounting::on_finished(Outcome outcome) {
    depart([this, outcome] {
        subtract(m_running, 1);
        switch (outcome) {
            case Outcome::completed: add(m_completed, 1); break;
            case Outcome::failed: add(m_failed, 1); break;
            case Outcome::cancelled: add(m_cancelled, 1); break;
        }
    });
}

void Accounting::on_cancelled_queued(std::uint64_t count) {
    if (count == 0) {
        return;
    }
    assert(depth_now().queued >= count);
    depart([this, count] {
        add(m_dequeued, count);
        add(m_cancelled, count);
    });
}

AccountingCounts Accounting::read() const {
    for (;;) {
        const auto before = m_sequence.load(std::memory_order_acquire);
        if (before % 2 != 0) {
            // A writer is between two stores (a few instructions); let it finish.
            std::this_thread::yield();
            continue;
        }
        // Acquire loads: the second reading of the sequence cannot move before them.
        constexpr auto acquire = std::memory_order_acquire;
        AccountingCounts counts;
        const auto dequeued = m_dequeued.load(acquire);
        counts.running = m_running.load(acquire);
        counts.completed = m_completed.load(acquire);
        counts.failed = m_failed.load(acquire);
        counts.cancelled = m_cancelled.load(acquire);
        if (m_sequence.load(relaxed) != before) {
            continue;
        }
        // After the departures: every event that departed arrived before (its arrival happens
        // before its departure, and the acquire loads above saw the departure), so this count
        // includes them all and queued cannot go below zero.
        counts.submitted = m_submitted.load(acquire);
        counts.queued = counts.submitted - dequeued;
        return counts;
    }
}

Accounting::Depth Accounting::depth_now() const {
    // Departures first, for the same reason as in read().
    const auto dequeued = m_dequeued.load(std::memory_order_acquire);
    const auto running = m_running.load(std::memory_order_acquire);
    const auto submitted = m_submitted.load(std::memory_order_acquire);
    return {submitted, submitted - dequeued, running};
}

}  // namespace threadlab
