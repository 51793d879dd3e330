#pragma once
// Joins threads off the caller's path. Destroying a session or retiring a pool worker must return
// at once, yet every thread must be joined (never detached). The caller stops the thread and hands
// it here; the reaper's own thread joins it as soon as it ends, then releases what the thread used.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "platform/stop.hpp"

namespace threadlab {

class Reaper {
public:
    Reaper();
    /// Joins every thread handed over, then the reaper's own.
    ~Reaper();
    Reaper(const Reaper&) = delete;
    Reaper& operator=(const Reaper&) = delete;

    /// Takes `thread` (already asked to stop) and joins it soon. `keep_alive` is what the thread
    /// still uses; it is released after the join and after `after_join`, which runs on the
    /// reaper's thread and may still read it.
    void adopt(jthread thread, std::shared_ptr<const void> keep_alive = {},
               std::function<void()> after_join = {});

    /// Threads handed over and not joined yet.
    std::size_t pending() const;

    /// Blocks until every thread handed over so far is joined (tests, shutdown).
    void drain();

private:
    struct Entry {
        jthread thread;
        std::shared_ptr<const void> keep_alive;
        std::function<void()> after_join;
    };
    void run(stop_token stop);

    // Guards m_entries and m_in_progress.
    mutable std::mutex m_mutex;
    condition_variable_any m_work;
    std::condition_variable m_idle;
    std::deque<Entry> m_entries;
    std::size_t m_in_progress = 0;
    // Last member: started after, and joined before, everything it uses.
    jthread m_thread;
};

}  // namespace threadlab
