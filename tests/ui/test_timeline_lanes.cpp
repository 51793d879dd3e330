// The timeline's model (TimelineLanes) against a real World: which lanes a pool, sessions and
// leaked runners give, how they are marked as their threads go, and when a gone lane is dropped.
// Work is gated on latches and every wait is on the engine's ChangeSignal: nothing sleeps, and
// the `now` passed to refresh() is chosen explicitly wherever the window matters.

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iterator>
#include <latch>
#include <string>
#include <vector>

#include "../support/wait.hpp"
#include "../support/watchdog.hpp"
#include "../support/world_config.hpp"
#include "core/world.hpp"
#include "ui/timeline_lanes.hpp"

using namespace threadlab;
using namespace threadlab::testing;
using namespace threadlab::ui;
using namespace std::chrono_literals;

namespace {

constexpr Clock::duration window = 60s;

/// Work that blocks until the gate opens, whatever stop is requested (so that a destroyed
/// session stays "stopping", and a retiring worker stays busy, for as long as the test wants).
class Gate {
  public:
    Work work(std::latch* entered = nullptr) {
        return [this, entered](WorkContext&) {
            if (entered != nullptr) {
                entered->arrive_and_wait();
            }
            m_latch.wait();
            return std::string("released");
        };
    }
    void open() {
        if (!m_opened.exchange(true)) {
            m_latch.count_down();
        }
    }

  private:
    std::latch m_latch{1};
    std::atomic<bool> m_opened{false};
};

/// Declared after the World: opens the gate before the World joins its threads, even when a
/// REQUIRE ends the test early.
struct OpenOnExit {
    Gate& gate;
    ~OpenOnExit() { gate.open(); }
};

Work quick_work() {
    return [](WorkContext&) { return std::string("done"); };
}

const Lane* find_lane(const TimelineLanes& lanes, const std::string& name) {
    const auto& order = lanes.lanes();
    const auto it =
        std::find_if(order.begin(), order.end(), [&](const Lane* lane) { return lane->name == name; });
    return it == order.end() ? nullptr : *it;
}

/// The lane of that name, which must be there.
const Lane& lane_named(const TimelineLanes& lanes, const std::string& name) {
    const Lane* lane = find_lane(lanes, name);
    INFO("lane " << name);
    REQUIRE(lane != nullptr);
    return *lane;
}

std::vector<std::string> names_of(const TimelineLanes& lanes) {
    std::vector<std::string> names;
    for (const Lane* lane : lanes.lanes()) {
        names.push_back(lane->name);
    }
    return names;
}

std::vector<const Lane*> pool_lanes(const TimelineLanes& lanes) {
    std::vector<const Lane*> pool;
    std::copy_if(lanes.lanes().begin(), lanes.lanes().end(), std::back_inserter(pool),
                 [](const Lane* lane) { return lane->group == LaneGroup::pool; });
    return pool;
}

template <class Predicate>
bool every_pool_lane(const TimelineLanes& lanes, Predicate predicate) {
    const auto pool = pool_lanes(lanes);
    return std::all_of(pool.begin(), pool.end(), predicate);
}

std::vector<std::string> pool_names(const TimelineLanes& lanes) {
    std::vector<std::string> names;
    for (const Lane* lane : pool_lanes(lanes)) {
        names.push_back(lane->name);
    }
    return names;
}

std::string runner(SessionId id) {
    return "runner #" + std::to_string(id);
}

/// Refreshes at every change of the World until `condition` holds (false on timeout).
template <class Condition>
bool refresh_until(World& world, TimelineLanes& lanes, Condition condition) {
    return wait_until(world.changes(), [&] {
        lanes.refresh(world, Clock::now(), window);
        return condition();
    });
}

bool has_finished_bars(const Lane* lane, std::size_t count) {
    return lane != nullptr && lane->bars.size() == count &&
           std::all_of(lane->bars.begin(), lane->bars.end(),
                       [](const Bar& bar) { return bar.finished.has_value(); });
}

Clock::time_point last_end(const Lane& lane) {
    REQUIRE_FALSE(lane.bars.empty());
    REQUIRE(lane.bars.back().finished);
    return *lane.bars.back().finished;
}

}  // namespace

