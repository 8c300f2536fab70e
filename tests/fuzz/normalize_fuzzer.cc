// Normalize on arbitrary bytes, with the option combination chosen by the
// first byte. Checks the offset-map contract of NormalizedText and that every
// token's original span (ToOriginal) is a well-formed range of the input that
// starts and ends on character boundaries.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "normalize.h"
#include "tokenize.h"
#include "utf8.h"

namespace neardup {
namespace {

// Whether every byte of `text` is part of a well-formed UTF-8 sequence.
bool IsValidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    uint32_t c;
    p += DecodeUtf8(p, end, &c);
    if (c == kInvalidCodePoint) return false;
  }
  return true;
}

// boundary[k] is true iff k is where a character (or a maximal ill-formed
// subpart, which Normalize reads as one U+FFFD) of `text` starts, or k ==
// text.size().
std::vector<bool> CharacterBoundaries(std::string_view text) {
  std::vector<bool> boundary(text.size() + 1, false);
  const auto* begin = reinterpret_cast<const uint8_t*>(text.data());
  const auto* end = begin + text.size();
  for (const uint8_t* p = begin; p < end;) {
    boundary[p - begin] = true;
    uint32_t c;
    p += DecodeUtf8(p, end, &c);
  }
  boundary[text.size()] = true;
  return boundary;
}

}  // namespace
}  // namespace neardup

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using neardup::NormalizedText;
  using neardup::NormalizeOptions;
  if (size == 0) return 0;
  const uint8_t flags = data[0];
  NormalizeOptions options;
  options.fold_case = (flags & 1) != 0;
  options.strip_marks = (flags & 2) != 0;
  options.fold_arabic = (flags & 4) != 0;
  options.fold_digits = (flags & 8) != 0;
  const std::string_view input(reinterpret_cast<const char*>(data + 1),
                               size - 1);

  const NormalizedText normalized = neardup::Normalize(input, options);
  const std::vector<uint32_t>& origin = normalized.origin;
  FUZZ_CHECK(origin.size() == normalized.text.size() + 1);
  FUZZ_CHECK(origin.back() == input.size());
  for (size_t i = 1; i < origin.size(); ++i) {
    FUZZ_CHECK(origin[i - 1] <= origin[i]);
  }
  FUZZ_CHECK(neardup::IsValidUtf8(normalized.text));

  // The reusing overload must give the same result, even with a dirty buffer.
  NormalizedText reused;
  reused.text = "stale";
  reused.origin = {7, 7, 7};
  reused.invalid_sequences = 99;
  neardup::Normalize(input, options, &reused);
  FUZZ_CHECK(reused.text == normalized.text);
  FUZZ_CHECK(reused.origin == normalized.origin);
  FUZZ_CHECK(reused.invalid_sequences == normalized.invalid_sequences);

  const std::vector<bool> boundary = neardup::CharacterBoundaries(input);
  for (size_t i = 0; i < normalized.text.size(); ++i) {
    FUZZ_CHECK(origin[i] < input.size());
    FUZZ_CHECK(boundary[origin[i]]);
  }
  for (const neardup::Token& token : neardup::Tokenize(normalized.text)) {
    FUZZ_CHECK(token.begin < token.end);
    FUZZ_CHECK(token.end <= normalized.text.size());
    const auto [begin, end] = normalized.ToOriginal(token.begin, token.end);
    FUZZ_CHECK(begin < end);
    FUZZ_CHECK(end <= input.size());
    FUZZ_CHECK(boundary[begin]);
    FUZZ_CHECK(boundary[end]);
  }
  return 0;
}
