#pragma once
// Event-driven waiting for tests: block on the engine's ChangeSignal until a condition holds.
// The engine notifies at every state transition, so no test sleeps or polls on a timer; the
// timeout only turns a hang into a failure.

#include <chrono>

#include <cstddef>

#include "core/change_signal.hpp"
#include "core/platform/thread_count.hpp"

namespace threadlab::testing {

/// True as soon as `condition` holds, checked again at every change. False at the timeout, even
/// if the condition holds by then: a condition that comes true with no notify after it (the test's
/// own state, or an engine transition that forgot to notify) would otherwise pass only after the
/// whole timeout, slowly and by luck.
template <class Condition>
bool wait_until(ChangeSignal& changes, Condition&& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto seen = changes.generation();
        if (condition()) {
            return true;
        }
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) {
            return false;
        }
        if (changes.wait_for_change(seen, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now)) ==
            seen) {
            return false;  // the timeout passed with no change at all
        }
    }
}

/// Threads of this process, as the kernel lists them in /proc/self/task.
inline std::size_t live_thread_count() { return process_thread_count(); }

using threadlab::settled_thread_count;

}  // namespace threadlab::testing
