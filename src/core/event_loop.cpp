// The event pool's event loop: one thread that runs coroutines segment by segment, and every
// plain event while threading is off. Its timers are the awaits: the loop sleeps on its condition
// variable until the earliest await ends (wait_until) or something is queued, never polling, as
// asyncio's loop sleeps in select() until its next timer.

#include <algorithm>
#include <system_error>
#include <utility>

#include "event_pool.hpp"
#include "platform/thread_identity.hpp"
#include "platform/stop.hpp"

namespace threadlab {

bool EventPool::start_loop_locked() {
    if (m_loop_live.load(std::memory_order_relaxed)) {
        return true;
    }
    try {
        // The thread blocks on m_mutex (held by the caller) until the caller is done.
        m_loop.thread = jthread([this] { loop_main(); });
    } catch (const std::system_error&) {
        m_failed_starts.fetch_add(1, std::memory_order_relaxed);
        return false;
    }
    m_loop_live.store(true, std::memory_order_release);
    m_lanes_version.fetch_add(1, std::memory_order_acq_rel);
    m_engine.changes.notify();
    return true;
}

std::optional<EventId> EventPool::submit_to_loop_locked(EventRequest& request, Clock::time_point submitted) {
    if (m_stopping || !start_loop_locked()) {
        return std::nullopt;
    }
    EventId id = 0;
    {
        std::lock_guard arrivals(m_arrivals.mutex);
        // Exact: arrivals are written under this lock and departures under m_mutex, both held.
        // One limit for every event queued anywhere in the pool.
        if (m_arrivals.closed || m_accounting.depth_now().queued >= max_queued_events) {
            return std::nullopt;
        }
        id = m_arrivals.next_id++;
        m_accounting.on_submitted();
        if (request.session_accounting) {
            request.session_accounting->on_submitted();
        }
    }
    const bool plain = request.coroutine.empty();
    if (plain) {
        request.coroutine.push_back({{std::move(request.work)}, std::nullopt});
        request.work = nullptr;
    }
    m_loop.queue.push_back({id, std::move(request), submitted, submitted, 0, false, std::nullopt, plain, std::nullopt});
    update_loop_counts_locked();
    if (m_loop.queue.size() <= LaneState::ready_limit) {
        show_on_loop_lane_locked(std::nullopt, nullptr);  // further back it would not be shown
    }
    return id;
}

void EventPool::hand_queue_to_loop_locked() {
    // Everything not yet started on a worker, oldest first; each keeps its id and accounting.
    take_all_arrivals_locked();  // their samples were traced as they arrived, near enough
    if (m_queue.empty()) {
        return;
    }
    if (!start_loop_locked()) {
        return;  // no loop: the events stay queued, and the next event for the loop tries again
    }
    while (!m_queue.empty()) {
        Pending pending = m_queue.take_front();
        EventRequest request = std::move(pending.request);
        if (request.coroutine.empty()) {
            request.coroutine.push_back({{std::move(request.work)}, std::nullopt});
            request.work = nullptr;
        }
        m_loop.queue.push_back({pending.id, std::move(request), pending.submitted, pending.submitted, 0, false,
                                std::nullopt, true, std::nullopt});
    }
    update_loop_counts_locked();
    show_on_loop_lane_locked(std::nullopt, nullptr);
}

void EventPool::resume_awaited_locked(Clock::time_point now) {
    // In the order their awaits ended: each joins the back of the loop's queue, behind whatever was
    // queued before. As asyncio's BaseEventLoop._run_once does, only when the loop looks: an await
    // that ends while a step holds the loop resumes behind what was submitted meanwhile.
    bool moved = false;
    while (!m_loop.awaiting.empty() && m_loop.awaiting.begin()->first <= now) {
        auto node = m_loop.awaiting.extract(m_loop.awaiting.begin());
        LoopItem item = std::move(node.mapped());
        item.ready = node.key();
        m_loop.queue.push_back(std::move(item));
        moved = true;
    }
    if (moved) {
        update_loop_counts_locked();
        show_on_loop_lane_locked(std::nullopt, nullptr);
    }
}

void EventPool::loop_main() {
    set_current_thread_name("tl-event-loop");
    m_loop.lane->m_thread_id.store(current_thread_id(), std::memory_order_release);
    m_engine.changes.notify();
    std::unique_lock lock(m_mutex);
    for (;;) {
        if (m_stopping) {
            return;
        }
        const auto now = Clock::now();
        resume_awaited_locked(now);
        if (m_paused || m_loop.queue.empty()) {
            if (m_loop.awaiting.empty()) {
                m_loop.wake.wait(lock);
            } else {
                // A copy: the wait reads its deadline after unlocking, when a cancel may erase the node.
                const Clock::time_point deadline = m_loop.awaiting.begin()->first;
                m_loop.wake.wait_until(lock, deadline);
            }
            continue;  // woken, timed out or spurious: look again
        }
        LoopItem item = std::move(m_loop.queue.front());
        m_loop.queue.pop_front();
        if (!item.started) {
            item.started = true;
            if (item.page) {
                item.page->document->on_dequeued();  // a page callback is no pool event
                --m_page_pending;
            } else {
                m_accounting.on_started();
                if (item.request.session_accounting) {
                    item.request.session_accounting->on_started();
                }
            }
        }
        m_loop.running = true;
        m_loop.running_id = item.id;
        m_loop.running_session = item.request.session;
        const auto steps = item.plain ? 0u : static_cast<unsigned>(item.request.coroutine.size());
        EventRecord record{item.id, item.request.session, item.request.kind, item.request.ordinal, item.submitted,
                           Clock::now(), std::nullopt, std::nullopt, {}, item.ready,
                           static_cast<std::uint16_t>(item.plain ? 0u : item.next + 1),
                           static_cast<std::uint16_t>(steps), item.awaited_from};
        m_loop_busy.store(true, std::memory_order_release);
        update_loop_counts_locked();
        show_on_loop_lane_locked(std::nullopt, &record);
        stop_token stop = m_loop.stop.get_token();
        lock.unlock();

        record = run_segment(item, std::move(record), std::move(stop));
        // Traced before it is counted (whoever sees the count finds the span), outside the lock.
        const auto depth = m_accounting.depth_now();
        m_loop.trace->add({span_kind(record.kind), record.session,
                           record.id, record.ordinal, m_loop.lane->thread_id(), SpanRecord::loop_lane,
                           record.submitted, record.started, *record.finished, *record.outcome, record.step,
                           record.steps, record.ready},
                          {*record.finished, static_cast<std::uint32_t>(depth.queued),
                           static_cast<std::uint32_t>(std::max<std::uint64_t>(depth.running, 1) - 1)});

        lock.lock();
        const bool stop_requested = m_loop.stop.stop_requested();
        if (stop_requested) {
            m_loop.stop = stop_source();  // spent on this item; the next one starts uninterrupted
        }
        m_loop.running = false;
        m_loop_busy.store(false, std::memory_order_release);
        after_segment_locked(std::move(item), record, stop_requested);
        update_loop_counts_locked();
        show_on_loop_lane_locked(std::move(record), nullptr);
    }
}

EventRecord EventPool::run_segment(LoopItem& item, EventRecord record, stop_token stop) {
    WorkContext context{std::move(stop), m_engine.time, m_engine.gil, m_loop.lane->m_progress, record.session,
                        &m_engine.counters};
    auto end = run_to_end([&] {
        // The code between two awaits runs to its end on the loop: nothing else runs meanwhile.
        for (auto& work : item.request.coroutine[item.next].runs) {
            work(context);
            work = nullptr;  // release what it captured
        }
    });
    record.outcome = end.outcome;
    if (end.outcome == Outcome::failed) {
        record.error = std::move(end.value);
    }
    record.finished = Clock::now();
    return record;
}

void EventPool::after_segment_locked(LoopItem item, const EventRecord& record, bool stop_requested) {
    if (item.page) {
        const auto& page = *item.page;
        if (record.outcome == Outcome::completed && !stop_requested && !m_stopping) {
            // Panel's _unhold has run doc.unhold(): the callbacks the hold collected register with
            // the loop only now, behind whatever was queued meanwhile (bokeh callbacks.py:425-441).
            for (std::uint32_t i = 0; i < page.releases; ++i) {
                queue_page_callback_locked(record.session, page.document, EventKind::next_tick, 1, 1, 0, page.seconds);
            }
        } else {
            for (std::uint32_t i = 0; i < page.releases; ++i) {
                page.document->on_dequeued();  // never released: dropped with the session
            }
            m_page_pending -= page.releases;
        }
        return;
    }
    const auto& segment = item.request.coroutine[item.next];
    const bool more = item.next + 1 < item.request.coroutine.size();
    if (record.outcome == Outcome::completed && more && segment.await_seconds) {
        if (stop_requested || m_stopping) {
            // Cancelled while its segment ran, or the pool shuts down: it never resumes.
            m_accounting.on_finished(Outcome::cancelled);
            if (item.request.session_accounting) {
                item.request.session_accounting->on_finished(Outcome::cancelled);
            }
            return;
        }
        // The await: the loop is free until it ends (scaled like any simulated time).
        const auto until = *record.finished + m_engine.time.to_real(*segment.await_seconds);
        item.awaited_from = *record.finished;
        ++item.next;
        m_loop.awaiting.emplace(until, std::move(item));
        return;
    }
    m_accounting.on_finished(*record.outcome);
    if (item.request.session_accounting) {
        item.request.session_accounting->on_finished(*record.outcome);
    }
}

void EventPool::cancel_loop_item_locked(const LoopItem& item) {
    if (item.page) {
        // Bokeh drops a destroyed session's callbacks (session.py:83-85, 185-192); an unhold's
        // held ones go with it.
        for (std::uint32_t i = 0; i <= item.page->releases; ++i) {
            item.page->document->on_dequeued();
        }
        m_page_pending -= std::size_t{item.page->releases} + 1;
        return;
    }
    if (item.started) {
        m_accounting.on_finished(Outcome::cancelled);
        if (item.request.session_accounting) {
            item.request.session_accounting->on_finished(Outcome::cancelled);
        }
    } else {
        m_accounting.on_cancelled_queued();
        if (item.request.session_accounting) {
            item.request.session_accounting->on_cancelled_queued();
        }
    }
}

std::size_t EventPool::cancel_on_loop_locked(const std::function<bool(EventId, SessionId)>& match) {
    std::size_t affected = 0;
    const auto selected = [&](const LoopItem& item) { return match(item.id, item.request.session); };
    for (auto it = m_loop.queue.begin(); it != m_loop.queue.end();) {
        if (selected(*it)) {
            cancel_loop_item_locked(*it);
            it = m_loop.queue.erase(it);
            ++affected;
        } else {
            ++it;
        }
    }
    for (auto it = m_loop.awaiting.begin(); it != m_loop.awaiting.end();) {
        if (selected(it->second)) {
            cancel_loop_item_locked(it->second);
            it = m_loop.awaiting.erase(it);
            ++affected;
        } else {
            ++it;
        }
    }
    if (m_loop.running && match(m_loop.running_id, m_loop.running_session)) {
        m_loop.stop.request_stop();
        ++affected;
    }
    if (affected > 0) {
        update_loop_counts_locked();
        show_on_loop_lane_locked(std::nullopt, nullptr);
    }
    return affected;
}

void EventPool::send_page_updates(SessionId session, std::shared_ptr<DocumentLock> document, PageUpdatesSpec spec) {
    if (spec.count == 0 || !document) {
        return;
    }
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping) {
            return;
        }
        const bool on_loop = m_loop_live.load(std::memory_order_relaxed) &&
                             m_loop.thread.get_id() == std::this_thread::get_id();
        if (on_loop && spec.mode != UpdateMode::one_callback) {
            // `_unblocked` on the loop thread: Panel changes the models at once, each change in its
            // own unlocked() flush (one message each), or all held by hold() and flushed as one
            // (reactive.py:352-354, document.py:670-673, 751-755).
            document->on_sent(spec.mode == UpdateMode::hold ? 1 : spec.count, spec.count);
            return;
        }
        const std::size_t callbacks = spec.mode == UpdateMode::hold           ? std::size_t{spec.count} + 1
                                      : spec.mode == UpdateMode::one_callback ? 1
                                                                              : spec.count;
        if (m_page_pending + callbacks > max_pending_page_callbacks || !start_loop_locked()) {
            document->on_dropped(spec.count);
            return;
        }
        m_page_pending += callbacks;
        switch (spec.mode) {
            case UpdateMode::next_tick:
            case UpdateMode::unlocked:
                document->on_queued(spec.count);
                for (std::uint32_t i = 0; i < spec.count; ++i) {
                    queue_page_callback_locked(session, document, EventKind::next_tick, 1, 1, 0, spec.seconds);
                }
                break;
            case UpdateMode::hold:
                // The changes' callbacks stay collected until the one `_unhold` has run.
                document->on_queued(std::uint64_t{spec.count} + 1);
                queue_page_callback_locked(session, document, EventKind::unhold, 0, 0, spec.count, spec.seconds);
                break;
            case UpdateMode::one_callback:
                document->on_queued(1);
                queue_page_callback_locked(session, document, EventKind::next_tick, spec.count, 1, 0, spec.seconds);
                break;
        }
        update_loop_counts_locked();
        show_on_loop_lane_locked(std::nullopt, nullptr);
    }
    m_loop.wake.notify_one();
    m_engine.changes.notify();
}