TEST_CASE("a pool's lanes appear as its threads start on demand, named by index", "[timeline]") {
    // Panel's pool (Python's ThreadPoolExecutor) starts a thread only for an event that finds no
    // idle worker: a pool of 3 has no thread before its first event, and two events running at
    // once give two lanes, not three.
    Watchdog watchdog("timeline pool lanes");
    Gate gate;
    std::latch both_inside(2);
    World world(fast_world(PoolSetting::fixed(3)));
    OpenOnExit open_on_exit{gate};
    TimelineLanes lanes;
    lanes.refresh(world, Clock::now(), window);
    // The server's event loop always exists, threading on or off: it is the only lane before any event.
    CHECK(names_of(lanes) == std::vector<std::string>{"event loop"});
    CHECK(lanes.count(LaneGroup::pool) == 0);

    const auto id = *world.add_session();
    for (int i = 0; i < 2; ++i) {
        REQUIRE(world.click(id, gate.work(&both_inside)));
    }
    REQUIRE(refresh_until(world, lanes, [&] {
        return lanes.count(LaneGroup::pool) == 2 &&
               every_pool_lane(lanes, [](const Lane* lane) { return lane->running(); });
    }));
    CHECK(pool_names(lanes) == std::vector<std::string>{"worker 0", "worker 1"});
    CHECK(names_of(lanes) == std::vector<std::string>{"event loop", "worker 0", "worker 1", runner(id)});
    CHECK(lanes.count(LaneGroup::runners) == 1);
    CHECK(lanes.count(LaneGroup::leaked) == 0);
    CHECK(world.pool().stats().live == 2);
    for (const Lane* lane : pool_lanes(lanes)) {
        CHECK(lane->session == 0);
        CHECK(lane->mark == LaneMark::none);
        REQUIRE(lane->bars.size() == 1);
        CHECK(lane->bars.front().session == id);
        CHECK_FALSE(lane->gone_at);
    }
}

TEST_CASE("with threading off the pool is the event-loop lane and no worker", "[timeline]") {
    Watchdog watchdog("timeline event loop");
    SECTION("from the start") {
        World world(fast_world(PoolSetting::off()));
        TimelineLanes lanes;
        lanes.refresh(world, Clock::now(), window);
        CHECK(names_of(lanes) == std::vector<std::string>{"event loop"});
        CHECK(lanes.count(LaneGroup::loop) == 1);
        CHECK(lanes.count(LaneGroup::pool) == 0);
        CHECK(world.pool().stats().loop_live);
    }
    SECTION("switched off from a pool that never started a thread") {
        World world(fast_world(PoolSetting::fixed(3)));
        TimelineLanes lanes;
        lanes.refresh(world, Clock::now(), window);
        REQUIRE(lanes.count(LaneGroup::pool) == 0);
        world.set_pool(PoolSetting::off());
        CHECK(world.pool().stats().live == 0);  // the loop is no worker
        CHECK(world.pool().stats().loop_live);
        lanes.refresh(world, Clock::now(), window);
        CHECK(names_of(lanes) == std::vector<std::string>{"event loop"});
    }
    SECTION("a plain event runs on the loop's lane") {
        World world(fast_world(PoolSetting::off()));
        TimelineLanes lanes;
        const auto id = *world.add_session();
        REQUIRE(world.click(id, [](WorkContext&) { return std::string("done"); }));
        REQUIRE(refresh_until(world, lanes, [&] {
            const Lane* loop = lanes.lanes().front();
            return loop->bars.size() == 1 && loop->bars.front().finished;
        }));
        const Lane* loop = lanes.lanes().front();
        CHECK(loop->group == LaneGroup::loop);
        CHECK(loop->bars.front().session == id);
        CHECK(loop->bars.front().steps == 0);
        CHECK(lanes.count(LaneGroup::pool) == 0);
    }
}

