#pragma once
// The whole window's content: toolbar on top, the event pool, then the sessions.
// Holds UI state only; the World owns every thread.

#include "controls.hpp"
#include "core/world.hpp"
#include "pool_view.hpp"
#include "session_list_view.hpp"
#include "toolbar_view.hpp"

namespace threadlab::ui {

class Dashboard {
public:
    explicit Dashboard(WorkControls controls = {}) : m_controls(controls) {}
    /// Builds one frame of the dashboard into the current ImGui frame, filling the display.
    void draw(World& world);

private:
    WorkControls m_controls;
    ToolbarView m_toolbar;
    PoolView m_pool;
    SessionListView m_sessions;
};

}  // namespace threadlab::ui
