// Last stage: token-range passages back to spans of the user's original
// text, in UTF-8 bytes and in code points.
#ifndef NEARDUP_SRC_LOCATE_H_
#define NEARDUP_SRC_LOCATE_H_

#include <string_view>
#include <vector>

#include "align.h"
#include "analyze.h"
#include "neardup/neardup.h"

namespace neardup {

// REQUIRES: `a` and `b` are the analyses of `a_text` and `b_text`, and every
// passage's token ranges are non-empty and lie within them.
std::vector<Passage> LocatePassages(const std::vector<AlignedPassage>& aligned,
                                    std::string_view a_text,
                                    const AnalyzedText& a,
                                    std::string_view b_text,
                                    const AnalyzedText& b);

// The two halves of LocatePassages, for a caller that locates one text's
// side of many pairs at once (scan's pairs derived from copies): a passage
// with its scores and token counts but no spans yet, ...
Passage UnlocatedPassage(const AlignedPassage& aligned);

// ... and the spans of token ranges of one text: *spans[i] becomes the span
// of ranges[i], exactly as LocatePassages would place it. One pass over the
// text, however many ranges.
// REQUIRES: ranges.size() == spans.size(); each range is non-empty and lies
// within `analyzed`, the analysis of `text`.
void LocateSpans(std::string_view text, const AnalyzedText& analyzed,
                 const std::vector<TokenRange>& ranges,
                 const std::vector<TextSpan*>& spans);

}  // namespace neardup

#endif  // NEARDUP_SRC_LOCATE_H_
