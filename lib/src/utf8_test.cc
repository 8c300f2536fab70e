#include "utf8.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace neardup {
namespace {

TEST(ByteToCodePointOffsetsTest, ConvertsInAnyOrder) {
  const std::string text = "ab\u0642\u0644x";  // bytes: a b 2 2 x
  uint32_t x = 7, y = 2, z = 4, w = 0;
  ByteToCodePointOffsets(text, {&x, &y, &z, &w});
  EXPECT_EQ(x, 5u);
  EXPECT_EQ(y, 2u);
  EXPECT_EQ(z, 3u);
  EXPECT_EQ(w, 0u);
}

TEST(ByteToCodePointOffsetsTest, IllFormedSubpartsCountAsOneCodePointEach) {
  // Unicode 15, table 3-8: a, F1 80 80 | E1 80 | C2, b, 80, c, 80 | BF, d
  // reads as a FFFD FFFD FFFD b FFFD c FFFD FFFD d (10 code points).
  const std::string text =
      "\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64";
  uint32_t end = static_cast<uint32_t>(text.size());
  uint32_t at_b = 7;  // offset of 'b'
  ByteToCodePointOffsets(text, {&end, &at_b});
  EXPECT_EQ(end, 10u);
  EXPECT_EQ(at_b, 4u);
}

TEST(AppendReplacingInvalidUtf8Test, ReplacesEachMaximalSubpart) {
  // The same example: each ill-formed subpart becomes one U+FFFD.
  const std::string text =
      "\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64";
  std::string out = "prefix ";
  EXPECT_EQ(AppendReplacingInvalidUtf8(text, &out), 9u);
  EXPECT_EQ(out, "prefix a\uFFFD\uFFFD\uFFFDb\uFFFDc\uFFFD\uFFFDd");
  uint32_t original = static_cast<uint32_t>(text.size());
  uint32_t repaired = static_cast<uint32_t>(out.size() - 7);
  ByteToCodePointOffsets(text, {&original});
  ByteToCodePointOffsets(std::string_view(out).substr(7), {&repaired});
  EXPECT_EQ(original, repaired);
}

TEST(AppendReplacingInvalidUtf8Test, ValidTextIsCopied) {
  const std::string text = "caf\u00e9 \u0642\u0644 \U0001F600 \uFFFD";
  std::string out;
  EXPECT_EQ(AppendReplacingInvalidUtf8(text, &out), 0u);
  EXPECT_EQ(out, text);
  out.clear();
  EXPECT_EQ(AppendReplacingInvalidUtf8("cut \xF0\x9F\x98", &out), 3u);
  EXPECT_EQ(out, "cut \uFFFD");
}

}  // namespace
}  // namespace neardup
