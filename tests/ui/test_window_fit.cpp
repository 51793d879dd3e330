#include <catch2/catch.hpp>

#include "app/window_fit.hpp"

using namespace threadlab::app;

TEST_CASE("The window opens no larger than the work area less its frame") {
    // The default size on a 1280x720 projector: it must not be cut off.
    CHECK(fit_window_size({1600, 1000}, {1280, 720}) == WindowSize{1280, 720});
    // A desktop's panel and the window manager's title bar take their share.
    CHECK(fit_window_size({1600, 1000}, {1280, 690}, {2, 30, 2, 2}) == WindowSize{1276, 658});
    // Only the side that does not fit shrinks.
    CHECK(fit_window_size({1000, 1000}, {1920, 800}) == WindowSize{1000, 800});
}

TEST_CASE("A window that fits keeps its size") {
    CHECK(fit_window_size({1600, 1000}, {1920, 1080}, {1, 25, 1, 1}) == WindowSize{1600, 1000});
    CHECK(fit_window_size({800, 600}, {800, 600}) == WindowSize{800, 600});
}

TEST_CASE("An unknown work area leaves the size alone") {
    CHECK(fit_window_size({1600, 1000}, {0, 0}) == WindowSize{1600, 1000});
    CHECK(fit_window_size({1600, 1000}, {-1, 720}) == WindowSize{1600, 1000});
}
