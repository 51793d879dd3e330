// The way back to the page (page_updates.hpp): a worker's widget changes go back to the browser as
// next-tick callbacks on the event loop, each under the session's document lock.
//
// Panel (holoviz/panel@45cb9c1): Reactive._apply_update changes the model directly only when
// state._unblocked(doc) (panel/reactive.py:345-363): on the loop thread or under the document lock
// (panel/io/state.py:386-403); otherwise state.execute(cb, schedule=True), which is
// doc.add_next_tick_callback (state.py:848-849). Bokeh (bokeh/bokeh@8fbd227) runs each such callback
// in with_document_locked: the session's lock, the callback, then its writes (server/session.py:
// 71-110, 223-233, 240-252). A threaded hold() (panel/io/document.py:737-773) collects the
// callbacks' SessionCallbackAdded events (bokeh document/callbacks.py:193, 405-415; they never
// combine, document/events.py:182-186) and schedules one `_unhold` callback that releases them
// (callbacks.py:425-441). unlocked() in a worker leaves `_unblocked` false: the changes still
// become callbacks (document.py:649-685, 569-647). A destroyed session's callbacks are dropped
// (session.py:83-85, 185-192).

#include <catch2/catch.hpp>

#include <algorithm>
#include <latch>
#include <memory>
#include <vector>

#include "core/event_pool.hpp"
#include "core/scenario.hpp"
#include "core/world.hpp"
#include "support/pool_rig.hpp"
#include "support/wait.hpp"
#include "support/watchdog.hpp"
#include "support/world_config.hpp"

using namespace threadlab;
using namespace threadlab::testing;
using Catch::Matchers::Contains;

namespace {

std::vector<SpanRecord> page_spans(const Trace& trace) {
    auto spans = trace.spans();
    std::erase_if(spans, [](const SpanRecord& span) { return !is_page_callback(span.kind); });
    std::sort(spans.begin(), spans.end(), [](const SpanRecord& a, const SpanRecord& b) { return a.started < b.started; });
    return spans;
}

/// A click whose callback, as it ends, sets `spec.count` widget values from its pool thread.
EventRequest click_with_updates(EventPool& pool, SessionId session, std::shared_ptr<DocumentLock> document,
                                PageUpdatesSpec spec) {
    Work work = [&pool, session, document, spec](WorkContext&) {
        pool.send_page_updates(session, document, spec);
        return std::string();
    };
    return {session, EventKind::click, 1, std::move(work), nullptr, {}};
}

/// Holds the pool's event loop with an async click (of session 3) that blocks until released, so
/// that whatever is queued on the loop meanwhile waits behind it. Releases it at the latest when
/// destroyed (declare it after the pool), so a failing check cannot leave the loop stuck.
class LoopHeld {
public:
    explicit LoopHeld(EventPool& pool) {
        std::vector<CoroutineSegment> segments(1);
        segments[0].runs.push_back([this](WorkContext&) {
            m_entered.count_down();
            m_gate.wait();
            return std::string();
        });
        REQUIRE(pool.submit({3, EventKind::click, 1, nullptr, nullptr, std::move(segments)}));
        m_entered.wait();
    }
    ~LoopHeld() { release(); }
    LoopHeld(const LoopHeld&) = delete;
    LoopHeld& operator=(const LoopHeld&) = delete;

    void release() {
        if (!m_released) {
            m_released = true;
            m_gate.count_down();
        }
    }

private:
    std::latch m_entered{1};
    std::latch m_gate{1};
    bool m_released = false;
};

bool settled(const EventPool& pool, const DocumentLock& document) {
    return pool.counts().idle() && document.queued() == 0 && pool.stats().loop_queued == 0 && !pool.stats().loop_busy;
}

}  // namespace

