# Precompiled headers. Nearly every file includes the same part of the standard library (and every
# test file Catch2, every dashboard file Dear ImGui), which GCC would otherwise parse again for
# each of them: about 2 of a typical file's 5-8 s on this machine.
set(THREADLAB_COMMON_HEADERS
  <algorithm> <atomic> <chrono> <condition_variable> <cstdint> <deque> <functional> <map>
  <memory> <mutex> <optional> <string> <thread> <vector>)

# threadlab_precompile_headers(target [more headers...])
function(threadlab_precompile_headers target)
  target_precompile_headers(${target} PRIVATE ${THREADLAB_COMMON_HEADERS} ${ARGN})
endfunction()

# threadlab_reuse_precompiled_headers(target from): the target compiles with the other target's
# precompiled header instead of building its own (4-7 s each). Only where the two compile with the
# same flags: -Winvalid-pch, an error with the warnings, says when a change breaks that.
function(threadlab_reuse_precompiled_headers target from)
  set_target_properties(${target} PROPERTIES PRECOMPILE_HEADERS_REUSE_FROM ${from})
endfunction()
