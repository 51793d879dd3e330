#pragma once
// How many bytes of the heap the program holds right now, as the allocator counts them.

#include <cstddef>
#include <optional>

namespace threadlab {

/// Bytes handed out by malloc and not yet freed, over every arena, mmapped blocks included; empty
/// where the C library does not say. Unlike the resident set, this does not move with the
/// allocator's own bookkeeping (per-thread arenas, pages kept for reuse), so a leak shows here and
/// fragmentation does not: the soak test watches it.
std::optional<std::size_t> heap_bytes_in_use();

}  // namespace threadlab
