#include "parallel.h"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace neardup {
namespace {

TEST(ParallelForTest, RunsEveryIndexOnceOnAnyNumberOfWorkers) {
  for (int workers : {1, 2, 4}) {
    std::vector<std::atomic<int>> runs(1000);
    EXPECT_TRUE(ParallelFor(runs.size(), workers, 7,
                            [&](size_t i, int) { ++runs[i]; }));
    for (const std::atomic<int>& count : runs) EXPECT_EQ(count.load(), 1);
  }
}

TEST(ParallelForTest, CancelStopsHandingOutWork) {
  for (int workers : {1, 3}) {
    std::atomic<bool> cancel{false};
    std::atomic<size_t> runs{0};
    LoopControl control;
    control.cancel = &cancel;
    const bool finished = ParallelFor(
        100000, workers, 1,
        [&](size_t i, int) {
          ++runs;
          if (i == 10) cancel = true;
        },
        control);
    EXPECT_FALSE(finished);
    // Each worker finishes at most the chunk it holds.
    EXPECT_LT(runs.load(), 100u);
  }
}

TEST(ParallelForTest, CancelAfterTheLastChunkIsNotACancellation) {
  std::atomic<bool> cancel{false};
  LoopControl control;
  control.cancel = &cancel;
  EXPECT_TRUE(ParallelFor(
      10, 1, 1, [&](size_t i, int) { cancel = i == 9; }, control));
}

TEST(ParallelForTest, ProgressIsReportedOnTheCallingThread) {
  const std::thread::id caller = std::this_thread::get_id();
  std::vector<size_t> reported;
  bool other_thread = false;
  LoopControl control;
  control.progress_interval_ms = 1;
  control.progress = [&](size_t done) {
    if (std::this_thread::get_id() != caller) other_thread = true;
    reported.push_back(done);
  };
  ParallelFor(
      200, 2, 1,
      [](size_t, int) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      },
      control);
  EXPECT_FALSE(other_thread);
  ASSERT_FALSE(reported.empty());
  for (size_t i = 1; i < reported.size(); ++i) {
    EXPECT_LE(reported[i - 1], reported[i]);
  }
  EXPECT_LE(reported.back(), 200u);
}

// Loops inside loops, and loops started by several threads at once, run
// every index: the kept threads are taken only when idle.
TEST(ParallelForTest, NestedAndConcurrentLoopsRunEveryIndex) {
  constexpr size_t kOuter = 8, kInner = 500;
  std::vector<std::atomic<int>> runs(kOuter * kInner);
  std::vector<std::thread> callers;
  for (int c = 0; c < 2; ++c) {
    callers.emplace_back([&] {
      ParallelFor(kOuter, 4, 1, [&](size_t outer, int) {
        ParallelFor(kInner, 3, 7, [&](size_t inner, int) {
          runs[outer * kInner + inner].fetch_add(1);
        });
      });
    });
  }
  for (std::thread& caller : callers) caller.join();
  for (const std::atomic<int>& r : runs) EXPECT_EQ(r.load(), 2);
}

// A child made by fork() after loops ran (the parent's kept threads do not
// exist there) runs loops with threads of its own.
TEST(ParallelForTest, RunsInAChildMadeByFork) {
  std::atomic<size_t> sum{0};
  ParallelFor(100, 4, 1, [&](size_t i, int) { sum += i; });
  ASSERT_EQ(sum.load(), 4950u);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    alarm(10);  // a hang ends the child by SIGALRM: a failure, not a hang
    std::atomic<size_t> child_sum{0};
    ParallelFor(1000, 4, 1, [&](size_t i, int) { child_sum += i; });
    _exit(child_sum.load() == 499500 ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << status;  // not hung, not crashed
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace neardup
