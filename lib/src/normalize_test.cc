#include "normalize.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tokenize.h"
#include "utf8.h"

namespace neardup {
namespace {

std::string N(std::string_view text, const NormalizeOptions& options = {}) {
  return Normalize(text, options).text;
}

std::vector<std::string> CorpusTexts() {
  std::vector<std::string> texts;
  for (const auto& entry :
       std::filesystem::directory_iterator(NEARDUP_SOURCE_DIR "/corpus")) {
    if (entry.path().extension() != ".txt") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    texts.push_back(buffer.str());
  }
  return texts;
}

// Byte offsets at which a character (or an ill-formed subpart) of s starts,
// plus s.size().
std::vector<bool> CharacterStarts(std::string_view s) {
  std::vector<bool> starts(s.size() + 1, false);
  const uint8_t* b = reinterpret_cast<const uint8_t*>(s.data());
  for (size_t i = 0; i < s.size();) {
    starts[i] = true;
    uint32_t c;
    i += DecodeUtf8(b + i, b + s.size(), &c);
  }
  starts[s.size()] = true;
  return starts;
}

// Checks every documented invariant of Normalize(original).
void CheckInvariants(std::string_view original) {
  SCOPED_TRACE(std::string(original.substr(0, 200)));
  const NormalizedText normalized = Normalize(original);
  const std::string& text = normalized.text;
  const std::vector<uint32_t>& origin = normalized.origin;
  // The text-only variant gives the same text.
  std::string text_only = "stale";
  EXPECT_EQ(NormalizeText(original, {}, &text_only),
            normalized.invalid_sequences);
  EXPECT_EQ(text_only, text);
  ASSERT_EQ(origin.size(), text.size() + 1);
  EXPECT_EQ(origin.back(), original.size());
  const std::vector<bool> original_starts = CharacterStarts(original);
  for (size_t i = 0; i < origin.size(); ++i) {
    ASSERT_LE(origin[i], original.size());
    ASSERT_TRUE(original_starts[origin[i]]) << "origin[" << i << "]";
    if (i > 0) {
      ASSERT_LE(origin[i - 1], origin[i]) << i;
    }
  }

  // The output is valid UTF-8, and all bytes of one normalised character
  // come from one original character.
  const uint8_t* b = reinterpret_cast<const uint8_t*>(text.data());
  std::vector<size_t> text_starts;
  for (size_t i = 0; i < text.size();) {
    text_starts.push_back(i);
    uint32_t c;
    const int length = DecodeUtf8(b + i, b + text.size(), &c);
    ASSERT_NE(c, kInvalidCodePoint) << "normalised byte " << i;
    for (int k = 1; k < length; ++k) ASSERT_EQ(origin[i + k], origin[i]);
    i += length;
  }
  text_starts.push_back(text.size());

  // Every token maps to an original span that normalises to the token.
  for (const Token& token : Tokenize(text)) {
    const auto [first, second] = normalized.ToOriginal(token.begin, token.end);
    ASSERT_LE(first, second);
    ASSERT_TRUE(original_starts[first]);
    ASSERT_TRUE(original_starts[second]);
    EXPECT_EQ(N(original.substr(first, second - first)),
              text.substr(token.begin, token.end - token.begin))
        << "token at " << token.begin;
  }

  // Any span between character boundaries maps to whole original
  // characters and contains the origins of its bytes.
  for (size_t i = 0; i + 1 < text_starts.size(); i += 7) {
    for (size_t j = i; j < text_starts.size() && j < i + 12; ++j) {
      const uint32_t begin = text_starts[i];
      const uint32_t end = text_starts[j];
      const auto [first, second] = normalized.ToOriginal(begin, end);
      ASSERT_EQ(first, origin[begin]);
      ASSERT_LE(first, second);
      ASSERT_TRUE(original_starts[second]);
      if (begin < end) {
        ASSERT_GT(second, origin[end - 1]);
        ASSERT_LE(second, origin[end] > origin[end - 1] ? origin[end]
                                                        : original.size());
      } else {
        ASSERT_EQ(second, first);
      }
    }
  }
}

TEST(Normalize, ArabicHamzaAndMaddaFormsMatch) {
  EXPECT_EQ(N("قآني"), "قاني");
  EXPECT_EQ(N("قاآني"), "قااني");
  EXPECT_EQ(TokenKey(N("قآني")), TokenKey(N("قاآني")));
  EXPECT_EQ(N("أحمد إبراهيم آمال ٱلله مؤتمر رئيس"),
            "احمد ابراهيم امال الله موتمر رييس");
}

TEST(Normalize, ArabicLetterFolds) {
  EXPECT_EQ(N("مدرسة"), "مدرسه");            // ة -> ه
  EXPECT_EQ(N("على"), "علي");                // ى -> ي
  EXPECT_EQ(N("كـــتاب"), "كتاب");           // tatweel
  EXPECT_EQ(N("فارسی کتاب"), "فارسي كتاب");  // Persian yeh, keheh
  EXPECT_EQ(N("كَتَبَ"), "كتب");                // harakat
  EXPECT_EQ(N("مُحَمَّدٌ"), "محمد");              // shadda + fatha, tanween
  EXPECT_EQ(N("هٰذا"), "هذا");                // superscript alef U+0670
  EXPECT_EQ(N("\uFEFB"), "لا");              // ﻻ presentation form
  EXPECT_EQ(N("\uFE8E\uFEDF"), "ال");        // isolated/initial forms
}

TEST(Normalize, Digits) {
  EXPECT_EQ(N("١٢٣"), "123");
  EXPECT_EQ(N("۴۵۶"), "456");  // Persian
  EXPECT_EQ(N("७"), "7");      // Devanagari
  EXPECT_EQ(N("１２"), "12");  // full-width
}

TEST(Normalize, Punctuation) {
  EXPECT_EQ(N("“a” «b» „c‟ ‹d› 5″"), "\"a\" \"b\" \"c\" \"d\" 5\"");
  EXPECT_EQ(N("‘x’ don’t ‚y‛ `z´ 3′"), "'x' don't 'y' 'z' 3'");
  EXPECT_EQ(N("a–b—c‐d−e"), "a-b-c-d−e");  // U+2212 minus is Sm, not Pd
  EXPECT_EQ(N("نعم، لا؛ لماذا؟"), "نعم, لا; لماذا?");
}

TEST(Normalize, CaseAndCompatibility) {
  EXPECT_EQ(N("ÉCOLE"), "ecole");
  EXPECT_EQ(N("e\u0301cole"), "ecole");
  EXPECT_EQ(N("Straße"), "strasse");
  EXPECT_EQ(N("\uFB01le"), "file");  // ﬁ ligature
  EXPECT_EQ(N("ΑΘΗΝΑ"), "αθηνα");
}

TEST(Normalize, WhitespaceCollapsesAndIgnorablesVanish) {
  EXPECT_EQ(N("a \t\n\u00A0\u2003\u3000b"), "a b");
  EXPECT_EQ(N("  a  "), " a ");
  EXPECT_EQ(N("a\r\n\r\nb\u2028c\u0085d"), "a b c d");
  EXPECT_EQ(N("a\u200Db\u200Cc\uFEFFd\u200Ee\u200Ff\u00ADg"), "abcdefg");
  // An ignorable between two spaces does not stop them collapsing.
  EXPECT_EQ(N("a \u200C b"), "a b");
  // Collapsed whitespace maps to the run's first character.
  const NormalizedText t = Normalize("a  \n b");
  EXPECT_EQ(t.text, "a b");
  EXPECT_EQ(t.origin, (std::vector<uint32_t>{0, 1, 5, 6}));
}

TEST(Normalize, OptionsOff) {
  NormalizeOptions none;
  none.fold_case = none.strip_marks = none.fold_arabic = none.fold_digits =
      false;
  EXPECT_EQ(N("ÉCOLE أحمد مدرسة على كـتاب ١٢٣ ﻻ", none),
            "ÉCOLE أحمد مدرسة على كـتاب ١٢٣ ﻻ");
  // Whitespace and punctuation folds stay on.
  EXPECT_EQ(N("a\t\t“b”،", none), "a \"b\",");

  NormalizeOptions no_marks = none;
  no_marks.strip_marks = true;
  EXPECT_EQ(N("École كَتَبَ أ", no_marks), "Ecole كتب ا");

  NormalizeOptions arabic_only = none;
  arabic_only.fold_arabic = true;
  EXPECT_EQ(N("أإآٱ ؤ ئ ة ى كـتاب كَتَبَ", arabic_only), "اااا و ي ه ي كتاب كَتَبَ");

  NormalizeOptions digits_only = none;
  digits_only.fold_digits = true;
  EXPECT_EQ(N("١٢٣ Ab", digits_only), "123 Ab");

  NormalizeOptions no_digits;
  no_digits.fold_digits = false;
  EXPECT_EQ(N("١٢٣", no_digits), "١٢٣");
}

TEST(Normalize, InvalidUtf8BecomesOneReplacementPerMaximalSubpart) {
  struct Case {
    std::string input;
    std::string expected;
    size_t invalid;
  };
  const std::string r = "\uFFFD";
  const Case cases[] = {
      {"\xC3", r, 1},                          // truncated 2-byte
      {"a\xE2\x82", "a" + r, 1},               // truncated 3-byte: one subpart
      {"\xF0\x9F\x98", r, 1},                  // truncated 4-byte
      {"\x80\xBF", r + r, 2},                  // stray continuation bytes
      {"\xC0\xAF", r + r, 2},                  // overlong '/'
      {"\xE0\x80\x80", r + r + r, 3},          // overlong 3-byte
      {"\xED\xA0\x80", r + r + r, 3},          // surrogate U+D800
      {"\xF4\x90\x80\x80", r + r + r + r, 4},  // above U+10FFFF
      {"\xFF\xFE", r + r, 2},
      {"\xE2\x82\xE2\x82\xAC", r + "\u20AC", 1},  // truncated then €
  };
  for (const Case& c : cases) {
    const NormalizedText t = Normalize(c.input);
    EXPECT_EQ(t.text, c.expected) << c.input;
    EXPECT_EQ(t.invalid_sequences, c.invalid) << c.input;
    CheckInvariants(c.input);
  }
  const NormalizedText t = Normalize("a\xE2\x82z");
  EXPECT_EQ(t.origin, (std::vector<uint32_t>{0, 1, 1, 1, 3, 4}));
}

TEST(Normalize, EmptyAndDegenerateInputs) {
  NormalizedText t = Normalize("");
  EXPECT_EQ(t.text, "");
  EXPECT_EQ(t.origin, std::vector<uint32_t>{0});

  t = Normalize(" \t\n ");
  EXPECT_EQ(t.text, " ");
  EXPECT_EQ(t.origin, (std::vector<uint32_t>{0, 4}));

  t = Normalize("\u064B\u064C\u0651\u0640");  // marks and tatweel only
  EXPECT_EQ(t.text, "");
  EXPECT_EQ(t.origin, std::vector<uint32_t>{8});

  std::string letters;
  for (int i = 0; i < 500000; ++i) letters += "ب";  // 1 MB
  t = Normalize(letters);
  EXPECT_EQ(t.text, letters);
  const std::vector<Token> tokens = Tokenize(t.text);
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(t.ToOriginal(tokens[0].begin, tokens[0].end),
            std::make_pair(uint32_t{0}, uint32_t(letters.size())));
  EXPECT_EQ(TokenKey(t.text), TokenKey("ب"));
}

TEST(Normalize, ReusesBuffers) {
  NormalizedText t;
  Normalize("كتاب طويل جداً جداً", {}, &t);
  Normalize("Ab", {}, &t);
  EXPECT_EQ(t.text, "ab");
  EXPECT_EQ(t.origin, (std::vector<uint32_t>{0, 1, 2}));
  EXPECT_EQ(t.invalid_sequences, 0u);
}

// The table is built a block of code points at a time on first use: threads
// that meet unbuilt blocks at once get the same result as one thread alone.
// Option combinations no other test uses, so that their blocks are new here.
TEST(Normalize, SameResultFromSeveralThreadsAtOnce) {
  std::string text;
  for (uint32_t c = 0x20; c < 0x3400; c += 7) {
    if (c >= 0xD800 && c < 0xE000) continue;
    char buf[4];
    text.append(buf, EncodeUtf8(c, buf));
    text += ' ';
  }
  NormalizeOptions options;
  options.fold_case = false;
  options.fold_digits = false;
  std::vector<std::string> results(4);
  {
    std::vector<std::thread> threads;
    for (std::string& result : results) {
      threads.emplace_back([&] { result = N(text, options); });
    }
    for (std::thread& thread : threads) thread.join();
  }
  const std::string alone = N(text, options);
  EXPECT_NE(alone, text);  // Some of these code points are folded.
  for (const std::string& result : results) EXPECT_EQ(result, alone);
}

TEST(Normalize, ToOriginalKeepsDroppedCharactersAfterTheSpan) {
  const std::string original = "كَتَبَـ  قال";
  const NormalizedText t = Normalize(original);
  ASSERT_EQ(t.text, "كتب قال");
  // "كتب" is 6 bytes; its span runs to the first space and so covers the
  // marks and the tatweel.
  const auto [first, second] = t.ToOriginal(0, 6);
  EXPECT_EQ(first, 0u);
  EXPECT_EQ(original.substr(first, second - first), "كَتَبَـ");
  // A span ending in the collapsed space ends at the next word.
  EXPECT_EQ(t.ToOriginal(6, 7).second, original.find("قال"));
  // A span ending inside the expansion of one character covers it whole.
  const NormalizedText lig = Normalize("x\uFB01y");  // xﬁy -> xfiy
  EXPECT_EQ(lig.ToOriginal(1, 2), std::make_pair(1u, 4u));
  EXPECT_EQ(lig.ToOriginal(0, 1), std::make_pair(0u, 1u));
}

TEST(Normalize, OneCharacterExpandingToSeveralWordsMapsToItWhole) {
  // U+FDFA, the ligature sallallahou alayhe wasallam, is one character that
  // NFKC expands to four words; each of their tokens maps back to the whole
  // character. This is the one case where a token's original span does not
  // normalise to the token alone.
  const NormalizedText t = Normalize("a \uFDFA b");
  EXPECT_EQ(t.text, "a صلي الله عليه وسلم b");
  const std::vector<Token> tokens = Tokenize(t.text);
  ASSERT_EQ(tokens.size(), 6u);
  for (size_t i = 1; i <= 4; ++i) {
    EXPECT_EQ(t.ToOriginal(tokens[i].begin, tokens[i].end),
              std::make_pair(2u, 5u));
  }
}

TEST(Normalize, OffsetMapInvariants) {
  const char* samples[] = {
      "قال الرئيس، في مؤتمر صحفي: «إن 25 شخصاً قتلوا».",
      "مُحَمَّدٌ رَسُولُ ٱللَّهِ وَالْفَصَائِلُ",
      "The quick brown fox doesn't jump over the U.S. dog at 3.14 p.m.",
      "e\u0301cole cafe\u0301 n\u0303o ÉCOLE Straße ﬁle",
      "emoji 👍🏽 family 👨‍👩‍👧 flag 🇸🇦🇺🇸 keycap "
      "1️⃣ "
      "end",
      "日本語のテキストと中文文本 한국어 텍스트 ภาษาไทย",
      ("bad \xC3 \x80 \xE0\x80\x80 \xED\xA0\x80 \xF0\x9F\x98 \xF4\x90\x80\x80 "
       "ok"),
      "\uFEFB ﷲ x\u0640\u0640y ١٢٣ \u200Dz\u200C",
      "  \t leading and trailing \n ",
  };
  for (const char* s : samples) CheckInvariants(s);
  for (const std::string& text : CorpusTexts()) CheckInvariants(text);
}

}  // namespace
}  // namespace neardup
