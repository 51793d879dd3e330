# Unity builds join a target's sources into files of CMAKE_UNITY_BUILD_BATCH_SIZE (16) each. For
# the two largest targets that left one large file building alone at the end on a 2-core machine
# (the engine tests: 25 of 31 files in one, 26-34 s, while the other core had nothing left to do).
# Files of about equal size pack the two cores instead.

# threadlab_unity_batches(target count): the target's sources in `count` unity files of about
# equal size.
function(threadlab_unity_batches target count)
  get_target_property(sources ${target} SOURCES)
  list(FILTER sources INCLUDE REGEX "\\.(c|cc|cpp|cxx)$")
  list(LENGTH sources source_count)
  if(source_count GREATER 0)
    math(EXPR batch_size "(${source_count} + ${count} - 1) / ${count}")
    set_target_properties(${target} PROPERTIES UNITY_BUILD_BATCH_SIZE ${batch_size})
  endif()
endfunction()