TEST_CASE("each session is a runner lane, and its started tasks are bars", "[timeline]") {
    Watchdog watchdog("timeline runner lanes");
    Gate gate;
    World world(fast_world(PoolSetting::fixed(1)));
    OpenOnExit open_on_exit{gate};
    const auto a = *world.add_session();
    const auto b = *world.add_session();
    REQUIRE(world.add_task(a, gate.work()) == TaskId{1});
    REQUIRE(world.add_task(a, quick_work()) == TaskId{2});  // queued behind the gated one
    REQUIRE(world.add_task(b, quick_work()) == TaskId{1});

    TimelineLanes lanes;
    REQUIRE(refresh_until(world, lanes, [&] {
        const Lane* lane_a = find_lane(lanes, runner(a));
        return lane_a != nullptr && lane_a->running() && has_finished_bars(find_lane(lanes, runner(b)), 1);
    }));
    // No event yet, so the pool has no thread and no lane.
    CHECK(names_of(lanes) == std::vector<std::string>{"event loop", runner(a), runner(b)});
    CHECK(lanes.count(LaneGroup::runners) == 2);

    const Lane* lane_a = find_lane(lanes, runner(a));
    CHECK(lane_a->group == LaneGroup::runners);
    CHECK(lane_a->session == a);
    CHECK(lane_a->mark == LaneMark::none);
    REQUIRE(lane_a->bars.size() == 1);  // the queued task has no place on the lane yet
    const Bar& running = lane_a->bars.front();
    CHECK(std::string(running.kind) == "task");
    CHECK(running.number == 1);
    CHECK(running.session == a);
    CHECK_FALSE(running.finished);
    CHECK_FALSE(running.outcome);
    CHECK(running.started >= running.queued);

    const Lane* lane_b = find_lane(lanes, runner(b));
    CHECK(lane_b->session == b);
    const Bar& done = lane_b->bars.front();
    CHECK(std::string(done.kind) == "task");
    CHECK(done.number == 1);
    CHECK(done.session == b);
    REQUIRE(done.finished);
    CHECK(*done.finished >= done.started);
    CHECK(done.outcome == Outcome::completed);
    CHECK_FALSE(lane_b->running());

    gate.open();
    REQUIRE(refresh_until(world, lanes, [&] { return has_finished_bars(find_lane(lanes, runner(a)), 2); }));
    lane_a = find_lane(lanes, runner(a));
    CHECK(lane_a->bars[0].number == 1);
    CHECK(lane_a->bars[1].number == 2);
    CHECK(lane_a->bars[0].outcome == Outcome::completed);
    CHECK(lane_a->bars[1].started >= *lane_a->bars[0].finished);
}

TEST_CASE("shrinking the pool marks busy surplus workers retiring, then retired, until they scroll out",
          "[timeline]") {
    Watchdog watchdog("timeline retiring workers");
    Gate gate;
    std::latch all_inside(3);  // three events inside at once: one on each worker
    World world(fast_world(PoolSetting::fixed(3)));
    OpenOnExit open_on_exit{gate};
    const auto id = *world.add_session();
    for (int i = 0; i < 3; ++i) {
        REQUIRE(world.click(id, gate.work(&all_inside)));
    }
    TimelineLanes lanes;
    REQUIRE(refresh_until(world, lanes, [&] {
        return lanes.count(LaneGroup::pool) == 3 &&
               every_pool_lane(lanes, [](const Lane* lane) { return lane->running(); });
    }));
    std::vector<std::uint64_t> ordinals;
    for (const Lane* lane : pool_lanes(lanes)) {
        CHECK(std::string(lane->bars.back().kind) == "click");
        CHECK(lane->bars.back().session == id);
        ordinals.push_back(lane->bars.back().number);
    }
    std::sort(ordinals.begin(), ordinals.end());
    CHECK(ordinals == std::vector<std::uint64_t>{1, 2, 3});

    // Every worker is busy: the two highest lanes retire after their current event.
    world.set_pool(PoolSetting::fixed(1));
    lanes.refresh(world, Clock::now(), window);
    REQUIRE(pool_names(lanes) == std::vector<std::string>{"worker 0", "worker 1", "worker 2"});
    CHECK(lane_named(lanes, "worker 0").mark == LaneMark::none);
    CHECK(lane_named(lanes, "worker 1").mark == LaneMark::retiring);
    CHECK(lane_named(lanes, "worker 2").mark == LaneMark::retiring);
    for (const Lane* lane : pool_lanes(lanes)) {
        CHECK(lane->running());
        CHECK_FALSE(lane->gone_at);
    }

    gate.open();
    REQUIRE(refresh_until(world, lanes, [&] {
        const Lane* worker_1 = find_lane(lanes, "worker 1");
        const Lane* worker_2 = find_lane(lanes, "worker 2");
        return world.pool().stats().live == 1 && lanes.count(LaneGroup::pool) == 3 &&
               every_pool_lane(lanes, [](const Lane* lane) { return has_finished_bars(lane, 1); }) &&
               worker_1 != nullptr && worker_1->gone_at && worker_2 != nullptr && worker_2->gone_at;
    }));
    // The live worker first, the retired ones after it (in the order they left).
    auto names = pool_names(lanes);
    REQUIRE(names.size() == 3);
    CHECK(names.front() == "worker 0");
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{"worker 0", "worker 1", "worker 2"});
    CHECK(lane_named(lanes, "worker 0").mark == LaneMark::none);
    CHECK_FALSE(lane_named(lanes, "worker 0").gone_at);
    CHECK(lane_named(lanes, "worker 1").mark == LaneMark::retired);
    CHECK(lane_named(lanes, "worker 2").mark == LaneMark::retired);
    for (const Lane* lane : pool_lanes(lanes)) {
        CHECK(lane->bars.front().outcome == Outcome::completed);
    }

    const auto end_1 = last_end(lane_named(lanes, "worker 1"));
    const auto end_2 = last_end(lane_named(lanes, "worker 2"));
    // Still in view: now is at most `window` past the bars' ends (the boundary included).
    lanes.refresh(world, Clock::now(), window);
    CHECK(lanes.count(LaneGroup::pool) == 3);
    lanes.refresh(world, std::min(end_1, end_2) + window, window);
    CHECK(lanes.count(LaneGroup::pool) == 3);
    CHECK(lane_named(lanes, "worker 1").bars.size() == 1);
    CHECK(lane_named(lanes, "worker 2").bars.size() == 1);
    // Scrolled out: the retired lanes go, the live one stays although its bar went out of view too.
    lanes.refresh(world, Clock::now() + window + 1s, window);
    CHECK(names_of(lanes) == std::vector<std::string>{"event loop", "worker 0", runner(id)});
    CHECK(lane_named(lanes, "worker 0").bars.size() == 1);
}

