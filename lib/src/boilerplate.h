// Collection-level boilerplate: short stretches of text found in many
// documents of a collection (titles of officials, bylines, footers, agency
// credits), and phrases the user lists. Matches inside such text are not
// evidence that two documents share a passage.
//
// What makes text boilerplate is what it is, not only how often it occurs: a
// run of consecutive frequent word pairs (each in more than max_documents
// documents) shorter than max_run_tokens is boilerplate, while a longer run
// is a passage that many documents carry (a syndicated story) and is reuse.
#ifndef NEARDUP_SRC_BOILERPLATE_H_
#define NEARDUP_SRC_BOILERPLATE_H_

#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/types/span.h"
#include "align.h"
#include "analyze.h"

namespace neardup {

// Hashes of the token-key bigrams that occur in more than `max_documents`
// of `documents` (each document counted once per bigram), leaving out the
// documents d with skip[d] != 0 (copies of another: copies.h). `skip` is
// empty or has one flag a document.
absl::flat_hash_set<uint64_t> FrequentBigrams(
    const std::vector<AnalyzedText>& documents, int max_documents,
    absl::Span<const uint8_t> skip = {});

// A stretch of one document treated as boilerplate, and the hash of its
// token keys (equal stretches in other documents have the same hash).
struct BoilerplateRun {
  TokenRange tokens;
  uint64_t hash = 0;
  bool user_phrase = false;  // matched a PhraseMatcher phrase
};

// Hash of a sequence of token keys.
uint64_t KeySequenceHash(absl::Span<const uint64_t> keys);

// Sets (*boilerplate)[i] to 1 for every token i all of whose bigrams (with
// its left and its right neighbour) are in `frequent` and which lies in a
// maximal run of frequent bigrams covering fewer than `max_run_tokens`
// tokens (0: any length) and not all of `keys`, else 0. If `runs` is not null,
// appends each such run (the tokens its frequent bigrams cover).
void MarkBoilerplate(absl::Span<const uint64_t> keys,
                     const absl::flat_hash_set<uint64_t>& frequent,
                     int max_run_tokens, std::vector<uint8_t>* boilerplate,
                     std::vector<BoilerplateRun>* runs = nullptr);

// Finds the user's own boilerplate phrases (given as token-key sequences)
// in documents. Thread-safe once built.
class PhraseMatcher {
 public:
  explicit PhraseMatcher(std::vector<std::vector<uint64_t>> phrases);

  bool empty() const { return phrases_.empty(); }

  // Sets (*boilerplate)[i] to 1 for every token i inside an occurrence of a
  // phrase (leaves other flags as they are; resizes to keys.size() with 0s
  // if needed) and appends each occurrence to *runs.
  void Mark(absl::Span<const uint64_t> keys, std::vector<uint8_t>* boilerplate,
            std::vector<BoilerplateRun>* runs) const;

 private:
  std::vector<std::vector<uint64_t>> phrases_;
  std::vector<uint64_t> hashes_;
  // First key of a phrase -> the phrases starting with it.
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> by_first_key_;
};

}  // namespace neardup

#endif  // NEARDUP_SRC_BOILERPLATE_H_
