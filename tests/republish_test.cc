// Accuracy of alignment on copies built from the seed corpus, where the true
// spans are known: a republished copy with a new headline, a paragraph
// dropped, two swapped and orthographic noise; and a few paragraphs embedded
// in an unrelated article.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "neardup/neardup.h"
#include "test_util.h"

namespace neardup {
namespace {

using ::neardup::testing::CodePoints;
using ::neardup::testing::ReadFile;
using ::neardup::testing::SeedPath;

// Orthographic noise a re-publisher's CMS or typist introduces: hamza
// dropped from alef, ة written ه, ى written ي, tatweel, stray tashkeel,
// Arabic-Indic digits and other quotation marks. Deterministic.
std::string AddNoise(const std::string& text, int salt) {
  std::string out;
  int letter = 0;
  for (const std::string& cp : CodePoints(text)) {
    ++letter;
    if (cp == "أ" || cp == "إ") {
      out += "ا";
    } else if (cp == "ة") {
      out += "ه";
    } else if (cp == "ى") {
      out += "ي";
    } else if (cp == "“" || cp == "”") {
      out += cp == "“" ? "«" : "»";
    } else if (cp.size() == 1 && cp[0] >= '0' && cp[0] <= '9') {
      out += CodePoints("٠١٢٣٤٥٦٧٨٩")[cp[0] - '0'];
    } else {
      out += cp;
      const bool arabic_letter = cp >= "ء" && cp <= "ي";
      if (arabic_letter && (letter + salt) % 23 == 0) out += "ـ";  // tatweel
      if (arabic_letter && (letter + salt) % 17 == 0) out += "\u064E";  // fatha
    }
  }
  return out;
}

struct Interval {
  size_t begin, end;  // bytes
};

// Bytes of `text` in [begin, end) that are not whitespace.
std::set<size_t> NonSpaceBytes(const std::string& text,
                               const std::vector<Interval>& spans) {
  std::set<size_t> bytes;
  for (const Interval& span : spans) {
    for (size_t k = span.begin; k < span.end && k < text.size(); ++k) {
      if (text[k] != ' ' && text[k] != '\n') bytes.insert(k);
    }
  }
  return bytes;
}

struct Score {
  double precision, recall;
};

Score Measure(const std::set<size_t>& reported, const std::set<size_t>& truth) {
  size_t both = 0;
  for (size_t k : reported) both += truth.count(k);
  return {reported.empty() ? 0 : static_cast<double>(both) / reported.size(),
          truth.empty() ? 0 : static_cast<double>(both) / truth.size()};
}

TEST(RepublishTest, RepublishedCopyIsAlignedWithCharacterPrecision) {
  const std::string original = ReadFile(SeedPath("000"));
  std::vector<std::string> paragraphs = absl::StrSplit(original, '\n');
  ASSERT_GE(paragraphs.size(), 20u);
  // Paragraph order of the copy: 11 dropped, 6 and 7 swapped.
  std::vector<size_t> order;
  for (size_t p = 0; p < paragraphs.size(); ++p) {
    if (p != 11 && !paragraphs[p].empty()) order.push_back(p);
  }
  std::iter_swap(std::find(order.begin(), order.end(), 6),
                 std::find(order.begin(), order.end(), 7));
  std::vector<Interval> a_para(paragraphs.size());
  for (size_t p = 0, pos = 0; p < paragraphs.size(); ++p) {
    a_para[p] = {pos, pos + paragraphs[p].size()};
    pos += paragraphs[p].size() + 1;
  }
  std::string copy =
      "عاجل: طهران تضغط على حلفائها في بغداد بعد محاولة اغتيال الكاظمي\n";
  std::vector<Interval> b_para(paragraphs.size(), {0, 0});
  for (size_t p : order) {
    const std::string noisy = AddNoise(paragraphs[p], static_cast<int>(p));
    b_para[p] = {copy.size(), copy.size() + noisy.size()};
    copy += noisy + "\n";
  }

  const auto passages = Compare(original, copy);
  ASSERT_TRUE(passages.ok());
  ASSERT_FALSE(passages->empty());

  std::vector<Interval> true_a, true_b, found_a, found_b;
  for (size_t p : order) {
    true_a.push_back(a_para[p]);
    true_b.push_back(b_para[p]);
  }
  // A passage's characters count as found only where the passage pairs a
  // paragraph with its own copy.
  for (const Passage& passage : *passages) {
    for (size_t p : order) {
      const Interval a{std::max<size_t>(passage.a.begin, a_para[p].begin),
                       std::min<size_t>(passage.a.end, a_para[p].end)};
      const Interval b{std::max<size_t>(passage.b.begin, b_para[p].begin),
                       std::min<size_t>(passage.b.end, b_para[p].end)};
      if (a.end > a.begin && b.end > b.begin) {
        found_a.push_back(a);
        found_b.push_back(b);
      }
    }
  }
  std::vector<Interval> all_a, all_b;
  for (const Passage& passage : *passages) {
    all_a.push_back({passage.a.begin, passage.a.end});
    all_b.push_back({passage.b.begin, passage.b.end});
  }
  // Precision: of everything reported, the share that is a correctly paired
  // copy; recall: of every copied character, the share found.
  const auto truth_a = NonSpaceBytes(original, true_a);
  const auto truth_b = NonSpaceBytes(copy, true_b);
  const auto correct_a = NonSpaceBytes(original, found_a);
  const auto correct_b = NonSpaceBytes(copy, found_b);
  const auto reported_a = NonSpaceBytes(original, all_a);
  const auto reported_b = NonSpaceBytes(copy, all_b);
  const double precision_a =
      static_cast<double>(correct_a.size()) / reported_a.size();
  const double precision_b =
      static_cast<double>(correct_b.size()) / reported_b.size();
  const double recall_a = Measure(correct_a, truth_a).recall;
  const double recall_b = Measure(correct_b, truth_b).recall;
  EXPECT_GE(precision_a, 0.95);
  EXPECT_GE(precision_b, 0.95);
  EXPECT_GE(recall_a, 0.95);
  EXPECT_GE(recall_b, 0.95);
  // Nothing is reported for the new headline or the dropped paragraph.
  for (const Passage& passage : *passages) {
    EXPECT_GE(passage.b.begin, b_para[order[0]].begin);
    EXPECT_FALSE(passage.a.begin <= a_para[11].begin &&
                 passage.a.end >= a_para[11].end);
  }
  RecordProperty("precision_a", std::to_string(precision_a));
  RecordProperty("recall_a", std::to_string(recall_a));
  std::printf(
      "republished copy: precision %.3f/%.3f recall %.3f/%.3f, %zu passages\n",
      precision_a, precision_b, recall_a, recall_b, passages->size());
}

// Words (whitespace-separated runs) in text[x, y) or text[y, x).
int WordsBetween(const std::string& text, size_t x, size_t y) {
  if (x > y) std::swap(x, y);
  const std::vector<std::string> words = absl::StrSplit(
      text.substr(x, y - x), absl::ByAnyChar(" \n"), absl::SkipEmpty());
  return static_cast<int>(words.size());
}

TEST(RepublishTest, EmbeddedPassageIsFoundWithBoundariesWithinTwoWords) {
  const std::string source = ReadFile(SeedPath("000"));
  const std::string host_text = ReadFile(SeedPath("003"));
  const std::vector<std::string> source_lines = absl::StrSplit(source, '\n');
  const std::vector<std::string> host_lines = absl::StrSplit(host_text, '\n');
  // Lines 5-7 of 000 go between lines 4 and 5 of 003.
  const std::string embedded =
      absl::StrJoin(std::vector<std::string>(source_lines.begin() + 5,
                                             source_lines.begin() + 8),
                    "\n");
  const size_t a_begin = source.find(embedded);
  ASSERT_NE(a_begin, std::string::npos);
  const size_t a_end = a_begin + embedded.size();
  const std::string before =
      absl::StrJoin(
          std::vector<std::string>(host_lines.begin(), host_lines.begin() + 5),
          "\n") +
      "\n";
  const std::string after =
      "\n" + absl::StrJoin(std::vector<std::string>(host_lines.begin() + 5,
                                                    host_lines.end()),
                           "\n");
  const std::string host = before + embedded + after;
  const size_t b_begin = before.size(), b_end = before.size() + embedded.size();

  const auto passages = Compare(source, host);
  ASSERT_TRUE(passages.ok());
  ASSERT_FALSE(passages->empty());
  size_t found_a_begin = SIZE_MAX, found_a_end = 0, found_b_begin = SIZE_MAX,
         found_b_end = 0;
  for (const Passage& passage : *passages) {
    // Every passage lies in the embedded region on both sides.
    EXPECT_GE(passage.b.end, b_begin);
    EXPECT_LE(passage.b.begin, b_end);
    found_a_begin = std::min<size_t>(found_a_begin, passage.a.begin);
    found_a_end = std::max<size_t>(found_a_end, passage.a.end);
    found_b_begin = std::min<size_t>(found_b_begin, passage.b.begin);
    found_b_end = std::max<size_t>(found_b_end, passage.b.end);
  }
  EXPECT_LE(WordsBetween(source, found_a_begin, a_begin), 2);
  EXPECT_LE(WordsBetween(source, found_a_end, a_end), 2);
  EXPECT_LE(WordsBetween(host, found_b_begin, b_begin), 2);
  EXPECT_LE(WordsBetween(host, found_b_end, b_end), 2);
}

}  // namespace
}  // namespace neardup
