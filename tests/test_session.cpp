#include <catch2/catch.hpp>

#include <algorithm>
#include <deque>
#include <latch>
#include <memory>
#include <mutex>
#include <numeric>
#include <vector>

#include "core/reaper.hpp"
#include "core/session.hpp"
#include "support/pool_rig.hpp"
#include "support/wait.hpp"
#include "support/watchdog.hpp"

using namespace threadlab;
using namespace threadlab::testing;

namespace {
SessionState state_of(const Session& session) { return session.state().copy(); }
}  // namespace

TEST_CASE("a runner runs its tasks one at a time, in order", "[runner]") {
    Watchdog watchdog("runner order");
    EngineParts parts;
    Session session(1, parts.context());
    std::latch gate(1);
    session.add_task([&](WorkContext&) {
        gate.wait();
        return std::string("gate");
    });
    std::mutex order_mutex;
    std::vector<int> order;
    std::atomic<int> concurrent{0};
    std::atomic<int> most{0};
    for (int i = 0; i < 20; ++i) {
        session.add_task([&, i](WorkContext&) {
            const int now = concurrent.fetch_add(1) + 1;
            most.store(std::max(most.load(), now));
            {
                std::lock_guard lock(order_mutex);
                order.push_back(i);
            }
            concurrent.fetch_sub(1);
            return std::to_string(i);
        });
    }
    REQUIRE(wait_until(parts.changes, [&] { return session.task_counts().running == 1; }));
    CHECK(session.task_counts().queued == 20);
    gate.count_down();
    REQUIRE(wait_until(parts.changes, [&] { return session.task_counts().idle(); }));
    std::vector<int> expected(20);
    std::iota(expected.begin(), expected.end(), 0);
    {
        std::lock_guard lock(order_mutex);
        CHECK(order == expected);
    }
    CHECK(most.load() == 1);
    REQUIRE(wait_until(parts.changes, [&] { return state_of(session).status == SessionState::idle_status; }));
    const auto state = state_of(session);
    CHECK(state.value == "task 21: 19");
    CHECK_FALSE(state.value_is_error);
    CHECK(session.task_counts().completed == 21);
}

TEST_CASE("the runner publishes the seed's status text", "[runner]") {
    Watchdog watchdog("runner status");
    EngineParts parts;
    Session session(1, parts.context());
    CHECK(state_of(session).status == "The queue is empty");
    std::latch first_gate(1);
    std::latch second_gate(1);
    session.add_task([&](WorkContext&) {
        first_gate.wait();
        return std::string("first");
    });
    REQUIRE(wait_until(parts.changes, [&] { return state_of(session).status == "Processing: 1 items left."; }));
    session.add_task([&](WorkContext&) {
        second_gate.wait();
        return std::string("second");
    });
    session.add_task([](WorkContext&) { return std::string("third"); });
    session.add_task([](WorkContext&) { return std::string("fourth"); });
    first_gate.count_down();
    // The seed counts the task it is about to run among the items left.
    REQUIRE(wait_until(parts.changes, [&] { return state_of(session).status == "Processing: 3 items left."; }));
    CHECK(state_of(session).value == "task 1: first");
    CHECK(session.task_counts().queued == 2);
    second_gate.count_down();
    REQUIRE(wait_until(parts.changes, [&] { return state_of(session).status == "The queue is empty"; }));
    CHECK(state_of(session).value == "task 4: fourth");
}

TEST_CASE("a throwing task becomes the value and the runner goes on", "[runner]") {
    Watchdog watchdog("runner exception");
    EngineParts parts;
    Session session(1, parts.context());
    session.add_task(WorkSpec{WorkKind::sleep, 0.01, true});
    REQUIRE(wait_until(parts.changes, [&] { return session.task_counts().failed == 1; }));
    REQUIRE(wait_until(parts.changes, [&] { return !state_of(session).value.empty(); }));
    auto state = state_of(session);
    CHECK(state.value_is_error);
    CHECK(state.value == "task 1: simulated failure after 0.01 s");

    session.add_task(WorkSpec{WorkKind::compute, 0.01, false});
    REQUIRE(wait_until(parts.changes, [&] { return session.task_counts().completed == 1; }));
    REQUIRE(wait_until(parts.changes, [&] { return !state_of(session).value_is_error; }));
    state = state_of(session);
    CHECK(state.value.find("task 2: ") == 0);
    CHECK(state.history.size() == 2);
    CHECK(state.history.front().state == TaskState::failed);
    CHECK(state.history.back().state == TaskState::completed);
}

