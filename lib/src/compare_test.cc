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

// One sentence shared whole, with a word ("في", "in") repeated in it: the
// repeats chain across the shared passage, and what trimming left of that
// chain, a single "في" inside the passage on both sides, is not a second
// passage (a tester's case, at --min-tokens 5).
TEST(CompareTest, NoPassageInsideAnotherOnBothSides) {
  const std::string sentence =
      "في يوم الاثنين أعلنت الحكومة عن خطة جديدة لتطوير التعليم في جميع "
      "المدارس الحكومية والخاصة، وقال الوزير إن الخطة ستبدأ في العام المقبل "
      "وتشمل تدريب المعلمين وتحديث المناهج وبناء مدارس جديدة في المناطق "
      "الريفية.";
  const std::string a = "مقدمة مختلفة تماما عن الموضوع. " + sentence +
                        " خاتمة أخرى لا علاقة لها.";
  const std::string b = "Some unrelated English intro here. " + sentence +
                        " And an unrelated ending too.";
  CompareOptions options;
  options.align.min_tokens = 5;
  const auto passages = Compare(a, b, options);
  ASSERT_TRUE(passages.ok()) << passages.status();
  ASSERT_EQ(passages->size(), 1u);
  const Passage& p = (*passages)[0];
  EXPECT_EQ(a.substr(p.a.begin, p.a.end - p.a.begin),
            sentence.substr(0, sentence.size() - 1));
  EXPECT_EQ(b.substr(p.b.begin, p.b.end - p.b.begin),
            sentence.substr(0, sentence.size() - 1));
}

}  // namespace
}  // namespace neardup
