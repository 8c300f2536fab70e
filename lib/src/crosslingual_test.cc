#include "neardup/crosslingual.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"

namespace neardup {
namespace {

std::string ReadSource(const std::string& relative) {
  std::ifstream in(std::string(NEARDUP_SOURCE_DIR) + "/" + relative,
                   std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Seed(const std::string& prefix) {
  for (const auto& entry : std::filesystem::directory_iterator(
           std::string(NEARDUP_SOURCE_DIR) + "/corpus")) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix + "_", 0) == 0) return ReadSource("corpus/" + name);
  }
  return "";
}

std::vector<std::string> Split(const std::string& text,
                               const std::string& separator) {
  std::vector<std::string> parts = absl::StrSplit(text, separator);
  while (!parts.empty() && parts.back().empty()) parts.pop_back();
  return parts;
}

// The English paragraphs of tests/data/crosslingual/000_en.txt translate the
// first 11 lines of seed article 000, one paragraph a line.
constexpr size_t kTranslatedLines = 11;

// Bytes of [begin, end) that the spans cover.
size_t Covered(const std::vector<TextSpan>& spans, size_t begin, size_t end) {
  size_t covered = 0;
  for (const TextSpan& span : spans) {
    const size_t b = std::max<size_t>(begin, span.begin);
    const size_t e = std::min<size_t>(end, span.end);
    if (e > b) covered += e - b;
  }
  return covered;
}

class CrossLingualTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = Lexicon::Load(kDefaultLexiconDir);
    if (loaded.ok()) {
      lexicon_ = loaded->release();
    } else {
      load_error_ = new std::string(loaded.status().ToString());
    }
  }
  static void TearDownTestSuite() {
    delete lexicon_;
    lexicon_ = nullptr;
    delete load_error_;
    load_error_ = nullptr;
  }
  void SetUp() override {
    if (lexicon_ == nullptr) {
      GTEST_SKIP() << "FreeDict dictionaries not installed in "
                   << kDefaultLexiconDir
                   << " (scripts/setup.sh installs them): " << *load_error_;
    }
    english_ = ReadSource("tests/data/crosslingual/000_en.txt");
    arabic_ = Seed("000");
    ASSERT_FALSE(english_.empty());
    ASSERT_FALSE(arabic_.empty());
  }

  std::vector<Passage> Find(const std::string& a, const std::string& b,
                            const CrossLingualOptions& options = {}) {
    auto passages = CompareCrossLingual(*lexicon_, a, b, options);
    EXPECT_TRUE(passages.ok()) << passages.status();
    return passages.ok() ? *passages : std::vector<Passage>{};
  }

  static const Lexicon* lexicon_;
  static std::string* load_error_;
  std::string english_, arabic_;
};

const Lexicon* CrossLingualTest::lexicon_ = nullptr;
std::string* CrossLingualTest::load_error_ = nullptr;

TEST_F(CrossLingualTest, LexiconHasTheDictionaries) {
  EXPECT_GT(lexicon_->arabic_keys(), 20000u);
  EXPECT_GT(lexicon_->english_stems(), 10000u);
}

TEST_F(CrossLingualTest, FindsTheTranslationInEitherOrder) {
  const std::vector<std::string> lines = Split(arabic_, "\n");
  size_t translated_end = 0;
  for (size_t k = 0; k < kTranslatedLines; ++k) {
    translated_end += lines[k].size() + 1;
  }
  const std::vector<Passage> forward = Find(english_, arabic_);
  ASSERT_EQ(forward.size(), 1u);
  const Passage& p = forward[0];
  // English: nearly all of it. Arabic: the translated lines, not the rest.
  EXPECT_GE(p.a.end - p.a.begin, english_.size() * 9 / 10);
  EXPECT_LE(p.b.begin, 100u);
  EXPECT_GE(p.b.end, translated_end - 100);
  EXPECT_LE(p.b.end, translated_end);
  EXPECT_GT(p.score, 0.3);
  EXPECT_LE(p.score, 1.0);
  EXPECT_LT(p.b.char_end, p.b.end);  // Arabic letters are two bytes

  const std::vector<Passage> backward = Find(arabic_, english_);
  ASSERT_EQ(backward.size(), 1u);
  EXPECT_EQ(backward[0].a.begin, p.b.begin);
  EXPECT_EQ(backward[0].a.end, p.b.end);
  EXPECT_EQ(backward[0].b.begin, p.a.begin);
  EXPECT_EQ(backward[0].b.end, p.a.end);
  EXPECT_EQ(backward[0].score, p.score);
}

