// The foundation's acceptance checks on the seed corpus (corpus/): 000 and
// 001 (a summary and an independent translation of one Reuters report) share
// reordered, reworded passages; 002-004 (one outlet) share only stock phrases.
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "neardup/neardup.h"
#include "test_util.h"

namespace neardup {
namespace {

using ::neardup::testing::CodePoints;
using ::neardup::testing::ReadFile;
using ::neardup::testing::SeedPath;
using LinePair = std::pair<int, int>;

// Code point spans of the lines of `text` (split on '\n').
std::vector<std::pair<uint32_t, uint32_t>> LineSpans(const std::string& text) {
  std::vector<std::pair<uint32_t, uint32_t>> spans;
  uint32_t start = 0, pos = 0;
  for (const std::string& cp : CodePoints(text)) {
    if (cp == "\n") {
      spans.push_back({start, pos});
      start = pos + 1;
    }
    ++pos;
  }
  spans.push_back({start, pos});
  return spans;
}

uint32_t Overlap(std::pair<uint32_t, uint32_t> x,
                 std::pair<uint32_t, uint32_t> y) {
  const uint32_t lo = std::max(x.first, y.first),
                 hi = std::min(x.second, y.second);
  return hi > lo ? hi - lo : 0;
}

// Line pairs a passage touches: lines overlapped by at least 30 code points
// on each side (the same rule as ../shared/tools/check-seeds).
std::set<LinePair> PairedLines(
    const Passage& passage,
    const std::vector<std::pair<uint32_t, uint32_t>>& a_lines,
    const std::vector<std::pair<uint32_t, uint32_t>>& b_lines) {
  std::set<LinePair> pairs;
  for (size_t i = 0; i < a_lines.size(); ++i) {
    if (Overlap({passage.a.char_begin, passage.a.char_end}, a_lines[i]) < 30)
      continue;
    for (size_t j = 0; j < b_lines.size(); ++j) {
      if (Overlap({passage.b.char_begin, passage.b.char_end}, b_lines[j]) >=
          30) {
        pairs.insert({static_cast<int>(i), static_cast<int>(j)});
      }
    }
  }
  return pairs;
}

TEST(SeedCorpusTest, CompareFindsEverySharedLinePairOf000And001) {
  const std::string a = ReadFile(SeedPath("000")),
                    b = ReadFile(SeedPath("001"));
  ASSERT_FALSE(a.empty());
  ASSERT_FALSE(b.empty());
  const auto passages = Compare(a, b);
  ASSERT_TRUE(passages.ok()) << passages.status();
  const auto a_lines = LineSpans(a), b_lines = LineSpans(b);
  const std::set<LinePair> strong = {{2, 2}, {2, 3}, {4, 1}, {5, 4},
                                     {6, 6}, {8, 7}, {9, 8}};
  const std::set<LinePair> loose = {{5, 5}, {10, 9}, {10, 12}};
  std::set<LinePair> found;
  for (const Passage& passage : *passages) {
    const std::set<LinePair> pairs = PairedLines(passage, a_lines, b_lines);
    bool plausible = false;
    for (const LinePair& pair : pairs) {
      plausible |= strong.count(pair) > 0 || loose.count(pair) > 0;
    }
    EXPECT_TRUE(plausible) << "passage pairs unrelated lines: a chars "
                           << passage.a.char_begin << "-" << passage.a.char_end
                           << ", b chars " << passage.b.char_begin << "-"
                           << passage.b.char_end;
    found.insert(pairs.begin(), pairs.end());
  }
  for (const LinePair& pair : strong) {
    EXPECT_TRUE(found.count(pair))
        << "missing line pair " << pair.first << " <-> " << pair.second;
  }
}

TEST(SeedCorpusTest, CompareReportsNothingForArticlesSharingOnlyStockPhrases) {
  const std::vector<std::pair<std::string, std::string>> unrelated = {
      {"002", "003"}, {"002", "004"}, {"003", "004"}, {"000", "002"},
      {"001", "002"}, {"000", "003"}, {"001", "004"}};
  for (const auto& [x, y] : unrelated) {
    const auto passages = Compare(ReadFile(SeedPath(x)), ReadFile(SeedPath(y)));
    ASSERT_TRUE(passages.ok());
    EXPECT_TRUE(passages->empty())
        << x << "/" << y << " reported " << passages->size() << " passages";
  }
}

TEST(SeedCorpusTest, LowerMinimumShowsStockPhrases) {
  // The stock phrases are there; the default minimum hides them on purpose.
  CompareOptions options;
  options.align.min_tokens = 6;
  const auto passages =
      Compare(ReadFile(SeedPath("003")), ReadFile(SeedPath("004")), options);
  ASSERT_TRUE(passages.ok());
  EXPECT_FALSE(passages->empty());
}

std::vector<Document> SeedDocuments() {
  std::vector<Document> documents;
  for (const char* prefix : {"000", "001", "002", "003", "004"}) {
    documents.push_back({prefix, ReadFile(SeedPath(prefix))});
  }
  return documents;
}

TEST(SeedCorpusTest, ScanReportsTheTranslationPairAndNoOther) {
  const auto result = Scan(SeedDocuments());
  ASSERT_TRUE(result.ok()) << result.status();
  std::set<LinePair> pairs;
  for (const DocumentPair& pair : result->pairs) {
    EXPECT_LT(pair.a, pair.b);
    EXPECT_FALSE(pair.passages.empty());
    pairs.insert({static_cast<int>(pair.a), static_cast<int>(pair.b)});
  }
  EXPECT_TRUE(pairs.count({0, 1}));
  for (const LinePair& unrelated :
       std::vector<LinePair>{{2, 3}, {2, 4}, {3, 4}, {0, 2}, {1, 2}}) {
    EXPECT_FALSE(pairs.count(unrelated))
        << "reported " << unrelated.first << "/" << unrelated.second;
  }
}

TEST(SeedCorpusTest, ScanFindsTheSamePassagesAsCompare) {
  const auto documents = SeedDocuments();
  const auto scanned = Scan(documents);
  ASSERT_TRUE(scanned.ok());
  const auto compared = Compare(documents[0].text, documents[1].text);
  ASSERT_TRUE(compared.ok());
  ASSERT_FALSE(scanned->pairs.empty());
  const DocumentPair& pair = scanned->pairs.front();
  ASSERT_EQ(pair.a, 0u);
  ASSERT_EQ(pair.b, 1u);
  ASSERT_EQ(pair.passages.size(), compared->size());
  for (size_t k = 0; k < compared->size(); ++k) {
    EXPECT_EQ(pair.passages[k].a.begin, (*compared)[k].a.begin);
    EXPECT_EQ(pair.passages[k].b.end, (*compared)[k].b.end);
  }
}

TEST(SeedCorpusTest, ScanIsTheSameOnOneAndManyThreads) {
  const auto documents = SeedDocuments();
  ScanOptions one, many;
  one.threads = 1;
  many.threads = 4;
  const auto x = Scan(documents, one), y = Scan(documents, many);
  ASSERT_TRUE(x.ok() && y.ok());
  ASSERT_EQ(x->pairs.size(), y->pairs.size());
  for (size_t k = 0; k < x->pairs.size(); ++k) {
    ASSERT_EQ(x->pairs[k].passages.size(), y->pairs[k].passages.size());
    for (size_t p = 0; p < x->pairs[k].passages.size(); ++p) {
      EXPECT_EQ(x->pairs[k].passages[p].a.begin,
                y->pairs[k].passages[p].a.begin);
      EXPECT_EQ(x->pairs[k].passages[p].b.begin,
                y->pairs[k].passages[p].b.begin);
      EXPECT_EQ(x->pairs[k].passages[p].score, y->pairs[k].passages[p].score);
    }
  }
}

}  // namespace
}  // namespace neardup

