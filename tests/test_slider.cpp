// The slider's changes reach its watchers as Panel sends them: merged per widget, flushed 50 ms
// after the first change of a batch, taken only when the change event starts, flushed before a
// click, and with `value_throttled` once per release. Panel's source (holoviz/panel@45cb9c1):
// panel/reactive.py:98-99 (`_debounce = 50`), 528-566 (`_change_coroutine`, `_change_event`),
// 548-560 (`_event_coroutine`: pending changes before the click), 615-646 (`_server_change`);
// bokehjs src/lib/models/widgets/sliders/abstract_slider.ts:183-190 (bokeh/bokeh@8fbd227: the
// release sets `value` and `value_throttled` together).
#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "core/scenario.hpp"
#include "core/world.hpp"
#include "support/wait.hpp"
#include "support/watchdog.hpp"
#include "support/world_config.hpp"

using namespace threadlab;
using namespace threadlab::testing;

namespace {

/// Watchers that count their calls: `value` on the atomic counter, `value_throttled` on the mutex one.
SliderWatchers counting_watchers() {
    WorkSpec on_value{WorkKind::increment, 0.0, false};
    on_value.counter = CounterKind::atomic;
    on_value.increments = 1;
    WorkSpec on_release = on_value;
    on_release.counter = CounterKind::mutex;
    return {on_value, on_release};
}

std::vector<SpanRecord> slider_spans(const World& world) {
    auto spans = world.trace().spans();
    std::erase_if(spans, [](const SpanRecord& span) { return span.kind != SpanKind::slider; });
    std::sort(spans.begin(), spans.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return spans;
}

std::uint64_t value_calls(const World& world) { return world.counters().read(CounterKind::atomic).value; }
std::uint64_t release_calls(const World& world) { return world.counters().read(CounterKind::mutex).value; }

}  // namespace

TEST_CASE("slider changes made while the event waits merge into one call with the latest value", "[slider]") {
    Watchdog watchdog("slider merge");
    for (const auto pool : {PoolSetting::fixed(2), PoolSetting::off()}) {
        World world(fast_world(pool));
        const auto id = *world.add_session();
        REQUIRE(world.watch_slider(id, counting_watchers()));
        const auto slider = world.session(id)->slider();
        // Paused, no event starts: whenever the 50 ms flush comes, its event waits, and the batch
        // stays open until it starts (`_change_event` takes `self._events` only then).
        world.set_events_paused(true);
        for (int value = 1; value <= 30; ++value) {
            REQUIRE(world.move_slider(id, value, value == 30));
        }
        CHECK(slider->changes_sent() == 30);
        CHECK(slider->position() == 30);
        REQUIRE(wait_until(world.changes(), [&] { return world.pool().counts().queued == 1; }));
        world.set_events_paused(false);
        REQUIRE(wait_until(world.changes(), [&] { return world.pool().counts().completed == 1; }));

        CHECK(slider->batches_taken() == 1);
        CHECK(slider->releases_taken() == 1);
        CHECK(value_calls(world) == 1);    // one call with the last value, not 30
        CHECK(release_calls(world) == 1);  // value_throttled: once, on release
        CHECK_FALSE(slider->open());
        CHECK(slider_spans(world).size() == 1);
    }
}

TEST_CASE("a change after the batch was taken opens a new batch and a new event", "[slider]") {
    Watchdog watchdog("slider batches");
    World world(fast_world());
    const auto id = *world.add_session();
    REQUIRE(world.watch_slider(id, counting_watchers()));
    const auto slider = world.session(id)->slider();
    world.move_slider(id, 10, false);
    REQUIRE(wait_until(world.changes(), [&] { return world.pool().counts().completed == 1; }));
    world.move_slider(id, 20, true);
    REQUIRE(wait_until(world.changes(), [&] { return world.pool().counts().completed == 2; }));
    CHECK(slider->batches_taken() == 2);
    CHECK(value_calls(world) == 2);
    CHECK(release_calls(world) == 1);  // only the second batch holds a release
    CHECK(slider_spans(world).size() == 2);
}

TEST_CASE("a click submits the pending slider event before itself", "[slider]") {
    Watchdog watchdog("slider click");
    // 50 ms simulated is 5 s of wall time here: the click comes long before the flush's timer.
    auto config = fast_world(PoolSetting::off());
    config.time_scale = TimeScale::max_scale;
    World world(config);
    const auto id = *world.add_session();
    REQUIRE(world.watch_slider(id, counting_watchers()));
    world.move_slider(id, 42, true);
    const auto click = world.click(id, WorkSpec{WorkKind::sleep, 0.0, false});
    REQUIRE(click);
    REQUIRE(wait_until(world.changes(), [&] { return world.pool().counts().completed == 2; }));
    const auto sliders = slider_spans(world);
    REQUIRE(sliders.size() == 1);
    CHECK(sliders.front().id < *click);  // submitted first; on the one event loop it also ran first
    CHECK(value_calls(world) == 1);
    // The flush's own timer, when it fires, finds its batch gone: no second slider event.
    CHECK_FALSE(world.session(id)->slider()->open());
}

TEST_CASE("a slider event cancelled before it starts closes its batch", "[slider]") {
    Watchdog watchdog("slider cancel");
    World world(fast_world());
    const auto id = *world.add_session();
    REQUIRE(world.watch_slider(id, counting_watchers()));
    const auto slider = world.session(id)->slider();
    world.set_events_paused(true);
    world.move_slider(id, 5, false);
    REQUIRE(wait_until(world.changes(), [&] { return world.pool().counts().queued == 1; }));
    REQUIRE(world.cancel_event(EventId{1}));  // the pool's first event: the slider's
    CHECK_FALSE(slider->open());
    // The next change opens a new batch (it would merge into the dead one for ever otherwise).
    world.move_slider(id, 6, true);
    REQUIRE(wait_until(world.changes(), [&] { return world.pool().counts().queued == 1; }));
    world.set_events_paused(false);
    REQUIRE(wait_until(world.changes(), [&] { return world.pool().counts().completed == 1; }));
    CHECK(value_calls(world) == 1);
    CHECK(release_calls(world) == 1);
    CHECK(world.pool().counts().cancelled == 1);
}

TEST_CASE("destroying a session drops its pending slider batch", "[slider]") {
    Watchdog watchdog("slider destroy");
    auto config = fast_world();
    config.time_scale = TimeScale::max_scale;  // the flush would come 5 s later
    World world(config);
    const auto id = *world.add_session();
    const auto slider = world.session(id)->slider();
    world.move_slider(id, 7, false);
    CHECK(slider->open());
    REQUIRE(world.destroy_session(id));
    CHECK_FALSE(slider->open());
    CHECK_FALSE(world.move_slider(id, 8, false));
    CHECK(world.pool().counts().submitted == 0);
}

TEST_CASE("a drag in a scenario is one slide per value, released with the last", "[slider][scenario]") {
    const auto scenario = parse_scenario(R"({"sessions": 1, "actions": [
        {"at": 1.0, "do": "drag", "session": 1, "from": 10, "to": 7, "over": 0.3,
         "work": {"kind": "sleep", "seconds": 0.1}, "on_release": {"kind": "sleep", "seconds": 0.5}}]})",
                                         "drag.json");
    REQUIRE(scenario.actions.size() == 4);
    for (std::size_t i = 0; i < 4; ++i) {
        const auto& slide = scenario.actions[i];
        CHECK(slide.kind == ActionKind::slide);
        CHECK(slide.value == 10 - static_cast<int>(i));
        CHECK(slide.at == Approx(1.0 + 0.1 * static_cast<double>(i)));
        CHECK(slide.on == (i == 3));
        CHECK(slide.work.seconds == Approx(0.1));
        REQUIRE(slide.release_work);
        CHECK(slide.release_work->seconds == Approx(0.5));
    }
    CHECK_THROWS_WITH(parse_scenario(R"({"sessions": 1, "actions": [{"do": "drag", "session": 1, "from": 0, "to": 101, "over": 1}]})", "x.json"),
                      Catch::Contains("actions[0].to") && Catch::Contains("0 to 100"));
    CHECK_THROWS_WITH(parse_scenario(R"({"sessions": 1, "actions": [{"do": "slide", "session": 1}]})", "x.json"),
                      Catch::Contains("actions[0].value") && Catch::Contains("missing"));
    CHECK_THROWS_WITH(parse_scenario(R"({"sessions": 1, "actions": [{"do": "slide", "session": 2, "value": 3}]})", "x.json"),
                      Catch::Contains("session 2 does not exist"));
}
