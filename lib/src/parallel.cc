#include "parallel.h"

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <latch>
#include <mutex>
#include <thread>
#include <vector>

namespace neardup {
namespace {

// The threads of ParallelFor's workers beyond the caller, kept between
// loops: starting and ending a thread costs some 60 us here (a dedup of
// SaudiNewsNet ran ~150 loops), and a kept thread keeps its thread_local
// state (tokenize.cc's break iterator). A thread is taken when idle and
// another started when none is, so loops running at once (or nested) never
// wait for each other. The pool is never destroyed (its idle threads wait
// until the process exits); a child process made by fork() starts with a
// new, empty one, since the parent's threads do not exist there.
class ThreadPool {
 public:
  static ThreadPool& Get() {
    // instance_mutex is held across fork(), so that the child's copy is
    // unlocked and the child starts a pool of its own.
    static const bool registered = [] {
      pthread_atfork([] { instance_mutex.lock(); },
                     [] { instance_mutex.unlock(); },
                     [] {
                       instance = nullptr;  // the parent's, left as it is
                       instance_mutex.unlock();
                     });
      return true;
    }();
    (void)registered;
    std::lock_guard<std::mutex> lock(instance_mutex);
    if (instance == nullptr) instance = new ThreadPool;  // never deleted
    return *instance;
  }

  // Runs task on a thread of the pool.
  void Run(std::function<void()> task) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (idle_.empty()) {
      lock.unlock();
      auto* worker = new Worker;  // owned by its thread, which never ends
      worker->task = std::move(task);
      std::thread(&ThreadPool::Loop, this, worker).detach();
      return;
    }
    Worker* worker = idle_.back();
    idle_.pop_back();
    worker->task = std::move(task);
    lock.unlock();
    worker->wake.notify_one();
  }

 private:
  struct Worker {
    std::function<void()> task;  // set while it has one
    std::condition_variable wake;
  };

  void Loop(Worker* worker) {
    while (true) {
      worker->task();
      std::unique_lock<std::mutex> lock(mutex_);
      worker->task = nullptr;
      idle_.push_back(worker);
      worker->wake.wait(lock, [worker] { return worker->task != nullptr; });
    }
  }

  static inline std::mutex instance_mutex;
  static inline ThreadPool* instance = nullptr;
  std::mutex mutex_;
  std::vector<Worker*> idle_;
};

}  // namespace

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
    std::latch finished(workers - 1);
    ThreadPool& pool = ThreadPool::Get();
    for (int w = 1; w < workers; ++w) {
      pool.Run([&run, &finished, w] {
        run(w);
        finished.count_down();
      });
    }
    run(0);
    finished.wait();
  }
  // Every index handed out was run, so a cancel that came after the last
  // chunk was taken cancelled nothing.
  return !cancelled.load() || done.load() == n;
}

}  // namespace neardup
