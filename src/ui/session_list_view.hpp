#pragma once
// One row per live session: id and runner thread, the seed's status text, queue length, progress
// of the running task, last value or error, counters, recent history, and its buttons.
// Copies a session's snapshot only when its version moved; rows off screen are clipped.

#include <cstdint>
#include <unordered_map>

#include "controls.hpp"
#include "core/world.hpp"

namespace threadlab::ui {

class SessionListView {
public:
    void draw(World& world, const WorkControls& controls);

private:
    struct CachedState {
        std::uint64_t seen_version = 0;
        SessionState state;
    };
    const SessionState& state_of(const Session& session);

    std::unordered_map<SessionId, CachedState> m_cache;
    std::uint64_t m_sessions_version = 0;
    std::vector<std::shared_ptr<const Session>> m_sessions;
};

}  // namespace threadlab::ui
