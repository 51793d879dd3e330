#include "passing_message.hpp"

namespace threadlab::ui {

bool PassingMessage::update(const std::string& text, bool input, Clock::time_point now) {
    if (input && !m_shown.empty() && now - m_shown_since >= m_least_shown) {
        m_put_away = m_shown;  // the user has moved on: the message seen before this input goes
    }
    const bool show = !text.empty() && text != m_put_away;
    if (text != m_put_away) {
        m_put_away.clear();  // another message came since (or none): the same text again is news
    }
    const std::string shown = show ? text : std::string{};
    if (shown != m_shown) {
        m_shown = shown;
        m_shown_since = now;
    }
    return show;
}

}  // namespace threadlab::ui
