#pragma once
// Letting the other threads run now: the lost-updates lesson's racy counter does it between its
// read and its write, so that the interleaving it teaches happens on every run.

namespace threadlab {

/// std::this_thread::yield() where it gives up the core (Linux); in the browser, where yield does
/// nothing (a Web Worker has no scheduler to ask), the shortest real sleep (Atomics.wait).
void yield_to_other_threads();

}  // namespace threadlab