TEST_CASE("a worker's changes come back as next-tick callbacks on the loop, one per change unless one callback makes them all",
          "[page]") {
    Watchdog watchdog("page modes");
    EngineParts parts;
    EventPool pool(PoolSetting::fixed(2), parts.context());
    auto document = std::make_shared<DocumentLock>();
    constexpr std::uint32_t changes = 100;
    const auto mode = GENERATE(UpdateMode::next_tick, UpdateMode::hold, UpdateMode::unlocked, UpdateMode::one_callback);
    CAPTURE(to_string(mode));
    REQUIRE(pool.submit(click_with_updates(pool, 1, document, {changes, mode, 0.001})));
    REQUIRE(wait_until(parts.changes, [&] { return settled(pool, *document) && document->changes() == changes; }));

    const auto spans = page_spans(parts.trace);
    const auto unholds = std::count_if(spans.begin(), spans.end(), [](const SpanRecord& s) { return s.kind == SpanKind::unhold; });
    const auto next_ticks = static_cast<std::ptrdiff_t>(spans.size()) - unholds;
    for (const auto& span : spans) {
        CHECK(span.on_loop());
        CHECK(thread_name(span) == "tl-event-loop");
        CHECK(span.session == 1);
        CHECK(span.outcome == Outcome::completed);
    }
    // Only the click is a pool event: the callbacks are the loop's, not counted as events.
    CHECK(pool.counts().submitted == 1);
    CHECK(pool.counts().completed == 1);
    switch (mode) {
        case UpdateMode::next_tick:
        case UpdateMode::unlocked:
            // One callback, one lock turn, one message per change.
            CHECK(unholds == 0);
            CHECK(next_ticks == changes);
            CHECK(document->acquisitions() == changes);
            CHECK(document->messages() == changes);
            break;
        case UpdateMode::hold: {
            // The _unhold first; the changes' callbacks join the loop's queue only after it ran.
            REQUIRE(unholds == 1);
            CHECK(next_ticks == changes);
            REQUIRE(spans.front().kind == SpanKind::unhold);
            for (std::size_t i = 1; i < spans.size(); ++i) {
                CHECK(spans[i].submitted >= spans.front().finished);
            }
            CHECK(document->acquisitions() == changes + 1);
            CHECK(document->messages() == changes);
            break;
        }
        case UpdateMode::one_callback:
            CHECK(spans.size() == 1);
            CHECK(document->acquisitions() == 1);
            CHECK(document->messages() == 1);
            break;
    }
    // Every next-tick callback of the session is numbered in the order it was queued.
    for (std::size_t i = 0; i < spans.size(); ++i) {
        CHECK(spans[i].ordinal == i + 1);
    }
}

TEST_CASE("each next-tick callback takes the session's document lock: held elsewhere, the loop waits for it", "[page]") {
    Watchdog watchdog("page lock");
    EngineParts parts;
    EventPool pool(PoolSetting::fixed(1), parts.context());
    auto document = std::make_shared<DocumentLock>();
    std::unique_lock held(document->mutex());
    pool.send_page_updates(1, document, {3, UpdateMode::next_tick, 0.0});  // from this (non-loop) thread
    // The first callback started on the loop and waits for the lock: none got it yet.
    REQUIRE(wait_until(parts.changes, [&] { return pool.stats().loop_busy; }));
    CHECK(document->acquisitions() == 0);
    CHECK(document->messages() == 0);
    CHECK(document->queued() == 2);
    held.unlock();
    REQUIRE(wait_until(parts.changes, [&] { return settled(pool, *document); }));
    CHECK(document->acquisitions() == 3);
    CHECK(document->messages() == 3);
}

TEST_CASE("other loop work queued after a worker's changes waits behind all their callbacks", "[page]") {
    Watchdog watchdog("page behind");
    EngineParts parts;
    EventPool pool(PoolSetting::fixed(1), parts.context());
    auto document = std::make_shared<DocumentLock>();
    // Something holds the loop, so that both the changes and session 2's async click queue behind it.
    LoopHeld loop_held(pool);
    const auto mode = GENERATE(UpdateMode::next_tick, UpdateMode::hold);
    CAPTURE(to_string(mode));
    pool.send_page_updates(1, document, {20, mode, 0.01});
    std::vector<CoroutineSegment> other(1);
    other[0].runs.push_back([](WorkContext&) { return std::string(); });
    const auto other_id = *pool.submit({2, EventKind::click, 1, nullptr, nullptr, std::move(other)});
    loop_held.release();
    REQUIRE(wait_until(parts.changes, [&] { return settled(pool, *document); }));
    const auto spans = parts.trace.spans();
    const auto other_step = std::find_if(spans.begin(), spans.end(), [&](const SpanRecord& s) {
        return s.id == other_id && s.kind == SpanKind::click;
    });
    REQUIRE(other_step != spans.end());
    const auto page = page_spans(parts.trace);
    if (mode == UpdateMode::next_tick) {
        // FIFO: all 20 callbacks were queued before the click, so it starts after the last.
        REQUIRE(page.size() == 20);
        CHECK(other_step->started >= page.back().finished);
        CHECK(other_step->queue_wait() >= parts.time.to_real(20 * 0.01));
    } else {
        // The hold's 20 are released only when the _unhold runs, which is after the click was
        // queued: the click runs between the _unhold and them.
        REQUIRE(page.size() == 21);
        CHECK(page.front().kind == SpanKind::unhold);
        CHECK(other_step->started >= page.front().finished);
        CHECK(other_step->finished <= page[1].started);
    }
}

TEST_CASE("changes made on the loop thread itself (threading off) are direct: no callback, sent at once", "[page]") {
    Watchdog watchdog("page on loop");
    EngineParts parts;
    EventPool pool(PoolSetting::off(), parts.context());
    auto document = std::make_shared<DocumentLock>();
    const auto mode = GENERATE(UpdateMode::next_tick, UpdateMode::hold, UpdateMode::unlocked, UpdateMode::one_callback);
    CAPTURE(to_string(mode));
    REQUIRE(pool.submit(click_with_updates(pool, 1, document, {10, mode, 0.0})));
    REQUIRE(wait_until(parts.changes, [&] { return settled(pool, *document) && document->changes() == 10; }));
    const auto page = page_spans(parts.trace);
    if (mode == UpdateMode::one_callback) {
        // state.execute(cb, schedule=True) schedules even on the loop thread.
        CHECK(page.size() == 1);
        CHECK(document->messages() == 1);
    } else {
        CHECK(page.empty());
        CHECK(document->acquisitions() == 0);
        // Each change flushed by its own unlocked(), or all held by hold() and flushed once.
        CHECK(document->messages() == (mode == UpdateMode::hold ? 1u : 10u));
    }
}

