// Compiled only to build the tests' precompiled header (tests/CMakeLists.txt,
// threadlab_test_headers), which the engine's tests and the dashboard's reuse.
