#include "work.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "platform/stop.hpp"
#include "platform/thread_cpu.hpp"

namespace threadlab {

namespace {

Clock::rep ticks(Clock::time_point point) { return point.time_since_epoch().count(); }

/// Keeps the compiler from removing the arithmetic that burns the CPU.
std::atomic<std::uint64_t> g_compute_sink{0};

/// Burns about `budget` of CPU time (or less if stopped); returns the CPU time really spent.
Clock::duration burn(Clock::duration budget, const stop_token& stop) {
    const auto start = current_thread_cpu_time();
    std::uint64_t state = 0x9E3779B97F4A7C15ull ^ static_cast<std::uint64_t>(ticks(Clock::now()));
    auto spent = Clock::duration::zero();
    while (spent < budget && !stop.stop_requested()) {
        // xorshift: cheap, dependent arithmetic. ~20 µs between checks keeps stops prompt.
        for (int i = 0; i < 4096; ++i) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
        }
        spent = current_thread_cpu_time() - start;
    }
    g_compute_sink.fetch_xor(state, std::memory_order_relaxed);
    return spent;
}

void compute(Clock::duration total, WorkContext& context, bool holds_gil) {
    auto done = Clock::duration::zero();
    bool holding = false;
    while (done < total) {
        if (context.stop.stop_requested()) {
            break;
        }
        const bool need_gil = holds_gil && context.gil.enabled();
        if (need_gil && !holding) {
            holding = context.gil.acquire(context.stop, context.session);
            if (!holding) {
                break;  // stopped while waiting for the GIL
            }
        } else if (!need_gil && holding) {
            context.gil.release();
            holding = false;
        }
        // A slice lasts one switch interval; a holder with nobody waiting just keeps the GIL.
        const auto slice = std::min<Clock::duration>(total - done, context.gil.switch_interval());
        done += burn(slice, context.stop);
        context.progress.advance(done);
        if (holding && context.gil.has_waiters()) {
            context.gil.release();
            holding = false;
        }
    }
    if (holding) {
        context.gil.release();
    }
    if (context.stop.stop_requested()) {
        throw WorkCancelled();
    }
}

std::string format_result(WorkKind kind, double simulated_seconds) {
    const auto now = std::chrono::system_clock::now();
    const auto seconds = std::chrono::system_clock::to_time_t(now);
    std::tm local{};
    localtime_r(&seconds, &local);
    char text[96];
    // Like the seed's worker, which returns datetime.now(): when it finished, and what it did.
    std::snprintf(text, sizeof text, "%s %.2f s, done %02d:%02d:%02d",
                  kind == WorkKind::sleep ? "slept" : kind == WorkKind::native ? "computed (GIL released)" : "computed",
                  simulated_seconds, local.tm_hour, local.tm_min, local.tm_sec);
    return text;
}

}  // namespace

const char* to_string(WorkKind kind) {
    switch (kind) {
        case WorkKind::sleep: return "sleep";
        case WorkKind::compute: return "compute";
        case WorkKind::native: return "native";
        case WorkKind::increment: return "increment";
        case WorkKind::process: return "process";
    }
    return "unknown";
}

void WorkProgress::begin(WorkKind kind, Clock::duration total, Clock::time_point now) {
    m_done_ns.store(0, std::memory_order_relaxed);
    m_kind.store(kind, std::memory_order_relaxed);
    m_started_ns.store(ticks(now), std::memory_order_relaxed);
    m_total_ns.store(total.count(), std::memory_order_release);
}

double WorkProgress::fraction(Clock::time_point now) const {
    const auto total = m_total_ns.load(std::memory_order_acquire);
    if (total <= 0) {
        return 0.0;
    }
    const auto done = m_kind.load(std::memory_order_relaxed) == WorkKind::sleep
                          ? ticks(now) - m_started_ns.load(std::memory_order_relaxed)
                          : m_done_ns.load(std::memory_order_relaxed);
    return std::clamp(static_cast<double>(done) / static_cast<double>(total), 0.0, 1.0);
}

void compute_python(Clock::duration total, WorkContext& context) { compute(total, context, true); }

void sleep_for(Clock::duration duration, stop_token stop) {
    std::mutex mutex;
    condition_variable_any wake;
    std::unique_lock lock(mutex);
    // The stop token's callback notifies `wake`, so a cancel interrupts the sleep at once.
    wake.wait_for(lock, stop, duration, [] { return false; });
    if (stop.stop_requested()) {
        throw WorkCancelled();
    }
}

Work make_simulated_work(WorkSpec spec) {
    return [spec](WorkContext& context) -> std::string {
        if (spec.kind == WorkKind::increment) {
            if (context.counters == nullptr) {
                throw std::runtime_error("no shared counters to increment here");
            }
            for (std::uint32_t i = 0; i < spec.increments && !context.stop.stop_requested(); ++i) {
                context.counters->increment(spec.counter);
            }
            if (context.stop.stop_requested()) {
                throw WorkCancelled();
            }
            return "incremented the " + std::string(to_string(spec.counter)) + " counter " +
                   std::to_string(spec.increments) + " times";
        }
        if (spec.kind == WorkKind::process) {
            throw std::runtime_error("work of kind process needs a process pool, and none is given here");
        }
        const auto total = context.time.to_real(spec.seconds);
        context.progress.begin(spec.kind, total, Clock::now());
        if (spec.kind == WorkKind::sleep) {
            sleep_for(total, context.stop);
        } else {
            compute(total, context, spec.kind == WorkKind::compute);
        }
        if (spec.fails) {
            char text[64];
            std::snprintf(text, sizeof text, "simulated failure after %.2f s", spec.seconds);
            throw std::runtime_error(text);
        }
        return format_result(spec.kind, spec.seconds);
    };
}

}  // namespace threadlab
