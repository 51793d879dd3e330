// Quick figures for the engine: event pool throughput, and the latency of destroying a busy session
// (request to thread joined). Prints numbers; asserts nothing about speed. The full benchmark suite
// (plain-pool baseline, resize, render loop) lives beside this file as it grows.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "core/event_pool.hpp"
#include "core/reaper.hpp"
#include "core/session.hpp"
#include "core/world.hpp"

using namespace threadlab;

namespace {

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

void wait_idle(ChangeSignal& changes, const EventPool& pool) {
    for (;;) {
        const auto seen = changes.generation();
        if (pool.counts().idle()) {
            return;
        }
        changes.wait_for_change(seen, std::chrono::milliseconds(100));
    }
}

void pool_throughput(unsigned workers, int events, bool tracing) {
    ChangeSignal changes;
    TimeScale time(1.0);
    Gil gil;
    EventLog log;
    Trace trace;
    trace.set_enabled(tracing);
    SharedCounters counters;
    EventPool pool(PoolSetting::fixed(workers), {time, gil, changes, log, trace, counters});
    const Work empty = [](WorkContext&) { return std::string(); };
    const auto start = Clock::now();
    for (int i = 0; i < events; ++i) {
        pool.submit({1, EventKind::click, 0, empty, nullptr});
    }
    wait_idle(changes, pool);
    const double elapsed = seconds_since(start);
    std::printf("pool throughput   %u workers, %d empty events, trace %s: %.0f events/s (%.3f s)\n", workers,
                events, tracing ? "on " : "off", events / elapsed, elapsed);
}

double percentile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
    return values[index];
}

void destroy_latency(int sessions) {
    ChangeSignal changes;
    TimeScale time(1.0);
    Gil gil;
    EventLog log;
    Trace trace;
    SharedCounters counters;
    std::vector<double> call_us;
    std::vector<double> joined_us;
    for (int i = 0; i < sessions; ++i) {
        auto session = std::make_shared<Session>(static_cast<SessionId>(i + 1), EngineContext{time, gil, changes, log, trace, counters});
        session->add_task(WorkSpec{WorkKind::sleep, 3600.0, false});
        session->add_task(WorkSpec{WorkKind::sleep, 1.0, false});
        while (session->task_counts().running == 0) {
            const auto seen = changes.generation();
            if (session->task_counts().running == 0) {
                changes.wait_for_change(seen, std::chrono::milliseconds(100));
            }
        }
        const auto start = Clock::now();
        session->request_stop();
        auto thread = session->release_thread();
        call_us.push_back(seconds_since(start) * 1e6);
        thread.join();
        joined_us.push_back(seconds_since(start) * 1e6);
    }
    std::printf("destroy (busy)    %d sessions: request returns p50 %.1f us, p99 %.1f us; "
                "thread joined p50 %.1f us, p99 %.1f us, max %.1f us\n",
                sessions, percentile(call_us, 0.5), percentile(call_us, 0.99), percentile(joined_us, 0.5),
                percentile(joined_us, 0.99), *std::max_element(joined_us.begin(), joined_us.end()));
}

}  // namespace

int main() {
    for (const bool tracing : {false, true}) {
        pool_throughput(2, 1'000'000, tracing);
        pool_throughput(4, 1'000'000, tracing);
    }
    destroy_latency(200);
    return 0;
}
