#include "text_escape.h"

#include <cstdint>

#include "absl/strings/str_format.h"
#include "utf8.h"

namespace neardup::cli {
namespace {

constexpr uint32_t kInvalid = kInvalidCodePoint;

// Decodes the code point at the start of `s` (not empty) into *code_point,
// or kInvalid for a maximal ill-formed subpart; returns the bytes read.
size_t DecodeOne(std::string_view s, uint32_t* code_point) {
  const auto* begin = reinterpret_cast<const uint8_t*>(s.data());
  return static_cast<size_t>(DecodeUtf8(begin, begin + s.size(), code_point));
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
