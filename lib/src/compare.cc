// neardup::Compare: the whole pipeline for one pair of texts. No candidate
// stage: the two texts are aligned directly.
#include "align.h"
#include "analyze.h"
#include "locate.h"
#include "neardup/neardup.h"
#include "neardup/options.h"

namespace neardup {
namespace {

bool Cancelled(const CompareOptions& options) {
  return options.cancel != nullptr && options.cancel->load();
}

void Report(const CompareOptions& options, std::string_view stage, size_t done,
            size_t total) {
  if (options.progress) options.progress({stage, done, total});
}

}  // namespace

absl::StatusOr<std::vector<Passage>> Compare(std::string_view a,
                                             std::string_view b,
                                             const CompareOptions& options) {
  if (absl::Status status = ValidateCompareOptions(options); !status.ok()) {
    return status;
  }
  if (a.size() >= kMaxTextBytes || b.size() >= kMaxTextBytes) {
    return absl::InvalidArgumentError(
        "texts of 4 GiB or more are not supported");
  }
  const absl::Status cancelled =
      absl::CancelledError("the comparison was cancelled");
  AnalyzedText analyzed_a, analyzed_b;
  {
    // The analyzer's buffers (the normalised text and its offset map, 5
    // bytes per byte of the longer text) are freed before aligning.
    Analyzer analyzer(options.analyze);
    Report(options, "analysing", 0, 2);
    if (Cancelled(options)) return cancelled;
    analyzer.Analyze(a, &analyzed_a);
    Report(options, "analysing", 1, 2);
    if (Cancelled(options)) return cancelled;
    analyzer.Analyze(b, &analyzed_b);
    Report(options, "analysing", 2, 2);
  }
  if (Cancelled(options)) return cancelled;
  Report(options, "aligning", 0, 1);
  const std::vector<AlignedPassage> aligned =
      AlignPassages(analyzed_a.keys, analyzed_b.keys, options.align);
  Report(options, "aligning", 1, 1);
  if (Cancelled(options)) return cancelled;
  return LocatePassages(aligned, a, analyzed_a, b, analyzed_b);
}

}  // namespace neardup
