#pragma once
// A FIFO kept in one vector: pushing appends, taking the front moves it out and advances an
// index, and once everything is taken the storage is reused. The event pool swaps two of these
// (its arrivals and its queue) back and forth, so a flood of events allocates nothing per event,
// where std::deque allocates a block every few elements (its blocks hold 512 bytes).
//
// Not thread-safe: the owner's lock guards it.

#include <cstddef>
#include <iterator>
#include <utility>
#include <vector>

namespace threadlab {

template <class T>
class VectorQueue {
public:
    using iterator = typename std::vector<T>::iterator;
    using const_iterator = typename std::vector<T>::const_iterator;

    iterator begin() { return m_items.begin() + static_cast<std::ptrdiff_t>(m_head); }
    iterator end() { return m_items.end(); }
    const_iterator begin() const { return m_items.begin() + static_cast<std::ptrdiff_t>(m_head); }
    const_iterator end() const { return m_items.end(); }
    bool empty() const { return m_head == m_items.size(); }
    std::size_t size() const { return m_items.size() - m_head; }
    /// Items the storage holds room for: at most keep_capacity once the queue has drained.
    std::size_t capacity() const { return m_items.capacity(); }

    void push_back(T item) { m_items.push_back(std::move(item)); }

    /// Moves the first item out. The queue must not be empty.
    T take_front() {
        T item = std::move(m_items[m_head]);
        ++m_head;
        if (empty()) {
            clear();
        }
        return item;
    }

    /// Removes items from anywhere (a cancellation); rarer than take_front(), and linear.
    iterator erase(iterator first, iterator last) {
        const auto position = m_items.erase(first, last);
        if (empty()) {
            clear();
            return end();
        }
        return position;
    }
    iterator erase(iterator position) { return erase(position, std::next(position)); }

    /// Moves every item of `other` to the back, leaving `other` empty; no item moves when this
    /// queue was empty (the storages are swapped).
    void append(VectorQueue& other) {
        if (empty()) {
            clear();
            std::swap(m_items, other.m_items);
            std::swap(m_head, other.m_head);
        } else {
            std::move(other.begin(), other.end(), std::back_inserter(m_items));
            other.clear();
        }
    }

    void clear() {
        m_items.clear();
        m_head = 0;
        // Past this many, give the memory back rather than keep it for the next burst.
        if (m_items.capacity() > keep_capacity) {
            std::vector<T>().swap(m_items);
        }
    }

    // Under a flood the storage is reused batch after batch; a rare larger burst gives it back.
    // (Keeping up to max_queued_events measured slower: more memory for the caches to cover.)
    static constexpr std::size_t keep_capacity = 16384;

private:
    std::vector<T> m_items;
    std::size_t m_head = 0;  // items before it were taken (moved from) and wait for clear()
};

}  // namespace threadlab