TEST_CASE("a destroyed session's waiting callbacks are dropped, held ones too", "[page]") {
    Watchdog watchdog("page dropped");
    EngineParts parts;
    EventPool pool(PoolSetting::fixed(1), parts.context());
    auto document = std::make_shared<DocumentLock>();
    LoopHeld loop_held(pool);
    const auto mode = GENERATE(UpdateMode::next_tick, UpdateMode::hold);
    pool.send_page_updates(1, document, {50, mode, 0.0});
    CHECK(document->queued() == (mode == UpdateMode::hold ? 51u : 50u));
    pool.cancel_session(1);
    CHECK(document->queued() == 0);
    loop_held.release();
    REQUIRE(wait_until(parts.changes, [&] { return settled(pool, *document); }));
    CHECK(page_spans(parts.trace).empty());
    CHECK(document->messages() == 0);
}

TEST_CASE("a runner task's changes go back from its runner thread the same way", "[page][world]") {
    Watchdog watchdog("page runner");
    World world(fast_world());
    const auto session = *world.add_session();
    const auto document = world.session(session)->document_lock();
    REQUIRE(world.add_task(session, {WorkKind::sleep, 0.01, false}, PageUpdatesSpec{5, UpdateMode::next_tick, 0.0}));
    REQUIRE(wait_until(world.changes(), [&] { return document->messages() == 5 && document->queued() == 0; }));
    CHECK(document->acquisitions() == 5);
    // A failing click makes no changes: only work that returned does.
    REQUIRE(world.click(session, {WorkKind::sleep, 0.01, true}, PageUpdatesSpec{5, UpdateMode::next_tick, 0.0}));
    REQUIRE(wait_until(world.changes(), [&] { return world.pool().counts().idle(); }));
    CHECK(document->messages() == 5);
}

TEST_CASE("scenario \"updates\": count, mode and seconds, with errors that name the path", "[page][scenario]") {
    const auto scenario = parse_scenario(R"({"sessions": 1, "actions": [
        {"do": "click", "session": 1, "updates": {"count": 100, "mode": "hold", "seconds": 0.02}},
        {"do": "add_task", "session": 1, "updates": {"count": 3}},
        {"do": "click", "session": 1}]})", "demo.json");
    REQUIRE(scenario.actions.size() == 3);
    CHECK(scenario.actions[0].updates == PageUpdatesSpec{100, UpdateMode::hold, 0.02});
    CHECK(scenario.actions[1].updates == PageUpdatesSpec{3, UpdateMode::next_tick, 0.005});
    CHECK_FALSE(scenario.actions[2].updates);

    const auto error_of = [](const std::string& action) {
        try {
            parse_scenario(R"({"sessions": 1, "actions": [)" + action + "]}", "demo.json");
        } catch (const ScenarioError& error) {
            return std::string(error.what());
        }
        return std::string("no error");
    };
    CHECK_THAT(error_of(R"({"do": "click", "session": 1, "updates": {"count": 0}})"),
               Contains("actions[0].updates.count: expected a whole number from 1 to 10000"));
    CHECK_THAT(error_of(R"({"do": "click", "session": 1, "updates": {}})"),
               Contains("actions[0].updates.count: missing"));
    CHECK_THAT(error_of(R"({"do": "click", "session": 1, "updates": {"count": 5, "mode": "batch"}})"),
               Contains("actions[0].updates.mode: expected \"next_tick\", \"hold\", \"unlocked\" or \"one_callback\", got \"batch\""));
    CHECK_THAT(error_of(R"({"do": "click", "session": 1, "updates": {"count": 5, "every": 1}})"),
               Contains("actions[0].updates.every: unknown key (expected one of: count, mode, seconds)"));
    CHECK_THAT(error_of(R"({"do": "click", "session": 1, "updates": {"count": 5, "seconds": -1}})"),
               Contains("actions[0].updates.seconds: expected a number from 0 to 60"));
    CHECK_THAT(error_of(R"({"do": "click", "session": 1, "updates": 5})"),
               Contains("actions[0].updates: expected an object"));
    CHECK_THAT(error_of(R"({"do": "click", "session": 1, "async": [{"await": 1}], "updates": {"count": 5}})"),
               Contains("actions[0].updates: an async click runs on the event loop"));
    CHECK_THAT(error_of(R"({"do": "slide", "session": 1, "value": 3, "updates": {"count": 5}})"),
               Contains("actions[0].updates: unknown key"));
}
