# Unity builds join a target's sources into files of CMAKE_UNITY_BUILD_BATCH_SIZE (16) each. For
# the two largest targets that left one large file building alone at the end on a 2-core machine
# (the engine tests: 25 of 31 files in one, 26-34 s, while the other core had nothing left to do).
# Files of about equal size pack the two cores instead.
#
# A heavy header's templates are instantiated, optimised and emitted once per unity file that uses
# them: the JSON library's parser and value type cost 4-7 s in each file that includes it (scenario,
# chrome_trace and summary_json took 8-9 s each alone, 16 s as one file). The files that match
# TOGETHER share one unity file of their own, so that is paid once per build.

# The files that include the JSON library (directly or through json_document.hpp).
set(THREADLAB_JSON_INCLUDES "^#include [<\"](nlohmann/|(core/)?json_document\\.hpp)")

# threadlab_unity_batches(target count [TOGETHER regex]): the target's sources in `count` unity
# files; those with a line matching `regex` (an #include) in one of them, the rest in the others,
# in equal numbers.
function(threadlab_unity_batches target count)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "TOGETHER" "")
  get_target_property(sources ${target} SOURCES)
  list(FILTER sources INCLUDE REGEX "\\.(c|cc|cpp|cxx)$")
  set(together "")
  set(others "")
  foreach(source ${sources})
    set(path ${source})
    if(NOT IS_ABSOLUTE ${path})
      set(path ${CMAKE_CURRENT_SOURCE_DIR}/${source})
    endif()
    set(matches "")
    if(arg_TOGETHER)
      file(STRINGS ${path} matches REGEX "${arg_TOGETHER}" LIMIT_COUNT 1)
    endif()
    if(matches)
      list(APPEND together ${source})
    else()
      list(APPEND others ${source})
    endif()
  endforeach()
  set(batches ${count})
  if(together)
    set_source_files_properties(${together} PROPERTIES UNITY_GROUP "${target}_together")
    math(EXPR batches "${count} - 1")
  endif()
  list(LENGTH others other_count)
  if(other_count EQUAL 0)
    # Nothing else to group.
  elseif(batches LESS 1)
    set_source_files_properties(${others} PROPERTIES UNITY_GROUP "${target}_together")
  else()
    math(EXPR batch_size "(${other_count} + ${batches} - 1) / ${batches}")
    set(index 0)
    foreach(source ${others})
      math(EXPR batch "${index} / ${batch_size}")
      set_source_files_properties(${source} PROPERTIES UNITY_GROUP "${target}_${batch}")
      math(EXPR index "${index} + 1")
    endforeach()
  endif()
  set_target_properties(${target} PROPERTIES UNITY_BUILD_MODE GROUP)
endfunction()
