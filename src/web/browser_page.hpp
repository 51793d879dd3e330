#pragma once
// The page's canvas as a GLFW window (emscripten's GLFW 3.2 on WebGL 2) with Dear ImGui set up on
// it: the browser's counterpart of app::Window. The canvas fills the browser window; its drawing
// buffer follows the CSS size times the device pixel ratio, so Dear ImGui works in device pixels
// (emscripten's GLFW has no content scale) and the type stays sharp on a HiDPI screen.

#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "ui/shortcuts.hpp"

struct GLFWwindow;

namespace threadlab::web {

class BrowserPage {
public:
    /// Null when no WebGL 2 context could be made (the reason is printed to the console).
    static std::unique_ptr<BrowserPage> open();
    ~BrowserPage();
    BrowserPage(const BrowserPage&) = delete;
    BrowserPage& operator=(const BrowserPage&) = delete;

    /// The device pixel ratio (the UI's scale).
    float pixel_ratio() const { return m_pixel_ratio; }
    /// The new device pixel ratio when it has changed since the last call (the page was zoomed,
    /// or the browser window moved to a screen of another density); call between frames. The
    /// caller rescales the theme, then calls upload_fonts().
    std::optional<float> pixel_ratio_change();
    /// Uploads Dear ImGui's font atlas again, after the theme has rebuilt it.
    void upload_fonts();
    /// Resizes the drawing buffer to the canvas's CSS size times the pixel ratio, then starts a
    /// Dear ImGui frame.
    void begin_frame();
    /// Renders the frame into the canvas (the browser shows it after this animation frame).
    void render_frame();
    /// Key presses since the last call, in order.
    std::vector<ui::KeyPress> take_key_presses() { return std::exchange(m_key_presses, {}); }

private:
    explicit BrowserPage(GLFWwindow* window, float pixel_ratio) : m_window(window), m_pixel_ratio(pixel_ratio) {}
    void fit_canvas();

    GLFWwindow* m_window;
    float m_pixel_ratio;
    std::vector<ui::KeyPress> m_key_presses;
};

}  // namespace threadlab::web
