// Collection-level boilerplate: word bigrams found in many documents of a
// collection (titles of officials, bylines, footers, agency credits). Matches
// inside such text are not evidence that two documents share a passage.
#ifndef NEARDUP_SRC_BOILERPLATE_H_
#define NEARDUP_SRC_BOILERPLATE_H_

#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/types/span.h"
#include "analyze.h"

namespace neardup {

// Hashes of the token-key bigrams that occur in more than `max_documents`
// of `documents` (each document counted once per bigram).
absl::flat_hash_set<uint64_t> FrequentBigrams(
    const std::vector<AnalyzedText>& documents, int max_documents);

// Sets (*boilerplate)[i] to 1 for every token i all of whose bigrams (with
// its left and its right neighbour) are in `frequent`, else 0.
void MarkBoilerplate(absl::Span<const uint64_t> keys,
                     const absl::flat_hash_set<uint64_t>& frequent,
                     std::vector<uint8_t>* boilerplate);

}  // namespace neardup

#endif  // NEARDUP_SRC_BOILERPLATE_H_
