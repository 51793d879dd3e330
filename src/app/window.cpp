#include "window.hpp"

#include <glad/gl.h>
// GLFW after glad, so it does not pull in the system GL header.
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "settings_path.hpp"
#include "window_fit.hpp"

namespace threadlab::app {

namespace {
std::string g_last_glfw_error;

void remember_glfw_error(int /*code*/, const char* description) { g_last_glfw_error = description; }

constexpr const char* no_display_hint =
    "no graphical display was found (DISPLAY is not set), so the window cannot open; to run without a "
    "screen, start it under Xvfb: xvfb-run -a -s \"-screen 0 1600x1000x24\" threadlab";

struct WorkArea {
    int x = 0;
    int y = 0;
    WindowSize size;  // 0x0 when GLFW cannot tell
};

/// The primary monitor's work area: the screen without panels and docks.
WorkArea primary_work_area() {
    WorkArea area;
    if (GLFWmonitor* monitor = glfwGetPrimaryMonitor(); monitor != nullptr) {
        glfwGetMonitorWorkarea(monitor, &area.x, &area.y, &area.size.width, &area.size.height);
    }
    return area;
}

/// Shrinks the window to the work area less its frame, and moves it to the work area's corner if
/// it had to shrink (or `shrunk` already), so that no part of it is off screen.
void fit_to_work_area(GLFWwindow* window, WindowSize wanted, bool shrunk) {
    FrameExtents frame;
    glfwGetWindowFrameSize(window, &frame.left, &frame.top, &frame.right, &frame.bottom);
    const WorkArea area = primary_work_area();
    const WindowSize fitted = fit_window_size(wanted, area.size, frame);
    WindowSize current;
    glfwGetWindowSize(window, &current.width, &current.height);
    if (fitted != current) {
        glfwSetWindowSize(window, fitted.width, fitted.height);
    }
    if (shrunk || fitted != wanted) {
        glfwSetWindowPos(window, area.x + frame.left, area.y + frame.top);
    }
}

}  // namespace

std::unique_ptr<Window> Window::open(const std::string& title, int width, int height, bool remember,
                                     std::string& error) {
    const char* display = std::getenv("DISPLAY");
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    if ((display == nullptr || *display == '\0') && (wayland == nullptr || *wayland == '\0')) {
        error = no_display_hint;
        return nullptr;
    }
    glfwSetErrorCallback(remember_glfw_error);
    if (glfwInit() == GLFW_FALSE) {
        // append(), not operator+: GCC 12 warns falsely (-Warray-bounds) on the temporaries.
        error = std::string(no_display_hint).append(" (GLFW: ").append(g_last_glfw_error).append(")");
        return nullptr;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
    // Hidden until it has its final size, so it never flashes up too large for the screen.
    glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
    bool shrunk = false;
    {
        // GLFW scales the requested size by the monitor's content scale: fit the unscaled size.
        float scale_x = 1.0f;
        float scale_y = 1.0f;
        if (GLFWmonitor* monitor = glfwGetPrimaryMonitor(); monitor != nullptr) {
            glfwGetMonitorContentScale(monitor, &scale_x, &scale_y);
        }
        const WindowSize area = primary_work_area().size;
        const WindowSize unscaled{
            static_cast<int>(static_cast<float>(area.width) / std::max(scale_x, 1.0f)),
            static_cast<int>(static_cast<float>(area.height) / std::max(scale_y, 1.0f))};
        const WindowSize fitted = fit_window_size({width, height}, unscaled);
        shrunk = fitted != WindowSize{width, height};
        width = fitted.width;
        height = fitted.height;
    }
    GLFWwindow* window = glfwCreateWindow(width, height, title.c_str(), nullptr, nullptr);
    if (window == nullptr) {
        error = "could not open an OpenGL 3.3 window: " + g_last_glfw_error;
        glfwTerminate();
        return nullptr;
    }
    glfwMakeContextCurrent(window);
    if (gladLoadGL(glfwGetProcAddress) == 0) {
        error = "could not load OpenGL 3.3 functions (is an OpenGL driver installed?)";
        glfwDestroyWindow(window);
        glfwTerminate();
        return nullptr;
    }
    glfwSwapInterval(1);  // vsync

    // Dear ImGui, with its ini file in the user's config folder, never in the current folder.
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    auto result = std::unique_ptr<Window>(new Window(window));
    result->m_ini_path = remember ? imgui_ini_path() : std::string();
    ImGui::GetIO().IniFilename = result->m_ini_path.empty() ? nullptr : result->m_ini_path.c_str();
    ui::register_preferences(result->m_preferences);
    if (!result->m_ini_path.empty()) {
        ImGui::LoadIniSettingsFromDisk(result->m_ini_path.c_str());  // now, so main() sees the preferences
    }
    WindowSize wanted;
    glfwGetWindowSize(window, &wanted.width, &wanted.height);
    if (result->m_preferences.window_width && result->m_preferences.window_height) {
        wanted = {*result->m_preferences.window_width, *result->m_preferences.window_height};
    }
    // The remembered size may come from a bigger screen than this one.
    fit_to_work_area(window, wanted, shrunk);
    // Our key callback first: Dear ImGui's backend chains to the callback installed before it.
    glfwSetWindowUserPointer(window, result.get());
    glfwSetKeyCallback(window, [](GLFWwindow* source, int key, int /*scancode*/, int action, int mods) {
        if (action == GLFW_PRESS) {
            static_cast<Window*>(glfwGetWindowUserPointer(source))->m_key_presses.push_back({key, mods});
        }
    });
    // Likewise for the mouse: each press and release is queued, because Dear ImGui 1.86 samples the
    // buttons once a frame and would miss a click shorter than a frame (see MouseQueue).
    glfwSetMouseButtonCallback(window, [](GLFWwindow* source, int button, int action, int /*mods*/) {
        double x = 0.0;
        double y = 0.0;
        glfwGetCursorPos(source, &x, &y);
        static_cast<Window*>(glfwGetWindowUserPointer(source))
            ->m_mouse.record(button, action == GLFW_PRESS, {static_cast<float>(x), static_cast<float>(y)});
    });
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");
    glfwShowWindow(window);
    return result;
}

Window::~Window() {
    int width = 0;
    int height = 0;
    glfwGetWindowSize(m_window, &width, &height);
    if (width > 0 && height > 0) {
        m_preferences.window_width = width;
        m_preferences.window_height = height;
    }
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(m_window);
    glfwTerminate();
}

float Window::content_scale() const {
    float scale_x = 1.0f;
    float scale_y = 1.0f;
    glfwGetWindowContentScale(m_window, &scale_x, &scale_y);
    return scale_x;
}

bool Window::should_close() const { return glfwWindowShouldClose(m_window) != 0; }

void Window::begin_frame() {
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    // The backend has just set io.MouseDown from glfwGetMouseButton and its own press latch, which
    // loses a release and the next press that fall within one frame: replace them with the queue's
    // next transitions, and put the cursor where a transition happened, so the click lands there.
    const MouseQueue::Frame mouse = m_mouse.next_frame();
    ImGuiIO& io = ImGui::GetIO();
    static_assert(MouseQueue::button_count == IM_ARRAYSIZE(io.MouseDown));
    for (std::size_t button = 0; button < mouse.down.size(); ++button) {
        io.MouseDown[button] = mouse.down[button];
    }
    if (mouse.position) {
        io.MousePos = {mouse.position->x, mouse.position->y};
    }
    m_mouse_presses += mouse.presses;
    ImGui::NewFrame();
}

void Window::render_frame() {
    ImGui::Render();
    int width = 0;
    int height = 0;
    glfwGetFramebufferSize(m_window, &width, &height);
    glViewport(0, 0, width, height);
    glClearColor(0.08f, 0.08f, 0.10f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void Window::present() { glfwSwapBuffers(m_window); }

bool Window::save_png(const std::string& path, std::string& error) const {
    int width = 0;
    int height = 0;
    glfwGetFramebufferSize(m_window, &width, &height);
    const auto row = static_cast<std::size_t>(width) * 4;
    std::vector<unsigned char> pixels(row * static_cast<std::size_t>(height));
    glReadBuffer(GL_BACK);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
    // OpenGL's rows run bottom-up; PNG's top-down: write from the last row with a negative stride.
    const auto* last_row = pixels.data() + row * static_cast<std::size_t>(height - 1);
    if (stbi_write_png(path.c_str(), width, height, 4, last_row, -static_cast<int>(row)) == 0) {
        error = "could not write the screenshot to " + path;
        return false;
    }
    return true;
}

}  // namespace threadlab::app
