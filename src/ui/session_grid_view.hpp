#pragma once
// One card per live session in a wrapping grid. A card shows the session (in its colour, the
// same everywhere) and its runner thread, the seed's status text, tasks queued, the running
// task's progress, the last value or error, a strip of recent tasks, and its buttons.
// Snapshots are copied only when their version moved; rows of cards off screen are clipped.

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include "controls.hpp"
#include "core/world.hpp"

struct ImVec2;

namespace threadlab::ui {

/// Where each visible card's "Click me" button is, for the lines to the pool's lanes.
using CardAnchors = std::unordered_map<SessionId, std::pair<float, float>>;

class SessionGridView {
public:
    void draw(World& world, const WorkControls& controls, CardAnchors& anchors);
    /// A card's top: its name, its actions and its queue, what stays in sight when the timeline
    /// needs the rest (the card scrolls for the rest).
    static float top_height();

private:
    struct CachedState {
        std::uint64_t seen_version = 0;
        SessionState state;
    };
    const SessionState& state_of(const Session& session);
    /// Add task, Click me (or Async click), Cancel and Destroy.
    void action_row(World& world, const Session& session, const SessionState& state, const WorkControls& controls,
                    CardAnchors& anchors);
    /// The session's slider, and how many of its changes became calls.
    void slider_row(World& world, const Session& session, const WorkControls& controls, float width);
    void draw_card(World& world, const Session& session, const WorkControls& controls, float width,
                   CardAnchors& anchors);

    std::unordered_map<SessionId, CachedState> m_cache;
    std::uint64_t m_sessions_version = 0;
    std::vector<std::shared_ptr<const Session>> m_sessions;
    std::optional<SessionId> m_destroy_requested;
    // Destroyed sessions whose cards keep their place while the pointer is over the grid (by
    // object: a lesson may give a new session the same id).
    std::set<const Session*> m_ghosts;
    bool m_pointer_in_grid = false;
};

}  // namespace threadlab::ui
