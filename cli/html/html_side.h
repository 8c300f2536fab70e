// One document's text as HTML with its passages wrapped and the words that
// differ within them marked: the segments between every start and end.
#ifndef NEARDUP_CLI_HTML_HTML_SIDE_H_
#define NEARDUP_CLI_HTML_HTML_SIDE_H_

#include <string>
#include <string_view>
#include <vector>

#include "html_text.h"

namespace neardup::cli {

// One passage on one side: its number as the text output numbers it (1 for
// the first passage of the pair) and its bytes.
struct NumberedSpan {
  int number = 0;
  ByteRange range;
};

// Returns `text` as HTML (see AppendHtmlText) with every span wrapped in
// <span class="p" data-passage="N"> elements and every range of `marks`
// (sorted, disjoint) in <mark class="d">. Spans may overlap: where one ends
// inside another the inner elements are closed and reopened, so a passage
// can be several elements (the first has class "first"), never nested in
// itself, whose text in document order is exactly its bytes.
std::string RenderSide(std::string_view text,
                       const std::vector<NumberedSpan>& spans,
                       const std::vector<ByteRange>& marks);

// The marks of one side: a byte is marked when every passage covering it
// marks it (overlapping passages may disagree about a word). Sorted,
// disjoint.
std::vector<ByteRange> MergeMarks(const std::vector<NumberedSpan>& spans,
                                  const std::vector<ByteRange>& marks);

// Hue of passage `number`: golden-angle steps, so neighbours differ most.
int PassageHue(int number);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_HTML_HTML_SIDE_H_
