// The HTML report of `compare` and `scan` (--format html): one
// self-contained file (inline CSS and script, no network), each pair of
// documents side by side with their shared passages highlighted and the words
// that differ within them marked; a scan's reuse clusters each listed once
// with every member's span in its document.
//
// The stages, one a file: html_text (escaping, direction), word_diff,
// html_side (a document with its passages), html_pairs and html_clusters
// (views and table rows), html_embed (views as inert JSON the script renders
// on demand), html_assets and html_script (style sheet and script), this
// file (the page).
#ifndef NEARDUP_CLI_HTML_HTML_REPORT_H_
#define NEARDUP_CLI_HTML_HTML_REPORT_H_

#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

#include "html_clusters.h"
#include "html_pairs.h"
#include "output.h"

namespace neardup::cli {

struct HtmlReportOptions {
  // A scan report: a sortable table of the pairs (and one of the reuse
  // clusters) first, each view rendered on demand from data embedded in the
  // file. Otherwise (compare) the one pair's view is in the page itself.
  bool scan = false;
  // At most this many pairs are shown (those whose better-covered side is
  // covered most; ties in input order); 0: all.
  size_t max_pairs = 500;
  // At most this many clusters are shown (those with the most documents;
  // ties in input order); 0: all.
  size_t max_clusters = 100;
  // A cluster view shows at most its first this many members; 0: all.
  size_t max_members = 200;
  // Shown in the page's title and header, e.g. "neardup scan corpus/".
  std::string command;
};

// Collects pairs and clusters, then writes the whole report. Not
// thread-safe.
class HtmlReport {
 public:
  explicit HtmlReport(HtmlReportOptions options);

  // REQUIRES: the strings and passages `pair` points to outlive Write().
  void AddPair(const PairView& pair);

  // REQUIRES: the documents `cluster` points to outlive Write(); clusters
  // are added in output order (ClusterView::id).
  void AddCluster(const ClusterView& cluster);

  // Writes the report to `out`.
  void Write(FILE* out, const RunSummary& summary);

  // The whole report as a string (for tests).
  std::string Render(const RunSummary& summary);

  size_t pairs_added() const { return pairs_.size(); }
  // Pairs in the report: min(pairs_added(), max_pairs) unless max_pairs is 0.
  size_t pairs_shown() const;
  size_t clusters_added() const { return clusters_.size(); }
  // Clusters in the report, as pairs_shown() with max_clusters.
  size_t clusters_shown() const;
  // Clusters shown whose view lists only the first max_members members.
  size_t clusters_with_members_capped() const;
  // For stderr: how many clusters the report shows and what the caps left
  // out, each line starting "neardup: "; "" without clusters.
  std::string ClusterNotice() const;

 private:
  std::vector<size_t> ShownPairs() const;
  std::vector<size_t> ShownClusters() const;
  void AppendSummary(const RunSummary& summary, size_t pairs_shown,
                     std::string* out) const;

  HtmlReportOptions options_;
  std::vector<ReportPair> pairs_;
  std::vector<ReportCluster> clusters_;
};

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_HTML_HTML_REPORT_H_