TEST_CASE("a retired worker that never ran an event is dropped at once", "[timeline]") {
    // A worker that never ran an event: with one event per session, a session's second click
    // finds no idle worker and starts a thread (as Python's executor would), but it cannot run
    // while the first one does, so the new worker waits without ever running one.
    Watchdog watchdog("timeline idle retirement");
    Gate gate;
    std::latch entered(2);  // the first click and the test
    World world(fast_world(PoolSetting::fixed(2)));
    OpenOnExit open_on_exit{gate};
    world.set_serialize_events_per_session(true);
    const auto id = *world.add_session();
    REQUIRE(world.click(id, gate.work(&entered)));
    entered.arrive_and_wait();
    REQUIRE(world.click(id, quick_work()));
    TimelineLanes lanes;
    REQUIRE(refresh_until(world, lanes, [&] { return lanes.count(LaneGroup::pool) == 2; }));
    REQUIRE(pool_names(lanes) == std::vector<std::string>{"worker 0", "worker 1"});
    CHECK(lane_named(lanes, "worker 1").bars.empty());

    // The idle worker retires first, at once; with no bar, its lane goes at once too.
    world.set_pool(PoolSetting::fixed(1));
    REQUIRE(wait_until(world.changes(), [&] { return world.pool().stats().live == 1; }));
    lanes.refresh(world, Clock::now(), window);
    CHECK(pool_names(lanes) == std::vector<std::string>{"worker 0"});
    CHECK(lane_named(lanes, "worker 0").running());
    gate.open();
    REQUIRE(wait_until(world.changes(), [&] { return world.pool().counts().completed == 2; }));
}

