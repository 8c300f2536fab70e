// Validation of every options struct of the public API.
//
// Compare, Scan, Scanner::Create and Deduplicator::Create call these first
// and return their error unchanged, so a caller never needs to; call them
// to check options before any work (a form, a config file). Each returns
// absl::InvalidArgumentError naming the first bad field and its allowed
// range, e.g. "WindowOptions::num_hashes must be in [1, 1024], got 70000".
// NaN and infinities are out of every range.
//
// Thread-safety: every function here is safe to call from any thread.
#ifndef NEARDUP_OPTIONS_H_
#define NEARDUP_OPTIONS_H_

#include "absl/status/status.h"
#include "neardup/dedup.h"
#include "neardup/neardup.h"

namespace neardup {

// The largest `threads` value any options struct accepts.
inline constexpr int kMaxThreads = 1024;
// The most MinHash values per sketch (WindowOptions, DedupOptions): beyond
// this, choosing the LSH bands and rows alone takes seconds.
inline constexpr int kMaxNumHashes = 1024;

// Every field's value is allowed. Also fails, with FailedPreconditionError,
// when the ICU data the analysis needs (normalisation, word breaks) cannot
// be loaded: a broken installation.
absl::Status ValidateAnalyzeOptions(const AnalyzeOptions& options);

// min_tokens in [1, 2^20], min_score in [0, 1], max_gap in [1, 2^20],
// max_occurrences in [1, 2^16].
absl::Status ValidateAlignOptions(const AlignOptions& options);

// window_tokens in [2, 2^16], window_stride in [1, window_tokens],
// num_hashes in [1, kMaxNumHashes], threshold in (0, 1], max_bucket >= 2.
absl::Status ValidateWindowOptions(const WindowOptions& options);

// analyze and align as above.
absl::Status ValidateCompareOptions(const CompareOptions& options);

// analyze, align and windows as above; boilerplate_documents >= 0; threads
// in [0, kMaxThreads].
absl::Status ValidateScanOptions(const ScanOptions& options);

// analyze as above; threshold in (0, 1]; mode and keep one of their
// enumerators; shingle in [1, 256]; num_hashes in [1, kMaxNumHashes];
// lsh_threshold in [0, 1); max_bucket >= 2; threads in [0, kMaxThreads].
absl::Status ValidateDedupOptions(const DedupOptions& options);

}  // namespace neardup

#endif  // NEARDUP_OPTIONS_H_
