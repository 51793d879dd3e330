#pragma once
// C++20's cooperative cancellation, written on std::thread, std::mutex and std::condition_variable
// alone, for standard libraries that lack it: emscripten's libc++ 13 has no std::jthread,
// std::stop_token, std::stop_source, std::stop_callback, nor the stop-aware waits of
// std::condition_variable_any. The same semantics as the standard's, for what the engine uses:
//  - request_stop() runs the registered callbacks on the requesting thread, once, then returns;
//  - a stop_callback made after the request runs its callback at once, on the constructing thread;
//  - ~stop_callback never returns while its callback runs on another thread (so the callback's
//    captures stay valid), and does not wait when the callback destroys its own stop_callback;
//  - a stop-aware wait cannot miss a request: the callback notifies under the condition
//    variable's internal mutex, which the waiter holds from its last look at the token until it
//    sleeps (the design of libstdc++'s condition_variable_any).
// Always compiled, and tested natively (TSan included) whichever set platform/stop.hpp chooses.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>

namespace threadlab::portable {

namespace detail {

struct StopCallbackBase {
    explicit StopCallbackBase(void (*run)(StopCallbackBase*) noexcept) : invoke(run) {}
    void (*invoke)(StopCallbackBase*) noexcept;
    // The rest is guarded by StopState's mutex.
    StopCallbackBase* prev = nullptr;
    StopCallbackBase* next = nullptr;
    bool linked = false;
    // Set while request_stop() runs this callback: tells it that the callback destroyed itself.
    bool* destroyed_while_running = nullptr;
};

class StopState {
public:
    bool stop_requested() const { return m_requested.load(std::memory_order_acquire); }
    bool request_stop();
    /// Registers `callback`; false (not registered) when stop was requested already.
    bool add(StopCallbackBase* callback);
    /// Unregisters `callback`; waits while request_stop() runs it on another thread.
    void remove(StopCallbackBase* callback);
    void add_source() { m_sources.fetch_add(1, std::memory_order_relaxed); }
    void remove_source() { m_sources.fetch_sub(1, std::memory_order_acq_rel); }
    bool has_sources() const { return m_sources.load(std::memory_order_acquire) > 0; }

private:
    std::atomic<bool> m_requested{false};
    std::atomic<unsigned> m_sources{0};
    std::mutex m_mutex;
    std::condition_variable m_callback_done;
    StopCallbackBase* m_head = nullptr;        // guarded by m_mutex
    StopCallbackBase* m_running = nullptr;     // guarded by m_mutex
    std::thread::id m_requester;               // guarded by m_mutex
};

}  // namespace detail

class stop_source;
template <class Callback>
class stop_callback;

class stop_token {
public:
    stop_token() noexcept = default;
    bool stop_requested() const noexcept { return m_state && m_state->stop_requested(); }
    bool stop_possible() const noexcept { return m_state && (m_state->stop_requested() || m_state->has_sources()); }
    friend bool operator==(const stop_token& a, const stop_token& b) noexcept { return a.m_state == b.m_state; }
    void swap(stop_token& other) noexcept { m_state.swap(other.m_state); }

private:
    friend class stop_source;
    template <class Callback>
    friend class stop_callback;
    explicit stop_token(std::shared_ptr<detail::StopState> state) noexcept : m_state(std::move(state)) {}
    std::shared_ptr<detail::StopState> m_state;
};

class stop_source {
public:
    stop_source() : m_state(std::make_shared<detail::StopState>()) { m_state->add_source(); }
    stop_source(const stop_source& other) noexcept : m_state(other.m_state) {
        if (m_state) {
            m_state->add_source();
        }
    }
    stop_source(stop_source&& other) noexcept : m_state(std::move(other.m_state)) {}
    stop_source& operator=(stop_source other) noexcept {
        swap(other);
        return *this;
    }
    ~stop_source() {
        if (m_state) {
            m_state->remove_source();
        }
    }
    bool request_stop() noexcept { return m_state && m_state->request_stop(); }
    bool stop_requested() const noexcept { return m_state && m_state->stop_requested(); }
    bool stop_possible() const noexcept { return m_state != nullptr; }
    stop_token get_token() const noexcept { return stop_token(m_state); }
    void swap(stop_source& other) noexcept { m_state.swap(other.m_state); }

private:
    std::shared_ptr<detail::StopState> m_state;
};

template <class Callback>
class [[nodiscard]] stop_callback : private detail::StopCallbackBase {
public:
    using callback_type = Callback;

