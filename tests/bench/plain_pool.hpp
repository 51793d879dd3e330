#pragma once
// The comparison baseline for the event pool benchmark: the plainest correct pool, one mutex, one
// condition variable and one deque, with no accounting, tracing, lanes or resizing. Written here,
// in the benchmark, so that the ratio printed beside our pool's figure has a fixed reference.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "core/platform/stop.hpp"

namespace threadlab::bench {

class PlainPool {
public:
    explicit PlainPool(unsigned workers) {
        for (unsigned i = 0; i < workers; ++i) {
            m_workers.emplace_back([this](stop_token stop) { run(stop); });
        }
    }
    ~PlainPool() {
        for (auto& worker : m_workers) {
            worker.request_stop();
        }
        m_ready.notify_all();
    }
    void submit(std::function<void()> job) {
        {
            std::lock_guard lock(m_mutex);
            m_jobs.push_back(std::move(job));
            ++m_pending;
        }
        m_ready.notify_one();
    }
    /// Blocks until every submitted job has run.
    void wait_idle() {
        std::unique_lock lock(m_mutex);
        m_idle.wait(lock, [this] { return m_pending == 0; });
    }

private:
    void run(stop_token stop) {
        std::unique_lock lock(m_mutex);
        for (;;) {
            m_ready.wait(lock, stop, [this] { return !m_jobs.empty(); });
            if (m_jobs.empty()) {
                return;
            }
            auto job = std::move(m_jobs.front());
            m_jobs.pop_front();
            lock.unlock();
            job();
            lock.lock();
            if (--m_pending == 0) {
                m_idle.notify_all();
            }
        }
    }

    std::mutex m_mutex;
    condition_variable_any m_ready;
    condition_variable_any m_idle;
    std::deque<std::function<void()>> m_jobs;
    std::size_t m_pending = 0;
    std::vector<jthread> m_workers;  // last: joined first
};

}  // namespace threadlab::bench
