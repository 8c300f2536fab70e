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

// Appends code point `c` (kInvalid: an ill-formed subpart) escaped for a
// JSON string: one that AppendJsonString does not copy as it is.
void AppendEscaped(uint32_t c, std::string* out) {
  switch (c) {
    case kInvalid:
      out->append(kReplacement);
      return;
    case '"':
      out->append("\\\"");
      return;
    case '\\':
      out->append("\\\\");
      return;
    case '\n':
      out->append("\\n");
      return;
    case '\r':
      out->append("\\r");
      return;
    case '\t':
      out->append("\\t");
      return;
    default:
      absl::StrAppendFormat(out, "\\u%04x", c);  // a control
  }
}

}  // namespace

// Runs of bytes that need no escape (printable ASCII but '"' and '\\',
// well-formed UTF-8 but C1 controls) are appended whole: ids and paths
// are mostly such runs (dedup's clusters file: 167 M instructions for
// SaudiNewsNet's 31,030 lines when each character was appended alone).
void AppendJsonString(std::string_view value, std::string* out) {
  out->push_back('"');
  const auto* p = reinterpret_cast<const uint8_t*>(value.data());
  const auto* const end = p + value.size();
  const uint8_t* run = p;  // the bytes from here to p are copied as they are
  while (p < end) {
    const uint8_t b = *p;
    if (b >= 0x20 && b < 0x7F && b != '"' && b != '\\') {
      ++p;
      continue;
    }
    uint32_t code_point = b;
    size_t length = 1;
    if (b >= 0x80) {
      length = static_cast<size_t>(DecodeUtf8(p, end, &code_point));
      if (code_point != kInvalid && !IsControl(code_point)) {
        p += length;
        continue;
      }
    }
    out->append(reinterpret_cast<const char*>(run), p - run);
    AppendEscaped(code_point, out);
    p += length;
    run = p;
  }
  out->append(reinterpret_cast<const char*>(run), p - run);
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

std::string OneLine(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return DisplayText(out);
}

}  // namespace neardup::cli
