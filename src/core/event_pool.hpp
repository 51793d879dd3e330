#pragma once
// The global event pool: Panel's ThreadPoolExecutor (`nthreads`). Button clicks and periodic
// callbacks of every session are events; up to N workers take them from one FIFO queue.
//
// Threads start on demand, as in CPython's ThreadPoolExecutor (Lib/concurrent/futures/thread.py,
// `_adjust_thread_count`): a new pool has no thread; an event that finds no idle worker starts one
// while fewer than N exist. Idle means waiting for work and not yet claimed by an earlier event
// that is on its way to it. A worker never leaves on its own (no idle timeout): two clicks on a
// pool of 8 leave two threads, for as long as the pool keeps its size. The rule looks only for an
// idle worker, as Python's does: an event held back by per-session serialisation may still have
// started a thread, which then waits like any idle one. A worker counts itself idle before its
// lane shows it idle, so an event submitted after the lane showed it idle reuses it.
//
// The server's event loop is the pool's other thread, separate from the N workers, and it always
// exists, as the server's asyncio/Tornado loop does (see coroutine.hpp for Panel's source). It runs
// every async callback (a coroutine: its segments between awaits, each queued on the loop FIFO when
// its await ends), threading on or off; with threading off (no `nthreads`) it also runs every
// plain event, one after another, and the pool has no worker at all. A request says what it is;
// the pool sends it to the loop or to the workers (EventPool::submit).
//
// Contracts
//  - FIFO: events start in submission order (with per-session serialisation on, an event whose
//    session already has one running waits, and later events of other sessions may pass it).
//  - resize() never waits for running work (ThreadLab's own: Python's executor cannot resize).
//    Growing raises the size and at once starts as many threads as the events queued right now
//    need (those that no sleeping worker will take), no more; later events start the rest on
//    demand. Shrinking (retiring is ThreadLab's own too) marks surplus workers, idle ones first, to
//    retire after their current event; growing again takes retirements back before it starts a
//    thread. No event is dropped or run twice. Retired threads are joined by the pool's reaper,
//    off the caller's path. Threads start outside the pool's lock (reserved under it, started
//    after it is released): the running workers never wait for a thread start.
//  - Paused (ThreadLab's own): no event starts, and no thread starts for one (except a first
//    worker, see below); resuming starts threads for the backlog as growing does.
//  - Off: no worker; the event loop runs plain events and coroutine segments strictly one after
//    another, in the order they became ready. Switching threading off hands the events still
//    queued for the workers to the loop, in their order; switching it on leaves those already on
//    the loop's queue there (they were scheduled on the loop). Per-session serialisation is moot
//    on the loop (it runs one thing at a time) and applies only to the workers.
//  - A coroutine is one event: queued until its first segment starts, then running (while a
//    segment runs, while it awaits, and while a resumed segment waits for the loop) until its last
//    segment ends, or it fails (a segment threw), or it is cancelled (at any point, awaiting too).
//  - A thread that cannot start (jthread throws std::system_error: out of threads or
//    memory) is not counted anywhere but PoolStats::failed_starts, and the program goes on; the
//    next event that finds no idle worker tries again. The event that asked for it stays queued
//    when some worker exists (a busy one takes it when free). With no worker at all (threading on
//    before its first thread, or an event loop that could not start) submit() refuses the event,
//    nullopt and nothing counted, so that no accepted event waits for a thread that may never come.
//  - Every event ends exactly once as completed, failed or cancelled (see Accounting).
//  - The destructor cancels queued events, interrupts running ones and joins every thread.
//  - Not copyable or movable; every public call is thread-safe.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "accounting.hpp"
#include "platform/adaptive_mutex.hpp"
#include "coroutine.hpp"
#include "engine_context.hpp"
#include "lagged_reading.hpp"
#include "page_updates.hpp"
#include "limits.hpp"
#include "ids.hpp"
#include "pool_setting.hpp"
#include "reaper.hpp"
#include "snapshot.hpp"
#include "trace.hpp"
#include "vector_queue.hpp"
#include "work.hpp"
#include "platform/stop.hpp"

