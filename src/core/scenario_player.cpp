#include "scenario_player.hpp"

#include <algorithm>

namespace threadlab {

ScenarioPlayer::ScenarioPlayer(World& world, const Scenario& scenario) : m_world(world), m_scenario(scenario) {
    m_threaded = scenario.pool.threaded ? scenario.pool : PoolSetting::automatic();
    world.set_pool(scenario.pool);
    world.set_gil(scenario.gil);
    world.set_serialize_events_per_session(scenario.one_event_per_session);
    // A fresh ProcessPoolExecutor: no process started, so the run pays the start-up it shows.
    world.set_processes(scenario.processes.value_or(world.processes().setting()));
    world.set_events_paused(false);
    world.set_forget_on_session_destroyed(false);
    world.set_destroy_mode(StopMode::drain);  // scenarios are written against the default
    add_sessions(scenario.sessions);
}

bool ScenarioPlayer::next_action_runs() const {
    // "end" is a hard stop: an action after it never runs.
    return m_next_action < m_scenario.actions.size() &&
           (!m_scenario.end || m_scenario.actions[m_next_action].at <= *m_scenario.end);
}

void ScenarioPlayer::advance(Clock::time_point now) {
    while (next_action_runs() && at(m_scenario.actions[m_next_action].at) <= now) {
        apply(m_scenario.actions[m_next_action++]);
    }
    m_world.expire_closed_tabs(now);
}

std::optional<Clock::time_point> ScenarioPlayer::next_due() const {
    // The next action, or the next closed tab the server discards, whichever comes first.
    std::optional<Clock::time_point> next = m_world.next_tab_expiry();
    if (next_action_runs()) {
        const auto action = at(m_scenario.actions[m_next_action].at);
        next = std::min(next.value_or(action), action);
    }
    return next;
}

bool ScenarioPlayer::done() const {
    if (m_next_action < m_scenario.actions.size() || m_world.next_tab_expiry() || !m_world.periodic_callbacks().empty() ||
        !m_world.pool().counts().idle() || !m_world.stopping_sessions().empty()) {
        return false;
    }
    // A runner that died (the seed's bug) will never take another task: its stranded queue
    // stays as it is, and waiting for it would never end.
    return std::all_of(m_sessions.begin(), m_sessions.end(),
                       [](const auto& session) {
                           return (session->task_counts().idle() || session->runner_died()) && !session->slider()->open();
                       });
}

bool ScenarioPlayer::past_end(Clock::time_point now) const { return m_scenario.end && now >= at(*m_scenario.end); }

// A scenario's World holds only its sessions, and the parser caps how many it creates.
static_assert(static_cast<std::size_t>(max_scenario_sessions) <= max_live_sessions);

void ScenarioPlayer::add_sessions(int count) {
    for (int i = 0; i < count; ++i) {
        // Refused when the World is full (a lesson started in a window that holds many sessions):
        // the World logs the refusal; the scenario goes on, and that session's actions are skipped.
        const auto id = m_world.add_session();
        m_numbers.push_back(id);
        if (id) {
            m_sessions.push_back(m_world.session(*id));
        }
    }
}

// The parser checked that every number refers to a session created by then.
std::optional<SessionId> ScenarioPlayer::id_of(int number) const {
    return m_numbers.at(static_cast<std::size_t>(number - 1));
}

void ScenarioPlayer::apply(const ScenarioAction& action) {
    SessionId session = 0;
    if (action.session > 0) {
        const auto id = id_of(action.session);
        if (!id) {
            return;  // a session that could not be opened
        }
        session = *id;
    }
    switch (action.kind) {
        case ActionKind::add_session: add_sessions(action.repeat); break;
        case ActionKind::destroy_session: m_world.destroy_session(session); break;
        case ActionKind::click:
            for (int i = 0; i < action.repeat; ++i) {
                if (action.async) {
                    m_world.click_async(session, *action.async);
                } else {
                    m_world.click(session, action.work, action.updates);
                }
            }
            break;
        case ActionKind::add_task:
            for (int i = 0; i < action.repeat; ++i) {
                m_world.add_task(session, action.work, action.updates);
            }
            break;
        case ActionKind::cancel_task: m_world.cancel_task(session, action.target); break;
        case ActionKind::cancel_event: m_world.cancel_event(action.target); break;
        case ActionKind::resize:
            if (action.pool.threaded) {
                m_threaded = action.pool;
            }
            m_world.set_pool(action.pool);
            break;
        case ActionKind::threading: m_world.set_pool(action.on ? m_threaded : PoolSetting::off()); break;
        case ActionKind::gil: m_world.set_gil(action.on); break;
        case ActionKind::pause_events: m_world.set_events_paused(action.on); break;
        case ActionKind::one_event_per_session: m_world.set_serialize_events_per_session(action.on); break;
        case ActionKind::forget_on_session_destroyed: m_world.set_forget_on_session_destroyed(action.on); break;
        case ActionKind::poll_runner:
            m_world.set_runner_polling(session,
                                       action.every > 0.0 ? std::optional(action.every) : std::nullopt);
            break;
        case ActionKind::destroy_mode: m_world.set_destroy_mode(action.stop_mode); break;
        case ActionKind::close_tab: m_world.close_tab(session); break;
        case ActionKind::seed_runner: m_world.set_seed_runner(session, action.on); break;
        case ActionKind::slide:
            m_world.watch_slider(session, {action.work, action.release_work});
            m_world.move_slider(session, action.value, action.on);
            break;
        case ActionKind::drag: break;  // the parser turned it into slides
        case ActionKind::start_periodic:
            if (const auto id = m_world.start_periodic(session, action.schedule, action.work)) {
                m_periodic[action.name] = *id;
            }
            break;
        case ActionKind::stop_periodic:
            if (const auto it = m_periodic.find(action.name); it != m_periodic.end()) {
                m_world.stop_periodic(it->second);
            }
            break;
    }
}

}  // namespace threadlab
