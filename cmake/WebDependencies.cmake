# The web build (emscripten): Debian's header-only libraries, without their /usr/include.
# Their CMake packages would put /usr/include on the include path, whose glibc headers must never
# reach emscripten's compiler (it has its own C library). So each library's own folder is linked
# into a folder of the build and used from there.
set(THREADLAB_WEB_INCLUDE ${CMAKE_BINARY_DIR}/_deps/include)
file(MAKE_DIRECTORY ${THREADLAB_WEB_INCLUDE})
foreach(library nlohmann catch2)
  if(NOT EXISTS /usr/include/${library})
    message(FATAL_ERROR "/usr/include/${library} is missing: run bash scripts/install-deps.sh")
  endif()
  file(CREATE_LINK /usr/include/${library} ${THREADLAB_WEB_INCLUDE}/${library} SYMBOLIC)
endforeach()

add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED GLOBAL)
target_include_directories(nlohmann_json::nlohmann_json SYSTEM INTERFACE ${THREADLAB_WEB_INCLUDE})
add_library(Catch2::Catch2 INTERFACE IMPORTED GLOBAL)
target_include_directories(Catch2::Catch2 SYSTEM INTERFACE ${THREADLAB_WEB_INCLUDE})

# Threads in WebAssembly: every object file and every link (shared memory needs atomics
# everywhere); exceptions are off by default in emscripten, and the engine catches some.
add_compile_options(-pthread -fexceptions)
add_link_options(-pthread -fexceptions)
# So Threads::Threads adds nothing. FindThreads would spend 4 s of the configure step (one core of
# two idle) linking a test program with emcc to learn what -pthread already says.
add_library(Threads::Threads INTERFACE IMPORTED GLOBAL)
