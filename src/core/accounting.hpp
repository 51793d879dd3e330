#pragma once
// "Nothing lost": every queue in the engine (the event pool, each session's runner, each
// session's share of the pool) keeps these counters, and at every moment a reader can observe
//     submitted == queued + running + completed + failed + cancelled.
//
// Two kinds of writes: arrivals (on_submitted) and departures (everything else). Each kind has one
// writer at a time, serialised by a lock of the queue's owner: a runner holds its one mutex for
// both, while the event pool takes submissions under its arrivals lock and starts, ends and
// cancellations under its queue lock, so a submitting thread never waits for a worker. `queued`
// is not stored: it is submitted - dequeued (started or cancelled while queued).
// Readers (the render loop, tests, benchmarks) take no lock: a sequence counter (a seqlock built
// only from atomics, so there is no data race) lets them retry the rare read that overlapped a
// departure, and they never see a transition half done.

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
    /// Arrival: call only while holding the owner's arrivals lock.
    void on_submitted();
    // Departures: call only while holding the owner's departures lock.
    void on_started();
    void on_finished(Outcome outcome);
    /// `count` queued items were cancelled before they started.
    void on_cancelled_queued(std::uint64_t count = 1);

    /// A consistent copy; lock-free, never blocks on a writer.
    AccountingCounts read() const;
    struct Depth {
        std::uint64_t submitted = 0;
        std::uint64_t queued = 0;
        std::uint64_t running = 0;
    };
    /// Submitted, queued and running, without the sequence check, for a queue-depth sample or a
    /// limit check taken outside the departures lock: it may miss the latest departures (never
    /// counts fewer queued than there are), never torn.
    Depth depth_now() const;
    /// The arrivals alone: exact for their writer.
    std::uint64_t submitted_now() const { return m_submitted.load(std::memory_order_acquire); }

private:
    template <class Change>
    void depart(Change&& change);

    // The arrivals' own cache line: the submitting thread writes it on every event, and sharing a
    // line with the departures would pull it back and forth between submitter and workers.
    alignas(64) std::atomic<std::uint64_t> m_submitted{0};
    // Odd while a departure is being written; the readers' retry signal.
    alignas(64) std::atomic<std::uint64_t> m_sequence{0};
    std::atomic<std::uint64_t> m_dequeued{0};
    std::atomic<std::uint64_t> m_running{0};
    std::atomic<std::uint64_t> m_completed{0};
    std::atomic<std::uint64_t> m_failed{0};
    std::atomic<std::uint64_t> m_cancelled{0};
};

}  // namespace threadlab
