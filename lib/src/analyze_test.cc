#include "analyze.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "utf8.h"

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

// The fused path against the general path (AnalyzeGeneral), which
// normalises, segments and keys in three passes over the whole text.
void ExpectFusedEqualsGeneral(const AnalyzeOptions& options,
                              const std::string& text,
                              std::initializer_list<size_t> chunk_sizes = {
                                  kAnalyzeChunkBytes, 7}) {
  Analyzer general(options, kMaxTextBytes);
  AnalyzedText expected;
  general.AnalyzeGeneral(text, &expected);
  std::vector<uint64_t> expected_keys;
  general.AnalyzeKeysGeneral(text, &expected_keys);
  ASSERT_EQ(expected_keys, expected.keys);
  for (size_t chunk_bytes : chunk_sizes) {
    Analyzer fused(options, chunk_bytes);
    AnalyzedText actual;
    fused.Analyze(text, &actual);
    ExpectSameAnalysis(expected, actual, text, chunk_bytes);
    std::vector<uint64_t> keys = {1, 2, 3};
    fused.AnalyzeKeys(text, &keys);
    ASSERT_EQ(keys, expected.keys)
        << "AnalyzeKeys, chunk " << chunk_bytes << ", text: " << text;
  }
}

std::vector<AnalyzeOptions> OptionVariants() {
  std::vector<AnalyzeOptions> variants(6);
  variants[1].match_variants = false;
  variants[1].strip_marks = false;
  variants[2].fold_case = false;
  variants[3].fold_arabic = false;
  variants[4].fold_digits = false;
  variants[5].fold_case = variants[5].strip_marks = variants[5].fold_arabic =
      variants[5].fold_digits = variants[5].match_variants = false;
  return variants;
}

std::string Utf8(uint32_t c) {
  char buf[4];
  return std::string(buf, EncodeUtf8(c, buf));
}

// Pieces of text the fused path handles and pieces it must leave to the
// general path, for RandomMixedText.
struct PiecePools {
  std::vector<std::string> fused;    // letters, digits, punctuation, spaces
  std::vector<std::string> general;  // other scripts, marks, invalid, ...
};

const PiecePools& Pools() {
  static const PiecePools* const pools = [] {
    auto* p = new PiecePools;
    auto range = [](std::vector<std::string>* out, uint32_t first,
                    uint32_t last) {
      for (uint32_t c = first; c <= last; ++c) out->push_back(Utf8(c));
    };
    range(&p->fused, 'a', 'z');
    range(&p->fused, 'A', 'Z');
    range(&p->fused, '0', '9');
    range(&p->fused, 0x21, 0x2F);  // ASCII punctuation, '\'', '.', ','
    range(&p->fused, 0x3A, 0x40);  // : ; < = > ? @
    range(&p->fused, 0x5B, 0x60);  // [ \ ] ^ _ `
    range(&p->fused, 0x7B, 0x7E);
    range(&p->fused, 0x0621, 0x064A);  // Arabic letters, alef variants, ة ى
    range(&p->fused, 0x0660, 0x066D);  // Arabic-Indic digits, ٫ ٬ ٭
    range(&p->fused, 0x06F0, 0x06F9);  // Persian digits
    range(&p->fused, 0x00C0, 0x00FF);  // Latin-1 letters (ß is general)
    range(&p->fused, 0x0391, 0x03C9);  // Greek
    range(&p->fused, 0x0410, 0x044F);  // Cyrillic
    for (uint32_t c :
         {0x0640u, 0x064Bu, 0x064Eu, 0x0650u, 0x0651u, 0x0652u, 0x0670u,
          0x060Cu, 0x061Bu, 0x061Fu, 0x06CCu, 0x06A9u, 0x0671u, 0x00A0u,
          0x00ADu, 0x00ABu, 0x00BBu, 0x2013u, 0x2014u, 0x2018u, 0x2019u,
          0x201Cu, 0x201Du, 0x2032u, 0x2033u, 0x200Bu, 0x200Cu, 0x200Du,
          0x200Eu, 0x200Fu, 0x2003u, 0x3000u, 0xFEFFu, 0xFE8Du, 0xFEE3u,
          0xFF21u, 0xFF41u, 0x0301u, 0x0308u, 0x00B4u, 0x00A8u, 0x2024u}) {
      p->fused.push_back(Utf8(c));
    }
    for (const char* s : {" ", " ", " ", " ", " ", "  ", "\t", "\n", "\r\n",
                          "'", ".", ",", "_", "__", "@", ":"}) {
      p->fused.push_back(s);
    }
    for (const char* s : {"\u00df",       "\u0149",       "\ufb01",
                          "\u2026",       "\u00bc",       "\ufefb",
                          "\ufdfa",       "\u05d0\u05d1", "\u05f3",
                          "\u6f22\u5b57", "\u0e20\u0e32", "\u0915\u093e",
                          "\U0001F44D",   "\U0001F3FD",   "\u200d\U0001F469",
                          "\U0001D400",   "\u20ac",       "\u2044",
                          "\u203f",       "\uff3f",       "\u0300",
                          "\u0653",       "\u0654",       "\u0655",
                          "\xff",         "\x80",         "\xd8",
                          "\xe2\x82",     "\xc0\xaf",     "\xed\xa0\x80",
                          "\xf0\x9f",     "\u1100\u1161", "\u3042",
                          "\u30a2",       "\u0e01",       "\uabcd",
                          "\ufe10",       "\u2028"}) {
      p->general.push_back(s);
    }
    return p;
  }();
  return *pools;
}

