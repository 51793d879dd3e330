#pragma once
// Mouse button transitions, queued as GLFW reports them and handed to Dear ImGui one per button per
// frame. Dear ImGui 1.86 only sees the buttons' state once a frame, so a click whose press and
// release fall within one frame (xdotool, a touchpad tap, a slow software renderer), or a second
// click in the frame after the first, would otherwise never be seen as a click.

#include <array>
#include <deque>
#include <optional>

namespace threadlab::app {

class MouseQueue {
  public:
    /// Dear ImGui 1.86's io.MouseDown[] has five buttons; GLFW's buttons beyond those are ignored.
    static constexpr int button_count = 5;

    struct Position {
        float x = 0.0f;
        float y = 0.0f;
    };

    /// What Dear ImGui should see in one frame.
    struct Frame {
        std::array<bool, button_count> down{};
        /// The cursor where this frame's first transition happened (so a press lands where it was
        /// made, even when the cursor has moved on since); empty when no transition was due.
        std::optional<Position> position;
        /// Presses in this frame (at most one per button).
        int presses = 0;
    };

    /// Records a press (`down`) or release of `button` at the cursor position `at`. A transition
    /// to the state the button already has (or is queued to have) is dropped, so what is fed to
    /// Dear ImGui always alternates.
    void record(int button, bool down, Position at);

    /// Takes at most one queued transition per button: a press and its release reach Dear ImGui
    /// in two frames, however short the click was. Buttons with nothing queued keep their state.
    Frame next_frame();

    /// Whether transitions are still queued (then frames must keep coming until they are fed).
    bool pending() const;

  private:
    struct Transition {
        bool down = false;
        Position at;
    };
    std::array<std::deque<Transition>, button_count> m_queued;
    std::array<bool, button_count> m_fed_down{};  // the state Dear ImGui was last given
};

}  // namespace threadlab::app
