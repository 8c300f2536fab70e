#include "tokenize.h"

#include <gtest/gtest.h>
#include <unicode/uchar.h>
#include <xxhash.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "normalize.h"
#include "utf8.h"

namespace neardup {
namespace {

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  for (const Token& t : Tokenize(text)) {
    words.emplace_back(text.substr(t.begin, t.end - t.begin));
  }
  return words;
}

std::string Describe(std::string_view text, const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& t : tokens) {
    out.append("[").append(text.substr(t.begin, t.end - t.begin)).append("]");
  }
  return out;
}

// Asserts that the fast path gives exactly ICU's tokens.
void ExpectSameAsIcu(std::string_view text) {
  std::vector<Token> fast;
  std::vector<Token> icu;
  Tokenize(text, &fast);
  TokenizeWithIcu(text, &icu);
  ASSERT_EQ(Describe(text, fast), Describe(text, icu))
      << "text: " << std::string(text.substr(0, 300));
  for (size_t i = 0; i < fast.size(); ++i) {
    ASSERT_EQ(fast[i].begin, icu[i].begin);
    ASSERT_EQ(fast[i].end, icu[i].end);
  }
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> CorpusTexts() {
  std::vector<std::string> texts;
  for (const auto& entry :
       std::filesystem::directory_iterator(NEARDUP_SOURCE_DIR "/corpus")) {
    if (entry.path().extension() == ".txt") {
      texts.push_back(ReadFile(entry.path()));
    }
  }
  return texts;
}

// The "text" fields of the first `limit` lines of a JSON Lines file. Only
// as much JSON as that file needs: the field is a string with the usual
// escapes.
std::vector<std::string> JsonlTexts(const std::string& path, size_t limit) {
  std::vector<std::string> texts;
  std::ifstream in(path, std::ios::binary);
  std::string line;
  while (texts.size() < limit && std::getline(in, line)) {
    const size_t key = line.find("\"text\":\"");
    if (key == std::string::npos) continue;
    std::string text;
    uint32_t high_surrogate = 0;
    for (size_t i = key + 8; i < line.size() && line[i] != '"'; ++i) {
      if (line[i] != '\\') {
        text += line[i];
        continue;
      }
      const char e = line[++i];
      if (e == 'u') {
        uint32_t c = std::stoul(line.substr(i + 1, 4), nullptr, 16);
        i += 4;
        if (c >= 0xD800 && c < 0xDC00) {
          high_surrogate = c;
          continue;
        }
        if (c >= 0xDC00 && c < 0xE000 && high_surrogate != 0) {
          c = 0x10000 + ((high_surrogate - 0xD800) << 10) + (c - 0xDC00);
        }
        high_surrogate = 0;
        char buf[4];
        text.append(buf, EncodeUtf8(c, buf));
      } else {
        const std::string from = "nrtbf\"\\/", to = "\n\r\t\b\f\"\\/";
        const size_t k = from.find(e);
        text += k == std::string::npos ? e : to[k];
      }
    }
    texts.push_back(std::move(text));
  }
  return texts;
}

TEST(Tokenize, English) {
  EXPECT_EQ(
      Words("Don't stop the U.S. at 3.14, e-mail me_now: 1,000.5 a:b"),
      (std::vector<std::string>{"Don't", "stop", "the", "U.S", "at", "3.14",
                                "e", "mail", "me_now", "1,000.5", "a", "b"}));
  EXPECT_EQ(Words("it’s x_.y 3.5a a1.2 @user __ _ ab.cd."),
            (std::vector<std::string>{"it’s", "x_", "y", "3.5a", "a1.2",
                                      "@user", "__", "ab.cd"}));
}

TEST(Tokenize, ArabicSentence) {
  const std::string text =
      Normalize("قال الرئيس، في مؤتمر صحفي: «إن 25 شخصاً قتلوا».").text;
  EXPECT_EQ(Words(text),
            (std::vector<std::string>{"قال", "الرييس", "في", "موتمر", "صحفي",
                                      "ان", "25", "شخصا", "قتلوا"}));
  // Arabic thousands separator and decimal point join digits.
  EXPECT_EQ(Words("١٬٢٣٤٫٥ و 1,5"),
            (std::vector<std::string>{"١٬٢٣٤٫٥", "و", "1,5"}));
}

TEST(Tokenize, CjkGivesSeveralTokens) {
  EXPECT_GE(Words("日本語のテキスト").size(), 3u);
  EXPECT_GE(Words("我们是中国人").size(), 2u);
  EXPECT_EQ(Words("abc 日本語 def"),
            (std::vector<std::string>{"abc", "日本語", "def"}));
}

TEST(Tokenize, PunctuationSpaceAndSymbolsAreNeverTokens) {
  EXPECT_TRUE(Words("").empty());
  EXPECT_TRUE(Words("   ").empty());
  EXPECT_TRUE(Words(" ... , ; : - – « » \" ' ? ! ( ) $ % # © 😀 🇸🇦 ").empty());
  for (const std::string& raw : CorpusTexts()) {
    const std::string text = Normalize(raw).text;
    for (const Token& t : Tokenize(text)) {
      // Every token holds a letter or a digit.
      bool alnum = false;
      const uint8_t* b = reinterpret_cast<const uint8_t*>(text.data());
      for (size_t i = t.begin; i < t.end && !alnum;) {
        uint32_t c;
        i += DecodeUtf8(b + i, b + t.end, &c);
        alnum = u_isalnum(static_cast<UChar32>(c));
      }
      EXPECT_TRUE(alnum) << text.substr(t.begin, t.end - t.begin);
    }
  }
}

TEST(Tokenize, ReusesOutput) {
  std::vector<Token> tokens = {{7, 9}};
  Tokenize("a b", &tokens);
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[1].begin, 2u);
}