TEST_CASE("a destroyed session's lane is stopping until its runner is joined, then ended", "[timeline]") {
    Watchdog watchdog("timeline destroyed session");
    Gate gate;
    World world(fast_world(PoolSetting::fixed(1)));
    OpenOnExit open_on_exit{gate};
    const auto id = *world.add_session();
    REQUIRE(world.add_task(id, gate.work()));
    TimelineLanes lanes;
    REQUIRE(refresh_until(world, lanes, [&] {
        const Lane* lane = find_lane(lanes, runner(id));
        return lane != nullptr && lane->running();
    }));

    // The task ignores the stop request: the runner cannot be joined until the gate opens.
    // Destroyed the seed's way (the default) the runner is draining; promptly, stopping.
    const bool prompt = GENERATE(false, true);
    world.set_destroy_mode(prompt ? StopMode::prompt : StopMode::drain);
    REQUIRE(world.destroy_session(id));
    lanes.refresh(world, Clock::now(), window);
    const Lane* lane = find_lane(lanes, runner(id));
    REQUIRE(lane != nullptr);
    CHECK(lane->mark == (prompt ? LaneMark::stopping : LaneMark::draining));
    CHECK(lane->group == LaneGroup::runners);
    CHECK_FALSE(lane->gone_at);
    CHECK(lanes.count(LaneGroup::leaked) == 0);

    gate.open();
    REQUIRE(wait_until(world.changes(), [&] { return world.stopping_sessions().empty(); }));
    REQUIRE(refresh_until(world, lanes, [&] { return has_finished_bars(find_lane(lanes, runner(id)), 1); }));
    lane = find_lane(lanes, runner(id));
    CHECK(lane->mark == LaneMark::ended);
    CHECK(lane->group == LaneGroup::runners);
    CHECK(lane->gone_at);

    const auto end = last_end(*lane);
    lanes.refresh(world, end + window, window);
    CHECK(find_lane(lanes, runner(id)) != nullptr);
    lanes.refresh(world, Clock::now() + window + 1s, window);
    CHECK(find_lane(lanes, runner(id)) == nullptr);
    CHECK(lanes.count(LaneGroup::runners) == 0);
}

TEST_CASE("a session destroyed while forgetting to stop it is a leaked lane until it is stopped",
          "[timeline]") {
    Watchdog watchdog("timeline leaked session");
    Gate gate;
    World world(fast_world(PoolSetting::fixed(1)));
    OpenOnExit open_on_exit{gate};
    const auto leaky = *world.add_session();
    const auto kept = *world.add_session();
    REQUIRE(world.add_task(leaky, gate.work()));
    TimelineLanes lanes;
    REQUIRE(refresh_until(world, lanes, [&] {
        const Lane* lane = find_lane(lanes, runner(leaky));
        return lane != nullptr && lane->running();
    }));

    world.set_forget_on_session_destroyed(true);
    REQUIRE(world.destroy_session(leaky));
    REQUIRE(world.leaked_sessions() == 1);
    lanes.refresh(world, Clock::now(), window);
    const Lane* lane = find_lane(lanes, runner(leaky));
    REQUIRE(lane != nullptr);
    CHECK(lane->mark == LaneMark::leaked);
    CHECK(lane->group == LaneGroup::leaked);
    CHECK_FALSE(lane->gone_at);
    CHECK(lane->running());  // its thread lives on
    CHECK(lanes.count(LaneGroup::leaked) == 1);
    CHECK(lanes.count(LaneGroup::runners) == 1);
    // Leaked lanes come after the runners, whatever their ids.
    // No event ran, so the pool has no thread and no lane (the event loop's lane is always there).
    CHECK(names_of(lanes) == std::vector<std::string>{"event loop", runner(kept), runner(leaky)});

    // Stopped, but its task ignores the stop: stopping until the gate opens.
    REQUIRE(world.stop_leaked_sessions() == 1);
    lanes.refresh(world, Clock::now(), window);
    lane = find_lane(lanes, runner(leaky));
    REQUIRE(lane != nullptr);
    CHECK(lane->mark == LaneMark::stopping);
    CHECK(lane->group == LaneGroup::runners);
    CHECK(lanes.count(LaneGroup::leaked) == 0);

    gate.open();
    REQUIRE(wait_until(world.changes(), [&] { return world.stopping_sessions().empty(); }));
    REQUIRE(
        refresh_until(world, lanes, [&] { return has_finished_bars(find_lane(lanes, runner(leaky)), 1); }));
    lane = find_lane(lanes, runner(leaky));
    CHECK(lane->mark == LaneMark::ended);
    CHECK(lane->group == LaneGroup::runners);
    CHECK(lane->gone_at);
    CHECK(names_of(lanes) == std::vector<std::string>{"event loop", runner(leaky), runner(kept)});
}

