// Scan over texts it reads back from a TextStore (text_store.h), for Scan
// and Scanner.
#ifndef NEARDUP_SRC_SCAN_INTERNAL_H_
#define NEARDUP_SRC_SCAN_INTERNAL_H_

#include "absl/status/statusor.h"
#include "neardup/neardup.h"
#include "text_store.h"

namespace neardup {

// Scan of the texts of `texts`, in their order. Holds token keys and band
// keys, not texts: each text is read once to analyse it and again only for
// the pairs and boilerplate it reports. Errors: as Scan, and the store's
// read errors. REQUIRES: fewer than 2^32 - 1 texts, each shorter than
// kMaxTextBytes.
absl::StatusOr<ScanResult> ScanTexts(const TextStore& texts,
                                     const ScanOptions& options);

}  // namespace neardup

#endif  // NEARDUP_SRC_SCAN_INTERNAL_H_
