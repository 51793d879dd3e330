#include <catch2/catch.hpp>

#include <imgui.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/lessons.hpp"
#include "ui/theme.hpp"
#include "support/imgui_context.hpp"

using namespace threadlab;

namespace {
using threadlab::testing::ImGuiContextScope;

/// The code points of UTF-8 text (a malformed byte counts as U+FFFD, which no range holds, so
/// broken text fails the test instead of passing unseen).
void add_code_points(std::string_view text, std::set<char32_t>& into) {
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const int length = lead < 0x80           ? 1
                           : (lead >> 5) == 0x6  ? 2
                           : (lead >> 4) == 0xE  ? 3
                           : (lead >> 3) == 0x1E ? 4
                                                 : 0;
        if (length == 0 || i + static_cast<std::size_t>(length) > text.size()) {
            into.insert(0xFFFD);
            ++i;
            continue;
        }
        char32_t code = length == 1 ? char32_t{lead} : static_cast<char32_t>(lead & (0x7Fu >> length));
        for (int k = 1; k < length; ++k) {
            const auto continuation = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
            code = (code << 6) | static_cast<char32_t>(continuation & 0x3Fu);
        }
        into.insert(code);
        i += static_cast<std::size_t>(length);
    }
}

/// Non-ASCII characters written into a JSON text as \uXXXX escapes (surrogate pairs joined).
void add_json_escapes(std::string_view json, std::set<char32_t>& into) {
    for (std::size_t at = json.find("\\u"); at != std::string_view::npos && at + 6 <= json.size();
         at = json.find("\\u", at + 6)) {
        auto code = static_cast<char32_t>(std::stoul(std::string(json.substr(at + 2, 4)), nullptr, 16));
        if (code >= 0xD800 && code < 0xDC00 && json.substr(at + 6, 2) == "\\u" && at + 12 <= json.size()) {
            const auto low = static_cast<char32_t>(std::stoul(std::string(json.substr(at + 8, 4)), nullptr, 16));
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        }
        into.insert(code);
    }
}

/// Every code point of the UI's string literals in a C++ source: raw UTF-8 and "\xNN" escapes
/// (comments are skipped; they are never drawn).
void add_source_literals(std::string_view source, std::set<char32_t>& into) {
    enum class State { code, literal, line_comment, block_comment } state = State::code;
    std::string bytes;
    for (std::size_t i = 0; i < source.size(); ++i) {
        const char c = source[i];
        const char next = i + 1 < source.size() ? source[i + 1] : '\0';
        switch (state) {
            case State::code:
                if (c == '/' && next == '/') {
                    state = State::line_comment;
                } else if (c == '/' && next == '*') {
                    state = State::block_comment;
                } else if (c == '"') {
                    state = State::literal;
                    bytes.clear();
                } else if (c == '\'') {
                    i += next == '\\' ? 3 : 2;  // a character literal, such as '"' or '\n'
                }
                break;
            case State::literal:
                if (c == '\\' && next == 'x' && i + 3 < source.size()) {
                    bytes += static_cast<char>(std::stoi(std::string(source.substr(i + 2, 2)), nullptr, 16));
                    i += 3;
                } else if (c == '\\') {
                    bytes += ' ';  // \n, \", \\: all ASCII
                    ++i;
                } else if (c == '"') {
                    add_code_points(bytes, into);
                    state = State::code;
                } else {
                    bytes += c;
                }
                break;
            case State::line_comment:
                state = c == '\n' ? State::code : state;
                break;
            case State::block_comment:
                if (c == '*' && next == '/') {
                    state = State::code;
                    ++i;
                }
                break;
        }
    }
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string describe(char32_t code) {
    std::ostringstream text;
    text << "U+" << std::hex << std::uppercase << static_cast<std::uint32_t>(code);
    return text.str();
}

/// The code points the theme fonts lack, as "U+03BB in font 0" lines.
std::vector<std::string> missing_glyphs(const std::set<char32_t>& codes) {
    ImGuiIO& io = ImGui::GetIO();
    std::vector<std::string> missing;
    for (int index = 0; index < io.Fonts->Fonts.Size; ++index) {
        const ImFont* font = io.Fonts->Fonts[index];
        for (const char32_t code : codes) {
            if (code < 0x20) {
                continue;  // line breaks are layout, not glyphs
            }
            // ImWchar is 16 bits unless IMGUI_USE_WCHAR32: a code point beyond it cannot be drawn.
            const bool representable = code <= static_cast<char32_t>(IM_UNICODE_CODEPOINT_MAX);
            if (!representable || font->FindGlyphNoFallback(static_cast<ImWchar>(code)) == nullptr) {
                missing.push_back(describe(code) +
                                  " in font " + std::to_string(index) + " (0 normal, 1 presenter, 2 small presenter)");
            }
        }
    }
    return missing;
}
}  // namespace

