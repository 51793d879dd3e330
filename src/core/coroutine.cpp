#include "coroutine.hpp"

#include <cstdio>

namespace threadlab {

std::vector<CoroutineSegment> make_coroutine(const std::vector<AsyncStepSpec>& steps) {
    std::vector<CoroutineSegment> segments(1);
    for (const auto& step : steps) {
        if (step.await_seconds) {
            segments.back().await_seconds = *step.await_seconds;
            segments.emplace_back();  // the coroutine resumes on the loop after the await
        } else {
            segments.back().runs.push_back(make_simulated_work(step.run));
        }
    }
    return segments;
}

std::string describe(const std::vector<AsyncStepSpec>& steps) {
    std::string text;
    for (const auto& step : steps) {
        char part[64];
        if (step.await_seconds) {
            std::snprintf(part, sizeof part, "await %g s", *step.await_seconds);
        } else {
            std::snprintf(part, sizeof part, "run %s %g s", to_string(step.run.kind), step.run.seconds);
        }
        text += (text.empty() ? "" : ", ") + std::string(part);
    }
    return text.empty() ? "nothing" : text;
}

std::vector<AsyncStepSpec> async_callback_for(const WorkSpec& work) {
    if (work.kind == WorkKind::sleep && !work.fails) {
        return {AsyncStepSpec::await_for(work.seconds)};
    }
    return {AsyncStepSpec::running(work)};
}

}  // namespace threadlab
