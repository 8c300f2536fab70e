// Compare's progress reports and cancellation. What Compare finds is tested
// on the seed corpus in tests/.
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

TEST(CompareTest, ReportsEachStageOnTheCallingThread) {
  const std::thread::id caller = std::this_thread::get_id();
  std::vector<std::string> reports;
  CompareOptions options;
  options.progress = [&](const Progress& at) {
    EXPECT_EQ(std::this_thread::get_id(), caller);
    reports.push_back(std::string(at.stage) + " " + std::to_string(at.done) +
                      "/" + std::to_string(at.total));
  };
  const auto passages = Compare(Words(0, 50), Words(0, 50), options);
  ASSERT_TRUE(passages.ok());
  EXPECT_EQ(passages->size(), 1u);
  EXPECT_EQ(reports, (std::vector<std::string>{"analysing 0/2", "analysing 1/2",
                                               "analysing 2/2", "aligning 0/1",
                                               "aligning 1/1"}));
}

TEST(CompareTest, CancelStopsAtTheNextStage) {
  std::atomic<bool> cancel{false};
  CompareOptions options;
  options.cancel = &cancel;
  options.progress = [&](const Progress& at) {
    if (at.stage == "analysing" && at.done == 1) cancel = true;
  };
  const auto passages = Compare(Words(0, 50), Words(0, 50), options);
  EXPECT_EQ(passages.status().code(), absl::StatusCode::kCancelled);
}

TEST(CompareTest, VersionMatchesTheHeaders) {
  EXPECT_EQ(Version(), NEARDUP_VERSION_STRING);
  EXPECT_EQ(NEARDUP_VERSION_NUMBER, NEARDUP_VERSION_MAJOR * 10000 +
                                        NEARDUP_VERSION_MINOR * 100 +
                                        NEARDUP_VERSION_PATCH);
}

}  // namespace
}  // namespace neardup
