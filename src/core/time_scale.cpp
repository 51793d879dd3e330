#include "time_scale.hpp"

#include <stdexcept>
#include <string>

namespace threadlab {

namespace {
double checked(double scale) {
    if (!TimeScale::valid(scale)) {
        throw std::invalid_argument("time scale " + std::to_string(scale) + " is outside [" +
                                    std::to_string(TimeScale::min_scale) + ", " +
                                    std::to_string(TimeScale::max_scale) + "]");
    }
    return scale;
}
}  // namespace

TimeScale::TimeScale(double scale) : m_scale(checked(scale)) {}

void TimeScale::set(double scale) { m_scale.store(checked(scale), std::memory_order_release); }

Clock::duration TimeScale::to_real(double simulated_seconds) const {
    const std::chrono::duration<double> real(simulated_seconds * get());
    return std::chrono::duration_cast<Clock::duration>(real);
}

double TimeScale::to_simulated(Clock::duration real) const {
    return std::chrono::duration<double>(real).count() / get();
}

const char* to_string(Outcome outcome) {
    switch (outcome) {
        case Outcome::completed: return "completed";
        case Outcome::failed: return "failed";
        case Outcome::cancelled: return "cancelled";
    }
    return "unknown";
}

}  // namespace threadlab