TEST_CASE("the seed's runner as written dies on its first failing task, its queue stranded", "[runner]") {
    // The seed (manual threading, SessionTaskRunner._task_runner) catches a task's exception with
    // `except Exception as ex: self.value = ex`, outside `param.edit_constant`, while `value` is
    // declared `constant=True`. param refuses that assignment with TypeError("Constant parameter
    // '%s' cannot be modified") (param/parameterized.py:2007-2008, holoviz/param@73affe6);
    // nothing catches it, so the thread ends: status still "Processing", value unchanged, the
    // queue never drained. (Panel's doc page has the same code: doc/how_to/concurrency/
    // manual_threading.md:63-64, holoviz/panel@45cb9c1.)
    Watchdog watchdog("seed runner death");
    EngineParts parts;
    const auto threads_before = live_thread_count();
    Session session(1, parts.context());
    session.set_seed_runner(true);
    std::latch release(1);
    // Task 1 completes; task 2 waits for the test, then fails; tasks 3 and 4 are queued behind it.
    session.add_task(WorkSpec{WorkKind::sleep, 0.01, false});
    const auto failing = session.add_task([&](WorkContext&) -> std::string {
        release.wait();
        throw std::runtime_error("boom");
    });
    REQUIRE(failing);
    session.add_task(WorkSpec{WorkKind::sleep, 0.01, false});
    session.add_task(WorkSpec{WorkKind::sleep, 0.01, false});
    // Waits for task 2's state, not its count: the runner counts a task started, then publishes
    // its status, so the counts alone can be read before "Processing: 3 items left." is there.
    REQUIRE(wait_until(parts.changes, [&] { return state_of(session).running_task == *failing; }));
    REQUIRE(session.task_counts().running == 1);
    REQUIRE(session.task_counts().completed == 1);
    const auto before = state_of(session);
    release.count_down();

    REQUIRE(wait_until(parts.changes, [&] { return session.runner_died(); }));
    CHECK(settled_thread_count(threads_before) == threads_before);  // the runner thread is gone
    const auto counts = session.task_counts();
    CHECK(counts.completed == 1);
    CHECK(counts.failed == 1);
    CHECK(counts.queued == 2);  // stranded: nobody will ever run them
    CHECK(counts.balanced());
    const auto state = state_of(session);
    CHECK(state.runner_died);
    CHECK(state.status == before.status);  // "Processing: 3 items left." for ever
    CHECK(state.status.find("Processing") == 0);
    CHECK(state.value == before.value);  // the failed task's error never reached `value`
    CHECK_FALSE(state.value_is_error);

    // A task added now is queued like any other, and never runs either.
    REQUIRE(session.add_task(WorkSpec{WorkKind::sleep, 0.01, false}));
    CHECK(session.task_counts().queued == 3);
    // Destroying the session cancels what is stranded: nothing is lost from the accounting.
    session.request_stop();
    CHECK(session.task_counts().cancelled == 3);
    CHECK(session.task_counts().balanced());
}

TEST_CASE("stopping a busy session returns at once, cancels and counts, and joins", "[runner]") {
    Watchdog watchdog("runner destroy");
    EngineParts parts;
    const auto threads_before = live_thread_count();
    auto session = std::make_shared<Session>(1, parts.context());
    CHECK(live_thread_count() == threads_before + 1);
    // A task of 100 000 simulated seconds: only the stop can end it within the watchdog's minute.
    session->add_task(WorkSpec{WorkKind::sleep, 1e5, false});
    for (int i = 0; i < 5; ++i) {
        session->add_task(WorkSpec{WorkKind::sleep, 1.0, false});
    }
    REQUIRE(wait_until(parts.changes, [&] { return session->task_counts().running == 1; }));

    session->request_stop();  // returns without waiting: the task is still asleep here
    CHECK(session->stopping());
    CHECK_FALSE(session->add_task(WorkSpec{}).has_value());
    auto counts = session->task_counts();
    // The five queued ones at once; the running one too if its interrupted sleep has already
    // counted itself (the runner thread does that, and may be that quick).
    CHECK(counts.cancelled >= 5);
    CHECK(counts.cancelled <= 6);
    CHECK(counts.balanced());

    {
        Reaper reaper;  // joins off this thread, as the World does
        reaper.adopt(session->release_thread(), session);
        reaper.drain();
    }
    counts = session->task_counts();
    CHECK(counts.cancelled == 6);
    CHECK(counts.idle());
    CHECK(counts.balanced());
    CHECK(state_of(*session).status == "Finished Task Runner");
    CHECK(settled_thread_count(threads_before) == threads_before);
}

