# The engine tests as WebAssembly, run by node (the preset's CMAKE_CROSSCOMPILING_EMULATOR, with
# --no-experimental-fetch: emscripten 3.1.6 would load the .wasm with node 20's fetch(), which
# takes no file paths).
# main() runs on a thread of its own (PROXY_TO_PTHREAD): node's main thread must stay free, since
# in emscripten a new thread is started by a message that thread answers, and the tests wait for
# the threads they start. One ctest entry per tag (each node start loads the module once).
# -O1 at the link: the release preset's -O3 would spend a minute in wasm-opt on a test program.
target_link_options(threadlab_tests PRIVATE -O1
  -sPROXY_TO_PTHREAD -sEXIT_RUNTIME=1 -sENVIRONMENT=node
  -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=256MB -sMAXIMUM_MEMORY=2GB
  -sPTHREAD_POOL_SIZE=8)
set(THREADLAB_WEB_TEST_TAGS pool on-demand session world stress lesson platform race)
foreach(tag ${THREADLAB_WEB_TEST_TAGS})
  add_test(NAME wasm.${tag} COMMAND threadlab_tests "[${tag}]" --use-colour no)
  set_tests_properties(wasm.${tag} PROPERTIES TIMEOUT 600 LABELS wasm)
endforeach()
# The lessons measure the wall clock and real interleavings (lost updates need two threads
# running at once): alone on the machine, as the desktop lessons run in ci.
set_tests_properties(wasm.lesson PROPERTIES RUN_SERIAL TRUE)

# The page in Debian's Chromium, driven over the DevTools protocol (tests/web/browser_test.mjs).
if(TARGET threadlab)
  add_test(NAME browser.page
    COMMAND node --experimental-websocket --no-warnings ${CMAKE_CURRENT_SOURCE_DIR}/web/browser_test.mjs
            $<TARGET_FILE_DIR:threadlab> ${CMAKE_BINARY_DIR}/browser-test.png)
  set_tests_properties(browser.page PROPERTIES TIMEOUT 300 LABELS browser RUN_SERIAL TRUE)
endif()