void EventPool::queue_page_callback_locked(SessionId session, const std::shared_ptr<DocumentLock>& document,
                                           EventKind kind, std::uint32_t changes, std::uint32_t messages,
                                           std::uint32_t releases, double seconds) {
    const auto now = Clock::now();
    EventRequest request;
    request.session = session;
    request.kind = kind;
    request.ordinal = document->next_ordinal();
    // Bokeh's with_document_locked (session.py:71-110): take the session's lock, run the callback
    // (the model changes), send what it queued before letting go. `seconds` stands for all of it.
    request.coroutine.push_back({{[document, changes, messages, seconds](WorkContext& context) {
                                     std::lock_guard lock(document->mutex());
                                     document->on_locked();
                                     sleep_for(context.time.to_real(seconds), context.stop);
                                     document->on_sent(messages, changes);
                                     return std::string();
                                 }},
                                 std::nullopt});
    m_loop.queue.push_back(
        {0, std::move(request), now, now, 0, false, std::nullopt, true, LoopItem::Page{document, releases, seconds}});
}

void EventPool::update_loop_counts_locked() {
    m_loop_queued.store(static_cast<unsigned>(m_loop.queue.size()), std::memory_order_release);
    m_loop_awaiting.store(static_cast<unsigned>(m_loop.awaiting.size()), std::memory_order_release);
}

