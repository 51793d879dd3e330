#pragma once
// The message the dashboard shows when the engine refused something past its limits (a 1025th
// session, a click into a full event queue): one line in the error colour under the toolbar,
// with how many times it happened, until the user dismisses it.

#include <cstdint>

#include "core/world.hpp"

namespace threadlab::ui {

class RefusalBanner {
public:
    /// Whether a refusal is not dismissed yet (then draw shows it).
    bool pending(const World& world);
    /// Draws the last refusal on the current line, if one is not dismissed; returns whether it did.
    bool draw(const World& world);

private:
    World::Refusals m_refusals;
    std::uint64_t m_seen_version = 0;
    std::uint64_t m_dismissed_count = 0;
};

}  // namespace threadlab::ui
