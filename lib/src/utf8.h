// A UTF-8 decoder that follows the Unicode Standard's "maximal subpart"
// practice for ill-formed input (section 3.9, table 3-7). Shared by the
// normalisation and tokenisation stages.
#ifndef NEARDUP_UTF8_H_
#define NEARDUP_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace neardup {

// Returned in *code_point for an ill-formed subpart.
inline constexpr uint32_t kInvalidCodePoint = 0xFFFFFFFF;

// Decodes the character starting at p. Returns its length in bytes (>= 1).
// If the bytes at p are a well-formed UTF-8 sequence, sets *code_point to
// its scalar value; otherwise sets it to kInvalidCodePoint and returns the
// length of the maximal ill-formed subpart starting at p, which the caller
// replaces by one U+FFFD.
// REQUIRES: p < end.
inline int DecodeUtf8(const uint8_t* p, const uint8_t* end,
                      uint32_t* code_point) {
  const uint8_t lead = p[0];
  if (lead < 0x80) {
    *code_point = lead;
    return 1;
  }
  const size_t avail = static_cast<size_t>(end - p);
  if (lead < 0xC2) {  // Stray continuation byte or overlong 2-byte lead.
    *code_point = kInvalidCodePoint;
    return 1;
  }
  if (lead < 0xE0) {
    if (avail >= 2 && (p[1] & 0xC0) == 0x80) {
      *code_point = ((lead & 0x1Fu) << 6) | (p[1] & 0x3Fu);
      return 2;
    }
    *code_point = kInvalidCodePoint;
    return 1;
  }
  if (lead < 0xF0) {
    // The second byte's range depends on the lead: E0 excludes overlongs,
    // ED excludes surrogates.
    const uint8_t lo = lead == 0xE0 ? 0xA0 : 0x80;
    const uint8_t hi = lead == 0xED ? 0x9F : 0xBF;
    if (avail < 2 || p[1] < lo || p[1] > hi) {
      *code_point = kInvalidCodePoint;
      return 1;
    }
    if (avail < 3 || (p[2] & 0xC0) != 0x80) {
      *code_point = kInvalidCodePoint;
      return 2;
    }
    *code_point =
        ((lead & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
    return 3;
  }
  if (lead < 0xF5) {
    // F0 excludes overlongs, F4 excludes values above U+10FFFF.
    const uint8_t lo = lead == 0xF0 ? 0x90 : 0x80;
    const uint8_t hi = lead == 0xF4 ? 0x8F : 0xBF;
    if (avail < 2 || p[1] < lo || p[1] > hi) {
      *code_point = kInvalidCodePoint;
      return 1;
    }
    if (avail < 3 || (p[2] & 0xC0) != 0x80) {
      *code_point = kInvalidCodePoint;
      return 2;
    }
    if (avail < 4 || (p[3] & 0xC0) != 0x80) {
      *code_point = kInvalidCodePoint;
      return 3;
    }
    *code_point = ((lead & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) |
                  ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
    return 4;
  }
  *code_point = kInvalidCodePoint;  // F5..FF never occur in UTF-8.
  return 1;
}

// Appends the UTF-8 encoding of the scalar value c to out; returns the number
// of bytes written (1..4).
inline int EncodeUtf8(uint32_t c, char* out) {
  if (c < 0x80) {
    out[0] = static_cast<char>(c);
    return 1;
  }
  if (c < 0x800) {
    out[0] = static_cast<char>(0xC0 | (c >> 6));
    out[1] = static_cast<char>(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (c >> 12));
    out[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (c & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (c >> 18));
  out[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (c & 0x3F));
  return 4;
}

// Appends `text` to *out with each maximal ill-formed subpart (as DecodeUtf8
// delimits them) replaced by U+FFFD. The result is valid UTF-8 and holds the
// code points DecodeUtf8 reads in `text`, so code point offsets into the two
// agree. Returns the number of bytes replaced.
size_t AppendReplacingInvalidUtf8(std::string_view text, std::string* out);

// Rewrites each value in `byte_offsets` (byte offsets into `text`, each on a
// character boundary or at text.size()) as the number of code points before
// it, an ill-formed subpart counting as one (it reads as one U+FFFD, as in
// ICU, Python and browsers). One pass over the text, whatever the order of
// the offsets.
void ByteToCodePointOffsets(std::string_view text,
                            const std::vector<uint32_t*>& byte_offsets);

}  // namespace neardup

#endif  // NEARDUP_UTF8_H_
