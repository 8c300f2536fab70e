#include "utf8.h"

#include <algorithm>

namespace neardup {

size_t AppendReplacingInvalidUtf8(std::string_view text, std::string* out) {
  const auto* begin = reinterpret_cast<const uint8_t*>(text.data());
  const auto* end = begin + text.size();
  size_t replaced = 0;
  const uint8_t* valid = begin;  // start of the run of valid bytes not copied
  for (const uint8_t* p = begin; p < end;) {
    if (*p < 0x80) {
      ++p;
      continue;
    }
    uint32_t code_point;
    const int length = DecodeUtf8(p, end, &code_point);
    if (code_point == kInvalidCodePoint) {
      out->append(reinterpret_cast<const char*>(valid), p - valid);
      out->append("\xEF\xBF\xBD");
      replaced += length;
      valid = p + length;
    }
    p += length;
  }
  out->append(reinterpret_cast<const char*>(valid), end - valid);
  return replaced;
}

void ByteToCodePointOffsets(std::string_view text,
                            const std::vector<uint32_t*>& byte_offsets) {
  std::vector<uint32_t*> sorted = byte_offsets;
  std::stable_sort(
      sorted.begin(), sorted.end(),
      [](const uint32_t* x, const uint32_t* y) { return *x < *y; });
  const auto* begin = reinterpret_cast<const uint8_t*>(text.data());
  const auto* end = begin + text.size();
  size_t pos = 0;
  uint32_t chars = 0;
  for (uint32_t* offset : sorted) {
    const size_t target = std::min<size_t>(*offset, text.size());
    while (pos < target) {
      uint32_t code_point;
      pos += DecodeUtf8(begin + pos, end, &code_point);
      ++chars;
    }
    *offset = chars;
  }
}

}  // namespace neardup
