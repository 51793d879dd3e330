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
void Accounting::write(Change&& change) {
    const auto sequence = m_sequence.load(relaxed);
    assert(sequence % 2 == 0 && "two writers at once: the owner's mutex is not held");
    m_sequence.store(sequence + 1, relaxed);
    change();
    m_sequence.store(sequence + 2, std::memory_order_release);
}

void Accounting::on_submitted() {
    write([this] {
        add(m_submitted, 1);
        add(m_queued, 1);
    });
}

void Accounting::on_started() {
    write([this] {
        subtract(m_queued, 1);
        add(m_running, 1);
    });
}

void Accounting::on_finished(Outcome outcome) {
    write([this, outcome] {
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
    write([this, count] {
        subtract(m_queued, count);
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
        counts.submitted = m_submitted.load(acquire);
        counts.queued = m_queued.load(acquire);
        counts.running = m_running.load(acquire);
        counts.completed = m_completed.load(acquire);
        counts.failed = m_failed.load(acquire);
        counts.cancelled = m_cancelled.load(acquire);
        if (m_sequence.load(relaxed) == before) {
            return counts;
        }
    }
}

}  // namespace threadlab
