#pragma once
// The GLFW window with an OpenGL 3.3 core context (loaded by glad) and Dear ImGui set up on it.
// One object owns the whole graphics lifetime, so teardown happens in the right order.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "mouse_queue.hpp"
#include "ui/preferences.hpp"
#include "ui/shortcuts.hpp"

struct GLFWwindow;

namespace threadlab::app {

class Window {
public:
    /// Opens the window, or returns null with a one-sentence reason in `error` (for example when
    /// there is no display, with a hint to use xvfb-run). With `remember` false, stored preferences
    /// are neither read nor written (screenshots must not depend on the last run).
    static std::unique_ptr<Window> open(const std::string& title, int width, int height, bool remember,
                                        std::string& error);
    ~Window();
    Window(const Window&) = delete;
    Window& operator=(const Window&) = delete;

    GLFWwindow* handle() const { return m_window; }
    /// The monitor's content scale (1 on a plain screen, 2 on a HiDPI one).
    float content_scale() const;
    bool should_close() const;

    /// Starts a Dear ImGui frame, feeding it at most one queued transition per mouse button.
    void begin_frame();
    /// Whether input is queued that later frames still have to feed (so the loop must not wait).
    bool input_pending() const { return m_mouse.pending(); }
    /// Mouse presses fed to Dear ImGui so far.
    long long mouse_presses() const { return m_mouse_presses; }
    /// Renders the ImGui frame into the back buffer (not yet shown).
    void render_frame();
    void present();

    /// Preferences read from the ini file when the window opened; what is in here when the
    /// window closes is saved (the window's own size is recorded then).
    ui::Preferences& preferences() { return m_preferences; }

    /// Key presses since the last call, in order (recorded by GLFW's key callback, so that a tap
    /// shorter than a frame still counts).
    std::vector<ui::KeyPress> take_key_presses() { return std::exchange(m_key_presses, {}); }

    /// Writes the back buffer to a PNG file; returns false (with `error`) on failure.
    bool save_png(const std::string& path, std::string& error) const;

private:
    explicit Window(GLFWwindow* window) : m_window(window) {}
    GLFWwindow* m_window;
    // Dear ImGui keeps only the pointer: the string must live as long as the context.
    std::string m_ini_path;
    std::vector<ui::KeyPress> m_key_presses;
    MouseQueue m_mouse;  // filled by GLFW's mouse-button callback, drained by begin_frame()
    long long m_mouse_presses = 0;
    ui::Preferences m_preferences;  // main thread only: GLFW calls back from glfwPollEvents
};

}  // namespace threadlab::app
