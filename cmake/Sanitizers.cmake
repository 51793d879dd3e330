# TSan cannot be combined with ASan, so each sanitizer gets its own build folder (see CMakePresets.json).
# Both sanitizer presets build without NDEBUG (the engine's asserts, such as the accounting's single
# writer, run there) and with libstdc++'s own checks (_GLIBCXX_ASSERTIONS: bounds of operator[],
# front() of an empty container, ...).
if(THREADLAB_SANITIZER STREQUAL "thread" OR THREADLAB_SANITIZER STREQUAL "address")
  add_compile_definitions(_GLIBCXX_ASSERTIONS)
endif()
if(THREADLAB_SANITIZER STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
elseif(THREADLAB_SANITIZER STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 reports false -Wmaybe-uninitialized in libstdc++'s <regex> (included by Catch2) once
    # the sanitizers change inlining; the plain and TSan builds keep the warning.
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
  if(THREADLAB_BUILD_FUZZERS)
    # The libFuzzer targets share this build with the tests: libFuzzer's coverage everywhere, its
    # main() only in the fuzz targets (tests/fuzz), so the engine is compiled once for both.
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
      message(FATAL_ERROR "THREADLAB_BUILD_FUZZERS needs clang (use the 'asan' preset)")
    endif()
    add_compile_options(-fsanitize=fuzzer-no-link)
  endif()
elseif(NOT THREADLAB_SANITIZER STREQUAL "")
  message(FATAL_ERROR "THREADLAB_SANITIZER must be empty, 'thread' or 'address', not '${THREADLAB_SANITIZER}'")
endif()
