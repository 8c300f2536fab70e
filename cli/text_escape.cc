#include "text_escape.h"

#include <cstdint>

#include "absl/strings/str_format.h"

namespace neardup::cli {
namespace {

constexpr uint32_t kInvalid = 0xFFFFFFFF;

// Decodes the code point at the start of `s` (not empty) into *code_point,
// or kInvalid for a maximal ill-formed subpart (Unicode 3.9, table 3-7);
// returns the bytes read.
size_t DecodeOne(std::string_view s, uint32_t* code_point) {
  const auto byte = [s](size_t i) { return static_cast<uint8_t>(s[i]); };
  const uint8_t b0 = byte(0);
  if (b0 < 0x80) {
    *code_point = b0;
    return 1;
  }
  size_t length = 0;
  uint8_t low = 0x80, high = 0xBF;  // the second byte's range
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    if (b0 == 0xE0) low = 0xA0;
    if (b0 == 0xED) high = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    if (b0 == 0xF0) low = 0x90;
    if (b0 == 0xF4) high = 0x8F;
  } else {
    *code_point = kInvalid;
    return 1;
  }
  uint32_t value = b0 & (0x7F >> length);
  for (size_t i = 1; i < length; ++i) {
    const bool ok = i < s.size() && byte(i) >= (i == 1 ? low : 0x80) &&
                    byte(i) <= (i == 1 ? high : 0xBF);
    if (!ok) {
      *code_point = kInvalid;
      return i;
    }
    value = (value << 6) | (byte(i) & 0x3F);
  }
  *code_point = value;
  return length;
}

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool IsControl(uint32_t c) {
  return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F);
}

}  // namespace

void AppendJsonString(std::string_view value, std::string* out) {
  out->push_back('"');
  while (!value.empty()) {
    uint32_t code_point;
    const size_t length = DecodeOne(value, &code_point);
    const std::string_view bytes = value.substr(0, length);
    value.remove_prefix(length);
    if (code_point == kInvalid) {
      out->append(kReplacement);
      continue;
    }
    if (code_point >= 0x7F) {
      if (IsControl(code_point)) {
        absl::StrAppendFormat(out, "\\u%04x", code_point);
      } else {
        out->append(bytes);
      }
      continue;
    }
    const char c = static_cast<char>(code_point);
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (IsControl(code_point)) {
          absl::StrAppendFormat(out, "\\u%04x", code_point);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

std::string DisplayText(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  while (!value.empty()) {
    uint32_t code_point;
    const size_t length = DecodeOne(value, &code_point);
    if (code_point == kInvalid) {
      out.append(kReplacement);
    } else if (code_point < 0x80 && IsControl(code_point)) {
      absl::StrAppendFormat(&out, "\\x%02x", code_point);
    } else if (IsControl(code_point)) {
      absl::StrAppendFormat(&out, "\\u%04x", code_point);
    } else {
      out.append(value.substr(0, length));
    }
    value.remove_prefix(length);
  }
  return out;
}

}  // namespace neardup::cli
