// Verification of a candidate passage: how similar its two spans really are.
#ifndef NEARDUP_SRC_VERIFY_H_
#define NEARDUP_SRC_VERIFY_H_

#include <cstdint>

#include "absl/types/span.h"

namespace neardup {

struct PassageSimilarity {
  uint32_t matched = 0;  // |A ∩ B| of the token-key multisets
  double dice = 0;       // 2 |A ∩ B| / (|A| + |B|), 0 when both are empty
};

// Multiset similarity of two token-key spans; order does not matter, so a
// passage whose list items were reordered still scores as the same words.
PassageSimilarity MeasurePassage(absl::Span<const uint64_t> a,
                                 absl::Span<const uint64_t> b);

}  // namespace neardup

#endif  // NEARDUP_SRC_VERIFY_H_
