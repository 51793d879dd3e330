#pragma once
// "Nothing lost": every queue in the engine (the event pool, each session's runner, each
// session's share of the pool) keeps these counters, and at every moment a reader can observe
//     submitted == queued + running + completed + failed + cancelled.
//
// Writers are the queue's owner, always under the owner's queue mutex, so writes never race
// each other. Readers (the render loop, tests, benchmarks) take no lock: a sequence counter
// (a seqlock built only from atomics, so there is no data race) lets them retry the rare read
// that overlapped a write, and they never see a transition half done.

#include <atomic>
#include <cstdint>

#include "ids.hpp"

namespace threadlab {

struct AccountingCounts {
    std::uint64_t submitted = 0;
    std::uint64_t queued = 0;
    std::uint64_t running = 0;
    std::uint64_t completed = 0;
    std::uint64_t failed = 0;
    std::uint64_t cancelled = 0;

    std::uint64_t finished() const { return completed + failed + cancelled; }
    /// The invariant of the whole engine.
    bool balanced() const { return submitted == queued + running + finished(); }
    bool idle() const { return queued == 0 && running == 0; }
    friend bool operator==(const AccountingCounts&, const AccountingCounts&) = default;

    /// Adds another queue's counts (totals over sessions).
    AccountingCounts& operator+=(const AccountingCounts& other) {
        submitted += other.submitted;
        queued += other.queued;
        running += other.running;
        completed += other.completed;
        failed += other.failed;
        cancelled += other.cancelled;
        return *this;
    }
};

class Accounting {
public:
    // Writers: call only while holding the owning queue's mutex.
    void on_submitted();
    void on_started();
    void on_finished(Outcome outcome);
    /// `count` queued items were cancelled before they started.
    void on_cancelled_queued(std::uint64_t count = 1);

    /// A consistent copy; lock-free, never blocks on a writer.
    AccountingCounts read() const;
    /// The queued count alone, without the sequence check: one load, for a queue-depth sample
    /// taken outside the owner's lock (it may be one transition behind, never torn).
    std::uint64_t queued_now() const { return m_queued.load(std::memory_order_relaxed); }

private:
    template <class Change>
    void write(Change&& change);

    // Odd while a write is in progress; the readers' retry signal.
    std::atomic<std::uint64_t> m_sequence{0};
    std::atomic<std::uint64_t> m_submitted{0};
    std::atomic<std::uint64_t> m_queued{0};
    std::atomic<std::uint64_t> m_running{0};
    std::atomic<std::uint64_t> m_completed{0};
    std::atomic<std::uint64_t> m_failed{0};
    std::atomic<std::uint64_t> m_cancelled{0};
};

}  // namespace threadlab
