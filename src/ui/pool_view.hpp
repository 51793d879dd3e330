#pragma once
// The event pool at a glance: target / live / busy / retiring workers, queue depth, counters,
// and one row per worker thread with the event it runs.

#include "core/world.hpp"

namespace threadlab::ui {

class PoolView {
public:
    void draw(const World& world);
};

}  // namespace threadlab::ui
