// Tokenisation: the second stage of the pipeline. Splits normalised text into
// word tokens and hashes each token to the key that later stages compare.
#ifndef NEARDUP_TOKENIZE_H_
#define NEARDUP_TOKENIZE_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace neardup {

// A half-open byte range [begin, end) of the normalised text.
struct Token {
  uint32_t begin;
  uint32_t end;
};

// Appends nothing but word tokens: the segments of ICU's root-locale word
// break iterator whose rule status is a word (letters, numbers, kana,
// ideographs), never spaces, punctuation or symbols. Clears *out first and
// reuses its buffer. Thread-safe.
//
// Runs of space-separated text made only of "simple" characters (Latin,
// Greek, Cyrillic, Arabic letters, decimal digits, ASCII and general
// punctuation) are segmented by a hand-written equivalent of ICU's rules;
// everything else (CJK, Thai, Hebrew, emoji, combining marks, invalid UTF-8,
// ...) is handed to ICU. The result equals TokenizeWithIcu.
// REQUIRES: normalized.size() < 2^32.
// OK if ICU's word break rules loaded, else FailedPreconditionError naming
// ICU's error. Without them the text that needs ICU (scripts other than the
// fast path's) is cut at spaces only: a broken installation, which the
// public entry points report through this status instead of running
// degraded.
absl::Status WordBreakDataStatus();

void Tokenize(std::string_view normalized, std::vector<Token>* out);
std::vector<Token> Tokenize(std::string_view normalized);

// The reference: the same tokens computed by ICU alone. Slower; for tests
// and benchmarks.
void TokenizeWithIcu(std::string_view normalized, std::vector<Token>* out);

// The Word_Break classes of Tokenize's fast path, for a stage that fuses
// tokenisation with normalisation (analyze.cc). Words are maximal runs of
// kLetter, kNumeric and kExtendNumLet characters, where one kMidLetter,
// kMidNumLet or kSingleQuote between two kLetter, or one kMidNum, kMidNumLet
// or kSingleQuote between two kNumeric, also joins (UAX #29 WB6/7, WB11/12);
// a word of one kExtendNumLet character is no token. ' ' is the only kSpace.
// A kComplex character is segmented by ICU, with its neighbours.
enum class WordClass : uint8_t {
  kComplex = 0,   // Needs ICU: outside the simple blocks, or a class with
                  // context rules the fast path does not implement.
  kLetter,        // ALetter (and '@', which ICU's root rules add to it).
  kNumeric,       // Numeric.
  kExtendNumLet,  // ExtendNumLet ('_').
  kMidLetter,     // MidLetter (ICU's root rules remove ':' from it).
  kMidNum,        // MidNum (',' ';' ، ٬).
  kMidNumLet,     // MidNumLet ('.' ’).
  kSingleQuote,   // '\''.
  kOther,         // Breaks on both sides and is never part of a word.
  kSpace,         // ' ', the chunk separator.
};

// The class of the code point c in normalised text. Thread-safe.
WordClass WordClassOf(uint32_t c);

struct TokenKeyOptions {
  // Give common spelling variants of a word one key (see TokenKey).
  // Mirrors neardup::AnalyzeOptions::match_variants. Default: true.
  bool match_variants = true;
};

// Returns the 64-bit XXH3 hash of a token's matching form.
//
// Without match_variants the matching form is the token's bytes.
//
// With match_variants, the matching form of a normalised token (see
// Normalize; the rules assume its Arabic folds) is obtained by:
//  1. Conjunction: a leading و is removed if at least 3 code points remain
//     (وقال -> قال, but وزن stays).
//  2. Article: a leading ال, بال, كال, فال or لل is removed if at least 2
//     code points remain (الفصائل, بالفصائل, للفصائل -> فصائل; الله -> له).
//     Together with 1, والفصائل == الفصائل == فصائل.
//     The single-letter proclitics ب ك ف ل are not removed on their own:
//     too many words begin with those letters (بيت, كتب, فرق, لبنان).
//  3. Runs of one repeated letter collapse to one (قااني -> قاني, and after
//     Normalize قاآني == قآني). Digits never collapse (1000 != 10).
// This is a deliberately light, conservative stemmer (close to Larkey's
// light10 prefixes); it trades a few conflations (والي and إلى) for
// matching the common variants of one story.
uint64_t TokenKey(std::string_view token, const TokenKeyOptions& options = {});

// TokenKey(token, options) for a token made only of well-formed 1- and
// 2-byte UTF-8 sequences, given what its caller saw while reading it:
// last_repeat is the byte offset of the last code point that repeats the one
// before it (digits excepted), or 0 if none. Saves TokenKey's pass over the
// token when no repeat counts (the common case).
uint64_t TokenKeyOfShortSequences(std::string_view token, size_t last_repeat,
                                  const TokenKeyOptions& options);

// TokenKey by the general method, which decodes every code point. TokenKey
// takes a faster path for tokens of 1- and 2-byte UTF-8 sequences and gives
// the same key for every input; this is the reference it is tested against.
uint64_t TokenKeyGeneral(std::string_view token,
                         const TokenKeyOptions& options = {});

}  // namespace neardup

#endif  // NEARDUP_TOKENIZE_H_