TEST(Tokenize, FastPathEqualsIcuOnSamples) {
  const char* samples[] = {
      "",
      " ",
      "The quick brown fox doesn't jump over the U.S. dog at 3.14 p.m. on "
      "1,000,000.00 e-mails; see a:b, x_y, __init__, C++ and C# (2nd ed.) "
      "$5.99 50% #tag @user me@example.com http://x.org/a?b=c&d",
      "قال الرئيس، في مؤتمر صحفي: «إن 25 شخصاً قتلوا».",
      "مُحَمَّدٌ رَسُولُ ٱللَّهِ وَالْفَصَائِلُ",                // marks: ICU path
      "mixed עברית text \"quoted\" ש\"ס it's",  // Hebrew: ICU path
      "emoji 👍🏽 family 👨‍👩‍👧 flag 🇸🇦🇺🇸 keycap "
      "1️⃣ "
      "end",
      "日本語のテキストと中文文本 한국어 텍스트 ภาษาไทย ພາສາລາວ ខ្មែរ မြန်မာ",
      "Ελληνικά кириллица Ελλάδα's o'clock",
      "bad \xC3 \x80 \xE0\x80\x80 \xED\xA0\x80 \xF0\x9F\x98 ok",
      "a \u0301b \u200Dc  \u0651د x\u00ADy",  // leading marks after spaces
      "ab\u3000 cd\u00A0ef\u2003gh\ti\nj\r\nk",
      "a日b 1日2 日本 abc。def 3.日 ق日ق",
      "1.2.3 a.b.c a..b 1..2 a'b'c 1'2 a;b 1;2 a.1 1.a _1 1_ a_ _a",
  };
  for (const char* s : samples) {
    ExpectSameAsIcu(s);
    ExpectSameAsIcu(Normalize(s).text);
  }
}

TEST(Tokenize, FastPathEqualsIcuOnCorpus) {
  for (const std::string& text : CorpusTexts()) {
    ExpectSameAsIcu(text);
    ExpectSameAsIcu(Normalize(text).text);
  }
}

