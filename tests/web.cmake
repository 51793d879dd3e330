# The engine tests as WebAssembly, run by node (the preset's CMAKE_CROSSCOMPILING_EMULATOR, with
# --no-experimental-fetch: emscripten 3.1.6 would load the .wasm with node 20's fetch(), which
# takes no file paths). One ctest entry per tag (each node start loads the module once).
set(THREADLAB_WEB_TEST_TAGS pool on-demand session world stress lesson platform race)

# threadlab_web_test_sources(out sources...): the sources holding a test of those tags (11 of 31
# files: the others would double the build's compile time for tests it never runs).
function(threadlab_web_test_sources out)
  set(kept "")
  foreach(source ${ARGN})
    file(READ ${CMAKE_CURRENT_SOURCE_DIR}/${source} text)
    foreach(tag ${THREADLAB_WEB_TEST_TAGS})
      string(FIND "${text}" "[${tag}]" at)
      if(at GREATER -1)
        list(APPEND kept ${source})
        break()
      endif()
    endforeach()
  endforeach()
  set(${out} ${kept} PARENT_SCOPE)
endfunction()

# threadlab_add_web_tests(target): link options and the tests.
# main() runs on a thread of its own (PROXY_TO_PTHREAD): node's main thread must stay free, since
# in emscripten a new thread is started by a message that thread answers, and the tests wait for
# the threads they start.
# -O1 at the link: the release preset's -O3 would spend a minute in wasm-opt on a test program.
function(threadlab_add_web_tests target)
  target_link_options(${target} PRIVATE -O1
    -sPROXY_TO_PTHREAD -sEXIT_RUNTIME=1 -sENVIRONMENT=node
    -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=256MB -sMAXIMUM_MEMORY=2GB
    -sPTHREAD_POOL_SIZE=8)
  foreach(tag ${THREADLAB_WEB_TEST_TAGS})
    set(spec "[${tag}]")
    if(tag STREQUAL "lesson")
      # The two longest lessons (12 s of the 35) run natively only: what they add in the browser, a
      # pool resized under load and a session outliving its tab, the [pool] and [world] tags test.
      set(spec "[lesson]~[native-only]")
    endif()
    add_test(NAME wasm.${tag} COMMAND ${target} "${spec}" --use-colour no)
    set_tests_properties(wasm.${tag} PROPERTIES TIMEOUT 600 LABELS wasm)
  endforeach()
  # The lessons measure the wall clock and real interleavings (lost updates need two threads
  # running at once): alone on the machine. Beside the other tags, a Web Worker started for a pool
  # thread once took 2 s to load, and single-threaded's two clicks on a pool of two ran one after
  # the other.
  set_tests_properties(wasm.lesson PROPERTIES RUN_SERIAL TRUE)

  # The page in Debian's Chromium, driven over the DevTools protocol (tests/web/browser_test.mjs).
  if(TARGET threadlab)
    add_test(NAME browser.page
      COMMAND node --experimental-websocket --no-warnings ${CMAKE_CURRENT_SOURCE_DIR}/web/browser_test.mjs
              $<TARGET_FILE_DIR:threadlab> ${CMAKE_BINARY_DIR}/browser-test.png)
    # Alone too: beside the other tags it took 44 s instead of 27, and the web tests no less time
    # (85 s against 83, 2026-12-05): Chromium's software rendering and the wasm tests share the cores.
    set_tests_properties(browser.page PROPERTIES TIMEOUT 300 LABELS browser RUN_SERIAL TRUE)
  endif()
endfunction()
