#include "parallel.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace neardup {

int ResolveThreads(int threads) {
  if (threads > 0) return threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

void ParallelFor(size_t n, int workers, size_t grain,
                 const std::function<void(size_t index, int worker)>& body) {
  grain = std::max<size_t>(1, grain);
  workers = std::max(
      1, std::min<int>(workers, static_cast<int>((n + grain - 1) / grain)));
  std::atomic<size_t> next{0};
  const auto run = [&](int worker) {
    for (;;) {
      const size_t begin = next.fetch_add(grain);
      if (begin >= n) return;
      const size_t end = std::min(n, begin + grain);
      for (size_t index = begin; index < end; ++index) body(index, worker);
    }
  };
  if (workers <= 1) {
    run(0);
    return;
  }
  std::vector<std::thread> pool;
  for (int w = 1; w < workers; ++w) pool.emplace_back(run, w);
  run(0);
  for (auto& thread : pool) thread.join();
}

}  // namespace neardup
