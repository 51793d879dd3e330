#pragma once
// The always-visible toolbar: sessions, the event pool (threading on/off and a live size slider),
// work kind and duration, the GIL and the time scale. Each control explains itself in a tooltip.

#include "controls.hpp"
#include <optional>
#include <string>
#include <utility>

#include "core/world.hpp"
#include "theme.hpp"
#include "trace_export.hpp"
#include "trace_files.hpp"

namespace threadlab::ui {

class ToolbarView {
public:
    void draw(World& world, WorkControls& controls, Theme& theme, bool& help_open, bool& lessons_open);
    /// Where the last exported trace went (or is being written), or why it could not be written
    /// (an empty message before any); the dashboard shows it in its status line, so the toolbar
    /// never reflows.
    TraceExport::Status export_status() const { return m_export.status(); }
    /// What the host does with trace files (the web page: downloads, and a file dialog to replay).
    void set_trace_files(TraceFiles files) { m_files = std::move(files); }

private:
    void export_trace(World& world);

    int m_pool_slider = 0;
    // The setting the slider last showed: when the pool is changed elsewhere (a lesson, a
    // shortcut), the slider follows it.
    std::optional<PoolSetting> m_shown_setting;
    TraceExport m_export;
    TraceFiles m_files;
};

}  // namespace threadlab::ui
