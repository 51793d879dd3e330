#pragma once
// How long a message that floats over the dashboard stays (the status line where the toolbar
// leaves it no room): until a click or a key press that comes at least `least_shown` after it
// appeared (the click that closes the menu after *Export trace* must not take away where the trace
// went). The same text again after another message, or after none, is news and shows again.
// Event-driven: nothing needs a frame at the moment it goes.

#include <chrono>
#include <string>

namespace threadlab::ui {

class PassingMessage {
public:
    using Clock = std::chrono::steady_clock;

    explicit PassingMessage(Clock::duration least_shown) : m_least_shown(least_shown) {}

    /// `text`: what the line would say now (empty: nothing); `input`: a click or a key press came
    /// this frame. Returns whether to show the text.
    bool update(const std::string& text, bool input, Clock::time_point now);

private:
    Clock::duration m_least_shown;
    std::string m_shown;  // on screen in the last frame, since when
    Clock::time_point m_shown_since;
    std::string m_put_away;  // what a click or key press put away
};

}  // namespace threadlab::ui
