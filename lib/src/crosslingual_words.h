// Word lists for cross-language comparison, written for neardup (not taken
// from any dictionary): function words that are never matched, and glosses
// of frequent Arabic words that the FreeDict dictionaries lack.
#ifndef NEARDUP_SRC_CROSSLINGUAL_WORDS_H_
#define NEARDUP_SRC_CROSSLINGUAL_WORDS_H_

#include <string_view>

#include "absl/types/span.h"

namespace neardup {

// English function words, lower case.
absl::Span<const std::string_view> EnglishFunctionWords();

// Arabic function words (prepositions, particles, pronouns,
// demonstratives), unnormalised.
absl::Span<const std::string_view> ArabicFunctionWords();

struct ArabicGloss {
  std::string_view arabic;   // one word, unnormalised
  std::string_view english;  // English words, space-separated
};
// Frequent Arabic words of news and technical prose with their English
// glosses: verbs of saying and reporting, time, numbers, months, countries,
// institutions.
absl::Span<const ArabicGloss> FrequentArabicGlosses();

}  // namespace neardup

#endif  // NEARDUP_SRC_CROSSLINGUAL_WORDS_H_
