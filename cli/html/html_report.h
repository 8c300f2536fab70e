// The HTML report of `compare` and `scan` (--format html): one
// self-contained file (inline CSS and script, no network), each pair of
// documents side by side with their shared passages highlighted and the words
// that differ within them marked.
#ifndef NEARDUP_CLI_HTML_HTML_REPORT_H_
#define NEARDUP_CLI_HTML_HTML_REPORT_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "neardup/neardup.h"
#include "output.h"

namespace neardup::cli {

// A half-open range of bytes of a document's original text.
struct ByteRange {
  uint32_t begin = 0;
  uint32_t end = 0;
  bool operator==(const ByteRange&) const = default;
};

// Appends `text` as HTML character data that reads back (as the DOM's
// textContent) as the text itself, never as markup: & < > " are escaped,
// CR is written as a character reference (the HTML parser would turn a raw
// CR into LF), each ill-formed UTF-8 subpart becomes U+FFFD (as a browser
// decodes it). Control characters (C0 but tab and LF, DEL, C1) and the bidi
// embedding, override and isolate characters (U+202A-202E, U+2066-2069) are
// each wrapped in their own <span class="ctl" data-c="U+XXXX">, which the
// style sheet isolates and labels, so an override cannot reorder the text
// after it; NUL, which HTML cannot hold, is written as U+FFFD in such a span.
void AppendHtmlText(std::string_view text, std::string* out);

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

// "rtl" when most of the first 64 KiB's letters are of a right-to-left
// script (Hebrew, Arabic, Syriac, Thaana, N'Ko ...), else "ltr".
std::string_view TextDirection(std::string_view text);

struct HtmlReportOptions {
  // A scan report: a sortable table of the pairs first, each pair's view
  // rendered on demand from data embedded in the file. Otherwise (compare)
  // the one pair's view is in the page itself.
  bool scan = false;
  // At most this many pairs are shown (those whose better-covered side is
  // covered most; ties in input order); 0: all.
  size_t max_pairs = 500;
  // Shown in the page's title and header, e.g. "neardup scan corpus/".
  std::string command;
};

// Collects pairs, then writes the whole report. Not thread-safe.
class HtmlReport {
 public:
  explicit HtmlReport(HtmlReportOptions options);

  // REQUIRES: the strings and passages `pair` points to outlive Write().
  void AddPair(const PairView& pair);

  // Writes the report to `out`; afterwards pairs_shown() is known.
  void Write(FILE* out, const RunSummary& summary);

  // The whole report as a string (for tests).
  std::string Render(const RunSummary& summary);

  size_t pairs_added() const { return pairs_.size(); }
  // Pairs in the report: min(pairs_added(), max_pairs) unless max_pairs is 0.
  size_t pairs_shown() const;

 private:
  struct Pair {
    PairView view;
    double a_coverage = 0;
    double b_coverage = 0;
  };
  void AppendPairView(const Pair& pair, size_t index, std::string* out) const;
  void AppendTable(const std::vector<size_t>& shown, std::string* out) const;
  std::vector<size_t> ShownPairs() const;

  HtmlReportOptions options_;
  std::vector<Pair> pairs_;
};

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_HTML_HTML_REPORT_H_
