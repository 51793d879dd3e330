#pragma once
// Fonts and colours for the two ways ThreadLab is shown: at a desk (normal) and on a projector
// (presenter: large type, higher contrast, bigger hit targets). Sizes follow the monitor's
// content scale; everything else in the UI is laid out in multiples of the font size.

#include <imgui.h>

namespace threadlab::ui {

class Theme {
public:
    /// Loads the fonts into the current ImGui context (index 0 normal, 1 presenter, 2 presenter
    /// on a small screen): a real TTF
    /// (DejaVu Sans from Debian's fonts-dejavu-core) when present, otherwise Dear ImGui's built-in
    /// font, scaled.
    /// Call once, before the first frame.
    explicit Theme(float content_scale);

    /// Reloads the fonts and scales the style for a new content scale (the browser's page zoom,
    /// or a window moved to a screen of another density). Call between frames; the renderer must
    /// then upload the new font atlas.
    void set_content_scale(float content_scale);
    float content_scale() const { return m_content_scale; }

    bool presenter() const { return m_presenter; }
    /// Switches style and font; takes effect from the next frame.
    void set_presenter(bool on);
    /// Picks the presenter font for the window's height (smaller type on a 720-line projector);
    /// call each frame, takes effect from the next.
    void fit_display(float height);
    /// Whether a real TTF was found (false: the built-in bitmap font is used).
    bool has_ttf() const { return m_has_ttf; }
    /// The Unicode ranges loaded from the TTF (Dear ImGui's zero-terminated pairs).
    static const ImWchar* glyph_ranges();
    /// The TTF's path (it may be absent: then has_ttf() is false).
    static const char* ttf_path();

private:
    void load_fonts();
    void apply();

    float m_content_scale;
    bool m_presenter = false;
    bool m_small_screen = false;
    bool m_has_ttf = false;
};

}  // namespace threadlab::ui