TEST(Tokenize, FastPathEqualsIcuOnSaudiNewsNet) {
  const std::vector<std::string> texts =
      JsonlTexts(std::string(NEARDUP_SOURCE_DIR) +
                     "/../shared/datasets/saudinewsnet/sample-1k.jsonl",
                 300);
  if (texts.empty()) {
    // CI always has ../shared beside the clone; a bare clone may not.
    if (std::getenv("CI") != nullptr) FAIL() << "SaudiNewsNet sample missing";
    GTEST_SKIP() << "SaudiNewsNet sample not available";
  }
  EXPECT_EQ(texts.size(), 300u);
  for (const std::string& text : texts) {
    ExpectSameAsIcu(text);
    ExpectSameAsIcu(Normalize(text).text);
  }
}

// Every BMP code point in contexts that exercise each word-break rule the
// fast path implements, so its class table is checked against ICU.
TEST(Tokenize, FastPathEqualsIcuForEveryBmpCodePoint) {
  const char* templates[][2] = {
      {"", ""},   {"a", "b"},   {"1", "2"},     {"a", ""},
      {"", "a"},  {"1", ""},    {"", "1"},      {"\u0628", "\u0628"},
      {"_", "_"}, {" a", " b"}, {"ab ", " cd"}, {"a'", "'b"},
  };
  for (uint32_t c = 1; c < 0x10000; ++c) {
    if (c >= 0xD800 && c < 0xE000) continue;
    char buf[4];
    const std::string x(buf, EncodeUtf8(c, buf));
    for (const auto& t : templates) {
      ExpectSameAsIcu(std::string(t[0]).append(x).append(t[1]));
    }
    ExpectSameAsIcu(x + x);
    ExpectSameAsIcu(std::string("a").append(x).append(x).append("b"));
    ExpectSameAsIcu(
        std::string("1").append(x).append("1").append(x).append("1"));
    if (HasFatalFailure()) return;
  }
}

// Tables are built lazily by whichever thread comes first, and each thread
// has its own break iterator: concurrent use must give the serial result.
TEST(Tokenize, ConcurrentUseGivesSerialResults) {
  const std::vector<std::string> texts = CorpusTexts();
  const NormalizeOptions variants[] = {
      {.fold_case = false}, {.strip_marks = false}, {.fold_digits = false}};
  auto run = [&](const NormalizeOptions& options) {
    std::string out;
    for (const std::string& text : texts) {
      const NormalizedText n = Normalize(text, options);
      out += Describe(n.text, Tokenize(n.text));
    }
    return out;
  };
  std::vector<std::string> parallel(2 * std::size(variants));
  std::vector<std::thread> threads;
  for (size_t i = 0; i < parallel.size(); ++i) {
    threads.emplace_back(
        [&, i] { parallel[i] = run(variants[i % std::size(variants)]); });
  }
  for (std::thread& t : threads) t.join();
  for (size_t i = 0; i < parallel.size(); ++i) {
    EXPECT_EQ(parallel[i], run(variants[i % std::size(variants)])) << i;
  }
}

TEST(TokenKey, ArabicVariantsShareAKey) {
  EXPECT_EQ(TokenKey("والفصائل"), TokenKey("الفصائل"));
  EXPECT_EQ(TokenKey("الفصائل"), TokenKey("فصائل"));
  EXPECT_EQ(TokenKey("بالفصائل"), TokenKey("فصائل"));
  EXPECT_EQ(TokenKey("للفصائل"), TokenKey("فصائل"));
  EXPECT_EQ(TokenKey("وقال"), TokenKey("قال"));
  EXPECT_EQ(TokenKey("قااني"), TokenKey("قاني"));
  EXPECT_EQ(TokenKey("goood"), TokenKey("good"));
}

TEST(TokenKey, IsTheXxh3OfTheMatchingForm) {
  // Keys feed every stored shingle, so they must not drift: each is
  // XXH3_64bits of the matching form the header describes.
  const std::pair<std::string, std::string> cases[] = {
      {"", ""},
      {"a", "a"},
      {"word", "word"},
      {"goood", "god"},
      {"aaaa", "a"},
      {"1000", "1000"},
      {"١٠٠٠", "١٠٠٠"},
      {"قااني", "قاني"},
      {"والفصائل", "فصائل"},
      {"للّه", "\u0651ه"},  // لل comes off, leaving shadda + heh
      {"الله", "له"},
      {"ووقال", "وقال"},
      {"مددد", "مد"},
      {"xx\xff\xffyy", "x\xff\xffy"},
      {std::string(300, 'b') + "c" + std::string(300, 'd'), "bcd"},
      {std::string(300, 'e'), "e"},
  };
  for (const auto& [token, form] : cases) {
    EXPECT_EQ(TokenKey(token), XXH3_64bits(form.data(), form.size())) << token;
  }
}