TEST_CASE("Every theme font has a glyph for every character the lessons and the UI use") {
    if (!std::filesystem::exists(ui::Theme::ttf_path())) {
        WARN("skipped: " << ui::Theme::ttf_path() << " is not installed (fonts-dejavu-core)");
        return;
    }
    ImGuiContextScope imgui;
    const ui::Theme theme(1.0f);
    REQUIRE(theme.has_ttf());
    ImGuiIO& io = ImGui::GetIO();
    REQUIRE(io.Fonts->Build());  // rasterises on the CPU: no GPU needed
    REQUIRE(io.Fonts->Fonts.Size == 3);  // normal, presenter, presenter on a small screen

    SECTION("the characters the texts are known to use") {
        std::set<char32_t> known;
        // λ × → µ (lessons, durations), – — … • (punctuation), ≈ ≤ ≥ − (maths), ■ ▶ ● ← (markers).
        add_code_points(
            "\u03BB \u00D7 \u2192 \u00B5 \u2013 \u2014 \u2026 \u2022 \u2248 \u2264 \u2265 \u2212 "
            "\u25A0 \u25B6 \u25CF \u2190",
            known);
        const auto missing = missing_glyphs(known);
        for (const auto& line : missing) {
            UNSCOPED_INFO(line);
        }
        CHECK(missing.empty());
    }

    SECTION("every text of every built-in lesson") {
        const auto lessons = built_in_lessons();
        REQUIRE_FALSE(lessons.empty());
        for (const auto& lesson : lessons) {
            std::set<char32_t> codes;
            const Scenario scenario = load_lesson(lesson.name);
            add_code_points(scenario.name, codes);
            add_code_points(scenario.description, codes);
            if (scenario.lesson) {
                const LessonText& text = *scenario.lesson;
                for (const std::string* part :
                     {&text.title, &text.watch, &text.why, &text.panel, &text.question}) {
                    add_code_points(*part, codes);
                }
                for (const auto& choice : text.choices) {
                    add_code_points(choice, codes);
                }
            }
            // Whatever other text the file holds (fields added later included), raw or escaped.
            add_code_points(lesson.json, codes);
            add_json_escapes(lesson.json, codes);
            const auto missing = missing_glyphs(codes);
            INFO("lesson " << lesson.name);
            for (const auto& line : missing) {
                UNSCOPED_INFO(line);
            }
            CHECK(missing.empty());
        }
    }

    SECTION("every string literal of the dashboard's sources") {
        std::set<char32_t> codes;
        for (const char* folder : {"src/ui", "src/app"}) {
            for (const auto& entry :
                 std::filesystem::directory_iterator(std::filesystem::path(THREADLAB_SOURCE_DIR) / folder)) {
                if (entry.path().extension() == ".cpp" || entry.path().extension() == ".hpp") {
                    add_source_literals(read_file(entry.path()), codes);
                }
            }
        }
        CHECK(codes.count(0x00B5) == 1);  // format_duration's "µs": proves the scan reads the escapes
        const auto missing = missing_glyphs(codes);
        for (const auto& line : missing) {
            UNSCOPED_INFO(line);
        }
        CHECK(missing.empty());
    }
}

TEST_CASE("The UTF-8 and source scanners find what the font test relies on") {
    std::set<char32_t> codes;
    add_code_points(
        "L = \xCE\xBB"
        "W",
        codes);
    CHECK(codes.count(0x03BB) == 1);
    codes.clear();
    add_json_escapes(R"({"why": "L = \u03bbW, 2 \u00d7 3"})", codes);
    CHECK(codes == std::set<char32_t>{0x03BB, 0x00D7});
    codes.clear();
    add_source_literals(
        "// \xE2\x89\x88 in a comment\nf(\"%.0f \\xC2\\xB5s\", '\"'); /* \xE2\x80\xA6 */ "
        "g(\"\xE2\x86\x92\");",
        codes);
    std::set<char32_t> non_ascii;
    for (const char32_t code : codes) {
        if (code > 0x7F) {
            non_ascii.insert(code);
        }
    }
    CHECK(non_ascii == std::set<char32_t>{0x00B5, 0x2192});
}
