# Every ThreadLab target links threadlab_warnings; third-party headers are included as SYSTEM.
add_library(threadlab_warnings INTERFACE)
target_compile_options(threadlab_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Woverloaded-virtual)
if(THREADLAB_WARNINGS_AS_ERRORS)
  target_compile_options(threadlab_warnings INTERFACE -Werror)
endif()
