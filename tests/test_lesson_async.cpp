// The async lessons, run headless: what they claim, checked from the trace of what really ran.
//
// Panel runs every coroutine callback on the server's one event loop, with or without nthreads:
// param's async_executor is replaced by Panel's `async_execute`, which schedules the coroutine with
// `state.curdoc.add_next_tick_callback(wrapped)` (panel/io/server.py:212-259, holoviz/panel@45cb9c1),
// and `state.execute` never sends a coroutine to the thread pool (panel/io/state.py:817-854).
// Panel's guide: "AsyncIO: Allows asynchronously processing I/O bound operations ... requires
// rewriting your application and callbacks to make use of async/await" (doc/how_to/concurrency/
// index.md:8, holoviz/panel@45cb9c1).

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "support/lesson_run.hpp"
#include "support/watchdog.hpp"

using namespace threadlab;
using namespace threadlab::testing;

namespace {

/// The steps of each coroutine (by event id), in step order.
std::map<std::uint64_t, std::vector<SpanRecord>> coroutines_of(const std::vector<SpanRecord>& spans) {
    std::map<std::uint64_t, std::vector<SpanRecord>> coroutines;
    for (const auto& span : spans) {
        if (span.async_step()) {
            coroutines[span.id].push_back(span);
        }
    }
    for (auto& [id, steps] : coroutines) {
        std::sort(steps.begin(), steps.end(), [](const SpanRecord& a, const SpanRecord& b) { return a.step < b.step; });
    }
    return coroutines;
}

}  // namespace

TEST_CASE("lesson async-interleaving: three awaits share the one loop and finish together", "[lesson][loop]") {
    Watchdog watchdog("lesson async-interleaving");
    // The lesson's pool is "auto"; with threading off the loop does the same (coroutines never
    // use the pool): the claim "threading on or off doesn't matter".
    const auto setting = GENERATE(std::optional<PoolSetting>{}, std::optional<PoolSetting>{PoolSetting::off()});
    const auto run = run_lesson("async-interleaving", setting);
    check_clean(run.summary);
    check_verdict("async-interleaving", run.summary);
    const auto coroutines = coroutines_of(run.spans);
    REQUIRE(coroutines.size() == 3);
    std::set<SessionId> sessions;
    int loop_thread = 0;
    auto latest_first_end = Clock::time_point::min();
    auto earliest_resume = Clock::time_point::max();
    auto first_submitted = Clock::time_point::max();
    auto last_end = Clock::time_point::min();
    for (const auto& [id, steps] : coroutines) {
        REQUIRE(steps.size() == 2);
        sessions.insert(steps[0].session);
        for (const auto& step : steps) {
            CHECK(step.on_loop());  // never a pool worker
            loop_thread = loop_thread == 0 ? step.thread_id : loop_thread;
            CHECK(step.thread_id == loop_thread);
        }
        // Each awaited its 2 s with the loop free.
        CHECK(simulated(steps[1].ready - steps[0].finished) >= 2.0);
        latest_first_end = std::max(latest_first_end, steps[0].finished);
        earliest_resume = std::min(earliest_resume, steps[1].started);
        first_submitted = std::min(first_submitted, steps[0].submitted);
        last_end = std::max(last_end, steps[1].finished);
    }
    CHECK(sessions.size() == 3);
    // Interleaved: every first step ran before any coroutine resumed.
    CHECK(latest_first_end <= earliest_resume);
    // Together: about 2 s (plus the 0.2 s between the clicks and 0.6 s of work), far from 6 s.
    CHECK(simulated(last_end - first_submitted) < 3.5);
    // No step of one coroutine overlaps a step of another: one loop, one thing at a time.
    std::vector<SpanRecord> all;
    for (const auto& [id, steps] : coroutines) {
        all.insert(all.end(), steps.begin(), steps.end());
    }
    for (std::size_t i = 0; i < all.size(); ++i) {
        for (std::size_t j = i + 1; j < all.size(); ++j) {
            CHECK_FALSE(overlap(all[i], all[j]));
        }
    }
}

TEST_CASE("lesson blocking-the-loop: time.sleep in a coroutine freezes every session's async callbacks",
          "[lesson][loop]") {
    Watchdog watchdog("lesson blocking-the-loop");
    const auto run = run_lesson("blocking-the-loop");
    check_clean(run.summary);
    check_verdict("blocking-the-loop", run.summary);
    const auto coroutines = coroutines_of(run.spans);
    REQUIRE(coroutines.size() == 3);
    const SpanRecord* block = nullptr;
    for (const auto& [id, steps] : coroutines) {
        if (steps.size() == 1) {
            block = &steps[0];
        }
    }
    REQUIRE(block != nullptr);
    CHECK(simulated(block->run_time()) >= 2.0);  // one long bar: the blocking call
    for (const auto& [id, steps] : coroutines) {
        if (&steps[0] == block) {
            continue;
        }
        REQUIRE(steps.size() == 2);
        CHECK(steps[0].session != block->session);
        // Clicked while the block ran (0.2 s and 0.3 s in), they could not start before it ended ...
        CHECK(steps[0].submitted < block->finished);
        CHECK(steps[0].started >= block->finished);
        // ... so each waited most of the 2 s in the loop's queue.
        CHECK(simulated(steps[0].queue_wait()) >= 1.5);
    }
    // The pool's threads were free all along: nothing ran on a worker.
    CHECK(std::all_of(run.spans.begin(), run.spans.end(),
                      [](const SpanRecord& span) { return span.kind == SpanKind::task || span.on_loop(); }));
}