// TokenKey's fast path (tokens of 1- and 2-byte sequences) against the
// general method, on random tokens built from the letters the rules look at,
// repeats, digits, characters of 3 and 4 bytes and ill-formed bytes.
TEST(TokenKey, SameKeyAsTheGeneralMethod) {
  const std::vector<std::string> pieces = {
      "و", "ا", "ل",  "ب", "ك",    "ف",    "ق",    "ي",        "ه",
      "ّ",  "a", "b",  "1", "٠",    "١",    "۱",    "߁",        "é",
      "ж", "ש", "中", "😀", "\xff", "\xd9", "\x88", "\xc0\xaf", "\xef\xbf\xbd"};
  std::mt19937 random(7);
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(0, 12);
  // Mostly pieces of 1 and 2 bytes, so that the fast path is taken.
  std::uniform_int_distribution<size_t> common(0, 18);
  for (int i = 0; i < 20000; ++i) {
    std::string token;
    const int n = length(random);
    const bool rare = i % 4 == 0;
    for (int j = 0; j < n; ++j) {
      std::string piece = pieces[rare ? pick(random) : common(random)];
      const int copies = random() % 3 == 0 ? 2 : 1;
      for (int c = 0; c < copies; ++c) token += piece;
    }
    EXPECT_EQ(TokenKey(token), TokenKeyGeneral(token)) << token;
  }
  for (const std::string& token :
       {std::string(300, 'a') + "b", "و" + std::string(300, 'x'),
        "وال" + std::string(100, 'y') + std::string(200, 'z')}) {
    EXPECT_EQ(TokenKey(token), TokenKeyGeneral(token));
  }
}

TEST(TokenKey, ConservativeStripping) {
  // و needs 3 letters after it; the article needs 2.
  EXPECT_NE(TokenKey("وزن"), TokenKey("زن"));
  EXPECT_NE(TokenKey("الي"), TokenKey("ي"));
  EXPECT_NE(TokenKey("لله"), TokenKey("ه"));
  // Lone ب ك ف ل are not stripped.
  EXPECT_NE(TokenKey("بيت"), TokenKey("يت"));
  EXPECT_NE(TokenKey("كتب"), TokenKey("تب"));
  EXPECT_NE(TokenKey("فقال"), TokenKey("قال"));
  // Only one conjunction and one article come off.
  EXPECT_NE(TokenKey("ووقال"), TokenKey("قال"));
}

TEST(TokenKey, DifferentWordsDiffer) {
  EXPECT_NE(TokenKey("قال"), TokenKey("قيل"));
  EXPECT_NE(TokenKey("كتاب"), TokenKey("كتب"));
  EXPECT_NE(TokenKey("1000"), TokenKey("10"));  // digits never collapse
  EXPECT_NE(TokenKey("١٠٠٠"), TokenKey("١٠"));
  EXPECT_NE(TokenKey("abc"), TokenKey("abd"));
}

TEST(TokenKey, WithoutVariantsHashesTheBytes) {
  const TokenKeyOptions exact{.match_variants = false};
  EXPECT_NE(TokenKey("والفصائل", exact), TokenKey("الفصائل", exact));
  EXPECT_NE(TokenKey("قااني", exact), TokenKey("قاني", exact));
  EXPECT_EQ(TokenKey("قال", exact), TokenKey("قال", exact));
  // A long token is hashed whole.
  std::string long_a(1000, 'a');
  EXPECT_NE(TokenKey(long_a), TokenKey(long_a + "b"));
}

}  // namespace
}  // namespace neardup
