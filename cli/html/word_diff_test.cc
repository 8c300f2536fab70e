#include "word_diff.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace neardup::cli {
namespace {

std::vector<std::string> Words(std::string_view text,
                               const std::vector<ByteRange>& ranges) {
  std::vector<std::string> words;
  for (const ByteRange& r : ranges) {
    words.emplace_back(text.substr(r.begin, r.end - r.begin));
  }
  return words;
}

TEST(DiffPassageWordsTest, MarksSubstitutedInsertedAndDeletedWords) {
  const std::string a = "x The quick brown fox jumps over the lazy dog. y";
  const std::string b = "The slow brown fox jumps over the very lazy dog!";
  const WordDiff diff = DiffPassageWords(a, {2, 46}, b, {0, 48});
  EXPECT_EQ(Words(a, diff.a), std::vector<std::string>{"quick"});
  EXPECT_EQ(Words(b, diff.b), (std::vector<std::string>{"slow", "very"}));
}

TEST(DiffPassageWordsTest, FoldsArabicSpellingVariants) {
  // قآني / قاآني, الفصائل / والفصائل, tashkeel, ة / ه, Arabic-Indic digits.
  const std::string a = "رسالة قآني إلى الفصائل في ١٠ أكتوبر";
  const std::string b = "رساله قاآني الى والفَصائل في 10 اكتوبر";
  const WordDiff same =
      DiffPassageWords(a, {0, static_cast<uint32_t>(a.size())}, b,
                       {0, static_cast<uint32_t>(b.size())});
  EXPECT_TRUE(same.a.empty());
  EXPECT_TRUE(same.b.empty());
  const std::string c = "رسالة قآني إلى الميليشيات في ١٠ أكتوبر";
  const WordDiff diff =
      DiffPassageWords(a, {0, static_cast<uint32_t>(a.size())}, c,
                       {0, static_cast<uint32_t>(c.size())});
  EXPECT_EQ(Words(a, diff.a), std::vector<std::string>{"الفصائل"});
  EXPECT_EQ(Words(c, diff.b), std::vector<std::string>{"الميليشيات"});
}

TEST(DiffPassageWordsTest, IdeographsAreWordsEach) {
  const std::string a = "我们今天去学校";
  const std::string b = "我们明天去学校";
  const WordDiff diff =
      DiffPassageWords(a, {0, static_cast<uint32_t>(a.size())}, b,
                       {0, static_cast<uint32_t>(b.size())});
  EXPECT_EQ(Words(a, diff.a), std::vector<std::string>{"今"});
  EXPECT_EQ(Words(b, diff.b), std::vector<std::string>{"明"});
}

TEST(DiffPassageWordsTest, HugePassagesFallBackToMultisets) {
  std::string a, b;
  for (int i = 0; i < 3000; ++i) {
    a += "w" + std::to_string(i) + " ";
    b += "w" + std::to_string(2999 - i) + " ";
  }
  a += "onlyA";
  b += "onlyB";
  const WordDiff diff =
      DiffPassageWords(a, {0, static_cast<uint32_t>(a.size())}, b,
                       {0, static_cast<uint32_t>(b.size())});
  EXPECT_EQ(Words(a, diff.a), std::vector<std::string>{"onlyA"});
  EXPECT_EQ(Words(b, diff.b), std::vector<std::string>{"onlyB"});
}

}  // namespace
}  // namespace neardup::cli
