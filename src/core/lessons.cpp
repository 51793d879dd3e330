#include "lessons.hpp"

#include <algorithm>
#include <array>

namespace threadlab {

namespace {
// The curriculum: from the seeds' two outputs to what goes wrong under load.
constexpr std::array<std::string_view, 17> curriculum = {
    "single-threaded",     "pool-of-two",         "more-threads-than-work", "runner-per-session",
    "silent-thread-death", "clean-up-on-destroy", "closing-a-tab",          "waiting-well",
    "the-gil",             "processes-vs-gil",    "resize-under-load",      "lost-updates",
    "overload",            "debounce",            "async-interleaving",     "blocking-the-loop",
    "back-to-the-page",
};
}  // namespace

std::vector<BuiltInLesson> built_in_lessons() {
    const auto files = embedded_lesson_files();
    std::vector<BuiltInLesson> lessons;
    for (const auto name : curriculum) {
        const auto found = std::find_if(files.begin(), files.end(), [&](const auto& file) { return file.name == name; });
        if (found != files.end()) {
            lessons.push_back(*found);
        }
    }
    // A lesson file that is not in the curriculum yet still counts, after the others.
    for (const auto& file : files) {
        if (std::find(curriculum.begin(), curriculum.end(), file.name) == curriculum.end()) {
            lessons.push_back(file);
        }
    }
    return lessons;
}

Scenario load_lesson(std::string_view name) {
    std::string known;
    for (const auto& lesson : built_in_lessons()) {
        if (lesson.name == name) {
            return parse_scenario(lesson.json, "lesson " + std::string(name));
        }
        known += (known.empty() ? "" : ", ") + std::string(lesson.name);
    }
    throw ScenarioError("no lesson named \"" + std::string(name) + "\" (the lessons are: " + known + ")");
}

}  // namespace threadlab