TEST_F(CrossLingualTest, ReorderedParagraphsAreEachFound) {
  std::vector<std::string> paragraphs = Split(english_, "\n\n");
  ASSERT_EQ(paragraphs.size(), kTranslatedLines);
  std::reverse(paragraphs.begin(), paragraphs.end());
  const std::string reordered = absl::StrJoin(paragraphs, "\n\n");
  const std::vector<Passage> passages = Find(reordered, arabic_);
  EXPECT_GE(passages.size(), 4u);
  // Every long paragraph (50+ words) lies in a passage whose Arabic span
  // overlaps the line it translates. (Shorter ones are found when their
  // neighbours are: a paragraph of 40 words alone scores about 3.)
  const std::vector<std::string> lines = Split(arabic_, "\n");
  size_t english_begin = 0;
  for (size_t k = 0; k < paragraphs.size(); ++k) {
    const size_t line = kTranslatedLines - 1 - k;
    const size_t english_end = english_begin + paragraphs[k].size();
    size_t arabic_begin = 0;
    for (size_t l = 0; l < line; ++l) arabic_begin += lines[l].size() + 1;
    const size_t arabic_end = arabic_begin + lines[line].size();
    const size_t words = Split(paragraphs[k], " ").size();
    bool found = false;
    for (const Passage& p : passages) {
      found |= p.a.begin < english_end && p.a.end > english_begin &&
               p.b.begin < arabic_end && p.b.end > arabic_begin;
    }
    if (words >= 50) {
      EXPECT_TRUE(found) << "paragraph " << line;
    }
    english_begin = english_end + 2;
  }
  // No passage pairs an English paragraph with a line it does not
  // translate: each passage's Arabic span overlaps the lines of the
  // paragraphs its English span overlaps.
  for (const Passage& p : passages) {
    EXPECT_LT(p.b.end - p.b.begin, arabic_.size() / 2);
  }
}

TEST_F(CrossLingualTest, EmbeddedPassageIsLocatedOnBothSides) {
  const std::vector<std::string> paragraphs = Split(english_, "\n\n");
  const std::vector<std::string> lines = Split(arabic_, "\n");
  const std::string english_before =
      ReadSource("tests/data/crosslingual/unrelated_en.txt");
  const std::string english_middle = absl::StrJoin(
      std::vector<std::string>(paragraphs.begin() + 5, paragraphs.begin() + 9),
      "\n\n");
  const std::string english = english_before + "\n" + english_middle +
                              "\n\nThe weather will stay dry and warm for the "
                              "rest of the week, forecasters said.\n" +
                              english_before;
  // Arabic: unrelated text before, and after it an article on the same
  // story that does not translate the English (seed 004).
  const std::string arabic_before =
      ReadSource("tests/data/crosslingual/unrelated_ar.txt");
  const std::string arabic_middle = absl::StrJoin(
      std::vector<std::string>(lines.begin() + 5, lines.begin() + 9), "\n");
  const std::string arabic_after = Seed("004").substr(0, 1500);
  const std::string arabic =
      arabic_before + arabic_middle + "\n" + arabic_after;
  const std::vector<Passage> passages = Find(english, arabic);
  ASSERT_FALSE(passages.empty());
  std::vector<TextSpan> english_spans, arabic_spans;
  size_t arabic_reported = 0, english_reported = 0;
  for (const Passage& p : passages) {
    english_spans.push_back(p.a);
    arabic_spans.push_back(p.b);
    english_reported += p.a.end - p.a.begin;
    arabic_reported += p.b.end - p.b.begin;
  }
  const size_t arabic_begin = arabic_before.size();
  const size_t arabic_end = arabic_begin + arabic_middle.size();
  const size_t arabic_hit = Covered(arabic_spans, arabic_begin, arabic_end);
  EXPECT_GE(arabic_hit, arabic_reported * 95 / 100);       // precision
  EXPECT_GE(arabic_hit, arabic_middle.size() * 85 / 100);  // recall
  const size_t english_begin = english_before.size() + 1;
  const size_t english_end = english_begin + english_middle.size();
  const size_t english_hit = Covered(english_spans, english_begin, english_end);
  EXPECT_GE(english_hit, english_reported * 95 / 100);
  EXPECT_GE(english_hit, english_middle.size() * 85 / 100);
}

TEST_F(CrossLingualTest, UnrelatedTextsOnTheSameStoryAreNotReported) {
  // Seeds 002-004 report Qaani's visits to Baghdad, as 000 does, but none
  // translates the Reuters report.
  for (const char* seed : {"002", "003", "004"}) {
    EXPECT_TRUE(Find(english_, Seed(seed)).empty()) << seed;
  }
  EXPECT_TRUE(
      Find(ReadSource("tests/data/crosslingual/unrelated_en.txt"), arabic_)
          .empty());
  EXPECT_TRUE(
      Find(english_, ReadSource("tests/data/crosslingual/unrelated_ar.txt"))
          .empty());
}

