#include "parallel.h"

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

namespace neardup {

int ResolveThreads(int threads) {
  if (threads > 0) return threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

bool ParallelFor(size_t n, int workers, size_t grain,
                 const std::function<void(size_t index, int worker)>& body,
                 const LoopControl& control) {
  grain = std::max<size_t>(1, grain);
  workers = std::max(
      1, std::min<int>(workers, static_cast<int>((n + grain - 1) / grain)));
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  std::atomic<bool> cancelled{false};
  using Clock = std::chrono::steady_clock;
  const auto interval =
      std::chrono::milliseconds(std::max(1, control.progress_interval_ms));
  Clock::time_point last_report = Clock::now();
  const auto run = [&](int worker) {
    for (;;) {
      if (control.cancel != nullptr &&
          control.cancel->load(std::memory_order_relaxed)) {
        cancelled.store(true, std::memory_order_relaxed);
        return;
      }
      const size_t begin = next.fetch_add(grain);
      if (begin >= n) return;
      const size_t end = std::min(n, begin + grain);
      for (size_t index = begin; index < end; ++index) body(index, worker);
      const size_t finished =
          done.fetch_add(end - begin, std::memory_order_relaxed) + end - begin;
      if (worker == 0 && control.progress) {
        const Clock::time_point now = Clock::now();
        if (now - last_report >= interval) {
          last_report = now;
          control.progress(finished);
        }
      }
    }
  };
  if (workers <= 1) {
    run(0);
  } else {
    std::vector<std::thread> pool;
    for (int w = 1; w < workers; ++w) pool.emplace_back(run, w);
    run(0);
    for (auto& thread : pool) thread.join();
  }
  // Every index handed out was run, so a cancel that came after the last
  // chunk was taken cancelled nothing.
  return !cancelled.load() || done.load() == n;
}

}  // namespace neardup