namespace threadlab {

/// click: a button's on_click; periodic: a periodic callback's call; slider: the slider's merged
/// changes reaching its watchers (slider_changes.hpp). next_tick and unhold are not events a
/// request submits: they are the loop's callbacks of the way back to the page (send_page_updates()).
enum class EventKind : std::uint8_t { click, periodic, slider, next_tick, unhold };

const char* to_string(EventKind kind);
/// How the trace records an event of this kind.
SpanKind span_kind(EventKind kind);

struct EventRequest {
    SessionId session = 0;
    EventKind kind = EventKind::click;
    /// The session's Nth click (Panel's `event.new`), Nth periodic call or Nth slider event.
    std::uint32_t ordinal = 0;
    Work work;
    /// The session's share of the pool's accounting; may be null for events of no session.
    std::shared_ptr<Accounting> session_accounting;
    /// Empty: a plain callback that runs `work`. Else an async callback (`work` is not used): it
    /// always runs on the event loop, segment by segment (coroutine.hpp).
    std::vector<CoroutineSegment> coroutine;
};

/// One event as a worker lane shows it.
struct EventRecord {
    EventId id = 0;
    SessionId session = 0;
    EventKind kind = EventKind::click;
    std::uint32_t ordinal = 0;
    Clock::time_point submitted{};
    Clock::time_point started{};
    /// Unset while the event runs.
    std::optional<Clock::time_point> finished;
    std::optional<Outcome> outcome;
    /// The message of a failed event.
    std::string error;
    /// When it joined the queue it started from: `submitted`, or for a coroutine's later step the
    /// end of the await before it.
    Clock::time_point ready{};
    /// A coroutine's step (1-based) of `steps` (0 of 0 for a plain event), and when the await
    /// before it began (the previous step's end).
    std::uint16_t step = 0;
    std::uint16_t steps = 0;
    std::optional<Clock::time_point> awaited_from;

    Clock::duration queue_wait() const { return started - ready; }
    Clock::duration run_time(Clock::time_point now) const { return finished.value_or(now) - started; }
};

/// A coroutine between two steps, as the event loop's lane shows it: awaiting (the loop is free)
/// until `until`, then queued for the loop. Also an item queued for the loop (LaneState::ready):
/// then `since` is when it became ready and `until` equals it.
struct AwaitingCoroutine {
    EventId id = 0;
    SessionId session = 0;
    EventKind kind = EventKind::click;
    std::uint32_t ordinal = 0;
    /// The step that runs after the await (2-based), of `steps`.
    std::uint16_t next_step = 0;
    std::uint16_t steps = 0;
    Clock::time_point since{};
    Clock::time_point until{};
};

/// What one worker thread (or the event loop) has been doing: the running event and the recent
/// ones, oldest first; on the loop, also the coroutines between two steps.
struct LaneState {
    static constexpr std::size_t history_limit = 256;
    /// Of the items queued for the loop, the lane shows the first this many (the count is in PoolStats).
    static constexpr std::size_t ready_limit = 16;
    /// How far back the loop's queue is looked through for events behind the first ready_limit items.
    static constexpr std::size_t ready_scan_limit = 1024;
    std::optional<EventRecord> running;
    std::deque<EventRecord> recent;
    std::vector<AwaitingCoroutine> awaiting;
    /// The loop's lane only: the first ready_limit items waiting for the loop (a plain event since
    /// its submission, a coroutine's step since it was submitted or its await ended, a page's
    /// callback since it was queued: `since`), then up to ready_limit events further back (within
    /// ready_scan_limit items), oldest first; what a blocking step makes every session wait for.
    std::vector<AwaitingCoroutine> ready;
};

/// A worker thread's public face, kept alive by readers even after the worker retired.
/// Cache-line aligned: each worker writes its own lane on every event, and two lanes allocated
/// side by side would otherwise pass a line between the workers (false sharing).
class alignas(64) WorkerLane {
public:
    explicit WorkerLane(unsigned index) : m_index(index) {}
    /// Position among the pool's lanes (0-based); reused after a worker retires.
    unsigned index() const { return m_index; }
    /// The kernel's thread id, 0 until the thread has started.
    int thread_id() const { return m_thread_id.load(std::memory_order_acquire); }
    bool retiring() const { return m_retiring.load(std::memory_order_acquire); }
    const WorkProgress& progress() const { return m_progress; }
    const Snapshot<LaneState>& state() const { return m_state; }

private:
    friend class EventPool;
    const unsigned m_index;
    std::atomic<int> m_thread_id{0};
    std::atomic<bool> m_retiring{false};
    WorkProgress m_progress;
    Snapshot<LaneState> m_state;
};

/// Lock-free reading of the pool's size and counters.
struct PoolStats {
    PoolSetting setting;
    unsigned target = 0;    ///< the size: most workers the setting lets exist at once
    /// Worker threads that exist now: started on demand, so at most `target`, except for a
    /// moment after shrinking, while `retiring` ones finish their event.
    unsigned live = 0;
    unsigned busy = 0;      ///< workers running an event (the event loop is not a worker)
    unsigned retiring = 0;  ///< workers that will retire after their current event
    bool serialize_per_session = false;
    bool paused = false;
    /// Threads that failed to start (std::system_error) since the pool was made.
    std::uint64_t failed_starts = 0;
    /// The event loop: whether its thread runs, whether it runs something now, how many items
    /// (plain events and coroutine steps) are queued for it, and how many coroutines await.
    bool loop_live = false;
    bool loop_busy = false;
    unsigned loop_queued = 0;
    unsigned loop_awaiting = 0;
    /// Every event: the workers' and the loop's.
    AccountingCounts events;
};

class EventPool {
public:
    EventPool(PoolSetting setting, EngineContext engine);
    ~EventPool();
    EventPool(const EventPool&) = delete;
    EventPool& operator=(const EventPool&) = delete;