    template <class C>
        requires std::is_constructible_v<Callback, C>
    explicit stop_callback(const stop_token& token, C&& callback)
        : StopCallbackBase(&run), m_callback(std::forward<C>(callback)) {
        register_with(token.m_state);
    }
    template <class C>
        requires std::is_constructible_v<Callback, C>
    explicit stop_callback(stop_token&& token, C&& callback)
        : StopCallbackBase(&run), m_callback(std::forward<C>(callback)) {
        register_with(std::move(token.m_state));
    }
    ~stop_callback() {
        if (m_state) {
            m_state->remove(this);
        }
    }
    stop_callback(const stop_callback&) = delete;
    stop_callback& operator=(const stop_callback&) = delete;

private:
    void register_with(std::shared_ptr<detail::StopState> state) {
        if (!state) {
            return;
        }
        if (state->add(this)) {
            m_state = std::move(state);
        } else {
            std::invoke(m_callback);  // stop was requested already: now, on this thread
        }
    }
    static void run(StopCallbackBase* self) noexcept { std::invoke(static_cast<stop_callback*>(self)->m_callback); }

    Callback m_callback;
    std::shared_ptr<detail::StopState> m_state;
};

template <class Callback>
stop_callback(stop_token, Callback) -> stop_callback<Callback>;

/// Threads started by jthread below and not yet at the end of their function: the live thread
/// count where the system lists no threads (the browser has no /proc).
inline std::atomic<std::size_t> g_live_threads{0};

/// std::thread that asks its function to stop (through the stop_token it passes as the first
/// argument, if the function takes one) and joins when destroyed.
class jthread {
public:
    using id = std::thread::id;
    using native_handle_type = std::thread::native_handle_type;

    jthread() noexcept = default;
    template <class F, class... Args>
        requires(!std::is_same_v<std::remove_cvref_t<F>, jthread>)
    explicit jthread(F&& function, Args&&... args)
        : m_source(), m_thread(start(m_source.get_token(), std::forward<F>(function), std::forward<Args>(args)...)) {}
    jthread(jthread&& other) noexcept
        : m_source(std::move(other.m_source)), m_thread(std::move(other.m_thread)) {}
    jthread& operator=(jthread&& other) noexcept {
        if (this != &other) {
            stop_and_join();
            m_source = std::move(other.m_source);
            m_thread = std::move(other.m_thread);
        }
        return *this;
    }
    ~jthread() { stop_and_join(); }
    jthread(const jthread&) = delete;
    jthread& operator=(const jthread&) = delete;

    bool joinable() const noexcept { return m_thread.joinable(); }
    void join() { m_thread.join(); }
    void detach() { m_thread.detach(); }
    id get_id() const noexcept { return m_thread.get_id(); }
    native_handle_type native_handle() { return m_thread.native_handle(); }
    stop_source get_stop_source() noexcept { return m_source; }
    stop_token get_stop_token() const noexcept { return m_source.get_token(); }
    bool request_stop() noexcept { return m_source.request_stop(); }
    void swap(jthread& other) noexcept {
        m_source.swap(other.m_source);
        m_thread.swap(other.m_thread);
    }
    static unsigned hardware_concurrency() noexcept { return std::thread::hardware_concurrency(); }

private:
    template <class F, class... Args>
    static std::thread start(stop_token token, F&& function, Args&&... args) {
        // Counted from before the thread exists to the end of its function, as the kernel would.
        g_live_threads.fetch_add(1, std::memory_order_relaxed);
        try {
            return std::thread(&run<std::decay_t<F>, std::decay_t<Args>...>, std::move(token),
                               std::forward<F>(function), std::forward<Args>(args)...);
        } catch (...) {
            g_live_threads.fetch_sub(1, std::memory_order_relaxed);
            throw;
        }
    }
    template <class F, class... Args>
    static void run(stop_token token, F function, Args... args) {
        struct Counted {
            ~Counted() { g_live_threads.fetch_sub(1, std::memory_order_release); }
        } counted;
        if constexpr (std::is_invocable_v<F, stop_token, Args...>) {
            std::invoke(std::move(function), std::move(token), std::move(args)...);
        } else {
            std::invoke(std::move(function), std::move(args)...);
        }
    }
    void stop_and_join() {
        if (m_thread.joinable()) {
            m_source.request_stop();
            m_thread.join();
        }
    }

