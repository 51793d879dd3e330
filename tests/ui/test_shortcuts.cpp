#include <catch2/catch.hpp>

#include <GLFW/glfw3.h>
#include <imgui.h>

#include "ui/shortcuts.hpp"
#include "support/imgui_context.hpp"

using namespace threadlab;
using namespace threadlab::ui;

namespace {
/// A Dear ImGui context without a window: enough for the theme's fonts and style.
using threadlab::testing::ImGuiContextScope;

struct Rig {
    ImGuiContextScope imgui;
    World world{{PoolSetting::fixed(2), 0.01, false, false}};
    WorkControls controls{{WorkKind::sleep, 0.5, false}, 3, false, {}};
    Theme theme{1.0f};
    TimelineView timeline;
    bool help = false;
    bool lessons = false;

    void press(std::vector<KeyPress> keys, bool text_input = false) {
        handle_shortcuts(keys, text_input, {world, controls, theme, timeline, help, lessons});
    }
};
}  // namespace

TEST_CASE("shortcuts add sessions, click and queue work in every session", "[ui][shortcuts]") {
    Rig rig;
    rig.press({{GLFW_KEY_A, 0}});
    CHECK(rig.world.session_count() == 1);
    rig.press({{GLFW_KEY_A, GLFW_MOD_SHIFT}});
    CHECK(rig.world.session_count() == 4);
    // Two taps in one frame both count.
    rig.press({{GLFW_KEY_C, 0}, {GLFW_KEY_C, 0}, {GLFW_KEY_N, 0}});
    CHECK(rig.world.pool().counts().submitted == 8);
    std::uint64_t tasks = 0;
    for (const auto& session : rig.world.sessions()) {
        tasks += session->task_counts().submitted;
    }
    CHECK(tasks == 4);
    rig.press({{GLFW_KEY_D, GLFW_MOD_CONTROL}});
    CHECK(rig.world.session_count() == 0);
}

TEST_CASE("shortcuts change the pool, the GIL, pausing and the view", "[ui][shortcuts]") {
    Rig rig;
    rig.press({{GLFW_KEY_EQUAL, 0}});
    CHECK(rig.world.pool().stats().target == 3);
    rig.press({{GLFW_KEY_MINUS, 0}, {GLFW_KEY_MINUS, 0}, {GLFW_KEY_MINUS, 0}});
    CHECK(rig.world.pool().stats().target == 1);  // never below one thread
    rig.press({{GLFW_KEY_T, 0}});
    CHECK_FALSE(rig.world.pool().stats().setting.threaded);
    rig.press({{GLFW_KEY_T, 0}});
    CHECK(rig.world.pool().stats().setting == PoolSetting::automatic());
    rig.press({{GLFW_KEY_G, 0}, {GLFW_KEY_P, 0}, {GLFW_KEY_SPACE, 0}});
    CHECK(rig.world.gil().enabled());
    CHECK(rig.world.pool().stats().paused);
    CHECK(rig.timeline.frozen());
    rig.press({{GLFW_KEY_F1, 0}, {GLFW_KEY_F2, 0}});
    CHECK(rig.help);
    CHECK(rig.theme.presenter());
    rig.press({{GLFW_KEY_ESCAPE, 0}, {GLFW_KEY_L, 0}});
    CHECK_FALSE(rig.help);
    CHECK(rig.lessons);
}

TEST_CASE("letters go to a text field, not to the shortcuts", "[ui][shortcuts]") {
    Rig rig;
    rig.press({{GLFW_KEY_A, 0}, {GLFW_KEY_G, 0}}, true);
    CHECK(rig.world.session_count() == 0);
    CHECK_FALSE(rig.world.gil().enabled());
    rig.press({{GLFW_KEY_F1, 0}}, true);
    CHECK(rig.help);
}
