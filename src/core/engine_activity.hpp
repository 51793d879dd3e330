#pragma once
// What runs across the engine right now, kept as lock-free counts: the render loop reads them on
// every frame to decide whether to keep drawing (a running task's elapsed time moves on the
// screen) or to sleep until the next change, and must never wait for a lock to find out.

#include <atomic>

namespace threadlab {

class EngineActivity {
public:
    void task_started() { m_running_tasks.fetch_add(1, std::memory_order_relaxed); }
    void task_finished() { m_running_tasks.fetch_sub(1, std::memory_order_relaxed); }
    /// Tasks running on any runner thread: live, leaked or draining sessions alike.
    unsigned running_tasks() const { return m_running_tasks.load(std::memory_order_relaxed); }

private:
    std::atomic<unsigned> m_running_tasks{0};
};

}  // namespace threadlab
