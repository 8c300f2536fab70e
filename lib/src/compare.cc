// neardup::Compare: the whole pipeline for one pair of texts. No candidate
// stage: the two texts are aligned directly.
#include "align.h"
#include "analyze.h"
#include "locate.h"
#include "neardup/neardup.h"

namespace neardup {

absl::StatusOr<std::vector<Passage>> Compare(std::string_view a,
                                             std::string_view b,
                                             const CompareOptions& options) {
  if (a.size() >= kMaxTextBytes || b.size() >= kMaxTextBytes) {
    return absl::InvalidArgumentError(
        "texts of 4 GiB or more are not supported");
  }
  AnalyzedText analyzed_a, analyzed_b;
  {
    // The analyzer's buffers (the normalised text and its offset map, 5
    // bytes per byte of the longer text) are freed before aligning.
    Analyzer analyzer(options.analyze);
    analyzer.Analyze(a, &analyzed_a);
    analyzer.Analyze(b, &analyzed_b);
  }
  const std::vector<AlignedPassage> aligned =
      AlignPassages(analyzed_a.keys, analyzed_b.keys, options.align);
  return LocatePassages(aligned, a, analyzed_a, b, analyzed_b);
}

}  // namespace neardup