    /// Queues an event: a coroutine, or any event while threading is off, on the event loop;
    /// else for the workers, starting one for it when none is idle and fewer than the size exist.
    /// nullopt when the queue holds max_queued_events, while the pool shuts down, or when no
    /// thread exists to run it and none could start (see the contracts above); nothing is counted then.
    std::optional<EventId> submit(EventRequest request);
    /// Worker threads that could not be started so far (lock-free; also in stats()).
    std::uint64_t failed_starts() const { return m_failed_starts.load(std::memory_order_relaxed); }

    /// Changes the number of workers; returns at once (see the contracts above).
    void resize(PoolSetting setting);
    PoolSetting setting() const;

    /// With `on`, at most one event of a session runs at a time (Panel has no such option).
    void set_serialize_per_session(bool on);

    /// Paused: workers start no new event; queued events wait, running ones finish.
    void set_paused(bool paused);

    /// A worker's (or a runner task's) widget changes for the page of `session`, made when its work
    /// ends, going back as page_updates.hpp says: next-tick callbacks queued on the event loop,
    /// each run under `document`'s lock (one `_unhold` callback first with UpdateMode::hold, one
    /// callback in all with one_callback). Made on the loop thread itself (threading off), the
    /// changes are direct, as Panel applies them there: no callback, sent at once (one message
    /// each; one in all under hold); one_callback still schedules its one callback. They are not
    /// pool events: not in the accounting, not refused by max_queued_events; a destroyed session's
    /// are dropped (cancel_session), as Bokeh drops a destroyed session's callbacks. Returns at once.
    void send_page_updates(SessionId session, std::shared_ptr<DocumentLock> document, PageUpdatesSpec spec);

    /// Cancels a queued event, or interrupts a running one. False if it already ended.
    bool cancel(EventId id);
    /// Cancels the session's queued events and interrupts its running ones (session destroyed).
    std::size_t cancel_session(SessionId session);

    PoolStats stats() const;
    AccountingCounts counts() const { return m_accounting.read(); }
    /// The memory the queues keep for the next burst once drained (each keeps room for up to
    /// VectorQueue::keep_capacity events): it follows the largest backlog so far, so a memory
    /// check that looks for leaks leaves it out. Takes the queue's and the arrivals' locks.
    std::size_t reserved_queue_bytes() const;
    /// What reserved_queue_bytes() can reach at most: both queues (the arrivals and the queue
    /// swap storages) keeping room for keep_capacity events and their queue-depth samples.
    static std::size_t reserved_queue_bytes_bound();

