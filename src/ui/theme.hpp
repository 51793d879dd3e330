#pragma once
// Fonts and colours for the two ways ThreadLab is shown: at a desk (normal) and on a projector
// (presenter: large type, higher contrast, bigger hit targets). Sizes follow the monitor's
// content scale; everything else in the UI is laid out in multiples of the font size.

namespace threadlab::ui {

class Theme {
public:
    /// Loads the fonts into the current ImGui context: a real TTF (DejaVu Sans from Debian's
    /// fonts-dejavu-core) when present, otherwise Dear ImGui's built-in font, scaled.
    /// Call once, before the first frame.
    explicit Theme(float content_scale);

    bool presenter() const { return m_presenter; }
    /// Switches style and font; takes effect from the next frame.
    void set_presenter(bool on);
    /// Whether a real TTF was found (false: the built-in bitmap font is used).
    bool has_ttf() const { return m_has_ttf; }

private:
    void apply();

    float m_content_scale;
    bool m_presenter = false;
    bool m_has_ttf = false;
};

}  // namespace threadlab::ui
