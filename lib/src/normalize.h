// Normalisation: the first stage of the pipeline. Turns a document's UTF-8
// text into a canonical form in which spelling variants of one word become
// the same bytes, and keeps a map from every normalised byte back to the
// original text so that later stages can report spans in the user's bytes.
#ifndef NEARDUP_NORMALIZE_H_
#define NEARDUP_NORMALIZE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"

namespace neardup {

// Which folds Normalize applies. Mirrors the fields of
// neardup::AnalyzeOptions. Whatever the options, Normalize always:
//  - maps every whitespace character (gc=Zs/Zl/Zp, \t \n \v \f \r, U+0085)
//    to ' ' and collapses each run of whitespace to one ' ';
//  - maps double quotes (“ ” „ ‟ « » ‹ › ″ ‶ 〝 〞 〟 ＂) to '"', single quotes
//    and primes (‘ ’ ‚ ‛ ′ ‵ ` ´) to '\'', dashes (gc=Pd) to '-', and the
//    Arabic comma, semicolon and question mark (، ؛ ؟) to ',' ';' '?';
//  - drops Default_Ignorable_Code_Point characters (BOM, ZWJ, ZWNJ, LRM,
//    RLM, soft hyphen, variation selectors, ...).
struct NormalizeOptions {
  // Unicode NFKC_Casefold (ICU): compatibility forms (ligatures, Arabic
  // presentation forms, full-width letters) and case. When false, neither
  // compatibility mappings nor case folding are applied (strip_marks still
  // decomposes and recomposes canonically). Default: true.
  bool fold_case = true;
  // Drop combining marks (gc=Mn) after canonical decomposition, then
  // recompose: Latin accents and Arabic tashkeel (U+064B..U+065F, U+0670...).
  // As a consequence the hamza/madda forms of alef, waw and yeh lose their
  // hamza even when fold_arabic is false. Default: true.
  bool strip_marks = true;
  // Arabic orthography: alef with hamza/madda/wasla (أ إ آ ٱ ٲ ٳ ٵ) -> ا,
  // ؤ ٶ -> و, ئ ٸ -> ي, ة -> ه, ى -> ي, Persian/Urdu ی -> ي and ک -> ك;
  // tatweel (U+0640) and the high hamza U+0674 are removed. Default: true.
  bool fold_arabic = true;
  // Every decimal digit (gc=Nd: Arabic-Indic, Persian, Devanagari, ...) ->
  // ASCII '0'..'9'. Default: true.
  bool fold_digits = true;
};

// A number for each combination of NormalizeOptions, below
// kNormalizeOptionCombinations: for the tables made once per combination
// (normalize.cc, analyze.cc).
inline constexpr int kNormalizeOptionCombinations = 16;
inline int NormalizeOptionsIndex(const NormalizeOptions& options) {
  return (options.fold_case ? 1 : 0) | (options.strip_marks ? 2 : 0) |
         (options.fold_arabic ? 4 : 0) | (options.fold_digits ? 8 : 0);
}

// Normalised text and a map back to the original bytes.
struct NormalizedText {
  // Valid UTF-8.
  std::string text;
  // origin.size() == text.size() + 1. origin[i] is the byte offset, in the
  // original, of the start of the original character that produced text[i];
  // origin[text.size()] == original.size(). Non-decreasing.
  std::vector<uint32_t> origin;
  // Number of maximal ill-formed UTF-8 subparts in the original, each of
  // which was replaced by one U+FFFD.
  size_t invalid_sequences = 0;

  // Maps the normalised bytes [begin, end) to original bytes
  // [first, second). first = origin[begin]; second = the origin of the first
  // normalised byte at index >= end that comes from a later original
  // character than text[end - 1] (or the original's size). So characters
  // that normalisation dropped (marks, tatweel, collapsed whitespace) after
  // the span's last character belong to the span, and a span never ends
  // inside an original character. An empty span maps to an empty span at
  // origin[begin].
  // REQUIRES: begin <= end <= text.size().
  std::pair<uint32_t, uint32_t> ToOriginal(uint32_t begin, uint32_t end) const;
};

// Normalises UTF-8 text. Never fails: each maximal ill-formed subpart (in the
// sense of the Unicode Standard, section 3.9, "U+FFFD Substitution of Maximal
// Subparts") becomes one U+FFFD whose origin is the subpart's first byte.
//
// Each code point is mapped independently:
//   NFC(drop_Mn(NFD(NFKC_Casefold(c)))), then the Arabic and digit folds,
// with the whitespace and punctuation rules above taking precedence. This
// equals string-level normalisation except where NFKC would compose across
// code points that survive mark stripping (conjoining Hangul jamo, some
// Indic two-part vowels), and, with strip_marks false, base + combining mark
// sequences are left decomposed.
//
// REQUIRES: utf8.size() < 2^32 - 1.
// OK if ICU's normalisation data (NFKC_Casefold, NFD, NFC) loaded, else
// FailedPreconditionError naming ICU's error. Without it Normalize still
// works but applies only neardup's own folds (whitespace, punctuation,
// Arabic letters, digits): a broken installation, which the public entry
// points report through this status instead of running degraded.
absl::Status NormalizationDataStatus();

NormalizedText Normalize(std::string_view utf8,
                         const NormalizeOptions& options = {});

// Same, reusing `out`'s buffers (the hot path: callers normalise millions of
// documents). Overwrites every field of *out.
void Normalize(std::string_view utf8, const NormalizeOptions& options,
               NormalizedText* out);

// How Normalize maps one code point under `options`: for a stage that fuses
// normalisation with what follows (analyze.cc). kSpace means ' ', emitted
// unless the output already ends with ' '.
struct CodePointMapping {
  enum Kind : uint8_t { kUnchanged, kDrop, kReplace, kSpace };
  Kind kind = kUnchanged;
  // kReplace: the bytes emitted (valid UTF-8, never empty); they live as long
  // as the process.
  std::string_view replacement;
};
// REQUIRES: c is a Unicode scalar value (<= U+10FFFF, not a surrogate).
// Thread-safe.
CodePointMapping MapCodePoint(uint32_t c, const NormalizeOptions& options);

// The normalised text alone, as Normalize gives it, without the offset map:
// for callers that need token keys but no spans (dedup). Replaces *text,
// reusing its buffer; returns the number of ill-formed subparts.
size_t NormalizeText(std::string_view utf8, const NormalizeOptions& options,
                     std::string* text);

}  // namespace neardup

#endif  // NEARDUP_NORMALIZE_H_
