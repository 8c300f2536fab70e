// A pair of documents in the HTML report: its side-by-side view and its row
// in a scan report's table of pairs.
#ifndef NEARDUP_CLI_HTML_HTML_PAIRS_H_
#define NEARDUP_CLI_HTML_HTML_PAIRS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "output.h"

namespace neardup::cli {

struct ReportPair {
  PairView view;
  double a_coverage = 0;
  double b_coverage = 0;
};

// "37%".
std::string Percent(double fraction);

// <section class="view" id="view-NUMBER">: the ids, coverage and scores, a
// legend of the passages, then both documents side by side (RenderSide),
// each in a <div class="text" data-side="a|b" dir="rtl|ltr">. `scan` adds a
// link back to the table.
void AppendPairView(const ReportPair& pair, size_t number, bool scan,
                    std::string* out);

// <section id="pairs">: a sortable table of `shown` (row k links to
// #pair-k, k from 1).
void AppendPairsTable(const std::vector<const ReportPair*>& shown,
                      std::string* out);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_HTML_HTML_PAIRS_H_