TEST_CASE("since hides a gone lane whose bars all ended before it, and no live lane", "[timeline]") {
    Watchdog watchdog("timeline since");
    std::latch both_inside(2);  // one event on each worker
    World world(fast_world(PoolSetting::fixed(2)));
    const auto gone = *world.add_session();
    const auto live = *world.add_session();
    for (int i = 0; i < 2; ++i) {
        REQUIRE(world.click(live, [&](WorkContext&) {
            both_inside.arrive_and_wait();
            return std::string();
        }));
    }
    REQUIRE(world.add_task(gone, quick_work()));
    REQUIRE(world.add_task(live, quick_work()));
    TimelineLanes lanes;
    REQUIRE(refresh_until(world, lanes, [&] {
        return has_finished_bars(find_lane(lanes, "worker 0"), 1) &&
               has_finished_bars(find_lane(lanes, "worker 1"), 1) &&
               has_finished_bars(find_lane(lanes, runner(gone)), 1) &&
               has_finished_bars(find_lane(lanes, runner(live)), 1);
    }));

    // Both idle: worker 1 retires at once, with its bar. The session `gone` ends, with its bar.
    world.set_pool(PoolSetting::fixed(1));
    REQUIRE(world.destroy_session(gone));
    REQUIRE(wait_until(world.changes(),
                       [&] { return world.pool().stats().live == 1 && world.stopping_sessions().empty(); }));
    lanes.refresh(world, Clock::now(), window);
    const Lane* worker = find_lane(lanes, "worker 1");
    const Lane* ended = find_lane(lanes, runner(gone));
    REQUIRE(worker != nullptr);
    REQUIRE(ended != nullptr);
    REQUIRE(worker->mark == LaneMark::retired);
    REQUIRE(ended->mark == LaneMark::ended);
    const auto worker_end = last_end(*worker);
    const auto ended_end = last_end(*ended);
    const auto latest = std::max(worker_end, ended_end);

    // A `since` no later than a bar's end keeps its lane.
    lanes.refresh(world, Clock::now(), window, std::min(worker_end, ended_end));
    CHECK(names_of(lanes) == std::vector<std::string>{"event loop", "worker 0", "worker 1", runner(gone), runner(live)});

    // After every bar of theirs: both gone lanes are dropped, well inside the window; live lanes stay.
    lanes.refresh(world, Clock::now(), window, latest + Clock::duration(1));
    CHECK(names_of(lanes) == std::vector<std::string>{"event loop", "worker 0", runner(live)});
}

TEST_CASE("lanes are ordered event loop, pool, then runners by session id, then leaked runners", "[timeline]") {
    Watchdog watchdog("timeline order");
    Gate gate;
    World world(fast_world(PoolSetting::fixed(2)));
    OpenOnExit open_on_exit{gate};
    std::vector<SessionId> ids;
    for (int i = 0; i < 4; ++i) {
        ids.push_back(*world.add_session());
    }
    REQUIRE(std::is_sorted(ids.begin(), ids.end()));
    // Two events at once start both of the pool's threads (they start on demand).
    std::latch both_inside(2);
    for (int i = 0; i < 2; ++i) {
        REQUIRE(world.click(ids[3], [&](WorkContext&) {
            both_inside.arrive_and_wait();
            return std::string();
        }));
    }
    REQUIRE(wait_until(world.changes(), [&] {
        return world.pool().counts().completed == 2 && world.pool().stats().live == 2;
    }));
    TimelineLanes lanes;
    lanes.refresh(world, Clock::now(), window);
    CHECK(names_of(lanes) == std::vector<std::string>{"event loop", "worker 0", "worker 1", runner(ids[0]), runner(ids[1]),
                                                      runner(ids[2]), runner(ids[3])});

    // ids[0] stopping (still in its place among the runners), ids[1] and ids[2] leaked, in the
    // order of their ids; a new session ids[4] after ids[3].
    REQUIRE(world.add_task(ids[0], gate.work()));
    REQUIRE(refresh_until(world, lanes, [&] {
        const Lane* lane = find_lane(lanes, runner(ids[0]));
        return lane != nullptr && lane->running();
    }));
    REQUIRE(world.destroy_session(ids[0]));
    world.set_forget_on_session_destroyed(true);
    REQUIRE(world.destroy_session(ids[2]));
    REQUIRE(world.destroy_session(ids[1]));
    ids.push_back(*world.add_session());
    lanes.refresh(world, Clock::now(), window);
    CHECK(names_of(lanes) == std::vector<std::string>{"event loop", "worker 0", "worker 1", runner(ids[0]), runner(ids[3]),
                                                      runner(ids[4]), runner(ids[1]), runner(ids[2])});
    std::vector<LaneGroup> groups;
    for (const Lane* lane : lanes.lanes()) {
        groups.push_back(lane->group);
    }
    CHECK(groups == std::vector<LaneGroup>{LaneGroup::loop, LaneGroup::pool, LaneGroup::pool, LaneGroup::runners,
                                           LaneGroup::runners, LaneGroup::runners, LaneGroup::leaked,
                                           LaneGroup::leaked});
    CHECK(lane_named(lanes, runner(ids[0])).mark == LaneMark::draining);  // destroyed the seed's way
}

