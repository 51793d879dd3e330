// The user's own process pool (process_pool.hpp), as CPython 3.11's ProcessPoolExecutor behaves
// (/root/.pyenv/versions/3.11.7/lib/python3.11/concurrent/futures/process.py):
//  - submit() (l.788-809) calls _adjust_process_count() (l.754-767) when the start method is not
//    fork: "if there's an idle process, we don't need to spawn a new one" (the idle semaphore,
//    released once per result that came back, l.360-366), else a new process while fewer than
//    max_workers exist. With fork, _start_executor_manager_thread() launches all max_workers at
//    the first submit (l.744-775).
//  - Each process runs _process_worker (l.225-267): its own interpreter, one call at a time.
// Panel has no process pool for callbacks (panel/io/state.py:817-854 `execute` never uses one;
// `--num-procs` forks whole servers, bokeh src/bokeh/server/server.py:446-453, bokeh/bokeh@8fbd227):
// this is what a Panel user builds for CPU-bound Python.
// Tests synchronise on the engine's change signal and stop sources; no test sleeps.

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include "core/process_pool.hpp"
#include "core/scenario.hpp"
#include "core/world.hpp"
#include "support/wait.hpp"
#include "support/watchdog.hpp"
#include "support/world_config.hpp"
#include "core/platform/stop.hpp"

using namespace threadlab;
using namespace threadlab::testing;

namespace {

struct Rig {
    explicit Rig(ProcessPoolSetting setting, double scale = 1.0) : time(scale), pool(setting, time, changes, trace, log) {}
    TimeScale time;
    ChangeSignal changes;
    Trace trace;
    EventLog log;
    ProcessPool pool;

    std::vector<SpanRecord> spans(SpanKind kind) const {
        auto all = trace.spans();
        std::erase_if(all, [&](const SpanRecord& span) { return span.kind != kind; });
        std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.submitted < b.submitted; });
        return all;
    }
    std::size_t processes_started() const { return pool.history().copy().processes.size(); }
};

ProcessPoolSetting setting(unsigned workers, double startup, ProcessStart start = ProcessStart::spawn) {
    ProcessPoolSetting result;
    result.workers = workers;
    result.startup_seconds = startup;
    result.transfer_seconds = 0.0;
    result.start = start;
    return result;
}

/// A caller thread waiting in run(), stoppable; records how its job ended.
struct Caller {
    Caller(ProcessPool& pool, double seconds, SessionId session = 1)
        : thread([&pool, seconds, session, this](stop_token stop) {
              try {
                  pool.run({session, seconds, false}, stop);
                  outcome = Outcome::completed;
              } catch (const WorkCancelled&) {
                  outcome = Outcome::cancelled;
              } catch (const std::exception&) {
                  outcome = Outcome::failed;
              }
              ended = true;
          }) {}
    std::atomic<Outcome> outcome{Outcome::completed};
    std::atomic<bool> ended{false};
    jthread thread;
};

}  // namespace

TEST_CASE("processes start on demand: one per submit that finds none idle, never more than max_workers",
          "[process_pool]") {
    Watchdog watchdog("process pool on demand");
    Rig rig(setting(3, 0.0));
    CHECK(rig.processes_started() == 0);  // a new executor has no process yet
    // One at a time: the first submit starts a process; the second finds the first one's result
    // came back (the idle semaphore) and starts none, although max_workers is 3.
    CHECK(rig.pool.run({1, 0.01, false}, {}).find("process 1") != std::string::npos);
    CHECK(rig.pool.run({1, 0.01, false}, {}).find("process 1") != std::string::npos);
    CHECK(rig.processes_started() == 1);

    // Four long jobs at once: one takes the idle credit, two start processes 2 and 3, the fourth
    // finds none idle and three already exist, so it waits in the queue.
    std::vector<std::unique_ptr<Caller>> callers;
    for (int i = 0; i < 4; ++i) {
        callers.push_back(std::make_unique<Caller>(rig.pool, 600.0));
    }
    REQUIRE(wait_until(rig.changes, [&] {
        const auto counts = rig.pool.counts();
        return counts.submitted == 6 && counts.running == 3;
    }));
    CHECK(rig.processes_started() == 3);
    CHECK(rig.pool.stats().live == 3);
    CHECK(rig.pool.counts().queued == 1);
    CHECK(rig.pool.counts().balanced());

    // The callers stop (a cancelled callback): the queued job is cancelled, the running ones
    // interrupted, and every job is accounted for.
    for (auto& caller : callers) {
        caller->thread.request_stop();
    }
    callers.clear();
    const auto counts = rig.pool.counts();
    CHECK(counts.balanced());
    CHECK(counts.idle());
    CHECK(counts.completed == 2);
    CHECK(counts.cancelled == 4);
    CHECK(rig.pool.stats().live == 3);  // processes never leave on their own
}