    /// The lanes of the workers that exist now, by index. Changes when a worker starts or retires
    /// (and on resize): see lanes_version().
    std::vector<std::shared_ptr<const WorkerLane>> lanes() const;
    std::uint64_t lanes_version() const { return m_lanes_version.load(std::memory_order_acquire); }
    /// The event loop's lane: always the same one, whatever the threading setting.
    std::shared_ptr<const WorkerLane> loop_lane() const { return m_loop.lane; }

private:
    struct Pending {
        EventId id = 0;
        EventRequest request;
        Clock::time_point submitted{};
    };
    // Cache-line aligned for the same reason as WorkerLane.
    struct alignas(64) Worker {
        std::shared_ptr<WorkerLane> lane;
        bool retire = false;  // guarded by m_mutex
        // The running event, for cancel() and for choosing whom to retire. Guarded by m_mutex.
        bool running = false;
        EventId running_id = 0;
        SessionId running_session = 0;
        // Interrupts the running event. One per worker, replaced only after it fired: a fresh
        // stop_source per event would cost an allocation on every event. Guarded by m_mutex.
        stop_source stop;
        // Where this worker records its events' spans (only it writes there).
        std::unique_ptr<Trace::Shard> trace;
        // Arrivals' samples taken out of the pool to trace, then cleared; kept so that its
        // storage goes round between the submitters, the pool and the workers without reallocating.
        std::vector<CounterSample> arrival_samples;
        // The pool's accounting as this worker last read it, for its queue-depth samples.
        LaggedReading<Accounting::Depth> depth;
        // Set under m_mutex once `thread` holds the handle: the thread waits for it before it
        // touches the pool, so that no one can look at `thread` while it is being written.
        bool launched = false;
        jthread thread;
    };
    /// What a worker carries out of the lock to run one event.
    struct Started {
        EventRecord record;
        Work work;
        std::shared_ptr<Accounting> session_accounting;
        stop_token stop;
    };

    void worker_loop(Worker& self);
    /// Takes the next eligible event out of the queue and counts it as started.
    Pending take_next_locked(Worker& self);
    /// Outside the lock: what the worker needs to run the event, stamped with its start.
    Started start(Worker& self, Pending event);
    /// Runs the event with no lock held and returns its record with the outcome set.
    EventRecord run_started(Worker& self, Started& started);
    void trace_finished(Worker& self, const EventRecord& record);
    void finish_locked(Worker& self, const EventRecord& record, Accounting* session_accounting);
    /// One publication for both: the event that just finished (if any) moves to the lane's
    /// history, and the one that starts (if any) becomes its running event.
    void show_on_lane(Worker& self, std::optional<EventRecord> finished, const EventRecord* starting);
    /// May move arrivals into the queue to find one.
    bool has_eligible_locked();
    /// Moves everything that arrived to the back of the queue (it is all newer than the queue).
    /// False when nothing had arrived.
    bool take_arrivals_locked();
    /// Moves every arrival into the queue (so that it holds every event not yet started) and
    /// returns the samples waiting to be traced, for the caller to trace once it released the lock.
    std::vector<CounterSample> take_all_arrivals_locked();
    /// With the arrivals' lock held: moves them into the queue; false when there were none.
    bool move_arrivals_locked();
    /// The last look at the arrivals before sleeping, and the registration as a sleeper, under the
    /// arrivals' lock: a submission after it sees the sleeper and wakes it. False (nothing
    /// registered) when events arrived meanwhile: they are in the queue, and the worker looks again.
    bool prepare_to_sleep_locked();
    /// Waits (registered as a sleeper by prepare_to_sleep_locked()) until there is something to do.
    void sleep_locked(std::unique_lock<AdaptiveMutex>& lock, Worker& self);
    /// With the arrivals' lock held: counts the event in and adds it to the arrivals; nullopt (and
    /// `request` untouched) when the pool is closed or the queue is full.
    std::optional<EventId> enqueue_locked(EventRequest& request, Clock::time_point submitted);
    /// submit()'s rare path, for an event that saw no sleeping worker while a thread may start:
    /// decides under m_mutex, where that is exact, whether it takes an idle worker or starts one.
    std::optional<EventId> submit_starting_worker(EventRequest request, Clock::time_point submitted);
    /// Wakes a sleeping worker for a new arrival, unless every sleeper is being woken already;
    /// then, if the event is still waiting and the size allows, starts a worker for it.
    void wake_for_arrival();
    /// Whether an event that finds no idle worker may start a thread now.
    bool thread_may_start_locked() const;
    void retire_locked(Worker& self);
    /// The size changed: retirements taken back or made; the workers to start are returned
    /// reserved, for launch_reserved() once m_mutex is released.
    [[nodiscard]] std::vector<Worker*> apply_target_locked();
    /// Starts a worker with m_mutex held throughout (for the pool's first worker, where the
    /// caller must know at once whether one exists). False when the thread could not start
    /// (nothing is left behind then).
    bool start_worker_locked();
    /// Growing without the lock: a worker is reserved under m_mutex (lane, place in m_workers,
    /// counted live) and its thread is started after the caller released m_mutex, so that the
    /// ~170 µs of a thread start never stall the workers that queue for the lock.
    Worker& reserve_worker_locked();
    /// Without m_mutex: starts the reserved workers' threads in order. The first that cannot
    /// start ends the round: it and the rest are dropped (counted once in failed_starts).
    void launch_reserved(std::span<Worker* const> reserved);
    /// Reserves one worker per queued event that no sleeping worker will take, up to the size
    /// (for launch_reserved()).
    [[nodiscard]] std::vector<Worker*> reserve_workers_for_backlog_locked();
    std::optional<jthread> start_thread_of(Worker& self);
    void launched_locked(Worker& self, jthread thread);
    void drop_unlaunched_locked(Worker& self);
    /// Takes `self` out of m_workers and the live (and retiring) counts; the caller disposes of it.
    std::unique_ptr<Worker> remove_worker_locked(Worker& self);
    /// Workers not retiring: the ones that count towards the size.
    unsigned staying_workers_locked() const;
    VectorQueue<Pending>::iterator next_eligible_locked();
    void publish_lanes_changed();

