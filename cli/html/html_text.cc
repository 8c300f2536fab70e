#include "html_text.h"

#include <algorithm>

#include "absl/strings/str_format.h"
#include "utf8.h"

namespace neardup::cli {

size_t DecodeForDisplay(std::string_view text, size_t pos, char32_t* cp) {
  const auto* begin = reinterpret_cast<const uint8_t*>(text.data());
  uint32_t value = 0;
  const int length = DecodeUtf8(begin + pos, begin + text.size(), &value);
  *cp = value == kInvalidCodePoint ? kReplacementCharacter : value;
  return static_cast<size_t>(length);
}

namespace {

void AppendCodePoint(char32_t cp, std::string* out) {
  char bytes[4];
  out->append(bytes, EncodeUtf8(cp, bytes));
}

}  // namespace

bool IsShownAsControl(char32_t cp) {
  return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
         (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

bool IsRightToLeft(char32_t cp) {
  return (cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0xFB1D && cp <= 0xFDFF) ||
         (cp >= 0xFE70 && cp <= 0xFEFF) || (cp >= 0x10800 && cp <= 0x10FFF) ||
         (cp >= 0x1E800 && cp <= 0x1EFFF);
}

bool IsSpaceOrPunctuation(char32_t cp) {
  if (cp < 0x80) {
    return !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
             (cp >= 'A' && cp <= 'Z'));
  }
  return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
         (cp >= 0x2000 && cp <= 0x2BFF) ||  // spaces, punctuation, symbols
         (cp >= 0x3000 && cp <= 0x303F) ||  // CJK punctuation
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF0F) ||
         (cp >= 0xFF1A && cp <= 0xFF20) || cp == 0x060C || cp == 0x061B ||
         cp == 0x061F || (cp >= 0x066A && cp <= 0x066D) || cp == 0x06D4 ||
         cp == 0xFD3E || cp == 0xFD3F || cp == kReplacementCharacter ||
         (cp >= 0x1F000 && cp <= 0x1FAFF);  // emoji
}

void AppendHtmlText(std::string_view text, std::string* out) {
  size_t pos = 0;
  while (pos < text.size()) {
    const char c = text[pos];
    // Fast path for the common ASCII bytes.
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F &&
        static_cast<unsigned char>(c) < 0x80) {
      switch (c) {
        case '&':
          out->append("&amp;");
          break;
        case '<':
          out->append("&lt;");
          break;
        case '>':
          out->append("&gt;");
          break;
        case '"':
          out->append("&quot;");
          break;
        default:
          out->push_back(c);
      }
      ++pos;
      continue;
    }
    char32_t cp;
    const size_t length = DecodeForDisplay(text, pos, &cp);
    if (cp == '\r') {
      out->append("&#13;");
    } else if (IsShownAsControl(cp)) {
      absl::StrAppendFormat(out, "<span class=\"ctl\" data-c=\"U+%04X\">",
                            static_cast<uint32_t>(cp));
      AppendCodePoint(cp == 0 ? kReplacementCharacter : cp, out);
      out->append("</span>");
    } else if (cp == kReplacementCharacter) {
      AppendCodePoint(kReplacementCharacter, out);
    } else {
      out->append(text.substr(pos, length));
    }
    pos += length;
  }
}

void AppendTitleText(std::string_view text, std::string* out) {
  std::string plain;
  for (size_t pos = 0; pos < text.size();) {
    char32_t cp;
    const size_t length = DecodeForDisplay(text, pos, &cp);
    if (IsShownAsControl(cp)) {
      AppendCodePoint(kReplacementCharacter, &plain);
    } else {
      plain.append(text.substr(pos, length));
    }
    pos += length;
  }
  AppendHtmlText(plain, out);
}

void AppendId(std::string_view id, std::string* out) {
  out->append("<bdi class=\"id\">");
  AppendHtmlText(id, out);
  out->append("</bdi>");
}

std::string_view TextDirection(std::string_view text) {
  const size_t end = std::min<size_t>(text.size(), 64 << 10);
  size_t rtl = 0, ltr = 0;
  for (size_t pos = 0; pos < end;) {
    char32_t cp;
    pos += DecodeForDisplay(text, pos, &cp);
    if (IsRightToLeft(cp)) {
      ++rtl;
    } else if (!IsSpaceOrPunctuation(cp) && !IsShownAsControl(cp) &&
               !(cp >= '0' && cp <= '9') && !(cp >= 0x0300 && cp <= 0x036F)) {
      ++ltr;
    }
  }
  return rtl > ltr ? "rtl" : "ltr";
}

}  // namespace neardup::cli
