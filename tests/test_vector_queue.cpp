#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <vector>

#include "core/vector_queue.hpp"

using namespace threadlab;

namespace {

std::vector<int> contents(const VectorQueue<std::unique_ptr<int>>& queue) {
    std::vector<int> values;
    for (const auto& item : queue) {
        values.push_back(*item);
    }
    return values;
}

}  // namespace

TEST_CASE("a vector queue is first in, first out, and erases from anywhere", "[vector-queue]") {
    VectorQueue<std::unique_ptr<int>> queue;
    for (int i = 1; i <= 5; ++i) {
        queue.push_back(std::make_unique<int>(i));
    }
    CHECK(*queue.take_front() == 1);
    CHECK(queue.size() == 4);
    queue.erase(std::next(queue.begin()));  // the 3
    CHECK(contents(queue) == std::vector<int>{2, 4, 5});
    queue.erase(queue.begin(), queue.end());
    CHECK(queue.empty());
    queue.push_back(std::make_unique<int>(6));  // reused after emptying
    CHECK(*queue.take_front() == 6);
    CHECK(queue.empty());
}

TEST_CASE("appending a vector queue keeps the order and empties the other", "[vector-queue]") {
    VectorQueue<std::unique_ptr<int>> queue;
    VectorQueue<std::unique_ptr<int>> arrivals;
    arrivals.push_back(std::make_unique<int>(1));
    arrivals.push_back(std::make_unique<int>(2));
    queue.append(arrivals);  // into an empty queue: the storages swap
    CHECK(contents(queue) == std::vector<int>{1, 2});
    CHECK(arrivals.empty());

    CHECK(*queue.take_front() == 1);
    arrivals.push_back(std::make_unique<int>(3));
    queue.append(arrivals);  // behind what is still queued
    CHECK(contents(queue) == std::vector<int>{2, 3});
    CHECK(arrivals.empty());
    CHECK(*queue.take_front() == 2);
    CHECK(*queue.take_front() == 3);
    CHECK(queue.empty());
}