void EventPool::show_on_loop_lane_locked(std::optional<EventRecord> finished, const EventRecord* starting) {
    std::vector<AwaitingCoroutine> awaiting;
    awaiting.reserve(m_loop.awaiting.size());
    for (const auto& [until, item] : m_loop.awaiting) {
        awaiting.push_back({item.id, item.request.session, item.request.kind, item.request.ordinal,
                            static_cast<std::uint16_t>(item.next + 1),
                            static_cast<std::uint16_t>(item.request.coroutine.size()), *item.awaited_from, until});
    }
    std::vector<AwaitingCoroutine> ready;
    ready.reserve(std::min(m_loop.queue.size(), LaneState::ready_limit));
    // The first ready_limit items, and further back the events (not the page's callbacks, which
    // come by the hundred) up to ready_limit more: a click waiting behind 100 next-tick callbacks
    // is what the lane must show. Only so far back, to keep this publication short.
    std::size_t events_further_back = 0;
    std::size_t scanned = 0;
    for (const auto& item : m_loop.queue) {
        if (++scanned > LaneState::ready_scan_limit || events_further_back == LaneState::ready_limit) {
            break;
        }
        if (ready.size() >= LaneState::ready_limit) {
            if (item.page) {
                continue;
            }
            ++events_further_back;
        }
        const auto steps = item.plain ? 0u : static_cast<unsigned>(item.request.coroutine.size());
        ready.push_back({item.id, item.request.session, item.request.kind, item.request.ordinal,
                         static_cast<std::uint16_t>(item.plain ? 0u : item.next + 1), static_cast<std::uint16_t>(steps),
                         item.ready, item.ready});
    }
    const bool running = m_loop.running;
    m_loop.lane->m_state.publish([&](LaneState& lane) {
        if (finished) {
            lane.recent.push_back(std::move(*finished));
            if (lane.recent.size() > LaneState::history_limit) {
                lane.recent.pop_front();
            }
        }
        if (starting != nullptr) {
            lane.running = *starting;
        } else if (!running) {
            lane.running.reset();
        }
        lane.awaiting = std::move(awaiting);
        lane.ready = std::move(ready);
    });
    m_engine.changes.notify();
}

}  // namespace threadlab