TEST_CASE("with the fork start method every process starts at the first submit", "[process_pool]") {
    Watchdog watchdog("process pool fork");
    Rig rig(setting(3, 0.0, ProcessStart::fork));
    rig.pool.run({1, 0.01, false}, {});
    CHECK(rig.processes_started() == 3);
    rig.pool.run({1, 0.01, false}, {});
    CHECK(rig.processes_started() == 3);
}

TEST_CASE("a process pays its start-up once, before its first job", "[process_pool]") {
    Watchdog watchdog("process pool start-up");
    const double startup = 0.3;
    Rig rig(setting(1, startup));
    for (int i = 0; i < 3; ++i) {
        rig.pool.run({1, 0.01, false}, {});
    }
    const auto startups = rig.spans(SpanKind::process_startup);
    const auto jobs = rig.spans(SpanKind::process_job);
    REQUIRE(startups.size() == 1);
    REQUIRE(jobs.size() == 3);
    CHECK(startups[0].outcome == Outcome::completed);
    CHECK(startups[0].run_time() >= std::chrono::milliseconds(300));
    // The first job waited for the start-up; the next ones found the process ready.
    CHECK(jobs[0].started >= startups[0].finished);
    CHECK(jobs[0].queue_wait() >= std::chrono::milliseconds(250));
    CHECK(jobs[1].queue_wait() < std::chrono::milliseconds(250));
    CHECK(jobs[2].queue_wait() < std::chrono::milliseconds(250));
    for (const auto& job : jobs) {
        CHECK(job.lane == startups[0].lane);  // the same process
        CHECK(job.thread_id == startups[0].thread_id);
    }
}

TEST_CASE("jobs are taken in submission order", "[process_pool]") {
    Watchdog watchdog("process pool fifo");
    // One process that starts late, so that every job is queued before the first one runs.
    Rig rig(setting(1, 0.2));
    std::vector<std::unique_ptr<Caller>> callers;
    for (int i = 0; i < 6; ++i) {
        callers.push_back(std::make_unique<Caller>(rig.pool, 0.01));
    }
    for (auto& caller : callers) {
        caller->thread.join();  // each returns once its job is done (a jthread's destructor would stop it first)
    }
    const auto jobs = rig.spans(SpanKind::process_job);
    REQUIRE(jobs.size() == 6);
    for (std::size_t i = 0; i + 1 < jobs.size(); ++i) {
        CHECK(jobs[i].id < jobs[i + 1].id);
        CHECK(jobs[i + 1].started >= jobs[i].finished);  // submitted later, started later
    }
    CHECK(rig.pool.counts().completed == 6);
}

TEST_CASE("a failing job fails its caller with the process's error", "[process_pool]") {
    Watchdog watchdog("process pool failure");
    Rig rig(setting(1, 0.0));
    REQUIRE_THROWS_WITH(rig.pool.run({1, 0.01, true}, {}), Catch::Contains("simulated failure in process 1"));
    CHECK(rig.pool.counts().failed == 1);
    CHECK(rig.pool.counts().balanced());
}

