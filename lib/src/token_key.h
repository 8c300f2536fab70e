// TokenKey's prefix rules on bytes, and TokenKeyOfShortSequences, inline:
// the fused analysis (analyze.cc) computes one key per token, where a call
// costs a fifth of the key. tokenize.h documents the rules; tokenize.cc's
// TokenKeyOfShortSequences and TokenKey's fast path use these.
#ifndef NEARDUP_SRC_TOKEN_KEY_H_
#define NEARDUP_SRC_TOKEN_KEY_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tokenize.h"

// Inline XXH3: a token is a few bytes, where a library call costs as much as
// the hash. The values are those of the library's XXH3_64bits.
#define XXH_INLINE_ALL
#include "xxhash.h"

namespace neardup::token_key {

// The 2-byte encodings of the prefix letters, as (lead << 8) | trail.
constexpr uint16_t kAlef2 = 0xD8A7;
constexpr uint16_t kLam2 = 0xD984;
constexpr uint16_t kWaw2 = 0xD988;
constexpr uint16_t kBeh2 = 0xD8A8;
constexpr uint16_t kKaf2 = 0xD983;
constexpr uint16_t kFeh2 = 0xD981;

// The 2 bytes at p as (p[0] << 8) | p[1], or 0 if fewer than 2 remain.
inline uint16_t Pair(const uint8_t* p, const uint8_t* end) {
  if (end - p < 2) return 0;
  return static_cast<uint16_t>((p[0] << 8) | p[1]);
}

// Whether [p, end) holds at least k code points, for text of 1- and 2-byte
// sequences: the number of bytes that are not continuation bytes among the
// first 2k (k code points take at most 2k bytes).
inline bool AtLeastCodePoints(const uint8_t* p, const uint8_t* end, int k) {
  if (end - p >= 2 * k) return true;
  const ptrdiff_t look = end - p;
  int leads = 0;
  for (ptrdiff_t i = 0; i < look; ++i) leads += (p[i] & 0xC0) != 0x80;
  return leads >= k;
}

// The start of the matching form once the prefix rules have removed a
// leading conjunction and article, on bytes: valid only if the whole token is
// of 1- and 2-byte sequences.
inline const uint8_t* SkipPrefixes(const uint8_t* begin, const uint8_t* end) {
  const uint8_t* rest = begin;
  if (Pair(rest, end) == kWaw2 && AtLeastCodePoints(rest + 2, end, 3)) {
    rest += 2;
  }
  const uint16_t a = Pair(rest, end);
  int article = 0;  // bytes
  if ((a == kAlef2 || a == kLam2) && Pair(rest + 2, end) == kLam2) {
    article = 4;  // ال لل
  } else if ((a == kBeh2 || a == kKaf2 || a == kFeh2) &&
             Pair(rest + 2, end) == kAlef2 && Pair(rest + 4, end) == kLam2) {
    article = 6;  // بال كال فال
  }
  if (article > 0 && AtLeastCodePoints(rest + article, end, 2)) {
    rest += article;
  }
  return rest;
}

// TokenKeyOfShortSequences (tokenize.h).
inline uint64_t KeyOfShortSequences(std::string_view token, size_t last_repeat,
                                    const TokenKeyOptions& options) {
  if (!options.match_variants) return XXH3_64bits(token.data(), token.size());
  const auto* const begin = reinterpret_cast<const uint8_t*>(token.data());
  const uint8_t* const end = begin + token.size();
  const uint8_t* const rest = SkipPrefixes(begin, end);
  // A repeat counts if the code point it repeats lies in the form, that is
  // if it starts after the form does.
  if (last_repeat <= static_cast<size_t>(rest - begin)) [[likely]] {
    return XXH3_64bits(rest, static_cast<size_t>(end - rest));
  }
  return TokenKey(token, options);
}

}  // namespace neardup::token_key

#endif  // NEARDUP_SRC_TOKEN_KEY_H_
