// A minimal parallel loop: the library's only threading primitive.
#ifndef NEARDUP_SRC_PARALLEL_H_
#define NEARDUP_SRC_PARALLEL_H_

#include <cstddef>
#include <functional>

namespace neardup {

// Number of workers for a `threads` option: itself when positive, else one
// per hardware thread (at least 1).
int ResolveThreads(int threads);

// Calls body(index, worker) for every index in [0, n), on `workers` threads
// (worker in [0, workers)), handing out indices in chunks of `grain`.
// Results must go to per-index slots: which worker runs an index varies from
// run to run, so output built that way is the same on 1 or N threads.
void ParallelFor(size_t n, int workers, size_t grain,
                 const std::function<void(size_t index, int worker)>& body);

}  // namespace neardup

#endif  // NEARDUP_SRC_PARALLEL_H_
