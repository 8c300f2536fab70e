// A minimal parallel loop: the library's only threading primitive.
#ifndef NEARDUP_SRC_PARALLEL_H_
#define NEARDUP_SRC_PARALLEL_H_

#include <atomic>
#include <cstddef>
#include <functional>

namespace neardup {

// Number of workers for a `threads` option: itself when positive, else one
// per hardware thread (at least 1).
int ResolveThreads(int threads);

// Watching and stopping a ParallelFor from outside.
struct LoopControl {
  // Once *cancel is true, no new chunk of indices is started.
  const std::atomic<bool>* cancel = nullptr;
  // Called with the number of indices done so far, on the calling thread
  // only, at most about every `progress_interval_ms` (checked after each
  // chunk that thread runs).
  std::function<void(size_t done)> progress;
  int progress_interval_ms = 100;
};

// Calls body(index, worker) for every index in [0, n), on `workers` threads
// (worker in [0, workers); worker 0 is the calling thread), handing out
// indices in chunks of `grain`. Results must go to per-index slots: which
// worker runs an index varies from run to run, so output built that way is
// the same on 1 or N threads.
//
// Returns false if the loop was cancelled before every index was run.
bool ParallelFor(size_t n, int workers, size_t grain,
                 const std::function<void(size_t index, int worker)>& body,
                 const LoopControl& control = {});

}  // namespace neardup

#endif  // NEARDUP_SRC_PARALLEL_H_