TEST_CASE("a process computes under its own GIL, never the World's", "[process_pool]") {
    Watchdog watchdog("process pool own GIL");
    World world(fast_world());
    world.set_gil(true);
    ProcessPoolSetting one = setting(1, 0.0);
    world.set_processes(one);
    // The test takes the World's GIL and keeps it: CPU-bound Python on a thread would wait for it.
    // (World hands out its GIL read-only; the test holds it by hand, as test_gil.cpp does.)
    Gil& gil = const_cast<Gil&>(world.gil());
    REQUIRE(gil.acquire({}));
    stop_source stop;
    std::atomic<bool> done{false};
    jthread caller([&] {
        try {
            world.processes().run({0, 0.2, false}, stop.get_token());  // 2 ms at the test's scale
            done = true;
        } catch (const WorkCancelled&) {
        }
        world.changes().notify();
    });
    const bool finished = wait_until(world.changes(), [&] { return done.load(); }, std::chrono::seconds(20));
    stop.request_stop();
    caller.join();
    CHECK(finished);
    CHECK(gil.waiting() == 0);
    gil.release();
}

TEST_CASE("a process callback pickles under the GIL and waits for the process without it", "[process_pool]") {
    Watchdog watchdog("process work and the GIL");
    World world(fast_world());
    world.set_gil(true);
    ProcessPoolSetting pool = setting(1, 0.0);
    pool.transfer_seconds = 1.0;  // 10 ms each way at the test's scale
    world.set_processes(pool);
    const auto session = *world.add_session();
    REQUIRE(world.click(session, WorkSpec{WorkKind::process, 5.0, false}));
    REQUIRE(wait_until(world.changes(), [&] { return world.pool().counts().completed == 1; }));
    const auto jobs = [&] {
        auto spans = world.trace().spans();
        std::erase_if(spans, [](const SpanRecord& span) { return span.kind != SpanKind::process_job; });
        return spans;
    }();
    REQUIRE(jobs.size() == 1);
    const auto& job = jobs[0];
    const auto holds = world.gil().history().copy().holds;
    // The caller held the GIL before the job (pickling) and after it (unpickling), and never while
    // the process computed.
    const auto before = std::count_if(holds.begin(), holds.end(), [&](const GilSpan& hold) {
        return hold.session == session && hold.end && *hold.end <= job.submitted;
    });
    const auto after = std::count_if(holds.begin(), holds.end(), [&](const GilSpan& hold) {
        return hold.session == session && hold.start >= job.finished;
    });
    const auto during = std::count_if(holds.begin(), holds.end(), [&](const GilSpan& hold) {
        return hold.start < job.finished && hold.end.value_or(Clock::time_point::max()) > job.started;
    });
    CHECK(before >= 1);
    CHECK(after >= 1);
    CHECK(during == 0);
    CHECK(world.processes().counts().completed == 1);
}

TEST_CASE("destroying a session cancels its queued process job and interrupts its running one", "[process_pool]") {
    Watchdog watchdog("process pool destroy");
    World world(fast_world());
    world.set_processes(setting(1, 0.0));
    const auto session = *world.add_session();
    // Two 1000 s jobs (10 s at the test's scale) on one process: one runs, one waits.
    REQUIRE(world.click(session, WorkSpec{WorkKind::process, 1000.0, false}));
    REQUIRE(world.click(session, WorkSpec{WorkKind::process, 1000.0, false}));
    REQUIRE(wait_until(world.changes(), [&] {
        const auto counts = world.processes().counts();
        return counts.running == 1 && counts.queued == 1;
    }));
    REQUIRE(world.destroy_session(session));
    REQUIRE(wait_until(world.changes(), [&] {
        return world.processes().counts().idle() && world.pool().counts().idle();
    }));
    const auto jobs = world.processes().counts();
    CHECK(jobs.submitted == 2);
    CHECK(jobs.cancelled == 2);
    CHECK(jobs.balanced());
    CHECK(world.pool().counts().cancelled == 2);
}

