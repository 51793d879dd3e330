#pragma once
// The dashboard's line of messages: what the engine refused (until dismissed), the host's notice
// (a trace that could not be read), the last export's result, or the first-launch hint.
// Where the toolbar's last row leaves room, the line sits beside it, the same whatever it says, so
// nothing moves when a message comes or goes. Where it does not (a projector's 1280 pixels in
// presenter mode), it takes no line of its own, whose height the timeline's lanes need: a message
// that fits the room there anyway, whole or in brief (the first-launch hint), still goes beside the
// toolbar; another floats over the right end of the views' first row, for as long as
// PassingMessage says (a refusal until its Dismiss).

#include <imgui.h>

#include <optional>
#include <string>

#include "core/world.hpp"
#include "passing_message.hpp"
#include "refusal_banner.hpp"
#include "trace_export.hpp"

namespace threadlab::ui {

class StatusLine {
public:
    /// A message from the host, shown until a newer one or an export's.
    void show_notice(std::string text, bool failed);

    /// Right after the toolbar: the line beside its last row, where it fits (else nothing).
    void draw_beside_toolbar(const World& world, const TraceExport::Status& exported, bool newcomer);
    /// After the dashboard's window: where the line did not fit beside the toolbar, its message in
    /// a window of its own whose top right corner is `top_right`. `input`: a click or a key press
    /// this frame, which puts away the message shown before it.
    void draw_floating(const World& world, const TraceExport::Status& exported, bool newcomer, ImVec2 top_right,
                       bool input);

private:
    struct Message {
        std::string text;
        ImU32 colour = 0;
        const char* tooltip = nullptr;
        /// Said instead where only a short line fits beside the toolbar ("": nothing shorter).
        const char* brief = "";
    };
    /// What the line says, but for a refusal (which RefusalBanner draws); nullopt: nothing.
    std::optional<Message> message(const TraceExport::Status& exported, bool newcomer);
    static void draw_message(const Message& message);

    RefusalBanner m_refusals;
    std::string m_notice;
    bool m_notice_failed = false;
    bool m_beside = true;
    PassingMessage m_passing{std::chrono::seconds(4)};  // floating: until a click or key 4 s on
};

}  // namespace threadlab::ui
