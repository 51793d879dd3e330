#pragma once
// The parts an EventPool or Session needs, real and ready, for tests that use one on its own.

#include "core/change_signal.hpp"
#include "core/gil.hpp"
#include "core/time_scale.hpp"

namespace threadlab::testing {

struct EngineParts {
    ChangeSignal changes;
    TimeScale time{0.01};
    Gil gil;
};

}  // namespace threadlab::testing
