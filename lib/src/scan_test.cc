// Scan's progress reports and cancellation. What Scan finds is tested on the
// seed corpus and SaudiNewsNet in tests/.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "neardup/neardup.h"
#include "test_words.h"

namespace neardup {
namespace {

using ::neardup::testing::Words;

// Pairs of documents sharing a 60-word passage, 200 documents in all.
std::vector<Document> Collection() {
  std::vector<Document> documents;
  for (int d = 0; d < 200; ++d) {
    const int shared = 1000 * (d / 2);
    documents.push_back(
        {"doc" + std::to_string(d), Words(500000 + 1000 * d, 30) + " " +
                                        Words(shared, 60) + " " +
                                        Words(700000 + 1000 * d, 30)});
  }
  return documents;
}

TEST(ScanTest, ReportsEachStageInOrderOnTheCallingThread) {
  const std::thread::id caller = std::this_thread::get_id();
  std::vector<std::string> stages;
  std::vector<ScanProgress> ends;
  bool other_thread = false;
  ScanOptions options;
  options.threads = 2;
  options.progress = [&](const ScanProgress& at) {
    if (std::this_thread::get_id() != caller) other_thread = true;
    EXPECT_LE(at.done, at.total);
    if (stages.empty() || stages.back() != at.stage) {
      stages.emplace_back(at.stage);
    }
    if (at.done == at.total) ends.push_back(at);
  };
  auto result = Scan(Collection(), options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->pairs.size(), 100u);
  EXPECT_FALSE(other_thread);
  EXPECT_EQ(stages,
            (std::vector<std::string>{"analysing", "sketching",
                                      "finding candidates", "aligning"}));
  ASSERT_FALSE(ends.empty());
  EXPECT_EQ(ends.back().stage, "aligning");
  EXPECT_EQ(ends.back().total, result->stats.candidate_pairs);
}

TEST(ScanTest, CancelledScanReturnsCancelled) {
  std::atomic<bool> cancel{true};
  ScanOptions options;
  options.cancel = &cancel;
  auto result = Scan(Collection(), options);
  EXPECT_TRUE(absl::IsCancelled(result.status())) << result.status();
}

TEST(ScanTest, CancelDuringAlignmentStopsIt) {
  std::atomic<bool> cancel{false};
  ScanOptions options;
  options.threads = 1;
  options.cancel = &cancel;
  options.progress = [&](const ScanProgress& at) {
    if (at.stage == "aligning") cancel = true;
  };
  auto result = Scan(Collection(), options);
  EXPECT_TRUE(absl::IsCancelled(result.status())) << result.status();
}

}  // namespace
}  // namespace neardup
