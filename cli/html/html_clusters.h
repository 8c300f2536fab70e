// A reuse cluster in the HTML report (a passage that many documents share,
// reported once): its row in the scan report's table of clusters and its
// view, every member's span shown in its document's text around it.
#ifndef NEARDUP_CLI_HTML_HTML_CLUSTERS_H_
#define NEARDUP_CLI_HTML_HTML_CLUSTERS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "neardup/neardup.h"

namespace neardup::cli {

struct ReportClusterMember {
  std::string_view id;
  std::string_view text;  // the member's whole document
  TextSpan span;
};

struct ReportCluster {
  size_t id = 0;  // as numbered in the JSONL output, from 1
  size_t documents = 0;
  std::vector<ReportClusterMember> members;  // as ReuseCluster orders them
};

// Bytes of a member's document shown before and after its span (fewer where
// the document starts or ends, cut at a character and, if one is near, a
// space boundary).
inline constexpr size_t kClusterContextBytes = 240;

// Where a member's excerpt of its document starts and ends: the span and up
// to kClusterContextBytes either side, starting after a space and ending
// before one when there is one within that context (no word is cut), always
// on character boundaries. Returns {begin, end} bytes of the document.
std::pair<size_t, size_t> ExcerptBounds(std::string_view text,
                                        const TextSpan& span);

// <section class="view cluster-view" id="cluster-view-ID">: the cluster's
// documents and members, a list to jump to each member, then each of the
// first `max_members` members (0: all) as an <article class="member"
// data-member="K"> (K from 1) holding its id, offsets and an excerpt of its
// document (dir from the document's letters) in which the span is
// <span class="shared" data-member="K">, its text exactly the span's bytes,
// with words that differ from member 1's span marked as in a pair's view.
void AppendClusterView(const ReportCluster& cluster, size_t max_members,
                       std::string* out);

// <section id="clusters">: a sortable table of `shown` (documents, members,
// the first member's passage length and a snippet), rows linking to
// #cluster-ID.
void AppendClustersTable(const std::vector<const ReportCluster*>& shown,
                         std::string* out);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_HTML_HTML_CLUSTERS_H_
