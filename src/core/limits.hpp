#pragma once
// ThreadLab's documented maxima (README, "Limits"), in one place. Past them the engine refuses
// instead of exhausting the machine: the call returns nullopt and World::refusals() says why (the
// dashboard shows it as a message), the command line exits 2, a scenario file is rejected.

#include <cstddef>

#include "platform/thread_budget.hpp"

namespace threadlab {

/// Sessions open at the same time (1024; 64 in a browser).
inline constexpr std::size_t max_live_sessions = platform_thread_budget.sessions;
/// Largest pool a user may ask for (Panel's auto size stops at 32; a manual size may go further:
/// 64; 32 in a browser).
inline constexpr unsigned max_pool_threads = platform_thread_budget.pool_threads;
/// Events waiting in the pool's queue; a click or periodic call past it is refused.
inline constexpr std::size_t max_queued_events = 100'000;
/// Tasks waiting in one session's runner queue; a task past it is refused.
inline constexpr std::size_t max_queued_tasks = 10'000;
/// The process pool (process_pool.hpp): most worker processes (each one a thread here), jobs
/// waiting for a process (a job past it is refused), and the longest start-up and transfer, in
/// simulated seconds.
inline constexpr unsigned max_process_workers = platform_thread_budget.process_workers;
inline constexpr std::size_t max_queued_process_jobs = 10'000;
inline constexpr double max_process_startup_seconds = 60.0;
inline constexpr double max_process_transfer_seconds = 60.0;

/// Scenario files: size, sessions created over the whole run, actions, repeat of one action,
/// and the simulated time of the last action.
inline constexpr std::size_t max_scenario_bytes = 16 * 1024 * 1024;
inline constexpr int max_scenario_sessions = static_cast<int>(max_live_sessions);
inline constexpr std::size_t max_scenario_actions = 100'000;
inline constexpr int max_action_repeat = 10'000;
inline constexpr double max_scenario_seconds = 24 * 3600.0;
/// Steps of one async click (awaits and runs) in a scenario.
inline constexpr std::size_t max_async_steps = 64;
/// Widget changes one click or task of a scenario makes for the page ("updates": {"count"}).
inline constexpr int max_page_updates = 10'000;
/// Next-tick callbacks of the page waiting for the loop (queued or held by a hold), all sessions
/// together; changes past it are dropped and counted (DocumentLock::dropped), so that a flood of
/// changes cannot exhaust memory.
inline constexpr std::size_t max_pending_page_callbacks = 100'000;
/// A lesson's choices, lettered a), b), ...: as many as a projected slide can hold.
inline constexpr std::size_t max_lesson_choices = 6;

/// Trace files read back (replay): size (a full export of 100 000 spans is about 90 MiB), and the
/// timestamps and durations, in microseconds (11.5 days: far past any run, far from overflow
/// when the timeline turns them into nanosecond time points and subtracts them).
inline constexpr std::size_t max_trace_bytes = 256 * 1024 * 1024;
inline constexpr double max_trace_micros = 1e12;

}  // namespace threadlab
