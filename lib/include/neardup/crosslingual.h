// Cross-language comparison: the passages of an English text that an Arabic
// text translates, found with a bilingual dictionary (no model).
//
//   absl::StatusOr<std::unique_ptr<neardup::Lexicon>> lexicon =
//       neardup::Lexicon::Load(neardup::kDefaultLexiconDir);
//   for (...each pair...) {
//     absl::StatusOr<std::vector<neardup::Passage>> passages =
//         neardup::CompareCrossLingual(**lexicon, english, arabic);
//   }
#ifndef NEARDUP_CROSSLINGUAL_H_
#define NEARDUP_CROSSLINGUAL_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "neardup/neardup.h"

namespace neardup {

// Where Debian's dict-freedict-ara-eng and dict-freedict-eng-ara packages
// install their dictionaries.
inline constexpr char kDefaultLexiconDir[] = "/usr/share/dictd";

// An Arabic -> English lexicon: every normalised Arabic word form (and its
// light stem) maps to the set of Snowball stems of its English glosses.
// Built from the FreeDict Arabic-English and English-Arabic dictionaries
// (dictd format, GPL; read at run time, never shipped with neardup) plus a
// built-in list of frequent Arabic words that FreeDict lacks.
//
// Immutable once loaded: one Lexicon may be shared by any number of threads
// calling CompareCrossLingual at once.
class Lexicon {
 public:
  // Reads freedict-ara-eng.{index,dict.dz} and freedict-eng-ara.{index,
  // dict.dz} from `dir` (.dict instead of .dict.dz is accepted). Both must be
  // present and readable; otherwise returns NotFoundError or DataLossError
  // naming the file and the Debian packages that provide it. About 0.3 s.
  static absl::StatusOr<std::unique_ptr<Lexicon>> Load(std::string_view dir);

  ~Lexicon();
  Lexicon(const Lexicon&) = delete;
  Lexicon& operator=(const Lexicon&) = delete;

  // Number of distinct Arabic keys (word forms and stems) with a gloss.
  size_t arabic_keys() const;
  // Number of distinct English stems glossing them.
  size_t english_stems() const;

  struct Rep;
  const Rep& rep() const { return *rep_; }

 private:
  explicit Lexicon(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

struct CrossLingualOptions {
  // A passage is reported when the chains of dictionary matches it is made
  // of score this much in all. A match weighs 1/sqrt(f_ar * f_en) for a gloss
  // that occurs f_ar and f_en times in the two texts (1 for a word that
  // occurs once on each side), less small costs for uneven gaps. On the
  // evaluation pairs (bench/crosslingual_eval.py), 5 finds 99 % of the
  // translated passages of 80+ Arabic words and reports no unrelated pair
  // of 1,800. Default: 5.
  double min_chain_score = 5;
  // Two matches stay in one chain while at most this many Arabic tokens, and
  // at most this many English tokens, separate them. A translation has about
  // 1.5 to 2 English tokens per Arabic token (Arabic joins articles,
  // prepositions and pronouns to the word). Defaults: 12 and 22.
  int max_gap_arabic = 12;
  int max_gap_english = 22;
  // A chain may step back this many English tokens (Arabic puts adjectives
  // after nouns and verbs before subjects). Default: 4.
  int max_backward_english = 4;
  // A gloss is not a match when f_ar * f_en > max_occurrences^2 (as
  // AlignOptions::max_occurrences). Default: 8.
  int max_occurrences = 8;
  // Minimum Passage::score of a reported passage. Default: 0.
  double min_score = 0;
};

// Returns the passages of `a` and `b` that translate each other, one text
// English (Latin script) and the other Arabic, in either order, ordered by
// a.begin, then b.begin. Each span runs from the first to the last matched
// word. Passage::score is, in [0, 1], the share of the two spans' matchable
// words (English words other than function words; Arabic words with a
// gloss, numbers, Latin words and names) that the alignment pairs:
// translations of technical or news prose score about 0.3 to 0.6, a chain
// of chance matches rarely above 0.15. Passage::matched and aligned count
// the pairs of words matched.
//
// Returns InvalidArgumentError when the texts are not one mainly Arabic and
// one mainly Latin-script text (the message says which script each is in);
// for two texts in one language use Compare. Thread-safe.
absl::StatusOr<std::vector<Passage>> CompareCrossLingual(
    const Lexicon& lexicon, std::string_view a, std::string_view b,
    const CrossLingualOptions& options = {});

// The main script of a text, by its letters: "arabic", "latin", or "other"
// (none of the two holds a majority of the letters, or there are none).
std::string_view DominantScript(std::string_view text);

}  // namespace neardup

#endif  // NEARDUP_CROSSLINGUAL_H_