    // The event loop (event_loop.cpp) ------------------------------------------------------
    /// A plain event or a coroutine on the loop: a plain event is a coroutine of one segment.
    struct LoopItem {
        EventId id = 0;
        EventRequest request;
        Clock::time_point submitted{};
        Clock::time_point ready{};
        /// The segment that runs next.
        std::size_t next = 0;
        /// Counted as running: its first segment has started.
        bool started = false;
        std::optional<Clock::time_point> awaited_from;
        /// A plain event (threading off): one segment, drawn and traced as an ordinary event.
        bool plain = false;
        /// Set for a next-tick callback of the page (kind next_tick or unhold): not counted in
        /// the accounting; an unhold releases `releases` next-tick callbacks when it has run.
        struct Page {
            std::shared_ptr<DocumentLock> document;
            std::uint32_t releases = 0;
            double seconds = 0.0;
        };
        std::optional<Page> page;
    };
    /// With m_mutex held: a next-tick callback (`releases` 0) or an unhold to the back of the loop's queue.
    void queue_page_callback_locked(SessionId session, const std::shared_ptr<DocumentLock>& document, EventKind kind,
                                    std::uint32_t changes, std::uint32_t messages, std::uint32_t releases,
                                    double seconds);
    /// With m_mutex held: counts the event in and queues it on the loop; nullopt when closed or full.
    std::optional<EventId> submit_to_loop_locked(EventRequest& request, Clock::time_point submitted);
    /// With m_mutex held: starts the loop's thread if it is not running; false if it cannot start.
    bool start_loop_locked();
    void loop_main();
    /// With m_mutex held: moves the coroutines whose await is over to the loop's queue, in the
    /// order their awaits ended.
    void resume_awaited_locked(Clock::time_point now);
    /// Outside the lock: runs the item's next segment; the record carries its outcome.
    EventRecord run_segment(LoopItem& item, EventRecord record, stop_token stop);
    /// With m_mutex held: after a segment ended, sends the coroutine to await or ends the event.
    void after_segment_locked(LoopItem item, const EventRecord& record, bool stop_requested);
    /// With m_mutex held: ends a loop item that was not running, as cancelled.
    void cancel_loop_item_locked(const LoopItem& item);
    /// With m_mutex held: cancels the loop's items that `match(id, session)` selects and interrupts
    /// its running one if it matches; returns how many were affected.
    std::size_t cancel_on_loop_locked(const std::function<bool(EventId, SessionId)>& match);
    /// With m_mutex held: the events queued for the workers go to the loop (threading switched off).
    void hand_queue_to_loop_locked();
    /// Publishes the loop's lane: the step that ended (if any), the one that starts (if any), and
    /// the coroutines awaiting now. With m_mutex held (the loop's state is read under it).
    void show_on_loop_lane_locked(std::optional<EventRecord> finished, const EventRecord* starting);
    void update_loop_counts_locked();

    const EngineContext m_engine;

