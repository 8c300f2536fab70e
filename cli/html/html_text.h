// Text as the HTML report shows it: escaped so that it reads back (as the
// DOM's textContent) as the text itself, never as markup, and the character
// classes the report's other stages share.
#ifndef NEARDUP_CLI_HTML_HTML_TEXT_H_
#define NEARDUP_CLI_HTML_HTML_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace neardup::cli {

// A half-open range of bytes of a document's original text.
struct ByteRange {
  uint32_t begin = 0;
  uint32_t end = 0;
  bool operator==(const ByteRange&) const = default;
};

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

// The code point at text[pos] and its length in bytes (>= 1), as a browser
// decodes it: an ill-formed subpart is one U+FFFD (the library's decoder,
// lib/src/utf8.h). REQUIRES: pos < text.size().
size_t DecodeForDisplay(std::string_view text, size_t pos, char32_t* cp);

// Characters shown as a labelled, isolated box: invisible ones (C0 but tab,
// LF and CR, DEL, C1) and the bidi embedding, override and isolate
// characters (U+202A-202E, U+2066-2069), which would reorder what follows.
bool IsShownAsControl(char32_t cp);

// Letters of a right-to-left script (Hebrew, Arabic, Syriac, Thaana, N'Ko
// ...), presentation forms included.
bool IsRightToLeft(char32_t cp);

// Spaces, punctuation, symbols and emoji: what separates words.
bool IsSpaceOrPunctuation(char32_t cp);

// Appends `text` as HTML character data that reads back as the text
// itself: & < > " are escaped, CR is written as a character reference (the
// HTML parser would turn a raw CR into LF), each ill-formed UTF-8 subpart
// becomes U+FFFD (as a browser decodes it). Each character IsShownAsControl
// is wrapped in its own <span class="ctl" data-c="U+XXXX">, which the style
// sheet isolates and labels, so an override cannot reorder the text after
// it; NUL, which HTML cannot hold, is written as U+FFFD in such a span.
void AppendHtmlText(std::string_view text, std::string* out);

// For <title>, which holds text only: as AppendHtmlText, but each control
// character becomes U+FFFD.
void AppendTitleText(std::string_view text, std::string* out);

// A document id, isolated from the text around it: <bdi class="id">.
void AppendId(std::string_view id, std::string* out);

// "rtl" when most of the first 64 KiB's letters are of a right-to-left
// script, else "ltr".
std::string_view TextDirection(std::string_view text);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_HTML_HTML_TEXT_H_
