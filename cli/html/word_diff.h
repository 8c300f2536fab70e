// The words that differ between the two sides of a passage: what a reader
// needs to judge a reworded copy.
#ifndef NEARDUP_CLI_HTML_WORD_DIFF_H_
#define NEARDUP_CLI_HTML_WORD_DIFF_H_

#include <string_view>
#include <vector>

#include "html_text.h"

namespace neardup::cli {

// The words of passage a[span_a] and b[span_b] that are not part of their
// longest common subsequence of words, as absolute byte ranges of each text.
// Words are runs of letters, digits and marks (each CJK ideograph or kana
// one word) compared after a display fold in the spirit of the matcher's:
// case, Arabic tashkeel and tatweel, hamza forms of alef, ة/ه, ى/ي, digits,
// the proclitic و and the article ال, repeated letters. Passages of more
// than 4 million word pairs fall back to a multiset comparison (a word is
// marked when the other side has fewer copies of it).
struct WordDiff {
  std::vector<ByteRange> a;
  std::vector<ByteRange> b;
};
WordDiff DiffPassageWords(std::string_view a, ByteRange span_a,
                          std::string_view b, ByteRange span_b);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_HTML_WORD_DIFF_H_
