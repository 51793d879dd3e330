#include "mouse_queue.hpp"

namespace threadlab::app {

void MouseQueue::record(int button, bool down, Position at) {
    if (button < 0 || button >= button_count) {
        return;
    }
    auto& queued = m_queued[static_cast<std::size_t>(button)];
    const bool last = queued.empty() ? m_fed_down[static_cast<std::size_t>(button)] : queued.back().down;
    if (down != last) {
        queued.push_back({down, at});
    }
}

MouseQueue::Frame MouseQueue::next_frame() {
    Frame frame;
    for (std::size_t button = 0; button < m_queued.size(); ++button) {
        auto& queued = m_queued[button];
        if (!queued.empty()) {
            const Transition next = queued.front();
            queued.pop_front();
            m_fed_down[button] = next.down;
            if (!frame.position) {
                frame.position = next.at;
            }
            frame.presses += next.down ? 1 : 0;
        }
        frame.down[button] = m_fed_down[button];
    }
    return frame;
}

bool MouseQueue::pending() const {
    for (const auto& queued : m_queued) {
        if (!queued.empty()) {
            return true;
        }
    }
    return false;
}

}  // namespace threadlab::app
