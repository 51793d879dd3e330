#pragma once
// Work of kind `process`: what a Panel callback does with the user's own ProcessPoolExecutor.
//  - sync callback on a pool thread:   result = pool.submit(f, data).result()
//  - async callback on the event loop: result = await loop.run_in_executor(pool, f, data)
// The arguments are pickled in the caller (CPU-bound Python: it holds the caller's GIL while the
// GIL is on), the job runs in a process with its own GIL, the caller waits without holding the
// GIL (interrupted by a cancel or stop), and the result is unpickled in the caller (the GIL again).

#include "process_pool.hpp"
#include "work.hpp"

namespace threadlab {

/// `spec.seconds` of CPU-bound Python in one of `pool`'s processes, `spec.fails` failing there.
/// The transfer cost each way is the pool's setting at the moment the work starts.
Work make_process_work(WorkSpec spec, ProcessPool& pool);

}  // namespace threadlab