TEST_CASE("a queued or running task can be cancelled on its own", "[runner]") {
    Watchdog watchdog("runner cancel");
    EngineParts parts;
    Session session(1, parts.context());
    const auto running = session.add_task(WorkSpec{WorkKind::sleep, 1e5, false});
    const auto queued = session.add_task(WorkSpec{WorkKind::sleep, 1e5, false});
    const auto after = session.add_task(WorkSpec{WorkKind::sleep, 0.01, false});
    REQUIRE(wait_until(parts.changes, [&] { return session.task_counts().running == 1; }));
    CHECK(session.cancel_task(*queued));
    CHECK(session.cancel_task(*running));
    REQUIRE(wait_until(parts.changes, [&] { return session.task_counts().idle(); }));
    const auto counts = session.task_counts();
    CHECK(counts.cancelled == 2);
    CHECK(counts.completed == 1);
    CHECK_FALSE(session.cancel_task(*after));
    REQUIRE(wait_until(parts.changes, [&] { return state_of(session).history.back().state == TaskState::completed; }));
    const auto state = state_of(session);
    CHECK(state.history[0].state == TaskState::cancelled);
    CHECK(state.history[1].state == TaskState::cancelled);
    CHECK(state.value.find("task 3: ") == 0);
}

TEST_CASE("a running task publishes its progress", "[runner]") {
    Watchdog watchdog("runner progress");
    EngineParts parts;
    Session session(1, parts.context());
    CHECK(session.progress(Clock::now()) == 0.0);
    std::latch started(1);
    std::latch finish(1);
    session.add_task([&](WorkContext& context) {
        context.progress.begin(WorkKind::compute, std::chrono::seconds(10), Clock::now());
        context.progress.advance(std::chrono::seconds(5));
        started.count_down();
        finish.wait();
        return std::string();
    });
    started.wait();
    CHECK(session.progress(Clock::now()) == Approx(0.5));
    finish.count_down();
    // The task is counted finished a moment before the runner clears its running flag.
    REQUIRE(wait_until(parts.changes, [&] {
        return session.task_counts().idle() && session.progress(Clock::now()) == 0.0;
    }));
}

TEST_CASE("1000 sessions created and destroyed leave no thread behind", "[runner]") {
    Watchdog watchdog("runner create/destroy cycles", std::chrono::seconds(120));
    EngineParts parts;
    const auto threads_before = live_thread_count();
    {
        Reaper reaper;
        for (SessionId id = 1; id <= 1000; ++id) {
            auto session = std::make_shared<Session>(id, parts.context());
            if (id % 2 == 0) {
                session->add_task(WorkSpec{WorkKind::sleep, 1e5, false});
            }
            session->request_stop();
            reaper.adopt(session->release_thread(), session);
        }
        reaper.drain();
        CHECK(reaper.pending() == 0);
    }
    CHECK(settled_thread_count(threads_before) == threads_before);
}

namespace {
bool runs_in_order(const std::deque<WakeupRun>& runs) {
    return std::adjacent_find(runs.begin(), runs.end(), [](const WakeupRun& earlier, const WakeupRun& later) {
               return later.first < earlier.last;
           }) == runs.end() &&
           std::all_of(runs.begin(), runs.end(), [](const WakeupRun& run) { return run.first <= run.last; });
}

std::uint64_t wakeups_in(const std::deque<WakeupRun>& runs) {
    std::uint64_t total = 0;
    for (const auto& run : runs) {
        total += run.count;
    }
    return total;
}
}  // namespace

TEST_CASE("a runner on its condition variable records each wake-up as a run of its own", "[session]") {
    Watchdog watchdog("session wake-ups, condition variable");
    EngineParts parts;
    Session session(1, parts.context());
    constexpr std::uint64_t tasks = 5;
    for (std::uint64_t i = 1; i <= tasks; ++i) {
        // One at a time, so that the runner is idle (or on its way to the wait) when each arrives.
        REQUIRE(session.add_task([](WorkContext&) { return std::string("done"); }).has_value());
        REQUIRE(wait_until(parts.changes, [&] { return session.task_counts().completed == i; }));
        CHECK(session.wakeups() == i);
    }
    const auto state = state_of(session);
    REQUIRE(state.wakeups.size() == tasks);
    REQUIRE(state.history.size() == tasks);
    CHECK(runs_in_order(state.wakeups));
    // Each wake-up is the one for its task: after the task was queued, before it started.
    for (std::size_t i = 0; i < tasks; ++i) {
        const auto& record = state.history[i];
        const auto& run = state.wakeups[i];
        REQUIRE(record.started_at.has_value());
        CHECK(run.count == 1);
        CHECK_FALSE(run.polling);
        CHECK(run.first == run.last);
        CHECK(record.queued_at <= run.first);
        CHECK(run.first <= *record.started_at);
    }
}

