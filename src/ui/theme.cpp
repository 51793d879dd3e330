#include "theme.hpp"

#include <imgui.h>

#include <filesystem>

namespace threadlab::ui {

namespace {
constexpr const char* font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr float normal_pixels = 17.0f;
constexpr float presenter_pixels = 28.0f;
// A projector of 720 or 768 lines: 28 px leaves room for too little, so presenter mode uses a
// 22 px font there (still 3 % of the screen's height, readable from the back of a room).
constexpr float small_presenter_pixels = 22.0f;
constexpr float small_screen_height = 900.0f;

ImFont* load_font(float pixels, bool ttf) {
    ImGuiIO& io = ImGui::GetIO();
    if (ttf) {
        return io.Fonts->AddFontFromFileTTF(font_path, pixels, nullptr, Theme::glyph_ranges());
    }
    ImFontConfig config;
    config.SizePixels = pixels;
    return io.Fonts->AddFontDefault(&config);
}
}  // namespace

const char* Theme::ttf_path() { return font_path; }

const ImWchar* Theme::glyph_ranges() {
    // Only these glyphs are rasterised: a character outside them is drawn as '?' (λ in the lessons'
    // "L = λW" was). Greek for λ and µ, punctuation for dashes, ellipsis and bullets, the maths
    // operators for ≈ ≤ ≥ ×, arrows and shapes for the UI's markers. The atlas stays small.
    static const ImWchar ranges[] = {
        0x0020, 0x00FF,  // Basic Latin, Latin-1 (×, µ, ·)
        0x0100, 0x017F,  // Latin Extended-A (names)
        0x0370, 0x03FF,  // Greek and Coptic (λ)
        0x2000, 0x206F,  // General Punctuation (– — … • ‰)
        0x2190, 0x21FF,  // Arrows (→)
        0x2200, 0x22FF,  // Mathematical Operators (≈ ≤ ≥ −)
        0x25A0, 0x25FF,  // Geometric Shapes (■ ▶ ●)
        0,
    };
    return ranges;
}

Theme::Theme(float content_scale) : m_content_scale(content_scale) {
    load_fonts();
    apply();
}

void Theme::set_content_scale(float content_scale) {
    if (content_scale != m_content_scale) {
        m_content_scale = content_scale;
        ImGui::GetIO().Fonts->Clear();
        load_fonts();
        apply();
    }
}

void Theme::load_fonts() {
    m_has_ttf = std::filesystem::exists(font_path);
    // Index 0 is the normal font, 1 the presenter font, 2 the presenter font for small screens.
    if (load_font(normal_pixels * m_content_scale, m_has_ttf) == nullptr ||
        load_font(presenter_pixels * m_content_scale, m_has_ttf) == nullptr ||
        load_font(small_presenter_pixels * m_content_scale, m_has_ttf) == nullptr) {
        ImGui::GetIO().Fonts->Clear();
        m_has_ttf = false;
        load_font(normal_pixels * m_content_scale, false);
        load_font(presenter_pixels * m_content_scale, false);
        load_font(small_presenter_pixels * m_content_scale, false);
    }
}

void Theme::set_presenter(bool on) {
    if (on != m_presenter) {
        m_presenter = on;
        apply();
    }
}

void Theme::fit_display(float height) {
    const bool small = height < small_screen_height * m_content_scale;
    if (small != m_small_screen) {
        m_small_screen = small;
        apply();
    }
}

void Theme::apply() {
    ImGuiIO& io = ImGui::GetIO();
    io.FontDefault = io.Fonts->Fonts[!m_presenter ? 0 : m_small_screen ? 2 : 1];

    ImGuiStyle style;
    ImGui::StyleColorsDark(&style);
    style.WindowPadding = {10, 8};
    style.FramePadding = {7, 4};
    style.ItemSpacing = {9, 6};
    style.FrameRounding = 3.0f;
    style.GrabRounding = 3.0f;
    style.ChildRounding = 4.0f;
    style.ScrollbarSize = 16.0f;
    ImVec4* colours = style.Colors;
    colours[ImGuiCol_WindowBg] = {0.08f, 0.08f, 0.10f, 1.0f};
    colours[ImGuiCol_ChildBg] = {0.11f, 0.11f, 0.14f, 1.0f};
    if (m_presenter) {
        // Projectors wash colours out: pure black, white text, brighter frames, bigger targets.
        colours[ImGuiCol_WindowBg] = {0.0f, 0.0f, 0.0f, 1.0f};
        colours[ImGuiCol_ChildBg] = {0.06f, 0.06f, 0.08f, 1.0f};
        colours[ImGuiCol_Text] = {1.0f, 1.0f, 1.0f, 1.0f};
        colours[ImGuiCol_FrameBg] = {0.20f, 0.26f, 0.38f, 1.0f};
        colours[ImGuiCol_Button] = {0.22f, 0.36f, 0.58f, 1.0f};
        colours[ImGuiCol_Border] = {0.55f, 0.55f, 0.60f, 0.80f};
        style.FramePadding = {10, 6};
        style.ItemSpacing = {12, 8};
        style.FrameBorderSize = 1.0f;
    }
    style.ScaleAllSizes(m_content_scale);
    ImGui::GetStyle() = style;
}

}  // namespace threadlab::ui
