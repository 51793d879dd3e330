#include "browser_page.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <emscripten/html5.h>
#include <imgui.h>

#include <cmath>
#include <cstdio>

namespace threadlab::web {

namespace {
float current_pixel_ratio() {
    const auto ratio = static_cast<float>(emscripten_get_device_pixel_ratio());
    return ratio > 0.0f ? ratio : 1.0f;
}
}  // namespace

std::unique_ptr<BrowserPage> BrowserPage::open() {
    if (glfwInit() == GLFW_FALSE) {
        std::fprintf(stderr, "threadlab: GLFW could not start in this browser\n");
        return nullptr;
    }
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    GLFWwindow* window = glfwCreateWindow(1280, 720, "ThreadLab", nullptr, nullptr);
    if (window == nullptr) {
        std::fprintf(stderr, "threadlab: this browser could not make a WebGL 2 context\n");
        return nullptr;
    }
    glfwMakeContextCurrent(window);
    auto page = std::unique_ptr<BrowserPage>(new BrowserPage(window, current_pixel_ratio()));

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    glfwSetWindowUserPointer(window, page.get());
    glfwSetKeyCallback(window, [](GLFWwindow* source, int key, int /*scancode*/, int action, int mods) {
        if (action == GLFW_PRESS) {
            static_cast<BrowserPage*>(glfwGetWindowUserPointer(source))->m_key_presses.push_back({key, mods});
        }
    });
    ImGui_ImplGlfw_InitForOpenGL(window, true);  // chains the key callback above
    ImGui_ImplOpenGL3_Init("#version 300 es");
    page->fit_canvas();
    return page;
}

BrowserPage::~BrowserPage() {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(m_window);
    glfwTerminate();
}

std::optional<float> BrowserPage::pixel_ratio_change() {
    const float ratio = current_pixel_ratio();
    if (ratio == m_pixel_ratio) {
        return std::nullopt;
    }
    m_pixel_ratio = ratio;
    return ratio;
}

void BrowserPage::upload_fonts() {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
}

void BrowserPage::fit_canvas() {
    // Set through GLFW, not on the canvas alone: GLFW's own size is what Dear ImGui reads, and a
    // canvas resized behind its back would be drawn into a corner.
    double css_width = 0.0;
    double css_height = 0.0;
    emscripten_get_element_css_size("#canvas", &css_width, &css_height);
    const int width = static_cast<int>(std::lround(css_width * m_pixel_ratio));
    const int height = static_cast<int>(std::lround(css_height * m_pixel_ratio));
    int current_width = 0;
    int current_height = 0;
    glfwGetWindowSize(m_window, &current_width, &current_height);
    if (width > 0 && height > 0 && (width != current_width || height != current_height)) {
        glfwSetWindowSize(m_window, width, height);
    }
}

void BrowserPage::begin_frame() {
    fit_canvas();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
}

void BrowserPage::render_frame() {
    ImGui::Render();
    int width = 0;
    int height = 0;
    glfwGetFramebufferSize(m_window, &width, &height);
    glViewport(0, 0, width, height);
    glClearColor(0.08f, 0.08f, 0.10f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

}  // namespace threadlab::web
