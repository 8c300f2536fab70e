#include "text_escape.h"

#include <cstdint>
#include <random>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "utf8.h"

namespace neardup::cli {
namespace {

std::string Json(std::string_view value) {
  std::string out;
  AppendJsonString(value, &out);
  return out;
}

TEST(AppendJsonStringTest, EscapesWhatJsonAndTerminalsNeed) {
  EXPECT_EQ(Json(""), "\"\"");
  EXPECT_EQ(Json("snn-000001"), "\"snn-000001\"");
  EXPECT_EQ(Json("a\"b\\c\nd\re\tf\x01g\x7Fh\x1B"),
            "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u007fh\\u001b\"");
  EXPECT_EQ(Json("نص عربي"), "\"نص عربي\"");
  EXPECT_EQ(Json("\xC2\x85 \xC2\x9F \xC2\xA0"), "\"\\u0085 \\u009f \xC2\xA0\"");
  // Each maximal ill-formed subpart is one U+FFFD.
  EXPECT_EQ(Json("x\xFFy\xE2\x82"), "\"x\xEF\xBF\xBDy\xEF\xBF\xBD\"");
  EXPECT_EQ(Json("\xED\xA0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
  EXPECT_EQ(Json("\xF0\x9F\x98\x80\""), "\"\xF0\x9F\x98\x80\\\"\"");
}

// What AppendJsonString writes, one code point at a time.
std::string Reference(std::string_view value) {
  std::string out = "\"";
  const auto* p = reinterpret_cast<const uint8_t*>(value.data());
  const auto* end = p + value.size();
  while (p < end) {
    uint32_t c;
    const int length = DecodeUtf8(p, end, &c);
    if (c == kInvalidCodePoint) {
      out += "\xEF\xBF\xBD";
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
      absl::StrAppendFormat(&out, "\\u%04x", c);
    } else {
      out.append(reinterpret_cast<const char*>(p), length);
    }
    p += length;
  }
  return out + "\"";
}

TEST(AppendJsonStringTest, SameAsOneCodePointAtATimeOnRandomBytes) {
  std::mt19937 random(7);
  // Bytes drawn mostly from ASCII, Arabic and UTF-8 lead/continuation
  // bytes, so that valid, cut and ill-formed sequences all occur.
  const std::string pool =
      "ab \"\\\n\t\x01\x7F\xC2\x80\x9F\xA0\xD8\xA7\xD9\x85\xE2\x82\xAC\xED"
      "\xA0\xF0\x9F\x98\xFF\xC0";
  for (int i = 0; i < 20000; ++i) {
    std::string value(random() % 24, '\0');
    for (char& c : value) c = pool[random() % pool.size()];
    ASSERT_EQ(Json(value), Reference(value)) << absl::CEscape(value);
  }
}

}  // namespace
}  // namespace neardup::cli
