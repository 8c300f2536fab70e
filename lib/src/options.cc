// One validation per options struct (see neardup/options.h). Messages name
// the library's field; the CLI checks its own flags before they get here.
#include "neardup/options.h"

#include <cstdint>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "normalize.h"
#include "tokenize.h"

namespace neardup {
namespace {

absl::Status OutOfRange(absl::string_view field, absl::string_view range,
                        absl::string_view got) {
  return absl::InvalidArgumentError(
      absl::StrCat(field, " must be ", range, ", got ", got));
}

// [low, high] for integers.
template <typename Int>
absl::Status CheckRange(absl::string_view field, Int value, int64_t low,
                        int64_t high) {
  if (static_cast<int64_t>(value) >= low &&
      static_cast<int64_t>(value) <= high) {
    return absl::OkStatus();
  }
  return OutOfRange(field, absl::StrCat("in [", low, ", ", high, "]"),
                    absl::StrCat(value));
}

// value >= low, for integers of any width.
template <typename Int>
absl::Status CheckAtLeast(absl::string_view field, Int value, int64_t low) {
  bool ok;
  if constexpr (std::is_signed_v<Int>) {
    ok = static_cast<int64_t>(value) >= low;
  } else {
    ok = low <= 0 || static_cast<uint64_t>(value) >= static_cast<uint64_t>(low);
  }
  if (ok) return absl::OkStatus();
  return OutOfRange(field, absl::StrCat("at least ", low), absl::StrCat(value));
}

// The comparisons are written so that NaN fails them.
absl::Status CheckClosed(absl::string_view field, double value, double low,
                         double high) {
  if (value >= low && value <= high) return absl::OkStatus();
  return OutOfRange(field, absl::StrCat("in [", low, ", ", high, "]"),
                    absl::StrCat(value));
}

absl::Status CheckLeftOpen(absl::string_view field, double value, double low,
                           double high) {
  if (value > low && value <= high) return absl::OkStatus();
  return OutOfRange(field, absl::StrCat("in (", low, ", ", high, "]"),
                    absl::StrCat(value));
}

absl::Status CheckRightOpen(absl::string_view field, double value, double low,
                            double high) {
  if (value >= low && value < high) return absl::OkStatus();
  return OutOfRange(field, absl::StrCat("in [", low, ", ", high, ")"),
                    absl::StrCat(value));
}

}  // namespace

absl::Status ValidateAnalyzeOptions(const AnalyzeOptions& /*options*/) {
  if (absl::Status status = NormalizationDataStatus(); !status.ok()) {
    return status;
  }
  return WordBreakDataStatus();
}

absl::Status ValidateAlignOptions(const AlignOptions& options) {
  for (absl::Status status : {
           CheckRange("AlignOptions::min_tokens", options.min_tokens, 1,
                      1 << 20),
           CheckClosed("AlignOptions::min_score", options.min_score, 0, 1),
           CheckRange("AlignOptions::max_gap", options.max_gap, 1, 1 << 20),
           CheckRange("AlignOptions::max_occurrences", options.max_occurrences,
                      1, 1 << 16),
           CheckClosed("AlignOptions::short_text_share",
                       options.short_text_share, 0, 2),
           CheckRange("AlignOptions::short_text_min_tokens",
                      options.short_text_min_tokens, 1, 1 << 20),
       }) {
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status ValidateWindowOptions(const WindowOptions& options) {
  for (absl::Status status : {
           CheckRange("WindowOptions::window_tokens", options.window_tokens, 2,
                      1 << 16),
           CheckRange("WindowOptions::window_stride", options.window_stride, 1,
                      options.window_tokens),
           CheckRange("WindowOptions::num_hashes", options.num_hashes, 1,
                      kMaxNumHashes),
           CheckLeftOpen("WindowOptions::threshold", options.threshold, 0, 1),
           CheckAtLeast("WindowOptions::max_bucket", options.max_bucket, 2),
       }) {
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status ValidateCompareOptions(const CompareOptions& options) {
  if (absl::Status status = ValidateAlignOptions(options.align); !status.ok()) {
    return status;
  }
  return ValidateAnalyzeOptions(options.analyze);
}

absl::Status ValidateScanOptions(const ScanOptions& options) {
  for (absl::Status status : {
           ValidateAlignOptions(options.align),
           ValidateWindowOptions(options.windows),
           CheckAtLeast("ScanOptions::boilerplate_documents",
                        options.boilerplate_documents, 0),
           CheckAtLeast("ScanOptions::boilerplate_max_tokens",
                        options.boilerplate_max_tokens, 0),
           CheckRange("ScanOptions::cluster_documents",
                      options.cluster_documents, 2, 1 << 30),
           CheckRange("ScanOptions::threads", options.threads, 0, kMaxThreads),
       }) {
    if (!status.ok()) return status;
  }
  return ValidateAnalyzeOptions(options.analyze);
}

absl::Status ValidateDedupOptions(const DedupOptions& options) {
  if (options.mode != DedupMode::kJaccard &&
      options.mode != DedupMode::kContainment) {
    return absl::InvalidArgumentError(
        absl::StrCat("DedupOptions::mode must be kJaccard or kContainment, "
                     "got ",
                     static_cast<int>(options.mode)));
  }
  if (options.keep != DedupKeep::kFirst &&
      options.keep != DedupKeep::kLongest) {
    return absl::InvalidArgumentError(
        absl::StrCat("DedupOptions::keep must be kFirst or kLongest, got ",
                     static_cast<int>(options.keep)));
  }
  for (absl::Status status : {
           CheckLeftOpen("DedupOptions::threshold", options.threshold, 0, 1),
           CheckRange("DedupOptions::shingle", options.shingle, 1, 256),
           CheckRange("DedupOptions::num_hashes", options.num_hashes, 1,
                      kMaxNumHashes),
           CheckRightOpen("DedupOptions::lsh_threshold", options.lsh_threshold,
                          0, 1),
           CheckAtLeast("DedupOptions::max_bucket", options.max_bucket, 2),
           CheckRange("DedupOptions::threads", options.threads, 0, kMaxThreads),
       }) {
    if (!status.ok()) return status;
  }
  return ValidateAnalyzeOptions(options.analyze);
}

}  // namespace neardup
