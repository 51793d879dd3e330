#pragma once
// A session's slider, and how Panel merges its changes before any callback sees them
// (panel/reactive.py:615-646, `Syncable._server_change`, holoviz/panel@45cb9c1):
//  - every change from the browser lands in one dict per widget, property -> latest value
//    (`self._events.update({attr: new})`); a later value of the same property replaces the earlier;
//  - only the change that finds the dict empty schedules a flush, 50 ms later
//    (`doc.add_timeout_callback(cb, self._debounce)`, `_debounce = 50`, reactive.py:98-99); later
//    changes never move that time;
//  - the flush (`_change_coroutine`, reactive.py:528-546) submits `_change_event` to the pool, or
//    runs it inline without one; `_change_event` (l.562-566) takes the dict and empties it only
//    when it starts, so changes keep merging while it waits for a worker;
//  - a button click flushes the pending changes first (`_event_coroutine`, l.548-560); the
//    flush's own timer then finds nothing to do;
//  - on release the slider sends `value` and `value_throttled` together (bokehjs
//    abstract_slider.ts:183-190, bokeh/bokeh@8fbd227): watchers of `value_throttled` run once
//    per drag (panel/widgets/slider.py:198-199).
// This class is that dict and its flush ticket; the World times the flush and submits the event.
// Thread-safe: the caller's thread adds changes, a timer or a click claims the flush, a pool
// worker takes the batch.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>

#include "work.hpp"

namespace threadlab {

/// The slider's range, on the card and in scenario files.
inline constexpr int slider_min = 0;
inline constexpr int slider_max = 100;

/// Panel's `Syncable._debounce`, in simulated seconds (Panel's unit is ms: 50).
inline constexpr double slider_merge_window_seconds = 0.050;

/// What one flush hands to the watchers: the latest values, and how many changes they stand for.
struct SliderBatch {
    std::optional<int> value;
    /// Set when the batch holds a release.
    std::optional<int> value_throttled;
    std::uint32_t changes = 0;

    bool empty() const { return changes == 0; }
};

/// The callbacks a page put on its slider (`slider.param.watch(cb, 'value')`, and on
/// 'value_throttled'): the simulated work each runs; unset for no watcher.
struct SliderWatchers {
    std::optional<WorkSpec> on_value;
    std::optional<WorkSpec> on_value_throttled;
};

class SliderChanges {
public:
    /// A change from the browser. True when it opened a batch: the caller schedules its flush
    /// `slider_merge_window_seconds` later. False when it merged into the open batch.
    bool add(int value, bool released);
    /// The flush of the open batch is due (its timer fired, or a click comes first): true for
    /// exactly one claimer per batch, which then submits the change event.
    bool claim_flush();
    /// `_change_event`'s swap, when the change event starts: the batch, now closed; the next
    /// change opens a new one. Empty when nothing is pending.
    SliderBatch take();
    /// Closes the open batch without running it (its change event was refused or cancelled before
    /// it started), so that the next change opens a new batch instead of merging for ever.
    SliderBatch discard();

    /// The next slider event's number: 1 for the first.
    std::uint32_t next_event_ordinal() { return m_events.fetch_add(1, std::memory_order_acq_rel) + 1; }

    void set_watchers(SliderWatchers watchers);
    SliderWatchers watchers() const;

    // Read lock-free by the dashboard.
    std::uint64_t changes_sent() const { return m_changes_sent.load(std::memory_order_acquire); }
    /// Change events that ran with a batch (each calls the `value` watcher once).
    std::uint64_t batches_taken() const { return m_batches_taken.load(std::memory_order_acquire); }
    /// How many of them carried a release (each calls the `value_throttled` watcher once).
    std::uint64_t releases_taken() const { return m_releases_taken.load(std::memory_order_acquire); }
    /// Whether a batch is open: changes sent that no slider event has taken yet.
    bool open() const { return m_open.load(std::memory_order_acquire); }
    /// The slider's position as the browser shows it.
    int position() const { return m_position.load(std::memory_order_acquire); }

private:
    mutable std::mutex m_mutex;
    SliderBatch m_pending;
    // Whether the open batch's flush is still to be claimed.
    bool m_flush_due = false;
    SliderWatchers m_watchers;
    std::atomic<std::uint64_t> m_changes_sent{0};
    std::atomic<std::uint64_t> m_batches_taken{0};
    std::atomic<std::uint64_t> m_releases_taken{0};
    std::atomic<int> m_position{0};
    std::atomic<std::uint32_t> m_events{0};
    std::atomic<bool> m_open{false};
};

}  // namespace threadlab
