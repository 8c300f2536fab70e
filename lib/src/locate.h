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

}  // namespace neardup

#endif  // NEARDUP_SRC_LOCATE_H_
