#include "busy_load.hpp"

namespace threadlab {

int add_busy_sessions(World& world, int sessions) {
    int added = 0;
    for (; added < sessions; ++added) {
        const auto id = world.add_session();
        if (!id) {
            break;  // past the limit: the refusal says why
        }
        for (int t = 0; t < 1000; ++t) {
            world.add_task(*id, WorkSpec{WorkKind::sleep, 0.01, false});
        }
        world.start_periodic(*id, {0.1, std::nullopt, std::nullopt}, WorkSpec{WorkKind::sleep, 0.05, false});
    }
    return added;
}

}  // namespace threadlab
