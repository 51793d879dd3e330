#include "timeline_lanes.hpp"

#include <algorithm>
#include <unordered_set>

#include "core/world.hpp"

namespace threadlab::ui {

const char* to_string(LaneMark mark) {
    switch (mark) {
        case LaneMark::none: return "";
        case LaneMark::retiring: return "retiring";
        case LaneMark::retired: return "retired";
        case LaneMark::stopping: return "stopping";
        case LaneMark::draining: return "draining";
        case LaneMark::ended: return "ended";
        case LaneMark::leaked: return "LEAKED";
        case LaneMark::died: return "DIED";
        case LaneMark::exited: return "exited";
    }
    return "";
}

Clock::time_point Lane::last_activity() const {
    // One thread runs one thing at a time: its newest bar ends last.
    return bars.empty() ? Clock::time_point::min() : bars.back().finished.value_or(Clock::time_point::max());
}

namespace {
/// Oldest first, as the await strip lays them out in rows.
void sort_by_start(std::vector<AwaitSpan>& awaits) {
    std::stable_sort(awaits.begin(), awaits.end(), [](const AwaitSpan& a, const AwaitSpan& b) { return a.from < b.from; });
}
}  // namespace

Bar bar_of(const EventRecord& record) {
    return {record.session, to_string(record.kind), record.ordinal, record.submitted, record.started, record.finished,
            record.outcome, record.error, record.step, record.steps, record.ready};
}

std::optional<Bar> bar_of(const TaskRecord& task, SessionId session) {
    if (!task.started_at) {
        return std::nullopt;
    }
    return Bar{session, "task", task.id, task.queued_at, *task.started_at, task.finished_at, outcome_of(task.state), {},
               0, 0, task.queued_at};
}

std::size_t TimelineLanes::count(LaneGroup group) const {
    return static_cast<std::size_t>(
        std::count_if(m_order.begin(), m_order.end(), [&](const Lane* lane) { return lane->group == group; }));
}

void TimelineLanes::refresh(const World& world, Clock::time_point now, Clock::duration window,
                            Clock::time_point since, bool runner_bars) {
    m_replay.clear();
    refresh_loop(world);
    refresh_workers(world, now);
    refresh_processes(world);
    sample_runner_busy(now, window, refresh_runners(world, now, runner_bars));
    order(now, window, since);
}

void TimelineLanes::sample_runner_busy(Clock::time_point now, Clock::duration window, std::uint32_t busy) {
    if (!m_runner_busy.empty() && m_runner_busy.back().at > now) {
        m_runner_busy.clear();  // a caller's clock went back (tests pick `now`): start over
    }
    m_runner_busy.push_back({now, busy});
    // Keep the newest sample older than the window too: it says what the view's left edge shows.
    while (m_runner_busy.size() > 1 && m_runner_busy[1].at < now - window) {
        m_runner_busy.pop_front();
    }
}

void TimelineLanes::refresh_loop(const World& world) {
    if (!m_loop.worker) {
        m_loop.worker = world.pool().loop_lane();
        m_loop.lane.group = LaneGroup::loop;
        m_loop.lane.name = "event loop";
    }
    // Known once the loop's thread has run (a coroutine step may wait there for a process job).
    m_loop.lane.thread_id = m_loop.worker->thread_id();
    if (!m_loop.worker->state().try_copy_if_changed(m_loop.state, m_loop.seen)) {
        return;
    }
    Lane& lane = m_loop.lane;
    lane.bars.clear();
    lane.awaits.clear();
    const auto add = [&lane](const EventRecord& record) {
        lane.bars.push_back(bar_of(record));
        // The await that ended before this step became ready, then its wait for the loop.
        if (record.awaited_from) {
            lane.awaits.push_back({record.session, record.id, *record.awaited_from, record.ready, false});
        }
        if (record.started > record.ready) {
            lane.awaits.push_back({record.session, record.id, record.ready, record.started, true});
        }
    };
    for (const auto& record : m_loop.state.recent) {
        add(record);
    }
    if (m_loop.state.running) {
        add(*m_loop.state.running);
    }
    for (const auto& waiting : m_loop.state.awaiting) {
        lane.awaits.push_back({waiting.session, waiting.id, waiting.since, std::nullopt, false});
    }
    for (const auto& ready : m_loop.state.ready) {
        lane.awaits.push_back({ready.session, ready.id, ready.since, std::nullopt, true});
    }
    sort_by_start(lane.awaits);
}

void TimelineLanes::refresh_workers(const World& world, Clock::time_point now) {
    if (world.pool().lanes_version() != m_workers_version) {
        m_workers_version = world.pool().lanes_version();
        const auto live = world.pool().lanes();
        std::vector<WorkerSource> workers;
        for (const auto& worker : live) {
            const auto old = std::find_if(m_workers.begin(), m_workers.end(),
                                          [&](const WorkerSource& cached) { return cached.worker == worker; });
            if (old != m_workers.end()) {
                workers.push_back(std::move(*old));
            } else {
                workers.push_back({worker, 0, {}, 0, {}});
            }
        }
        // Workers that left keep their lane (and their history) until it scrolls out.
        std::vector<WorkerSource> retired;
        for (auto& cached : m_workers) {
            if (cached.worker && std::find(live.begin(), live.end(), cached.worker) == live.end()) {
                if (!cached.lane.gone_at) {
                    cached.lane.gone_at = now;
                    cached.retired_order = ++m_retired_count;
                }
                retired.push_back(std::move(cached));
            }
        }
        std::sort(retired.begin(), retired.end(),
                  [](const WorkerSource& a, const WorkerSource& b) { return a.retired_order < b.retired_order; });
        std::move(retired.begin(), retired.end(), std::back_inserter(workers));
        m_workers = std::move(workers);
    }
    for (auto& source : m_workers) {
        Lane& lane = source.lane;
        lane.group = LaneGroup::pool;
        if (lane.name.empty()) {
            lane.name = "worker " + std::to_string(source.worker->index());  // an index never changes
        }
        lane.mark = lane.gone_at ? LaneMark::retired : source.worker->retiring() ? LaneMark::retiring : LaneMark::none;
        lane.thread_id = source.worker->thread_id();
        // A retired worker's state is final, but its last publication may still be on its way.
        if (source.worker->state().try_copy_if_changed(source.state, source.seen)) {
            lane.bars.clear();
            for (const auto& record : source.state.recent) {
                lane.bars.push_back(bar_of(record));
            }
            if (source.state.running) {
                lane.bars.push_back(bar_of(*source.state.running));
            }
        }
    }
}

const std::vector<ProcessWait>* TimelineLanes::process_waits(int thread_id) const {
    const auto found = m_process_waits.find(thread_id);
    return thread_id == 0 || found == m_process_waits.end() ? nullptr : &found->second;
}

void TimelineLanes::refresh_processes(const World& world) {
    if (!world.processes().history().try_copy_if_changed(m_process_history, m_processes_seen)) {
        return;
    }
    // Rebuilt whole when the history moved: a handful of processes and at most a thousand jobs.
    m_processes.clear();
    std::map<std::uint64_t, std::size_t> by_number;
    for (const auto& process : m_process_history.processes) {
        Lane lane;
        lane.group = LaneGroup::processes;
        lane.name = "process " + std::to_string(process.number);
        lane.thread_id = process.thread_id;
        if (process.exited) {
            lane.gone_at = process.exited;
            lane.mark = LaneMark::exited;
        }
        // Its start-up: from the executor starting it to its first chance at a job.
        Bar startup;
        startup.kind = "start-up";
        startup.number = process.number;
        startup.queued = process.spawned;
        startup.started = process.spawned;
        startup.finished = process.ready ? process.ready : process.exited;
        if (process.ready) {
            startup.outcome = Outcome::completed;
        } else if (process.exited) {
            startup.outcome = Outcome::cancelled;
        }
        lane.bars.push_back(std::move(startup));
        by_number[process.number] = m_processes.size();
        m_processes.push_back(std::move(lane));
    }
    m_process_waits.clear();
    for (const auto& job : m_process_history.jobs) {
        m_process_waits[job.caller_thread].push_back({job.submitted, job.finished, job.process});
        const auto lane = by_number.find(job.process);
        if (job.started && lane != by_number.end()) {
            m_processes[lane->second].bars.push_back(
                {job.session, "job", job.id, job.submitted, *job.started, job.finished, job.outcome, {}});
        }
    }
}

std::uint32_t TimelineLanes::refresh_runners(const World& world, Clock::time_point now, bool bars) {
    World::SessionList live;
    if (world.session_list().try_copy_if_changed(live, m_sessions_version)) {
        for (auto& [id, source] : m_runners) {
            source.live = false;
        }
        for (const auto& session : live) {
            auto& source = m_runners[session->id()];
            if (source.session != session) {
                source = {};  // a new session (numbering restarted for a lesson): a lane of its own
            }
            source.session = session;
            source.live = true;
            source.lane.group = LaneGroup::runners;
            source.lane.name = "runner #" + std::to_string(session->id());
            source.lane.session = session->id();
        }
    }
    // Sessions no longer live: stopping until joined, leaked while nobody stops them, then ended.
    std::unordered_set<SessionId> stopping;
    std::unordered_set<SessionId> leaked;
    bool looked = false;
    std::uint32_t busy = 0;
    // Many busy runners would each be copied every frame: past 16, each is copied at most
    // every (runners / 16) frames' worth of time, about 16 copies a frame in all, and never more
    // than 32 in one frame (the first one would otherwise copy every runner at once). A running
    // bar still grows every frame (its end is "now"); a start or end shows a little later
    // (64 ms with 64 busy sessions).
    const auto interval = std::chrono::microseconds(16'000 * (m_runners.size() / 16));
    const auto real_now = Clock::now();  // the throttle is about real time, whatever `now` the view shows
    std::size_t copies_left = 32;
    for (auto& [id, source] : m_runners) {
        Lane& lane = source.lane;
        lane.thread_id = source.session->thread_id();
        if (source.live) {
            busy += source.session->task_counts().running > 0 ? 1u : 0u;
            lane.mark = source.session->runner_died() ? LaneMark::died : LaneMark::none;
        }
        if (!source.live && lane.mark != LaneMark::ended) {
            if (!looked) {  // once a frame, as sets: a thousand sessions may be on their way out
                for (const auto stopping_id : world.stopping_sessions()) {
                    stopping.insert(stopping_id);
                }
                for (const auto& session : world.leaked_session_list()) {
                    leaked.insert(session->id());
                }
                looked = true;
            }
            const bool is_leaked = leaked.contains(id);
            // Ended only once its thread has: a session on its way between the World's lists
            // (being leaked) is in none of them for a moment.
            const bool is_stopping = stopping.contains(id) || source.session->runner_thread_live();
            lane.mark = is_leaked     ? LaneMark::leaked
                        : !is_stopping ? LaneMark::ended
                        : source.session->draining() ? LaneMark::draining
                                                     : LaneMark::stopping;
            lane.group = is_leaked ? LaneGroup::leaked : LaneGroup::runners;
            if (lane.mark == LaneMark::ended) {
                lane.gone_at = now;
            }
        }
        if (!bars && lane.group == LaneGroup::runners && source.live) {
            continue;  // folded: the busy samples tell the row what it shows
        }
        if (real_now - source.copied_at < interval || copies_left == 0) {
            continue;
        }
        if (source.session->state().try_copy_if_changed(source.state, source.seen)) {
            --copies_left;
            source.copied_at = real_now;
            lane.bars.clear();
            for (const auto& task : source.state.history) {
                if (auto bar = bar_of(task, id)) {
                    lane.bars.push_back(std::move(*bar));
                }
            }
            lane.wakeups.assign(source.state.wakeups.begin(), source.state.wakeups.end());
        }
    }
    return busy;
}

void TimelineLanes::order(Clock::time_point now, Clock::duration window, Clock::time_point since) {
    // A thread that is gone keeps its lane while a bar of it is in view (after `since`).
    const auto scrolled_out = [&](const Lane& lane) {
        return lane.gone_at && lane.last_activity() < std::max(now - window, since);
    };
    std::erase_if(m_workers, [&](const WorkerSource& source) { return scrolled_out(source.lane); });
    std::erase_if(m_runners, [&](const auto& item) { return scrolled_out(item.second.lane); });
    m_order.clear();
    if (m_loop.worker) {
        m_order.push_back(&m_loop.lane);
    }
    for (const auto& source : m_workers) {
        m_order.push_back(&source.lane);
    }
    for (const auto& lane : m_processes) {
        if (!scrolled_out(lane)) {
            m_order.push_back(&lane);
        }
    }
    // Runners, then leaked runners (few), in one pass over the map.
    std::vector<const Lane*> leaked;
    for (const auto& [id, source] : m_runners) {
        (source.lane.group == LaneGroup::leaked ? leaked : m_order).push_back(&source.lane);
    }
    m_order.insert(m_order.end(), leaked.begin(), leaked.end());
}

void TimelineLanes::load_trace(const TraceData& data) {
    m_loop = {};
    m_workers.clear();
    m_runners.clear();
    m_runner_busy.clear();
    m_processes.clear();
    m_process_waits.clear();
    m_replay.clear();
    m_order.clear();
    // One lane per thread: the event loop, pool workers by lane number, then runners by session.
    std::map<std::pair<int, std::uint32_t>, Lane> lanes;
    std::map<EventId, Clock::time_point> step_ends;  // a coroutine's previous step's end, for its await
    auto spans = data.spans;
    std::sort(spans.begin(), spans.end(), [](const SpanRecord& a, const SpanRecord& b) { return a.started < b.started; });
    for (const auto& span : spans) {
        if (is_process_span(span.kind)) {
            Lane& lane = lanes[{2, span.lane}];
            lane.group = LaneGroup::processes;
            lane.name = "process " + std::to_string(span.lane);
            const bool startup = span.kind == SpanKind::process_startup;
            lane.bars.push_back({startup ? 0 : span.session, startup ? "start-up" : "job", span.id, span.submitted,
                                 span.started, span.finished, span.outcome, {}, 0, 0, span.submitted});
            continue;
        }
        const bool runner = span.kind == SpanKind::task;
        const bool loop = span.on_loop();
        Lane& lane = lanes[{runner ? 3 : loop ? 0 : 1, runner ? span.session : span.lane}];
        lane.group = runner ? LaneGroup::runners : loop ? LaneGroup::loop : LaneGroup::pool;
        lane.name = runner ? "runner #" + std::to_string(span.session)
                    : loop ? std::string("event loop")
                           : "worker " + std::to_string(span.lane);
        lane.session = runner ? span.session : 0;
        const char* kind = to_string(span.kind);
        const auto ready = span.async_step() ? span.ready : span.submitted;
        lane.bars.push_back({span.session, kind, runner ? span.id : span.ordinal, span.submitted, span.started,
                             span.finished, span.outcome, {}, span.step, span.steps, ready});
        if (span.async_step()) {
            if (const auto previous = step_ends.find(span.id); previous != step_ends.end()) {
                lane.awaits.push_back({span.session, span.id, previous->second, span.ready, false});
            }
            step_ends[span.id] = span.finished;
        }
        if (loop && span.started > ready) {
            lane.awaits.push_back({span.session, span.id, ready, span.started, true});
        }
    }
    for (auto& [key, lane] : lanes) {
        sort_by_start(lane.awaits);
        m_replay.push_back(std::move(lane));
    }
    for (const auto& lane : m_replay) {
        m_order.push_back(&lane);
    }
}

}  // namespace threadlab::ui
