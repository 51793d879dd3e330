#pragma once
// The always-visible toolbar: sessions, the event pool (threading on/off and a live size slider),
// work kind and duration, the GIL and the time scale. Each control explains itself in a tooltip.

#include "controls.hpp"
#include <optional>
#include <string>

#include "core/world.hpp"
#include "theme.hpp"

namespace threadlab::ui {

class ToolbarView {
public:
    void draw(World& world, WorkControls& controls, Theme& theme, bool& help_open, bool& lessons_open);
    /// Where the last exported trace went, or why it could not be written (empty before any);
    /// the dashboard shows it in its status line, so the toolbar never reflows.
    const std::string& export_message() const { return m_export_message; }
    bool export_failed() const { return m_export_failed; }

private:
    void export_trace(const World& world);

    int m_pool_slider = 0;
    // The setting the slider last showed: when the pool is changed elsewhere (a lesson, a
    // shortcut), the slider follows it.
    std::optional<PoolSetting> m_shown_setting;
    std::string m_export_message;  // where the last trace went, or why it could not be written
    bool m_export_failed = false;
};

}  // namespace threadlab::ui
