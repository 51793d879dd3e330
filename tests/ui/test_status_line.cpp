#include <catch2/catch.hpp>

#include <imgui.h>
#include <imgui_internal.h>

#include "core/world.hpp"
#include "ui/status_line.hpp"
#include "support/imgui_context.hpp"

using namespace threadlab;
using namespace threadlab::ui;

namespace {
using threadlab::testing::ImGuiContextScope;

constexpr const char* first_launch_hint = "New here? Press L for a lesson.";
constexpr const char* first_launch_brief = "Press L for a lesson";

struct Drawn {
    float beside_width = 0.0f;  // the text drawn beside the toolbar (0: none)
    bool floated = false;       // a message in a window of its own, over the views
};

/// A frame of a 1280x720 screen, with the default font.
void new_frame() {
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = {1280.0f, 720.0f};
    io.DeltaTime = 1.0f / 60.0f;
    unsigned char* pixels = nullptr;
    int width = 0;
    int height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
    ImGui::NewFrame();
}

/// One frame with the first-launch hint: a toolbar whose last item leaves `room` pixels beside it
/// (after the line's gap), then the line beside it, then the floating one.
Drawn first_launch_frame(StatusLine& line, const World& world, float room) {
    const ImGuiIO& io = ImGui::GetIO();
    new_frame();
    ImGui::SetNextWindowPos({0.0f, 0.0f});
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::Begin("dashboard", nullptr, ImGuiWindowFlags_NoDecoration);
    const float content_right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    const float gap = ImGui::GetFontSize() * 1.5f;
    ImGui::Button("toolbar", {content_right - ImGui::GetCursorScreenPos().x - gap - room, 0.0f});
    const float toolbar_end = ImGui::GetItemRectMax().x;
    line.draw_beside_toolbar(world, {}, true);
    Drawn drawn;
    if (ImGui::GetItemRectMin().x > toolbar_end) {
        drawn.beside_width = ImGui::GetItemRectSize().x;
    }
    ImGui::End();
    line.draw_floating(world, {}, true, {io.DisplaySize.x, 100.0f}, false);
    const ImGuiWindow* floating = ImGui::FindWindowByName("##status-line");
    drawn.floated = floating != nullptr && floating->Active;
    ImGui::EndFrame();
    return drawn;
}
}  // namespace

TEST_CASE("the first-launch hint goes beside the toolbar, whole or in brief, where it fits", "[ui][status]") {
    ImGuiContextScope imgui;
    World world{{PoolSetting::fixed(2), 0.01, false, false}};
    new_frame();  // text is measured in a frame
    const float unit = ImGui::GetFontSize();
    const float full = ImGui::CalcTextSize(first_launch_hint).x;
    const float brief = ImGui::CalcTextSize(first_launch_brief).x;
    ImGui::EndFrame();
    REQUIRE(brief < unit * 12.0f);  // else the brief form would never be needed

    SECTION("room for the line: the whole hint beside the toolbar") {
        StatusLine line;
        const auto drawn = first_launch_frame(line, world, unit * 12.0f + 1.0f);
        CHECK(drawn.beside_width == Approx(full));
        CHECK_FALSE(drawn.floated);
    }
    SECTION("room for the brief hint only (a projector's 1280 pixels): the brief one beside the toolbar") {
        StatusLine line;
        const auto drawn = first_launch_frame(line, world, brief + 1.0f);
        CHECK(drawn.beside_width == Approx(brief));
        CHECK_FALSE(drawn.floated);
    }
    SECTION("no room even for that: the hint floats over the views") {
        StatusLine line;
        const auto drawn = first_launch_frame(line, world, brief - 1.0f);
        CHECK(drawn.beside_width == 0.0f);
        CHECK(drawn.floated);
    }
}
