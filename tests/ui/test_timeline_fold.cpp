#include <catch2/catch.hpp>

#include <vector>

#include "ui/timeline_fold.hpp"

using namespace threadlab::ui;

TEST_CASE("wide bars are drawn alone", "[ui][timeline]") {
    const std::vector<PixelSpan> spans{{0, 10, 1}, {12, 30, 2}};
    const auto folded = fold_spans(spans, 3.0f);
    REQUIRE(folded.size() == 2);
    CHECK(folded[0].count == 1);
    CHECK(folded[1].key == 2);
    CHECK(folded[1].first == 1);
}

TEST_CASE("a run of thin bars folds into one block that counts them", "[ui][timeline]") {
    std::vector<PixelSpan> spans;
    for (int i = 0; i < 1000; ++i) {
        const float x = 100.0f + static_cast<float>(i) * 0.05f;
        spans.push_back({x, x + 0.02f, static_cast<std::uint32_t>(1 + i % 2)});
    }
    spans.push_back({200, 260, 3});
    const auto folded = fold_spans(spans, 2.0f);
    REQUIRE(folded.size() == 2);
    CHECK(folded[0].count == 1000);
    CHECK(folded[0].mixed);
    CHECK(folded[0].x0 == 100.0f);
    CHECK(folded[0].x1 >= 149.0f);
    CHECK(folded[1].count == 1);
    CHECK_FALSE(folded[1].mixed);
}

TEST_CASE("thin bars far apart stay apart and grow to the minimum width", "[ui][timeline]") {
    const std::vector<PixelSpan> spans{{0, 0.5f, 1}, {50, 50.5f, 1}};
    const auto folded = fold_spans(spans, 2.0f);
    REQUIRE(folded.size() == 2);
    CHECK(folded[0].x1 - folded[0].x0 == Approx(2.0f));
    CHECK(folded[1].count == 1);
}

TEST_CASE("a wide bar ends a block of thin ones", "[ui][timeline]") {
    const std::vector<PixelSpan> spans{{0, 0.5f, 1}, {0.6f, 1.0f, 1}, {1.1f, 20, 2}, {20.1f, 20.2f, 1}};
    const auto folded = fold_spans(spans, 2.0f);
    REQUIRE(folded.size() == 3);
    CHECK(folded[0].count == 2);
    CHECK(folded[1].count == 1);
    CHECK(folded[2].count == 1);
    CHECK(folded[2].first == 3);
}
