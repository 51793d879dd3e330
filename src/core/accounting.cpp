#include "accounting.hpp"

#include <cassert>
#include <thread>

namespace threadlab {

namespace {
constexpr auto relaxed = std::memory_order_relaxed;

void add(std::atomic<std::uint64_t>& counter, std::uint64_t amount) {
    // Only one writer at a time (the owner's mutex), so a plain load and store suffice.
    counter.store(counter.load(relaxed) + amount, relaxed);
}
void subtract(std::atomic<std::uint64_t>& counter, std::uint64_t amount) {
    assert(counter.load(relaxed) >= amount);
    counter.store(counter.load(relaxed) - amount, relaxed);
}
}  // namespace

template <class Change>
void Accounting::write(Change&& change) {
    const auto sequence = m_sequence.load(relaxed);
    assert(sequence % 2 == 0 && "two writers at once: the owner's mutex is not held");
    m_sequence.store(sequence + 1, relaxed);
    std::atomic_thread_fence(std::memory_order_release);
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
        AccountingCounts counts;
        counts.submitted = m_submitted.load(relaxed);
        counts.queued = m_queued.load(relaxed);
        counts.running = m_running.load(relaxed);
        counts.completed = m_completed.load(relaxed);
        counts.failed = m_failed.load(relaxed);
        counts.cancelled = m_cancelled.load(relaxed);
        std::atomic_thread_fence(std::memory_order_acquire);
        if (m_sequence.load(relaxed) == before) {
            return counts;
        }
    }
}

}  // namespace threadlab