namespace neardup {
namespace {

// A collection where 60 short articles each carry the same 25-word title of
// an official: two of them share nothing else and are not a pair, unless the
// boilerplate filter is turned off.
TEST(ScanBoilerplateTest, SharedTitleAloneIsNotAPair) {
  const std::string title =
      "صاحب السمو الملكي الأمير محمد بن سلمان بن عبدالعزيز ولي ولي العهد "
      "النائب الثاني لرئيس مجلس الوزراء وزير الدفاع رئيس مجلس الشؤون "
      "الاقتصادية والتنمية حفظه الله ورعاه وأيده بنصره";
  std::vector<Document> documents;
  for (int d = 0; d < 60; ++d) {
    std::string text = "استقبل " + title + " اليوم";
    for (int w = 0; w < 40; ++w) {
      text += " كلمة" + std::to_string(d) + "x" + std::to_string(w);
    }
    documents.push_back({"doc" + std::to_string(d), text});
  }
  ScanOptions options;
  auto filtered = Scan(documents, options);
  ASSERT_TRUE(filtered.ok());
  EXPECT_TRUE(filtered->pairs.empty()) << filtered->pairs.size() << " pairs";
  EXPECT_TRUE(filtered->clusters.empty());
  EXPECT_GT(filtered->stats.boilerplate_bigrams, 0u);
  options.boilerplate_documents = 0;
  auto unfiltered = Scan(documents, options);
  ASSERT_TRUE(unfiltered.ok());
  // Shared by all 60, the title is then one cluster (reuse_clusters.h).
  EXPECT_FALSE(unfiltered->pairs.empty() && unfiltered->clusters.empty());
}

}  // namespace
}  // namespace neardup
