#include "boilerplate.h"

#include <vector>

#include "align.h"
#include "gtest/gtest.h"

namespace neardup {
namespace {

AnalyzedText Keys(std::vector<uint64_t> keys) {
  AnalyzedText text;
  text.keys = std::move(keys);
  return text;
}

TEST(FrequentBigramsTest, CountsEachDocumentOnce) {
  std::vector<AnalyzedText> documents;
  // {1, 2} is in three documents (twice in the first); {7, 8} in one.
  documents.push_back(Keys({1, 2, 1, 2, 7, 8}));
  documents.push_back(Keys({5, 1, 2}));
  documents.push_back(Keys({1, 2, 9}));
  EXPECT_TRUE(FrequentBigrams(documents, 3).empty());
  const auto frequent = FrequentBigrams(documents, 2);
  EXPECT_EQ(frequent.size(), 1u);
  std::vector<uint8_t> flags;
  MarkBoilerplate(documents[2].keys, frequent, 0, &flags);
  EXPECT_EQ(flags, (std::vector<uint8_t>{1, 0, 0}));
}

TEST(MarkBoilerplateTest, TokenIsBoilerplateOnlyInsideFrequentText) {
  std::vector<AnalyzedText> documents;
  for (int d = 0; d < 5; ++d) documents.push_back(Keys({10, 11, 12, 13}));
  const auto frequent = FrequentBigrams(documents, 4);
  std::vector<uint8_t> flags;
  // 11 12 13 is frequent text; 20 and 21 are not; 12 sits between frequent
  // bigrams {11,12} and {12,13}.
  MarkBoilerplate(std::vector<uint64_t>{20, 11, 12, 13, 21}, frequent, 0,
                  &flags);
  EXPECT_EQ(flags, (std::vector<uint8_t>{0, 0, 1, 0, 0}));
}

std::vector<uint64_t> Range(uint64_t first, int n) {
  std::vector<uint64_t> keys;
  for (int k = 0; k < n; ++k) keys.push_back(first + k);
  return keys;
}

TEST(MarkBoilerplateTest, LongFrequentRunIsAPassageNotBoilerplate) {
  // Five documents carry a 10-word title and a 50-word story, each between
  // text of their own.
  std::vector<AnalyzedText> documents;
  const std::vector<uint64_t> title = Range(1, 10), story = Range(100, 50);
  for (uint64_t d = 0; d < 5; ++d) {
    std::vector<uint64_t> keys = Range(1000 * (d + 1), 20);
    keys.insert(keys.end(), title.begin(), title.end());
    const std::vector<uint64_t> middle = Range(1000 * (d + 1) + 500, 20);
    keys.insert(keys.end(), middle.begin(), middle.end());
    keys.insert(keys.end(), story.begin(), story.end());
    documents.push_back(Keys(keys));
  }
  const auto frequent = FrequentBigrams(documents, 4);
  std::vector<uint8_t> flags;
  std::vector<BoilerplateRun> runs;
  MarkBoilerplate(documents[0].keys, frequent, 40, &flags, &runs);
  // The title's 8 interior words are boilerplate; the story is not.
  int flagged = 0;
  for (uint8_t flag : flags) flagged += flag;
  EXPECT_EQ(flagged, 8);
  EXPECT_EQ(flags[21], 1);
  EXPECT_EQ(flags[70], 0);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].tokens.begin, 20u);
  EXPECT_EQ(runs[0].tokens.end, 30u);
  // With no length limit the story is boilerplate too.
  MarkBoilerplate(documents[0].keys, frequent, 0, &flags, &runs);
  EXPECT_EQ(flags[70], 1);
  // A text that is nothing but frequent text is not boilerplate in itself.
  MarkBoilerplate(title, frequent, 40, &flags, nullptr);
  EXPECT_EQ(flags, std::vector<uint8_t>(10, 0));
}

TEST(PhraseMatcherTest, MarksEveryOccurrenceOfAPhrase) {
  const PhraseMatcher matcher({{7, 8, 9}, {}, {8}});
  std::vector<uint8_t> flags;
  std::vector<BoilerplateRun> runs;
  matcher.Mark(std::vector<uint64_t>{1, 7, 8, 9, 2, 7, 8}, &flags, &runs);
  EXPECT_EQ(flags, (std::vector<uint8_t>{0, 1, 1, 1, 0, 0, 1}));
  ASSERT_EQ(runs.size(), 3u);  // 7 8 9 at 1, 8 at 2, 8 at 6
  EXPECT_TRUE(runs[0].user_phrase);
  EXPECT_EQ(runs[0].hash, KeySequenceHash(std::vector<uint64_t>{7, 8, 9}));
}

TEST(AlignWithBoilerplateTest, BoilerplateMatchesDoNotCountTowardMinTokens) {
  // A 30-word title shared inside two otherwise different 200-word texts.
  std::vector<uint64_t> a = Range(1000, 100), b = Range(5000, 100);
  const std::vector<uint64_t> title = Range(1, 30);
  a.insert(a.begin() + 50, title.begin(), title.end());
  b.insert(b.begin() + 20, title.begin(), title.end());
  std::vector<uint8_t> a_flags(a.size(), 0), b_flags(b.size(), 0);
  for (int k = 0; k < 30; ++k) a_flags[50 + k] = b_flags[20 + k] = 1;
  const KeyIndex a_index = IndexKeys(a), b_index = IndexKeys(b);
  EXPECT_EQ(AlignPassages({a, &a_index, {}}, {b, &b_index, {}}, AlignOptions())
                .size(),
            1u);
  EXPECT_TRUE(AlignPassages({a, &a_index, a_flags}, {b, &b_index, b_flags},
                            AlignOptions())
                  .empty());
}

TEST(AlignWithBoilerplateTest, WholeDocumentIsACopyEvenWhenFormulaic) {
  // B is nothing but A's formulaic text: it is reported as a copy.
  const std::vector<uint64_t> a = Range(1, 40), b = a;
  const std::vector<uint8_t> flags(40, 1);
  const KeyIndex index = IndexKeys(a);
  const auto passages =
      AlignPassages({a, &index, flags}, {b, &index, flags}, AlignOptions());
  ASSERT_EQ(passages.size(), 1u);
  EXPECT_EQ(passages[0].a.size(), 40u);
}

}  // namespace
}  // namespace neardup