TEST_CASE("a new executor cancels and interrupts the old one's jobs; shutdown joins every process",
          "[process_pool]") {
    Watchdog watchdog("process pool restart and shutdown");
    const auto threads_before = live_thread_count();
    {
        Rig rig(setting(2, 0.0));
        std::vector<std::unique_ptr<Caller>> callers;
        for (int i = 0; i < 3; ++i) {
            callers.push_back(std::make_unique<Caller>(rig.pool, 600.0));
        }
        REQUIRE(wait_until(rig.changes, [&] { return rig.pool.counts().running == 2 && rig.pool.counts().queued == 1; }));
        rig.pool.restart(setting(1, 60.0));  // the old processes leave, their jobs end
        // Their callers return (the watchdog turns a hang into a failure). A wait on the change
        // signal cannot see this: a caller's own flag changes after the pool's last notify.
        for (const auto& caller : callers) {
            caller->thread.join();
            CHECK(caller->ended);
            CHECK(caller->outcome == Outcome::cancelled);
        }
        callers.clear();
        CHECK(rig.pool.counts().cancelled == 3);
        CHECK(rig.pool.counts().balanced());
        // A process of the new executor, in a 60 s start-up: shutdown must not wait for it.
        stop_source stop;
        jthread caller([&] {
            try {
                rig.pool.run({1, 0.01, false}, stop.get_token());
            } catch (const WorkCancelled&) {
            }
        });
        REQUIRE(wait_until(rig.changes, [&] { return rig.pool.stats().starting == 1 && rig.pool.counts().queued == 1; }));
        stop.request_stop();
        caller.join();
        CHECK(rig.pool.counts().cancelled == 4);
    }  // the destructor interrupts the start-up and joins every thread
    CHECK(settled_thread_count(threads_before) == threads_before);
}

TEST_CASE("a process pool setting out of range is refused", "[process_pool]") {
    CHECK_THROWS_AS(ProcessPool::validate(setting(0, 0.0)), std::invalid_argument);
    CHECK_THROWS_AS(ProcessPool::validate(setting(max_process_workers + 1, 0.0)), std::invalid_argument);
    CHECK_THROWS_AS(ProcessPool::validate(setting(1, max_process_startup_seconds + 1)), std::invalid_argument);
    CHECK_NOTHROW(ProcessPool::validate(setting(max_process_workers, max_process_startup_seconds)));
    World world(fast_world());
    CHECK_THROWS_AS(world.set_processes(setting(0, 0.0)), std::invalid_argument);
    CHECK(world.processes().setting().workers == ProcessPoolSetting{}.workers);  // unchanged
}

TEST_CASE("a scenario sets the process pool under \"processes\", strictly", "[process_pool][scenario]") {
    const auto parsed = parse_scenario(
        R"({"processes": {"workers": 3, "startup": 1.5, "transfer": 0.1, "start": "fork"},
            "work": {"kind": "process", "seconds": 2}})",
        "demo.json");
    REQUIRE(parsed.processes);
    CHECK(parsed.processes->workers == 3);
    CHECK(parsed.processes->startup_seconds == 1.5);
    CHECK(parsed.processes->transfer_seconds == 0.1);
    CHECK(parsed.processes->start == ProcessStart::fork);
    CHECK(parsed.work.kind == WorkKind::process);
    CHECK_FALSE(parse_scenario("{}", "demo.json").processes);  // unset: the World's setting stays
    const auto defaults = parse_scenario(R"({"processes": {}})", "demo.json").processes;
    REQUIRE(defaults);
    CHECK(*defaults == ProcessPoolSetting{});

    const auto error_of = [](const char* text) {
        try {
            parse_scenario(text, "demo.json");
        } catch (const ScenarioError& error) {
            return std::string(error.what());
        }
        return std::string("no error");
    };
    using Catch::Matchers::Contains;
    CHECK_THAT(error_of(R"({"processes": {"worker": 2}})"), Contains("demo.json: processes.worker: unknown key"));
    CHECK_THAT(error_of(R"({"processes": {"workers": 0}})"), Contains("processes.workers: expected a whole number from 1 to 64"));
    CHECK_THAT(error_of(R"({"processes": {"startup": -1}})"), Contains("processes.startup: expected a number from 0 to 60"));
    CHECK_THAT(error_of(R"({"processes": {"start": "thread"}})"), Contains("processes.start: expected \"spawn\""));
    CHECK_THAT(error_of(R"({"processes": 2})"), Contains("processes: expected an object"));
}

TEST_CASE("work of kind process without a process pool fails with a clear message", "[process_pool]") {
    TimeScale time(1.0);
    Gil gil;
    WorkProgress progress;
    WorkContext context{{}, time, gil, progress};
    CHECK_THROWS_WITH(make_simulated_work({WorkKind::process, 0.1, false})(context), Catch::Contains("needs a process pool"));
}
