#pragma once
// A bounded record of what ran where: one span per finished task or event, with the thread that
// ran it, plus samples of the pool's queue depth and busy workers. Headless summaries, the Chrome
// trace export and replay read it. Bounded: past its capacity the oldest spans go (and are counted).

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "platform/adaptive_mutex.hpp"
#include "ids.hpp"

namespace threadlab {

enum class SpanKind : std::uint8_t {
    task,
    click,
    periodic,
    slider,
    /// A worker process starting (process_pool.hpp): `id` is the process's number, `lane` too.
    process_startup,
    /// A job run by a worker process: `id` is the job's, `lane` the process's number.
    process_job,
    /// A Bokeh next-tick callback on the event loop carrying a worker's widget changes to the page
    /// under the session's document lock (page_updates.hpp): `ordinal` is the session's Nth.
    next_tick,
    /// Panel's `_unhold` callback ending a worker's hold(): it releases the held next-tick callbacks.
    unhold,
};

const char* to_string(SpanKind kind);
/// A pool event (a click, a periodic call or a slider event): what the events' measures and summaries count.
inline bool is_pool_event(SpanKind kind) {
    return kind == SpanKind::click || kind == SpanKind::periodic || kind == SpanKind::slider;
}
/// Work of the process pool, on a process's lane.
inline bool is_process_span(SpanKind kind) { return kind == SpanKind::process_startup || kind == SpanKind::process_job; }
/// A next-tick callback of the way back to the page (page_updates.hpp): loop work, not a pool event.
inline bool is_page_callback(SpanKind kind) { return kind == SpanKind::next_tick || kind == SpanKind::unhold; }

struct SpanRecord {
    SpanKind kind = SpanKind::task;
    SessionId session = 0;
    /// The task's id within its session, or the event's id in the pool.
    std::uint64_t id = 0;
    /// The session's Nth click, periodic call or slider event (events only); for a process job,
    /// the kernel thread id of the thread that waited for it (its caller).
    std::uint32_t ordinal = 0;
    /// Kernel thread id of the thread that ran it, and for events the worker's lane number
    /// (a task always runs on its session's runner). See thread_name().
    int thread_id = 0;
    std::uint32_t lane = 0;
    Clock::time_point submitted{};
    Clock::time_point started{};
    Clock::time_point finished{};
    Outcome outcome = Outcome::completed;
    /// A step of an async callback (a coroutine on the event loop): its number (1-based) among
    /// `steps`, the segments between its awaits; 0 of 0 for a plain callback or a task. All steps
    /// of one coroutine share its id and its `submitted`; `ready` is when this step joined the
    /// loop's queue (the submission for the first, the end of the await before it for the others).
    std::uint16_t step = 0;
    std::uint16_t steps = 0;
    Clock::time_point ready{};

    /// The lane number of the server's event loop (never a pool worker's).
    static constexpr std::uint32_t loop_lane = 0xFFFFFFFFu;
    bool on_loop() const { return lane == loop_lane && kind != SpanKind::task; }
    bool async_step() const { return steps > 0; }
    /// The span that ends an event: a coroutine's last step or a step that failed or was
    /// cancelled (it never resumes), or anything that is not a coroutine step. (A coroutine
    /// cancelled while it awaits ends with no span: its last one is the step before the await.)
    bool ends_event() const { return step == steps || outcome != Outcome::completed; }
    /// The wait for a thread (or the loop) before this span ran.
    Clock::duration queue_wait() const { return started - (async_step() ? ready : submitted); }
    Clock::duration run_time() const { return finished - started; }
};

/// The name of the thread that ran `span`, as the engine names its threads: "tl-worker-2" for a
/// pool event, "tl-event-loop" for the event loop, "tl-runner-3" for a task of session 3. Built on demand, so recording allocates nothing.
std::string thread_name(const SpanRecord& span);

struct CounterSample {
    Clock::time_point when{};
    std::uint32_t queued = 0;
    std::uint32_t busy = 0;
};

class Trace {
public:
    static constexpr std::size_t default_capacity = 100000;

    /// One recording thread's own part of the trace (an event pool worker's): adding takes only
    /// the shard's lock, which no other recorder shares, so a flood of events does not pass one
    /// lock and one cache line between the workers. What a shard holds is part of the trace at
    /// once (readers look into every shard); it moves into the trace's own store in batches, and
    /// when the shard is destroyed. Destroy every shard before its trace. Cache-line aligned, so
    /// that two shards allocated side by side do not share a line between their writers.
    class alignas(64) Shard {
    public:
        ~Shard();
        Shard(const Shard&) = delete;
        Shard& operator=(const Shard&) = delete;

        /// A finished event's span and the counters after it. Thread-safe, but meant for one thread.
        void add(SpanRecord span, CounterSample sample);

    private:
        friend class Trace;
        explicit Shard(Trace& trace) : m_trace(trace) {}
        // Moved into the trace when this many spans are held: one lock of the trace per batch.
        static constexpr std::size_t batch = 256;

        Trace& m_trace;
        // Guards the two vectors; taken after the trace's lock when both are held.
        mutable AdaptiveMutex m_mutex;
        std::vector<SpanRecord> m_spans;
        std::vector<CounterSample> m_counters;
    };

    /// A new shard of this trace, for one recording thread.
    std::unique_ptr<Shard> open_shard();

    explicit Trace(std::size_t capacity = default_capacity) : m_capacity(capacity) {}
    Trace(const Trace&) = delete;
    Trace& operator=(const Trace&) = delete;

    /// Recording costs a short lock per span; off, add() returns at once.
    void set_enabled(bool on) { m_enabled.store(on, std::memory_order_release); }
    bool enabled() const { return m_enabled.load(std::memory_order_acquire); }

    /// Thread-safe.
    void add(SpanRecord span);
    /// Many under one lock.
    void add_counters(const std::vector<CounterSample>& samples);

    std::vector<SpanRecord> spans() const;
    /// Ordered by time.
    std::vector<CounterSample> counters() const;
    /// Spans dropped because the trace was full.
    std::uint64_t dropped() const { return m_dropped.load(std::memory_order_acquire); }
    /// Time zero of the trace (when it was created).
    Clock::time_point origin() const { return m_origin; }

private:
    // Both with m_mutex held; past the capacity the oldest entry goes.
    void push_span_locked(SpanRecord span);
    void push_counter_locked(CounterSample sample);
    /// With m_mutex held: moves what the shard holds into the trace's own store.
    void absorb_locked(Shard& shard);
    /// The store's records and every shard's, ordered by `when`.
    template <class Record>
    std::vector<Record> gather(const std::deque<Record> Trace::*store, const std::vector<Record> Shard::*part,
                               Clock::time_point Record::*when) const;

    const std::size_t m_capacity;
    const Clock::time_point m_origin = Clock::now();
    std::atomic<bool> m_enabled{true};
    std::atomic<std::uint64_t> m_dropped{0};
    // Guards m_spans, m_counters and m_shards; held for one push, one batch or one copy.
    mutable AdaptiveMutex m_mutex;
    std::deque<SpanRecord> m_spans;
    std::deque<CounterSample> m_counters;
    // The open shards; each removes itself when destroyed.
    std::vector<Shard*> m_shards;
};

}  // namespace threadlab