// Words of random pieces between random separators; `general_rate` in 1000
// is the chance that a piece needs the general path.
std::string RandomMixedText(std::mt19937* rng, int pieces, int general_rate) {
  const PiecePools& pools = Pools();
  std::uniform_int_distribution<size_t> fused(0, pools.fused.size() - 1);
  std::uniform_int_distribution<size_t> general(0, pools.general.size() - 1);
  std::uniform_int_distribution<int> per_mille(0, 999);
  std::string text;
  for (int k = 0; k < pieces; ++k) {
    const int roll = per_mille(*rng);
    if (roll < general_rate) {
      text += pools.general[general(*rng)];
    } else if (roll < 250) {
      text += ' ';
    } else {
      text += pools.fused[fused(*rng)];
    }
  }
  return text;
}

TEST(AnalyzerTest, FusedPathEqualsGeneralPathOnGeneratedTexts) {
  std::mt19937 rng(20261129);
  const std::vector<AnalyzeOptions> variants = OptionVariants();
  for (int round = 0; round < 9000; ++round) {
    // A third of the texts need no general path at all.
    const int general_rate = round % 3 == 0 ? 0 : round % 3 == 1 ? 5 : 60;
    const std::string text =
        RandomMixedText(&rng, 1 + round % 120, general_rate);
    ExpectFusedEqualsGeneral(variants[round % variants.size()], text);
    if (HasFatalFailure()) return;
  }
}

// Arabic words with what varies between copies of one story: prefixes,
// repeated letters (also where a prefix ends), alef forms, tatweel,
// diacritics between letters and before punctuation that may join words.
TEST(AnalyzerTest, FusedPathEqualsGeneralPathOnArabicVariants) {
  const char* const words[] = {
      "اللجنة", "الله", "لله",    "للّه",    "والله", "وو",    "ووو",
      "وال",    "بالل", "فالللا", "كالعرب", "قاآني", "قااني", "عـــلى",
      "كَتَبَ",    "أحمد", "إلى",    "مدرسة",  "١٠٠٠",  "٢٠٢١",  "3.14",
      "1,000",  "a.b",  "a..b",   "don't",  "x_y",   "_",     "__",
      "a_",     "ب.ب",  "ب،ب",    "ب٬ب",    "١٬١",   "1٫5",   "ـ",
      "ً",       "aa",   "AA",     "Aa",     "11",    "١١",    "ﻻ",
  };
  const char* const glue[] = {" ",       "",       ".",      "\u064e.",
                              ".\u064e", "\u0640", "'",      "\u2019",
                              ", ",      "\u00a0", "\u200f", "\u064e"};
  const std::vector<AnalyzeOptions> variants = OptionVariants();
  std::mt19937 rng(7);
  std::uniform_int_distribution<size_t> word(0, std::size(words) - 1);
  std::uniform_int_distribution<size_t> join(0, std::size(glue) - 1);
  for (int round = 0; round < 6000; ++round) {
    std::string text;
    for (int k = 0; k < 1 + round % 9; ++k) {
      text += words[word(rng)];
      text += glue[join(rng)];
    }
    ExpectFusedEqualsGeneral(variants[round % variants.size()], text);
    if (HasFatalFailure()) return;
  }
}

// Every BMP code point, alone and between words, so every table entry is
// checked, made or not made (the tables are filled on first use).
TEST(AnalyzerTest, FusedPathEqualsGeneralPathForEveryBmpCodePoint) {
  for (uint32_t c = 1; c < 0x10000; ++c) {
    if (c >= 0xD800 && c < 0xE000) continue;
    const std::string x = Utf8(c);
    ExpectFusedEqualsGeneral(
        AnalyzeOptions(),
        "ab" + x + "c 1" + x + "2 \u0628" + x + "\u0628 " + x + x + " d",
        {kAnalyzeChunkBytes});
    if (HasFatalFailure()) return;
  }
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