    // Guards everything below up to the arrivals: the queue, the workers, the setting.
    // Held only for queue and bookkeeping operations, never while an event runs. Taken before
    // the arrivals' lock when both are needed. Under a flood the workers hand this lock to each
    // other on every event: what they touch each time is packed into two cache lines, the lock
    // with the flags, then the queue with the samples.
    alignas(64) mutable AdaptiveMutex m_mutex;
    bool m_serialize_per_session = false;
    bool m_paused = false;
    bool m_stopping = false;
    // notify_one() calls that sleeping workers have not yet woken from.
    unsigned m_wakeups_pending = 0;
    alignas(64) VectorQueue<Pending> m_queue;
    // Queue-depth samples of submissions that moved into the queue, for the next worker to trace
    // once it has released the lock.
    std::vector<CounterSample> m_arrival_samples;
    // Signals workers: an event was queued, became eligible, or they should retire or stop.
    alignas(64) condition_variable_any m_wake_workers;
    std::vector<std::unique_ptr<Worker>> m_workers;
    // Reserved workers whose thread is being started outside m_mutex; the destructor waits on
    // m_launches until there are none, so that every started thread is found and joined.
    unsigned m_launching = 0;
    condition_variable_any m_launches;
    // Events running per session; kept only while m_serialize_per_session is on (it costs a map
    // update per event, and only serialisation asks).
    std::unordered_map<SessionId, unsigned> m_running_by_session;
    PoolSetting m_setting;

    // Arrivals: submit() takes only this lock, so the submitting thread does not queue behind the
    // workers for the queue's lock; a worker moves all arrivals into the queue at once when the
    // queue runs dry. On its own cache lines, away from the workers' bookkeeping.
    struct alignas(64) Arrivals {
        mutable AdaptiveMutex mutex;
        VectorQueue<Pending> events;         // guarded by mutex
        std::vector<CounterSample> samples;  // guarded by mutex: each submission's queue depth
        EventId next_id = 1;                 // guarded by mutex
        bool closed = false;                 // guarded by mutex: the pool shuts down
        // Guarded by mutex: the accounting as submit() last read it (for the limit and samples).
        LaggedReading<Accounting::Depth> depth;
        // events.size(), for a worker to skip the lock when nothing arrived. A hint, read without
        // the lock: the look before sleeping takes the lock.
        std::atomic<std::size_t> count{0};
        // Workers waiting on m_wake_workers. Changed under m_mutex; counted up under this lock
        // too, where submit() reads it (see prepare_to_sleep_locked()). Here, not beside the
        // queue, because submit() reads it on every event and the workers write the queue's lines.
        // Those not claimed by m_wakeups_pending are the idle workers that spare a new thread.
        std::atomic<unsigned> sleeping{0};
    };
    Arrivals m_arrivals;

    // Departures written under m_mutex, arrivals under the arrivals' lock; read lock-free by stats().
    alignas(64) Accounting m_accounting;
    std::atomic<bool> m_threaded{true};
    std::atomic<unsigned> m_requested{0};
    std::atomic<unsigned> m_target{0};
    std::atomic<unsigned> m_live{0};
    std::atomic<unsigned> m_retiring{0};
    std::atomic<bool> m_serialize_flag{false};
    std::atomic<bool> m_paused_flag{false};
    std::atomic<std::uint64_t> m_failed_starts{0};
    std::atomic<std::uint64_t> m_lanes_version{1};
    // Workers running an event (the accounting's running also counts the loop's events).
    std::atomic<unsigned> m_busy_workers{0};

    // The server's event loop. Its queue and timers are guarded by m_mutex, as the workers' queue
    // is (the loop is one thread: it never contends for the lock under a flood of events).
    struct Loop {
        std::shared_ptr<WorkerLane> lane = std::make_shared<WorkerLane>(0);
        std::deque<LoopItem> queue;                            // ready to run, FIFO
        std::multimap<Clock::time_point, LoopItem> awaiting;   // by the end of their await (ties FIFO)
        bool running = false;                                  // the running item, for cancel()
        EventId running_id = 0;
        SessionId running_session = 0;
        // Interrupts the running segment; replaced once it fired (as a worker's).
        stop_source stop;
        // Wakes the loop: an item is queued, an await ends sooner than it waits for, or it stops.
        condition_variable_any wake;
        std::unique_ptr<Trace::Shard> trace;
        jthread thread;
    };
    Loop m_loop;
    // Page callbacks not yet started, queued or held by a hold (max_pending_page_callbacks).
    // Guarded by m_mutex.
    std::size_t m_page_pending = 0;
    std::atomic<bool> m_loop_live{false};
    std::atomic<bool> m_loop_busy{false};
    std::atomic<unsigned> m_loop_queued{0};
    std::atomic<unsigned> m_loop_awaiting{0};

    // Last member: destroyed first, joining retired workers while the members above still exist.
    Reaper m_reaper;
};

}  // namespace threadlab
