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
  # GCC 12 reports false -Wmaybe-uninitialized in libstdc++'s <regex> (included by Catch2) once the
  # sanitizers change inlining; the plain and TSan builds keep the warning.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
                      -Wno-maybe-uninitialized)
  add_link_options(-fsanitize=address,undefined)
elseif(THREADLAB_SANITIZER STREQUAL "fuzzer")
  # Coverage instrumentation everywhere; only the fuzz targets link libFuzzer's main().
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "THREADLAB_SANITIZER=fuzzer needs clang (use the 'fuzz' preset)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
elseif(NOT THREADLAB_SANITIZER STREQUAL "")
  message(FATAL_ERROR "THREADLAB_SANITIZER must be empty, 'thread', 'address' or 'fuzzer', not '${THREADLAB_SANITIZER}'")
endif()
