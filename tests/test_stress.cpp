// Randomised sequences of everything a user can do, over several seeds. After every step the
// accounting must balance for the pool and for each session; at the end, once everything is
// quiet, nothing may be left queued or running and no thread may be left over.

#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "core/world.hpp"
#include "support/wait.hpp"
#include "support/watchdog.hpp"

using namespace threadlab;
using namespace threadlab::testing;

namespace {

PoolSetting random_setting(std::mt19937& rng) {
    switch (std::uniform_int_distribution(0, 5)(rng)) {
        case 0: return PoolSetting::off();
        case 1: return PoolSetting::automatic();
        default: return PoolSetting::fixed(std::uniform_int_distribution(1u, 8u)(rng));
    }
}

WorkSpec random_work(std::mt19937& rng) {
    WorkSpec spec;
    spec.kind = std::bernoulli_distribution(0.7)(rng) ? WorkKind::sleep : WorkKind::compute;
    spec.seconds = std::uniform_real_distribution(0.0, 1.0)(rng);
    spec.fails = std::bernoulli_distribution(0.15)(rng);
    return spec;
}

void check_balanced(const World& world) {
    REQUIRE(world.pool().counts().balanced());
    for (const auto& session : world.sessions()) {
        REQUIRE(session->task_counts().balanced());
        REQUIRE(session->event_counts().balanced());
    }
}

}  // namespace

TEST_CASE("random operations never lose a task or an event", "[stress]") {
    const auto seed = GENERATE(1u, 2u, 3u, 4u, 5u);
    Watchdog watchdog("stress seed " + std::to_string(seed), std::chrono::seconds(180));
    const auto threads_before = live_thread_count();
    std::mt19937 rng(seed);
    std::vector<std::shared_ptr<const Session>> destroyed;
    std::uint64_t events_submitted = 0;
    {
        WorldConfig config;
        config.pool = random_setting(rng);
        config.time_scale = 0.002;
        World world(config);
        std::vector<SessionId> live;
        std::vector<std::pair<SessionId, TaskId>> tasks;
        std::vector<EventId> events;

        for (int step = 0; step < 400; ++step) {
            const auto pick_session = [&]() -> SessionId {
                return live.empty() ? 0 : live[std::uniform_int_distribution<std::size_t>(0, live.size() - 1)(rng)];
            };
            switch (std::uniform_int_distribution(0, 11)(rng)) {
                case 0:
                case 1: live.push_back(*world.add_session()); break;
                case 2: {
                    if (const auto id = pick_session()) {
                        for (const auto& session : world.sessions()) {
                            if (session->id() == id) {
                                destroyed.push_back(session);
                            }
                        }
                        REQUIRE(world.destroy_session(id));
                        std::erase(live, id);
                    }
                    break;
                }
                case 3:
                case 4:
                    if (const auto id = pick_session()) {
                        if (const auto task = world.add_task(id, random_work(rng))) {
                            tasks.emplace_back(id, *task);
                        }
                    }
                    break;
                case 5:
                case 6:
                    if (const auto id = pick_session()) {
                        if (const auto event = world.click(id, random_work(rng))) {
                            events.push_back(*event);
                            ++events_submitted;
                        }
                    }
                    break;
                case 7:
                    if (!tasks.empty()) {
                        const auto [session, task] =
                            tasks[std::uniform_int_distribution<std::size_t>(0, tasks.size() - 1)(rng)];
                        world.cancel_task(session, task);
                    }
                    break;
                case 8:
                    if (!events.empty()) {
                        world.cancel_event(events[std::uniform_int_distribution<std::size_t>(0, events.size() - 1)(rng)]);
                    }
                    break;
                case 9: world.set_pool(random_setting(rng)); break;
                case 10:
                    if (const auto id = pick_session()) {
                        world.start_periodic(id, {0.05, std::uniform_int_distribution(1u, 4u)(rng), std::nullopt},
                                             random_work(rng));
                    }
                    break;
                case 11:
                    world.set_gil(std::bernoulli_distribution(0.5)(rng));
                    world.set_serialize_events_per_session(std::bernoulli_distribution(0.3)(rng));
                    break;
            }
            check_balanced(world);
        }

        // Let everything drain: periodic callbacks have counts, so the world becomes quiet.
        REQUIRE(wait_until(world.changes(), [&] {
            return world.periodic_callbacks().empty() && world.pool().counts().idle() &&
                   world.stopping_sessions().empty();
        }, std::chrono::seconds(120)));
        REQUIRE(wait_until(world.changes(), [&] {
            for (const auto& session : world.sessions()) {
                if (!session->task_counts().idle()) {
                    return false;
                }
            }
            return true;
        }, std::chrono::seconds(120)));
        check_balanced(world);
        // A worker retired by the last resize leaves after its event is counted: wait for it.
        // Threads start on demand, so fewer than the size may exist, never more once the
        // retiring ones left; threading off, no worker: the event loop, which always exists, runs them.
        CHECK(wait_until(world.changes(), [&] {
            const auto stats = world.pool().stats();
            return stats.retiring == 0 && stats.live <= stats.target &&
                   (stats.setting.threaded || stats.live == 0) && stats.loop_live &&
                   world.pool().lanes().size() == stats.live;
        }));
        const auto pool = world.pool().stats();
        CHECK(pool.events.submitted >= events_submitted);
    }
    for (const auto& session : destroyed) {
        CHECK(session->task_counts().balanced());
        CHECK(session->task_counts().idle());
        CHECK(session->event_counts().balanced());
        CHECK(session->event_counts().idle());
    }
    CHECK(settled_thread_count(threads_before) == threads_before);
}
