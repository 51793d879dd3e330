#include "world.hpp"

#include <algorithm>
#include <cmath>
#include <system_error>

#include "lock_probe.hpp"
#include "process_work.hpp"

namespace threadlab {

namespace {
/// Wraps a callback with the messages the automatic-threading seed prints around its work.
Work with_seed_messages(EventLog& log, SessionId session, EventKind kind, std::uint32_t call, Work work) {
    return [&log, session, kind, call, work = std::move(work)](WorkContext& context) {
        const auto nth = ordinal(call);
        const bool click = kind == EventKind::click;
        log.add(session, click ? "Button clicked for the " + nth + " time." : "Periodic callback, " + nth + " call.");
        try {
            auto result = work(context);
            log.add(session, click ? "Finished processing " + nth + " click." : "Finished " + nth + " periodic call.");
            return result;
        } catch (const WorkCancelled&) {
            log.add(session, (click ? "Cancelled the " + nth + " click." : "Cancelled the " + nth + " periodic call."));
            throw;
        } catch (const std::exception& error) {
            log.add(session, (click ? "The " + nth + " click failed: " : "The " + nth + " periodic call failed: ") +
                                 error.what());
            throw;
        }
    };
}

}  // namespace

World::World(WorldConfig config)
    : m_time(config.time_scale),
      m_processes(config.processes, m_time, m_changes, m_trace, m_log),
      m_periodic(m_time),
      m_pool(config.pool, engine()) {
    m_gil.set_enabled(config.gil);
    m_destroy_mode.store(config.destroy, std::memory_order_release);
    m_pool.set_serialize_per_session(config.serialize_events_per_session);
}

World::~World() {
    m_periodic.stop_all();
    m_forget_on_destroy.store(false, std::memory_order_release);
    // The program ends: no session drains its queue first (Panel's daemon threads die with the
    // process); those already draining stop now.
    m_destroy_mode.store(StopMode::prompt, std::memory_order_release);
    std::vector<std::weak_ptr<Session>> draining;
    {
        std::lock_guard lock(m_sessions_mutex);
        draining.swap(m_draining);
    }
    for (const auto& weak : draining) {
        if (const auto session = weak.lock()) {
            session->request_stop(StopMode::prompt);
        }
    }
    destroy_all_sessions();
    stop_leaked_sessions();  // now at the latest: no thread outlives the World
    m_reaper.drain();
}

std::size_t World::stop_leaked_sessions() {
    std::vector<std::shared_ptr<Session>> leaked;
    {
        // Stopping until joined, like any destroyed session: in one step, so that a session is
        // always in exactly one of the lists and its id stays taken until its thread has ended.
        std::lock_guard lock(m_sessions_mutex);
        leaked.swap(m_leaked);
        for (const auto& session : leaked) {
            set_stopping_locked(session->id(), true);
        }
    }
    for (auto& session : leaked) {
        const SessionId id = session->id();
        session->request_stop();
        auto thread = session->release_thread();
        m_reaper.adopt(std::move(thread), std::move(session), [this, id] {
            {
                std::lock_guard lock(m_sessions_mutex);
                set_stopping_locked(id, false);
            }
            m_changes.notify();
        });
    }
    m_changes.notify();
    return leaked.size();
}

std::size_t World::leaked_sessions() const {
    std::lock_guard lock(m_sessions_mutex);
    return m_leaked.size();
}

std::vector<std::shared_ptr<const Session>> World::leaked_session_list() const {
    std::lock_guard lock(m_sessions_mutex);
    return {m_leaked.begin(), m_leaked.end()};
}

bool World::close_tab(SessionId session) {
    const auto now = Clock::now();
    ClosedTab tab;
    {
        std::lock_guard lock(m_sessions_mutex);
        if (!m_sessions.contains(session) || m_closed_tabs.contains(session)) {
            return false;
        }
        // Checks every 17 s from the start; the first one that finds the session unused for 15 s.
        const auto check = m_time.to_real(unused_session_check_seconds);
        const auto due = now + m_time.to_real(unused_session_lifetime_seconds);
        const auto checks = (due - m_started + check - Clock::duration(1)) / check;
        tab = {now, m_started + check * checks};
        m_closed_tabs.emplace(session, tab);
        m_closed_tab_count.store(m_closed_tabs.size(), std::memory_order_release);
        m_sessions.at(session)->set_tab_discarded_at(tab.discarded);
    }
    m_log.add(session, "Tab closed: Bokeh discards the session at its next check " +
                           std::to_string(static_cast<int>(std::lround(m_time.to_simulated(tab.discarded - now)))) +
                           " s from now (unused for 15 s, checked every 17 s), and only then calls on_session_destroyed");
    m_changes.notify();
    return true;
}

std::optional<World::ClosedTab> World::closed_tab(SessionId session) const {
    std::lock_guard lock(m_sessions_mutex);
    const auto it = m_closed_tabs.find(session);
    return it == m_closed_tabs.end() ? std::nullopt : std::optional(it->second);
}

std::size_t World::expire_closed_tabs(Clock::time_point now) {
    if (m_closed_tab_count.load(std::memory_order_acquire) == 0) {
        return 0;
    }
    std::vector<SessionId> due;
    {
        std::lock_guard lock(m_sessions_mutex);
        for (const auto& [id, tab] : m_closed_tabs) {
            if (tab.discarded <= now) {
                due.push_back(id);
            }
        }
    }
    for (const SessionId id : due) {
        destroy_session(id);
    }
    return due.size();
}

std::optional<Clock::time_point> World::next_tab_expiry() const {
    std::lock_guard lock(m_sessions_mutex);
    std::optional<Clock::time_point> next;
    for (const auto& [id, tab] : m_closed_tabs) {
        next = std::min(next.value_or(tab.discarded), tab.discarded);
    }
    return next;
}

void World::set_destroy_mode(StopMode mode) {
    if (m_destroy_mode.exchange(mode, std::memory_order_acq_rel) != mode) {
        log_marker(mode == StopMode::drain ? "Destroy: as the seed does (the runner drains its queue, nothing is interrupted)"
                                           : "Destroy: prompt stop (interrupt, cancel, join)");
    }
}

bool World::set_seed_runner(SessionId session, bool as_written) {
    const auto target = find(session);
    if (target) {
        target->set_seed_runner(as_written);
    }
    return target != nullptr;
}

bool World::set_runner_polling(SessionId session, std::optional<double> interval_seconds) {
    const auto target = find(session);
    if (target) {
        target->set_polling(interval_seconds);
    }
    return target != nullptr;
}

std::optional<SessionId> World::add_session() {
    SessionId id = 0;
    {
        std::lock_guard lock(m_sessions_mutex);
        if (m_sessions.size() + m_sessions_starting < max_live_sessions) {
            id = m_next_session++;
            ++m_sessions_starting;
        }
    }
    if (id == 0) {
        refuse(0, std::string("New session refused: ")
                      .append(std::to_string(max_live_sessions))
                      .append(" sessions are open, the most ThreadLab runs at once")
                      .append(platform_thread_budget.why)
                      .append(". Destroy one first."));
        return std::nullopt;
    }
    // The runner thread starts outside the lock, which the dashboard takes every frame. A thread
    // the system cannot start (out of threads or memory) is a refusal, like the limit above.
    std::shared_ptr<Session> session;
    std::optional<std::string> failure;
    try {
        session = std::make_shared<Session>(id, engine());
    } catch (const std::system_error& error) {
        failure = error.what();
    }
    {
        std::lock_guard lock(m_sessions_mutex);
        --m_sessions_starting;
        if (session) {
            // In id order: two sessions being added at once may arrive here in either order.
            m_session_list.publish([&](SessionList& list) {
                const auto place = std::upper_bound(list.begin(), list.end(), id, [](SessionId value, const auto& shown) {
                    return value < shown->id();
                });
                list.insert(place, session);
            });
            m_sessions.emplace(id, std::move(session));
        }
    }
    if (failure) {
        refuse(0, std::string("New session refused: the system could not start its runner thread (")
                      .append(*failure)
                      .append("). Destroy a session or lower the pool's size first."));
        return std::nullopt;
    }
    m_changes.notify();
    return id;
}

void World::refuse(SessionId session, std::string reason) {
    m_log.add(session, reason);
    m_refusals.publish([&](Refusals& refusals) {
        ++refusals.count;
        refusals.last = std::move(reason);
    });
    m_changes.notify();
}

bool World::destroy_session(SessionId id) {
    // Read once: the switch may flip meanwhile, and the session must go to exactly one place.
    const bool forget = m_forget_on_destroy.load(std::memory_order_acquire);
    std::shared_ptr<Session> session;
    {
        std::lock_guard lock(m_sessions_mutex);
        const auto it = m_sessions.find(id);
        if (it == m_sessions.end()) {
            return false;
        }
        session = std::move(it->second);
        m_sessions.erase(it);
        m_session_list.publish([&](SessionList& list) {
            std::erase_if(list, [id](const auto& shown) { return shown->id() == id; });
        });
        m_closed_tabs.erase(id);
        m_closed_tab_count.store(m_closed_tabs.size(), std::memory_order_release);
        if (!forget) {
            set_stopping_locked(id, true);
        }
    }
    // No more periodic calls, no more queued events (Panel does this much for every session)...
    m_periodic.stop_session(id);
    m_pool.cancel_session(id);
    session->slider()->discard();  // its flush timer is gone: the batch never reaches a watcher
    if (forget) {
        // ...but the runner is the application's own thread: forgetting on_session_destroyed leaves
        // it running, unseen, which is the bug the clean-up-on-destroy lesson shows.
        std::lock_guard lock(m_sessions_mutex);
        m_leaked.push_back(std::move(session));
        m_changes.notify();
        return true;
    }
    // ...and the runner stops: all without waiting.
    const StopMode mode = m_destroy_mode.load(std::memory_order_acquire);
    if (mode == StopMode::drain) {
        std::lock_guard lock(m_sessions_mutex);
        std::erase_if(m_draining, [](const std::weak_ptr<Session>& weak) { return weak.expired(); });
        m_draining.push_back(session);
    }
    session->request_stop(mode);
    auto thread = session->release_thread();
    std::weak_ptr<const Session> watched = session;
    m_reaper.adopt(std::move(thread), std::move(session), [this, id, watched] {
        std::lock_guard lock(m_sessions_mutex);
        set_stopping_locked(id, false);
        if (const auto joined = watched.lock()) {
            m_retired_tasks += joined->task_counts();
        }
        m_changes.notify();
    });
    m_changes.notify();
    return true;
}

std::size_t World::destroy_all_sessions() {
    std::vector<SessionId> ids;
    {
        std::lock_guard lock(m_sessions_mutex);
        for (const auto& [id, session] : m_sessions) {
            ids.push_back(id);
        }
    }
    std::size_t destroyed = 0;
    for (const auto id : ids) {
        destroyed += destroy_session(id) ? 1u : 0u;
    }
    return destroyed;
}

bool World::restart_session_numbering() {
    // A destroyed session's running event (asked to stop, not yet ended) still carries its id.
    const auto pool = m_pool.stats();
    if (pool.events.queued > 0 || pool.events.running > 0) {
        return false;
    }
    std::lock_guard lock(m_sessions_mutex);
    if (!m_sessions.empty() || !m_stopping.empty() || !m_leaked.empty()) {
        return false;
    }
    m_next_session = 1;
    return true;
}

World::SessionList World::sessions() const {
    return m_session_list.copy();
}

std::size_t World::session_count() const {
    MeasuredLock lock(m_sessions_mutex);
    return m_sessions.size();
}

void World::set_stopping_locked(SessionId id, bool stopping) {
    if (stopping) {
        m_stopping.insert(id);
    } else {
        m_stopping.erase(id);
    }
    m_stopping_count.store(m_stopping.size(), std::memory_order_release);
}

bool World::busy() const {
    const auto pool = m_pool.stats();
    return pool.busy > 0 || pool.events.queued > 0 || m_activity.running_tasks() > 0 || stopping_count() > 0;
}

std::vector<SessionId> World::stopping_sessions() const {
    MeasuredLock lock(m_sessions_mutex);
    return {m_stopping.begin(), m_stopping.end()};
}

AccountingCounts World::retired_task_counts() const {
    std::lock_guard lock(m_sessions_mutex);
    return m_retired_tasks;
}

std::shared_ptr<Session> World::find(SessionId id) const {
    MeasuredLock lock(m_sessions_mutex);
    const auto it = m_sessions.find(id);
    return it == m_sessions.end() ? nullptr : it->second;
}

bool World::destroyed_meanwhile(SessionId session) {
    if (find(session)) {
        return false;
    }
    m_periodic.stop_session(session);
    m_pool.cancel_session(session);
    return true;
}

Work World::make_work(const WorkSpec& spec) {
    return spec.kind == WorkKind::process ? make_process_work(spec, m_processes) : make_simulated_work(spec);
}

Work World::with_page_updates(const Session& session, Work work, std::optional<PageUpdatesSpec> updates) {
    if (!updates || updates->count == 0) {
        return work;
    }
    // The changes are made as the work ends, on whichever thread ran it; the pool sends them back
    // the way Panel does from that thread (page_updates.hpp). Only work that returned makes them.
    return [this, id = session.id(), document = session.document_lock(), spec = *updates,
            work = std::move(work)](WorkContext& context) {
        auto result = work(context);
        m_pool.send_page_updates(id, document, spec);
        return result;
    };
}

std::optional<TaskId> World::add_task(SessionId session, WorkSpec spec, std::optional<PageUpdatesSpec> updates) {
    const auto target = find(session);
    return target ? admitted_task(*target, target->add_task(with_page_updates(*target, make_work(spec), updates),
                                                            spec.kind, spec.seconds))
                  : std::nullopt;
}

std::optional<TaskId> World::add_task(SessionId session, Work work) {
    const auto target = find(session);
    return target ? admitted_task(*target, target->add_task(std::move(work))) : std::nullopt;
}

std::optional<TaskId> World::admitted_task(const Session& session, std::optional<TaskId> task) {
    // A live session refuses a task only when its queue is full.
    if (!task && !session.stopping()) {
        refuse(session.id(), "Task refused: session " + std::to_string(session.id()) + "'s queue holds " +
                                 std::to_string(max_queued_tasks) + " tasks, the most one runner queues.");
    }
    return task;
}

std::optional<EventId> World::submit_event(EventRequest request) {
    const SessionId session = request.session;
    const EventKind kind = request.kind;
    const auto failed_starts_before = m_pool.failed_starts();
    const auto event = m_pool.submit(std::move(request));
    // The pool refuses only a full queue, or an event no thread could be started for (and
    // everything while it is destroyed, after the World's own destructor has stopped every caller).
    if (!event) {
        const char* what = kind == EventKind::click ? "Click" : kind == EventKind::periodic ? "Periodic call" : "Slider event";
        std::string reason = std::string(what).append(" of session ").append(std::to_string(session)).append(" refused: ");
        if (m_pool.failed_starts() != failed_starts_before) {
            reason.append("no event pool thread could be started for it (the system is out of threads or memory).");
        } else {
            reason.append("the event pool's queue holds ")
                .append(std::to_string(max_queued_events))
                .append(" events, the most it queues.");
        }
        refuse(session, std::move(reason));
    }
    return event;
}

bool World::cancel_task(SessionId session, TaskId task) {
    const auto target = find(session);
    return target && target->cancel_task(task);
}

std::optional<EventId> World::click(SessionId session, WorkSpec spec, std::optional<PageUpdatesSpec> updates) {
    const auto target = find(session);
    if (!target) {
        return std::nullopt;
    }
    return click(session, with_page_updates(*target, make_work(spec), updates));
}

std::optional<EventId> World::click(SessionId session, Work work) {
    const auto target = find(session);
    if (!target) {
        return std::nullopt;
    }
    // Panel's _event_coroutine awaits the document's pending change callbacks before the click:
    // the slider's batch is submitted first; its own timer then finds nothing to do.
    flush_slider(session, target->slider(), target->event_accounting());
    const auto call = target->next_click_ordinal();
    const auto event = submit_event({session, EventKind::click, call,
                                     with_seed_messages(m_log, session, EventKind::click, call, std::move(work)),
                                     target->event_accounting(), {}});
    return destroyed_meanwhile(session) ? std::nullopt : event;
}

std::optional<EventId> World::click_async(SessionId session, const std::vector<AsyncStepSpec>& steps) {
    const auto target = find(session);
    if (!target) {
        return std::nullopt;
    }
    const auto call = target->next_click_ordinal();
    auto segments = make_coroutine(steps);
    // The seed's messages, from the coroutine's first line and its last (on the loop, as Panel's
    // print() in an async callback would run there).
    const auto nth = ordinal(call);
    segments.front().runs.insert(segments.front().runs.begin(), [this, session, nth](WorkContext&) {
        m_log.add(session, "Async click: button clicked for the " + nth + " time.");
        return std::string();
    });
    segments.back().runs.push_back([this, session, nth](WorkContext&) {
        m_log.add(session, "Finished processing " + nth + " click (async).");
        return std::string();
    });
    const auto event =
        submit_event({session, EventKind::click, call, nullptr, target->event_accounting(), std::move(segments)});
    return destroyed_meanwhile(session) ? std::nullopt : event;
}

bool World::watch_slider(SessionId session, SliderWatchers watchers) {
    const auto target = find(session);
    if (!target) {
        return false;
    }
    target->slider()->set_watchers(std::move(watchers));
    return true;
}

bool World::move_slider(SessionId session, int value, bool released) {
    const auto target = find(session);
    if (!target || target->stopping()) {
        return false;
    }
    auto slider = target->slider();
    if (slider->add(value, released)) {
        // The first change of a batch: Panel's `doc.add_timeout_callback(cb, self._debounce)`.
        m_periodic.start_timeout(session, slider_merge_window_seconds,
                                 [this, session, slider, accounting = target->event_accounting()] {
                                     flush_slider(session, slider, accounting);
                                 });
    }
    return !destroyed_meanwhile(session);
}

void World::flush_slider(SessionId session, const std::shared_ptr<SliderChanges>& slider,
                         const std::shared_ptr<Accounting>& accounting) {
    if (!slider->claim_flush()) {
        return;
    }
    // The batch is closed only when the event starts (`_change_event` swaps `self._events` then),
    // so changes keep merging while it waits. A ticket that never ran (the event was refused, or
    // cancelled before it started) closes the batch, or every later change would merge into it.
    struct Ticket {
        explicit Ticket(std::shared_ptr<SliderChanges> changes) : slider(std::move(changes)) {}
        Ticket(const Ticket&) = delete;
        Ticket& operator=(const Ticket&) = delete;
        ~Ticket() {
            if (!ran) {
                slider->discard();
            }
        }
        std::shared_ptr<SliderChanges> slider;
        bool ran = false;
    };
    // The work holds the only reference, so dropping a refused or cancelled event closes the batch
    // then and there (a local copy here would keep it open until this function returns).
    Work work = [this, session, ticket = std::make_shared<Ticket>(slider)](WorkContext& context) {
        ticket->ran = true;
        const SliderBatch batch = ticket->slider->take();
        if (batch.empty()) {
            return std::string("no change");
        }
        const auto watchers = ticket->slider->watchers();
        m_log.add(session, "Slider at " + std::to_string(*batch.value) + (batch.value_throttled ? ", released" : "") +
                               ": " + std::to_string(batch.changes) +
                               (batch.changes == 1 ? " change reaches the watchers." : " changes merged into one event."));
        // param calls the watchers of one update one after the other, on this thread.
        std::string result = "slider " + std::to_string(*batch.value);
        if (watchers.on_value) {
            result = make_simulated_work(*watchers.on_value)(context);
        }
        if (batch.value_throttled && watchers.on_value_throttled) {
            result = make_simulated_work(*watchers.on_value_throttled)(context);
        }
        return result;
    };
    const auto ordinal = slider->next_event_ordinal();
    submit_event({session, EventKind::slider, ordinal, std::move(work), accounting, {}});
}

std::optional<PeriodicId> World::start_periodic(SessionId session, PeriodicSchedule schedule, WorkSpec spec) {
    const auto target = find(session);
    if (!target) {
        return std::nullopt;
    }
    // The callback holds only the session's id and accounting, not the session: a destroyed
    // session's callbacks are stopped in destroy_session() before its accounting could matter.
    auto accounting = target->event_accounting();
    const PeriodicId started = m_periodic.start(session, schedule, [this, session, accounting, spec, schedule](PeriodicId id, std::uint32_t call) {
        // Threading off, the call runs inline on the event loop (the scheduler re-arms it when it
        // returns); with a pool it is only submitted (Panel: `state._thread_pool.submit`).
        const bool inline_call = !m_pool.setting().threaded;
        Work call_work = with_seed_messages(m_log, session, EventKind::periodic, call, make_work(spec));
        if (!inline_call && !schedule.timeout_seconds) {
            // On a pool with no timeout nothing waits for the call's end: submitted as it is.
            submit_event({session, EventKind::periodic, call, std::move(call_work), accounting, {}});
            return Firing::submitted;
        }
        Work reported = [this, id, call_work = std::move(call_work)](WorkContext& context) {
            // Its end, however it ends, reaches the scheduler: the timeout is checked then, and
            // an inline call's successor is armed.
            struct ReportEnd {
                PeriodicScheduler& scheduler;
                PeriodicId id;
                ~ReportEnd() { scheduler.call_ended(id, Clock::now()); }
            } report{m_periodic, id};
            return call_work(context);
        };
        const auto event = submit_event({session, EventKind::periodic, call, std::move(reported), accounting, {}});
        // A refused call never runs: the timer goes on by the period rather than wait for it.
        return inline_call && event ? Firing::inline_call : Firing::submitted;
    });
    if (destroyed_meanwhile(session)) {
        return std::nullopt;
    }
    return started;
}

void World::set_pool(PoolSetting setting) {
    const bool changed = m_pool.stats().setting != setting;
    m_pool.resize(setting);
    if (changed) {
        log_marker(setting.threaded ? "Event pool: " + setting.describe() : "Threading off: one event loop runs every event");
    }
}

void World::set_gil(bool on) {
    if (m_gil.enabled() != on) {
        log_marker(on ? "GIL on: compute work takes turns" : "GIL off");
    }
    m_gil.set_enabled(on);
    m_changes.notify();
}

void World::set_events_paused(bool paused) {
    if (m_pool.stats().paused != paused) {
        log_marker(paused ? "Events paused: no new event starts" : "Events resumed");
    }
    m_pool.set_paused(paused);
}

void World::set_processes(ProcessPoolSetting setting) {
    m_processes.restart(setting);
    log_marker("Process pool: " + setting.describe() + " (your own ProcessPoolExecutor; Panel has none)");
}

void World::set_time_scale(double scale) {
    m_time.set(scale);
    m_changes.notify();
}

}  // namespace threadlab