TEST_F(CrossLingualTest, NumbersAndNamesMatchLiterally) {
  // No dictionary word: only numbers (Arabic-Indic digits on one side),
  // Latin words and names transliterated (Trump = ترامب by consonants).
  const std::string english =
      "Trump, Netanyahu, Erdogan, Macron, Zelensky and Biden: 1500 2024 "
      "Toyota Siemens 37 480 Nokia 9100 Samsung 2023 Reuters";
  const std::string arabic =
      "ترامب ونتنياهو وأردوغان وماكرون وزيلينسكي وبايدن: ١٥٠٠ ٢٠٢٤ Toyota "
      "Siemens ٣٧ ٤٨٠ Nokia ٩١٠٠ Samsung ٢٠٢٣ رويترز";
  const std::vector<Passage> passages = Find(english, arabic);
  ASSERT_EQ(passages.size(), 1u);
  EXPECT_GE(passages[0].matched, 15u);
  // Other numbers and other names: nothing.
  const std::string other =
      "بوتين وشي جين بينغ وسوناك وميلوني وشولتس وأوربان: ٣١٠ ٥٥ ٧٧٧ Honda "
      "Philips ٦٤ ١٩٩٩ Sony ٨٨ ١٢٣٤";
  EXPECT_TRUE(Find(english, other).empty());
}

TEST_F(CrossLingualTest, OneLanguageIsRefusedWithTheReason) {
  const auto same = CompareCrossLingual(*lexicon_, arabic_, Seed("001"));
  ASSERT_FALSE(same.ok());
  EXPECT_EQ(same.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(same.status().message().find("mostly arabic"), std::string::npos)
      << same.status();
  EXPECT_FALSE(CompareCrossLingual(*lexicon_, english_, english_).ok());
  EXPECT_FALSE(CompareCrossLingual(*lexicon_, "", arabic_).ok());
}

TEST_F(CrossLingualTest, SameResultOnConcurrentThreads) {
  const std::vector<Passage> expected = Find(english_, arabic_);
  std::vector<std::vector<Passage>> results(4);
  std::vector<std::thread> threads;
  for (auto& result : results) {
    threads.emplace_back([&] {
      auto found = CompareCrossLingual(*lexicon_, english_, arabic_);
      if (found.ok()) result = *found;
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const auto& result : results) {
    ASSERT_EQ(result.size(), expected.size());
    for (size_t k = 0; k < result.size(); ++k) {
      EXPECT_EQ(result[k].a.begin, expected[k].a.begin);
      EXPECT_EQ(result[k].b.end, expected[k].b.end);
      EXPECT_EQ(result[k].score, expected[k].score);
    }
  }
}

TEST(DominantScriptTest, CountsLetters) {
  EXPECT_EQ(DominantScript("قال الوزير إن 2024 كان عاما صعبا"), "arabic");
  EXPECT_EQ(DominantScript("The minister said 2024 was hard, قال"), "latin");
  EXPECT_EQ(DominantScript("2024 ... !!"), "other");
  EXPECT_EQ(DominantScript("Это русский текст"), "other");
}

class LexiconLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("neardup_crosslingual_test_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(LexiconLoadTest, MissingDictionariesNameThePackages) {
  const auto lexicon = Lexicon::Load((dir_ / "nowhere").string());
  ASSERT_FALSE(lexicon.ok());
  EXPECT_EQ(lexicon.status().code(), absl::StatusCode::kNotFound);
  const std::string message(lexicon.status().message());
  EXPECT_NE(message.find("freedict-ara-eng.index"), std::string::npos);
  EXPECT_NE(message.find("dict-freedict-ara-eng"), std::string::npos);
  EXPECT_NE(message.find("dict-freedict-eng-ara"), std::string::npos);
}

TEST_F(LexiconLoadTest, UnreadableDictionariesAreAnError) {
  for (const char* name : {"freedict-ara-eng", "freedict-eng-ara"}) {
    std::ofstream(dir_ / (std::string(name) + ".index")) << "word\tA\tZZZZ\n";
    std::ofstream(dir_ / (std::string(name) + ".dict.dz")) << "not gzip";
  }
  const auto lexicon = Lexicon::Load(dir_.string());
  ASSERT_FALSE(lexicon.ok());
  EXPECT_EQ(lexicon.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(lexicon.status().message().find("dict-freedict-ara-eng"),
            std::string::npos)
      << lexicon.status();
}

}  // namespace
}  // namespace neardup
