# The web build's Dear ImGui: Debian's libimgui-dev has an x86 library only, so its sources of the
# same version (1.86) come from Debian's source package (scripts/fetch-imgui.sh, at configure time;
# never committed): the machine's copy that scripts/install-deps.sh fetched, or else fetched into
# the build folder. They are compiled here for WebAssembly.
# GLFW is emscripten's own (3.2, on the canvas).
set(THREADLAB_IMGUI_SOURCE_DIR "" CACHE PATH "Dear ImGui 1.86's sources (empty: fetched into the build folder)")
if(NOT THREADLAB_IMGUI_SOURCE_DIR)
  execute_process(
    COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/fetch-imgui.sh ${CMAKE_BINARY_DIR}/_deps
    OUTPUT_VARIABLE fetched OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "could not fetch Dear ImGui's sources (scripts/fetch-imgui.sh failed, see above)")
  endif()
  string(REGEX REPLACE ".*\n" "" fetched "${fetched}")
  set(THREADLAB_IMGUI_SOURCE_DIR ${fetched} CACHE PATH "Dear ImGui 1.86's sources (empty: fetched into the build folder)" FORCE)
endif()
set(imgui ${THREADLAB_IMGUI_SOURCE_DIR})
add_library(threadlab_imgui STATIC
  ${imgui}/imgui.cpp ${imgui}/imgui_draw.cpp ${imgui}/imgui_tables.cpp ${imgui}/imgui_widgets.cpp
  ${imgui}/backends/imgui_impl_glfw.cpp ${imgui}/backends/imgui_impl_opengl3.cpp)
# The same include layout as libimgui-dev: <imgui.h> and <backends/imgui_impl_glfw.h>.
target_include_directories(threadlab_imgui SYSTEM PUBLIC ${imgui})
# 1.86's OpenGL3 backend does not pick WebGL 2 (GLES 3) by itself; the test-engine hooks let the
# browser test find buttons (src/web/item_locator.cpp). Not a unity build: imgui's own files.
target_compile_definitions(threadlab_imgui PUBLIC IMGUI_IMPL_OPENGL_ES3 IMGUI_ENABLE_TEST_ENGINE)
set_target_properties(threadlab_imgui PROPERTIES UNITY_BUILD OFF)
# Chromium answers some WebGL state queries with a round trip to its GPU process, about 20 ms a
# frame for the backend's per-frame state backup; a shadow copy answers them (see the header).
set_source_files_properties(${imgui}/backends/imgui_impl_opengl3.cpp PROPERTIES
  COMPILE_OPTIONS "-include;${PROJECT_SOURCE_DIR}/src/web/webgl_state_cache.hpp"
  OBJECT_DEPENDS ${PROJECT_SOURCE_DIR}/src/web/webgl_state_cache.hpp)

add_library(threadlab_glfw INTERFACE)
target_link_options(threadlab_glfw INTERFACE -sUSE_GLFW=3)
