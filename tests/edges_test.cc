// `neardup compare` on passages planted between unrelated text in many
// scripts: the reported byte spans are the passage (precision and recall
// >= 0.95 on both sides), and short texts that are wholly shared are a pair
// while a stock phrase shared by two long texts is not.
#include <unistd.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "planted_text.h"
#include "test_util.h"
#include "test_words.h"

namespace neardup {
namespace {

using ::neardup::testing::Lines;
using ::neardup::testing::RunCommand;
using ::neardup::testing::Words;
using ::neardup::testing::WriteFile;

class EdgesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("neardup-edges-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs `neardup compare --format tsv` on two texts; returns its exit
  // status and fills the passages' byte spans in a and in b.
  int Compare(const std::string& a, const std::string& b,
              std::vector<std::pair<size_t, size_t>>* a_spans,
              std::vector<std::pair<size_t, size_t>>* b_spans) {
    const std::string a_path = (dir_ / "a.txt").string();
    const std::string b_path = (dir_ / "b.txt").string();
    WriteFile(a_path, a);
    WriteFile(b_path, b);
    std::string out;
    const int status =
        RunCommand(std::string(NEARDUP_CLI) + " compare -q --format tsv " +
                       a_path + " " + b_path,
                   &out);
    a_spans->clear();
    b_spans->clear();
    const std::vector<std::string> lines = Lines(out);
    for (size_t k = 1; k < lines.size(); ++k) {  // after the header
      const std::vector<std::string> fields = absl::StrSplit(lines[k], '\t');
      EXPECT_EQ(fields.size(), 11u) << lines[k];
      if (fields.size() != 11) continue;
      size_t values[4];
      const int columns[4] = {1, 2, 6, 7};
      for (int c = 0; c < 4; ++c) {
        EXPECT_TRUE(absl::SimpleAtoi(fields[columns[c]], &values[c]))
            << lines[k];
      }
      a_spans->emplace_back(values[0], values[1]);
      b_spans->emplace_back(values[2], values[3]);
    }
    return status;
  }

  std::filesystem::path dir_;
};

TEST_F(EdgesTest, PlantedPassageSpansAreExactInEveryScript) {
  for (const testing::Language& language : testing::PlantedLanguages()) {
    SCOPED_TRACE(language.name);
    const testing::PlantedPair pair =
        testing::PlantPassage(language, 50, 80, 20261129);
    std::vector<std::pair<size_t, size_t>> a_spans, b_spans;
    EXPECT_EQ(Compare(pair.a, pair.b, &a_spans, &b_spans), 0);
    const auto a = testing::MeasureSpans(a_spans, pair.a_begin, pair.a_end);
    const auto b = testing::MeasureSpans(b_spans, pair.b_begin, pair.b_end);
    EXPECT_GE(a.precision, 0.95);
    EXPECT_GE(a.recall, 0.95);
    EXPECT_GE(b.precision, 0.95);
    EXPECT_GE(b.recall, 0.95);
  }
}

TEST_F(EdgesTest, TwoIdenticalShortPostsAreAPair) {
  const std::string post = Words(100, 19) + ".";
  std::vector<std::pair<size_t, size_t>> a_spans, b_spans;
  ASSERT_EQ(Compare(post, post, &a_spans, &b_spans), 0);
  ASSERT_EQ(a_spans.size(), 1u);
  EXPECT_EQ(a_spans[0], std::make_pair(size_t{0}, post.size() - 1));
}

TEST_F(EdgesTest, HeadlineCopiedIntoAnArticleIsAPair) {
  const std::string headline = Words(500, 12);
  const std::string article =
      Words(1000, 150) + ". " + headline + ". " + Words(2000, 150) + ".";
  std::vector<std::pair<size_t, size_t>> a_spans, b_spans;
  ASSERT_EQ(Compare(headline, article, &a_spans, &b_spans), 0);
  ASSERT_EQ(a_spans.size(), 1u);
  EXPECT_EQ(a_spans[0], std::make_pair(size_t{0}, headline.size()));
  const size_t at = article.find(headline);
  EXPECT_EQ(b_spans[0], std::make_pair(at, at + headline.size()));
}

TEST_F(EdgesTest, TitleSharedByTwoLongArticlesIsNotAPair) {
  const std::string title = Words(500, 10);
  const std::string a =
      Words(1000, 150) + ". " + title + ". " + Words(2000, 150) + ".";
  const std::string b =
      Words(3000, 150) + ". " + title + ". " + Words(4000, 150) + ".";
  std::vector<std::pair<size_t, size_t>> a_spans, b_spans;
  EXPECT_EQ(Compare(a, b, &a_spans, &b_spans), 1);
  EXPECT_TRUE(a_spans.empty());
}

}  // namespace
}  // namespace neardup