TEST_CASE("a new session that reuses an ended lane's id gets a live lane of its own", "[timeline]") {
    // A lesson restarts session numbering: the new session #1 must not inherit the old #1's
    // ended mark (it would vanish from the timeline with the old lane).
    Watchdog watchdog("timeline reused id");
    World world(fast_world(PoolSetting::fixed(1)));
    const auto old_id = *world.add_session();
    REQUIRE(world.add_task(old_id, quick_work()));
    TimelineLanes lanes;
    REQUIRE(refresh_until(world, lanes, [&] { return has_finished_bars(find_lane(lanes, runner(old_id)), 1); }));
    REQUIRE(world.destroy_session(old_id));
    REQUIRE(wait_until(world.changes(), [&] { return world.stopping_sessions().empty(); }));
    REQUIRE(refresh_until(world, lanes, [&] { return lane_named(lanes, runner(old_id)).mark == LaneMark::ended; }));

    REQUIRE(world.restart_session_numbering());
    const auto new_id = *world.add_session();
    REQUIRE(new_id == old_id);
    lanes.refresh(world, Clock::now(), window);
    const Lane& lane = lane_named(lanes, runner(new_id));
    CHECK(lane.mark == LaneMark::none);
    CHECK_FALSE(lane.gone_at);
    CHECK(lane.bars.empty());  // the old session's task is not the new one's
    REQUIRE(world.add_task(new_id, quick_work()));
    REQUIRE(refresh_until(world, lanes, [&] { return has_finished_bars(find_lane(lanes, runner(new_id)), 1); }));
}

TEST_CASE("folded, the runners are sampled for how many are busy and their bars are not copied", "[timeline]") {
    Watchdog watchdog("timeline folded runners");
    Gate gate;
    World world(fast_world(PoolSetting::fixed(1)));
    OpenOnExit open_on_exit{gate};
    const auto a = *world.add_session();
    const auto b = *world.add_session();
    const auto c = *world.add_session();
    std::latch entered(3);  // a and b inside their gated task, and the test
    REQUIRE(world.add_task(a, gate.work(&entered)));
    REQUIRE(world.add_task(b, gate.work(&entered)));
    entered.arrive_and_wait();

    TimelineLanes lanes;
    constexpr bool folded = false;
    REQUIRE(wait_until(world.changes(), [&] {
        lanes.refresh(world, Clock::now(), window, {}, folded);
        return !lanes.runner_busy().empty() && lanes.runner_busy().back().busy == 2;
    }));
    // Three runner lanes, none with a bar: nothing was copied while folded.
    CHECK(lanes.count(LaneGroup::runners) == 3);
    for (const SessionId id : {a, b, c}) {
        CHECK(lane_named(lanes, runner(id)).bars.empty());
    }

    gate.open();
    REQUIRE(wait_until(world.changes(), [&] {
        return world.session(a)->task_counts().completed == 1 && world.session(b)->task_counts().completed == 1;
    }));
    lanes.refresh(world, Clock::now(), window, {}, folded);
    CHECK(lanes.runner_busy().back().busy == 0);
    CHECK(lane_named(lanes, runner(a)).bars.empty());

    // Unfolded again, the lanes catch up with everything that ran meanwhile.
    lanes.refresh(world, Clock::now(), window);
    CHECK(has_finished_bars(&lane_named(lanes, runner(a)), 1));
    CHECK(has_finished_bars(&lane_named(lanes, runner(b)), 1));
}

TEST_CASE("busy samples cover the window and no more", "[timeline]") {
    World world(fast_world(PoolSetting::fixed(1)));
    REQUIRE(world.add_session());
    TimelineLanes lanes;
    const auto start = Clock::now();
    for (int second = 0; second <= 10; ++second) {
        lanes.refresh(world, start + std::chrono::seconds(second), 3s, {}, false);
    }
    // The newest sample older than the window is kept: it says what the view's left edge shows.
    const auto& samples = lanes.runner_busy();
    REQUIRE(samples.size() == 5);
    CHECK(samples.front().at == start + 6s);
    CHECK(samples.back().at == start + 10s);
}
