#pragma once
// The way back to the page: what happens when a worker thread (a pool event, a runner's task)
// changes widget values. Read from Panel (holoviz/panel@45cb9c1) and Bokeh (bokeh/bokeh@8fbd227):
//
//  - A widget change reaches Reactive._apply_update (panel/reactive.py:345-363). It changes the
//    Bokeh model directly only when `state._unblocked(doc)` (panel/io/state.py:386-403): on the
//    server's event-loop thread, or while the session's document lock is held. A worker thread is
//    neither, so the change becomes `state.execute(cb, schedule=True)`, which is
//    `doc.add_next_tick_callback(...)` (state.py:848-849): one next-tick callback per change.
//  - Bokeh runs every next-tick callback on the event loop wrapped in `with_document_locked`
//    (bokeh server/session.py:223-233): it takes the session's document lock (`self._lock`, one
//    per session, session.py:142), runs the callback (the model update), and before it releases
//    the lock awaits the writes the change queued, one PATCH-DOC message (session.py:71-110,
//    240-252). So 100 changes from a worker are 100 loop callbacks, 100 lock turns, 100 messages.
//  - `hold()` in a worker thread (panel/io/document.py:737-773) puts the document on hold; each
//    change still schedules its own next-tick callback, but the event that registers it with the
//    loop (SessionCallbackAdded, bokeh document/callbacks.py:193) is collected by the hold
//    (callbacks.py:405-415; such events never combine, events.py:182-186). When the hold ends one
//    callback, `_unhold`, is scheduled; when it runs (under the lock) it releases the collected
//    ones (callbacks.py:425-441), which only then join the loop's queue, each still its own
//    locked callback with its own message. Hold from a worker defers; it does not merge.
//  - `unlocked()` (document.py:649-685) does not change `_unblocked`: in a worker thread the
//    changes still become next-tick callbacks. It holds the document for its body and, on exit,
//    `_flush_events` (document.py:569-647) finds itself off the loop thread: the registrations
//    are handed back to Bokeh (`curdoc.unhold()`), so the callbacks are queued when the block
//    ends, each under the lock as before. On the loop thread (or in a locked callback) unlocked
//    writes the changes to the socket at once instead of at the callback's end, unless a socket is
//    being written to, in which case they are written on a later turn of the loop (document.py:
//    582-587, 631-633). Panel wraps every direct change in unlocked() (reactive.py:352-354).
//  - What does make one callback of many changes: one scheduled callback that makes all of them
//    (`pn.state.execute(update_all, schedule=True)`, state.py:848-849) inside `hold()`. On the loop
//    thread the changes are then direct (`_unblocked`), held (document.py:670-673, 751-755) and
//    flushed as one PATCH-DOC message (document.py:608-617; write_events, 368-412).
//
// Not modelled: a worker's change made at the very moment the session's lock is held by a loop
// callback is applied by the worker directly (`_document_lock_held`, state.py:319-333) and rides in
// that callback's message. And Bokeh 3.10, which Panel 45cb9c1 requires, runs a locked callback's
// body on a pool thread with the lock held (state.py:319-333, server.py:425-428); ThreadLab draws it
// on the loop, as Bokeh 8fbd227 runs it (session.py:94).

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string_view>

namespace threadlab {

/// How a worker's widget changes go back to the page (see above).
enum class UpdateMode : std::uint8_t {
    /// Plain `widget.value = x` in the worker: one next-tick callback per change, queued at once.
    next_tick,
    /// The changes inside `with pn.io.hold():` in the worker: their callbacks wait for the hold's
    /// end, then one `_unhold` callback releases them all; still one callback per change.
    hold,
    /// The changes inside `with pn.io.unlocked():` in the worker: as next_tick (queued as the
    /// block ends, which is where the changes are made here).
    unlocked,
    /// `pn.state.execute(update_all, schedule=True)` with `hold()` inside: one callback, one
    /// lock turn, one message for every change.
    one_callback,
};

const char* to_string(UpdateMode mode);
std::optional<UpdateMode> update_mode_named(std::string_view name);

/// A piece of work's widget changes, made when its work ends.
struct PageUpdatesSpec {
    std::uint32_t count = 0;
    UpdateMode mode = UpdateMode::next_tick;
    /// Simulated seconds each callback holds the loop (lock, apply, send its message); an
    /// `_unhold` callback takes as long.
    double seconds = 0.005;

    friend bool operator==(const PageUpdatesSpec&, const PageUpdatesSpec&) = default;
};

/// A session's Bokeh document lock (ServerSession._lock) and what went through it. The event loop
/// takes it around every next-tick callback of the session; the counters are read lock-free by
/// the dashboard and the summaries.
class DocumentLock {
public:
    /// Taken by the loop for one locked callback.
    std::mutex& mutex() { return m_mutex; }

    /// The number of the session's next callback (1 for the first), as lanes and traces label it.
    std::uint32_t next_ordinal() { return m_ordinals.fetch_add(1, std::memory_order_acq_rel) + 1; }
    void on_queued(std::uint64_t callbacks) { m_queued.fetch_add(callbacks, std::memory_order_acq_rel); }
    /// A queued callback left the queue: it runs now, or it was dropped (session destroyed).
    void on_dequeued() { m_queued.fetch_sub(1, std::memory_order_acq_rel); }
    void on_locked() { m_acquisitions.fetch_add(1, std::memory_order_acq_rel); }
    void on_sent(std::uint64_t messages, std::uint64_t changes) {
        m_messages.fetch_add(messages, std::memory_order_acq_rel);
        m_changes.fetch_add(changes, std::memory_order_acq_rel);
    }

    /// Changes dropped because max_pending_page_callbacks were waiting (ThreadLab's own limit).
    void on_dropped(std::uint64_t changes) { m_dropped.fetch_add(changes, std::memory_order_acq_rel); }
    std::uint64_t dropped() const { return m_dropped.load(std::memory_order_acquire); }
    /// Next-tick callbacks of the session waiting for the loop (or, under hold, for their release).
    std::uint64_t queued() const { return m_queued.load(std::memory_order_acquire); }
    /// Times a callback took the lock.
    std::uint64_t acquisitions() const { return m_acquisitions.load(std::memory_order_acquire); }
    /// PATCH-DOC messages sent to the browser, and widget changes they carried.
    std::uint64_t messages() const { return m_messages.load(std::memory_order_acquire); }
    std::uint64_t changes() const { return m_changes.load(std::memory_order_acquire); }

private:
    // Held by the loop thread for one callback (lock, apply, send); Bokeh's lock is async, so a
    // waiter would yield the loop, but here every locked callback runs on the one loop thread.
    std::mutex m_mutex;
    std::atomic<std::uint32_t> m_ordinals{0};
    std::atomic<std::uint64_t> m_queued{0};
    std::atomic<std::uint64_t> m_acquisitions{0};
    std::atomic<std::uint64_t> m_messages{0};
    std::atomic<std::uint64_t> m_changes{0};
    std::atomic<std::uint64_t> m_dropped{0};
};

}  // namespace threadlab