    stop_source m_source;  // before m_thread: the thread's token comes from it
    std::thread m_thread;
};

/// std::condition_variable_any with the stop-aware waits. Its mutex and condition variable live
/// in a shared block that a waiter keeps alive while it wakes, so the object may be destroyed as
/// soon as every waiter was notified (as the standard allows).
class condition_variable_any {
public:
    condition_variable_any() : m_shared(std::make_shared<Shared>()) {}
    condition_variable_any(const condition_variable_any&) = delete;
    condition_variable_any& operator=(const condition_variable_any&) = delete;

    void notify_one() noexcept {
        std::lock_guard lock(m_shared->mutex);
        m_shared->cv.notify_one();
    }
    void notify_all() noexcept {
        std::lock_guard lock(m_shared->mutex);
        m_shared->cv.notify_all();
    }

    template <class Lock>
    void wait(Lock& lock) {
        sleep(lock, stop_token(), [](std::condition_variable& cv, std::unique_lock<std::mutex>& inner) {
            cv.wait(inner);
            return true;
        });
    }
    template <class Lock, class Predicate>
    void wait(Lock& lock, Predicate ready) {
        while (!ready()) {
            wait(lock);
        }
    }
    template <class Lock, class Clock, class Duration>
    std::cv_status wait_until(Lock& lock, const std::chrono::time_point<Clock, Duration>& deadline) {
        const bool woken = sleep(lock, stop_token(), [&](std::condition_variable& cv, std::unique_lock<std::mutex>& inner) {
            return cv.wait_until(inner, deadline) == std::cv_status::no_timeout;
        });
        return woken ? std::cv_status::no_timeout : std::cv_status::timeout;
    }
    template <class Lock, class Clock, class Duration, class Predicate>
    bool wait_until(Lock& lock, const std::chrono::time_point<Clock, Duration>& deadline, Predicate ready) {
        while (!ready()) {
            if (wait_until(lock, deadline) == std::cv_status::timeout) {
                return ready();
            }
        }
        return true;
    }
    template <class Lock, class Rep, class Period, class Predicate>
    bool wait_for(Lock& lock, const std::chrono::duration<Rep, Period>& timeout, Predicate ready) {
        return wait_until(lock, std::chrono::steady_clock::now() + timeout, std::move(ready));
    }

    // The stop-aware waits: they also end when stop is requested, and return ready() then.
    template <class Lock, class Predicate>
    bool wait(Lock& lock, stop_token token, Predicate ready) {
        return wait_until(lock, std::move(token), std::chrono::steady_clock::time_point::max(), std::move(ready));
    }
    template <class Lock, class Clock, class Duration, class Predicate>
    bool wait_until(Lock& lock, stop_token token, const std::chrono::time_point<Clock, Duration>& deadline,
                    Predicate ready) {
        if (token.stop_requested()) {
            return ready();
        }
        stop_callback wake_on_stop(token, [this] { notify_all(); });
        while (!ready()) {
            const bool woken = sleep(lock, token, [&](std::condition_variable& cv, std::unique_lock<std::mutex>& inner) {
                if (deadline == std::chrono::time_point<Clock, Duration>::max()) {
                    cv.wait(inner);
                    return true;
                }
                return cv.wait_until(inner, deadline) == std::cv_status::no_timeout;
            });
            if (!woken || token.stop_requested()) {
                return ready();
            }
        }
        return true;
    }
    template <class Lock, class Rep, class Period, class Predicate>
    bool wait_for(Lock& lock, stop_token token, const std::chrono::duration<Rep, Period>& timeout, Predicate ready) {
        return wait_until(lock, std::move(token), std::chrono::steady_clock::now() + timeout, std::move(ready));
    }

private:
    struct Shared {
        std::mutex mutex;
        std::condition_variable cv;
    };
    /// Releases the caller's lock and sleeps as `block` says, holding the internal mutex from the
    /// last look at `token` to the sleep; takes the caller's lock again before it returns (also
    /// when `block` throws). Returns what `block` returned; true without sleeping if stop was
    /// requested meanwhile.
    template <class Lock, class Block>
    bool sleep(Lock& lock, const stop_token& token, Block block) {
        const std::shared_ptr<Shared> shared = m_shared;
        std::unique_lock inner(shared->mutex);
        if (token.stop_requested()) {
            return true;
        }
        lock.unlock();
        struct Relock {
            Lock& lock;
            std::unique_lock<std::mutex>& inner;
            ~Relock() {
                // The internal mutex first: taking the caller's lock while holding it could
                // deadlock with a notify made under the caller's lock.
                if (inner.owns_lock()) {
                    inner.unlock();
                }
                lock.lock();
            }
        } relock{lock, inner};
        return block(shared->cv, inner);
    }

    std::shared_ptr<Shared> m_shared;
};

}  // namespace threadlab::portable