TEST_CASE("the newest wakeup_limit runs are kept", "[session]") {
    Watchdog watchdog("session wake-ups, limit", std::chrono::seconds(120));
    EngineParts parts;
    Session session(1, parts.context());
    std::uint64_t completed = 0;
    const auto run_one_task = [&] {
        REQUIRE(session.add_task([](WorkContext&) { return std::string("done"); }).has_value());
        ++completed;
        REQUIRE(wait_until(parts.changes, [&] { return session.task_counts().completed == completed; }));
    };
    while (session.wakeups() < SessionState::wakeup_limit) {
        run_one_task();
    }
    auto state = state_of(session);
    REQUIRE(state.wakeups.size() == SessionState::wakeup_limit);
    const auto oldest = state.wakeups.front().first;
    const auto now = Clock::now();
    run_one_task();
    state = state_of(session);
    CHECK(state.wakeups.size() == SessionState::wakeup_limit);
    CHECK(state.wakeups.back().first >= now);
    CHECK(state.wakeups.front().first > oldest);
    CHECK(runs_in_order(state.wakeups));
}

TEST_CASE("a polling runner's wake-ups an interval apart are one run, however many", "[session]") {
    Watchdog watchdog("session wake-ups, polling", std::chrono::seconds(120));
    EngineParts parts;  // time scale 0.01: 0.1 simulated seconds poll every real millisecond
    constexpr double interval = 0.1;
    const auto real_interval = parts.time.to_real(interval);
    Session session(1, parts.context());
    session.set_polling(interval);
    // A poll does not notify the ChangeSignal (that would cost a thousand notifies a second), so
    // each round queues a task: the poll that finds it runs it, and its completion ends the wait.
    // The runner goes back to its queue under the lock it finished under, so it always finds it
    // empty and sleeps: every round costs at least one wake-up, and the loop ends.
    std::uint64_t completed = 0;
    while (session.wakeups() <= 3 * SessionState::wakeup_limit) {
        REQUIRE(session.add_task([](WorkContext&) { return std::string("done"); }).has_value());
        ++completed;
        REQUIRE(wait_until(parts.changes, [&] { return session.task_counts().completed == completed; }));
    }
    // The runner goes on polling meanwhile, and it publishes a wake-up before it counts it: the
    // copy holds at least the count read before it, and at most one more than the count after.
    const auto counted_before = session.wakeups();
    const auto state = state_of(session);
    const auto counted_after = session.wakeups();
    // More polls than the limit, all kept: runs, not one entry per poll.
    CHECK(state.wakeups.size() < SessionState::wakeup_limit);
    CHECK(wakeups_in(state.wakeups) >= counted_before);
    CHECK(wakeups_in(state.wakeups) <= counted_after + 1);
    CHECK(runs_in_order(state.wakeups));
    // A poll follows a sleep of the interval: a run of n polls spans at least n - 1 intervals.
    // (The first wake-up may be the condition variable's, when polling was switched on.)
    for (const auto& run : state.wakeups) {
        if (run.polling) {
            CHECK(run.last - run.first >= real_interval * static_cast<Clock::rep>(run.count - 1));
        }
    }
    CHECK(std::count_if(state.wakeups.begin(), state.wakeups.end(), [](const WakeupRun& run) { return !run.polling; }) <= 1);
}

TEST_CASE("a runner's CPU time outlives its thread and is never read from another thread's clock", "[runner]") {
    // The CPU clock names the thread by its id, which the kernel reuses once the thread has ended:
    // the runner records its total on its way out and forgets the clock.
    Watchdog watchdog("runner cpu time");
    EngineParts parts;
    Session session(1, parts.context());
    REQUIRE(wait_until(parts.changes, [&] { return session.runner_thread_live(); }));
    REQUIRE(session.runner_cpu_time());
    session.request_stop(StopMode::drain);
    session.release_thread().join();
    CHECK_FALSE(session.runner_thread_live());
    const auto total = session.runner_cpu_time();
    REQUIRE(total);  // the total the runner recorded as it ended
    CHECK(total->count() > 0);
    CHECK(session.runner_cpu_time() == total);  // fixed from then on
}
