#include "analyze.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace neardup {
namespace {

// Fragments that exercise every stage: words of several scripts, spelling
// variants, combining marks, white space of several kinds, punctuation that
// joins or splits words, text ICU segments by dictionary, invalid UTF-8.
const char* const kFragments[] = {
    "the",    "Quick",    "don't",    "3.14",
    "U.S.A.", "e-mail",   "naïve",    "café",
    "ÉCOLE",  "ﬁne",      "x_y",      "@home",
    "قال",    "والفصائل", "قاآني",    "أحمد",
    "مدرسة",  "عـــلى",   "كَتَبَ",      "إلى",
    "٢٠٢١",   "،",        "؟",        "漢字",
    "東京都", "ภาษาไทย",  "👍🏽", "👨‍👩‍👧",
    "\u00b4", "\u00a8",   "\u00ad",   "\u200d",
    "\u0301", "\u0640",   "\xff",     "\xe2\x82",
    " ",      "  ",       "\t",       "\n",
    "\u00a0", "\u3000",   " ",        " ",
    " ",      " ",        ",",        ".",
};

std::string RandomText(std::mt19937* rng, int fragments) {
  std::uniform_int_distribution<size_t> pick(0, std::size(kFragments) - 1);
  std::string text;
  for (int k = 0; k < fragments; ++k) text += kFragments[pick(*rng)];
  return text;
}

void ExpectSameAnalysis(const AnalyzedText& expected,
                        const AnalyzedText& actual, const std::string& text,
                        size_t chunk_bytes) {
  ASSERT_EQ(actual.keys, expected.keys)
      << "chunk " << chunk_bytes << ", text: " << text;
  EXPECT_EQ(actual.begin, expected.begin) << "chunk " << chunk_bytes;
  EXPECT_EQ(actual.end, expected.end) << "chunk " << chunk_bytes;
  EXPECT_EQ(actual.invalid_utf8, expected.invalid_utf8);
}

TEST(AnalyzerTest, ChunkedAnalysisEqualsWholeTextAnalysis) {
  std::mt19937 rng(20240611);
  AnalyzeOptions exact;
  exact.match_variants = false;
  exact.strip_marks = false;
  for (const AnalyzeOptions& options : {AnalyzeOptions(), exact}) {
    Analyzer whole(options, kMaxTextBytes);
    for (int round = 0; round < 300; ++round) {
      const std::string text = RandomText(&rng, 1 + round % 60);
      AnalyzedText expected;
      whole.Analyze(text, &expected);
      for (size_t chunk_bytes : {1, 2, 5, 16, 64}) {
        Analyzer chunked(options, chunk_bytes);
        AnalyzedText actual;
        chunked.Analyze(text, &actual);
        ExpectSameAnalysis(expected, actual, text, chunk_bytes);
        // The keys-only path (dedup's) gives the same keys.
        std::vector<uint64_t> keys = {1, 2, 3};
        chunked.AnalyzeKeys(text, &keys);
        ASSERT_EQ(keys, expected.keys)
            << "AnalyzeKeys, chunk " << chunk_bytes << ", text: " << text;
      }
    }
  }
}

TEST(AnalyzerTest, ChunkedAnalysisEqualsWholeTextAnalysisOnTheCorpus) {
  Analyzer whole(AnalyzeOptions(), kMaxTextBytes);
  Analyzer chunked(AnalyzeOptions(), 100);
  int texts = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(NEARDUP_SOURCE_DIR "/corpus")) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    AnalyzedText expected, actual;
    whole.Analyze(text, &expected);
    chunked.Analyze(text, &actual);
    ASSERT_GT(expected.size(), 100u);
    ExpectSameAnalysis(expected, actual, entry.path().string(), 100);
    std::vector<uint64_t> keys;
    chunked.AnalyzeKeys(text, &keys);
    EXPECT_EQ(keys, expected.keys) << entry.path();
    ++texts;
  }
  EXPECT_EQ(texts, 5);
}

TEST(AnalyzerTest, BuffersHoldOneChunkOfALongText) {
  // 8 MB of words: analysed whole, the buffers would take 5 bytes per byte
  // of text plus 8 per token, over 40 MB.
  std::string text;
  size_t words = 0;
  for (; text.size() < (size_t{8} << 20); ++words) {
    text += "word" + std::to_string(words % 1000) + " ";
  }
  Analyzer analyzer(AnalyzeOptions(), size_t{1} << 20);
  AnalyzedText analyzed;
  analyzer.Analyze(text, &analyzed);
  EXPECT_EQ(analyzed.size(), words);
  EXPECT_LT(analyzer.ScratchBytes(), size_t{16} << 20);
  // The token arrays were reserved once, not grown by doubling.
  EXPECT_LT(analyzed.keys.capacity(), analyzed.size() * 5 / 4 + 1000);
}

TEST(AnalyzerTest, TextWithoutACutIsOneChunk) {
  // No space before a letter: nowhere to cut, and still analysed right.
  const std::string text(3000, '.');
  const std::string words = "abc def" + text;
  Analyzer analyzer(AnalyzeOptions(), 16);
  AnalyzedText analyzed;
  analyzer.Analyze(words, &analyzed);
  ASSERT_EQ(analyzed.size(), 2u);
  EXPECT_EQ(analyzed.begin[1], 4u);
  EXPECT_EQ(analyzed.end[1], 7u);
}

}  // namespace
}  // namespace neardup
