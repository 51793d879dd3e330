#pragma once
// The built-in lessons: scenario files with a lesson text, from assets/lessons/, compiled into
// the program so that it runs anywhere without its asset folder.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scenario.hpp"

namespace threadlab {

struct BuiltInLesson {
    std::string_view name;
    std::string_view json;
};

/// Every built-in lesson, in the order a workshop takes them.
std::vector<BuiltInLesson> built_in_lessons();

/// The lesson's scenario. Throws ScenarioError naming the known lessons for an unknown name.
Scenario load_lesson(std::string_view name);

/// The files as CMake embedded them (alphabetical); generated into lessons_data.cpp.
std::span<const BuiltInLesson> embedded_lesson_files();

}  // namespace threadlab
