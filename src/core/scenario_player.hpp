#pragma once
// Plays a scenario's timed actions on a World, numbering sessions as the scenario does. It never
// blocks: the caller advances it (the headless runner between waits, the window once per frame).

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "scenario.hpp"
#include "world.hpp"

namespace threadlab {

class ScenarioPlayer {
public:
    /// Applies the scenario's settings to `world` and creates its initial sessions. `world` should
    /// have no sessions of its own (a GUI lesson destroys them first).
    ScenarioPlayer(World& world, const Scenario& scenario);

    /// Applies every action due by `now` (simulated time since start() at the world's time scale).
    void advance(Clock::time_point now);
    /// Time zero of the scenario; call once, right before the first advance().
    void start(Clock::time_point now) { m_start = now; }

    /// When the next action is due, if any remain that run (none after "end").
    std::optional<Clock::time_point> next_due() const;
    /// No action left, and nothing queued, running, stopping or periodic any more.
    bool done() const;
    /// Past the scenario's "end" time (if it has one).
    bool past_end(Clock::time_point now) const;
    Clock::time_point started() const { return m_start; }

    /// Every session the scenario created, destroyed ones included (kept for their final counts);
    /// one the World refused is not among them.
    const std::vector<std::shared_ptr<const Session>>& sessions() const { return m_sessions; }

private:
    bool next_action_runs() const;
    void apply(const ScenarioAction& action);
    void add_sessions(int count);
    std::optional<SessionId> id_of(int number) const;
    Clock::time_point at(double simulated_seconds) const { return m_start + m_world.time().to_real(simulated_seconds); }

    World& m_world;
    const Scenario& m_scenario;
    PoolSetting m_threaded;
    Clock::time_point m_start{};
    std::size_t m_next_action = 0;
    std::vector<std::shared_ptr<const Session>> m_sessions;
    /// The World's id of each scenario session, by number - 1; nullopt where it was refused.
    std::vector<std::optional<SessionId>> m_numbers;
    std::map<std::string, PeriodicId> m_periodic;
};

}  // namespace threadlab
