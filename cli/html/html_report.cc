#include "html_report.h"

#include <algorithm>
#include <numeric>
#include <utility>

#include "absl/strings/str_format.h"
#include "html_assets.h"
#include "html_embed.h"
#include "html_text.h"

namespace neardup::cli {
namespace {

const char* Plural(size_t n) { return n == 1 ? "" : "s"; }

// The indexes of the `limit` items (0: all) that `better` puts first, ties
// in input order, returned in input order.
template <typename Better>
std::vector<size_t> KeepBest(size_t items, size_t limit, Better better) {
  std::vector<size_t> order(items);
  std::iota(order.begin(), order.end(), 0);
  if (limit != 0 && limit < items) {
    std::stable_sort(order.begin(), order.end(), better);
    order.resize(limit);
    std::sort(order.begin(), order.end());
  }
  return order;
}

}  // namespace

HtmlReport::HtmlReport(HtmlReportOptions options)
    : options_(std::move(options)) {}

void HtmlReport::AddPair(const PairView& pair) {
  pairs_.push_back({pair, Coverage(*pair.passages, true, pair.a_text.size()),
                    Coverage(*pair.passages, false, pair.b_text.size())});
}

void HtmlReport::AddCluster(const ClusterView& view) {
  ReportCluster cluster;
  cluster.id = view.id;
  cluster.documents = view.cluster->documents;
  const std::vector<ClusterMember>& members = view.cluster->members;
  for (size_t k = 0; k < members.size(); ++k) {
    cluster.members.push_back(
        {view.documents[k]->id, view.documents[k]->text, members[k].span});
  }
  if (!cluster.members.empty()) clusters_.push_back(std::move(cluster));
}

size_t HtmlReport::pairs_shown() const {
  if (options_.max_pairs == 0) return pairs_.size();
  return std::min(pairs_.size(), options_.max_pairs);
}

size_t HtmlReport::clusters_shown() const {
  if (options_.max_clusters == 0) return clusters_.size();
  return std::min(clusters_.size(), options_.max_clusters);
}

size_t HtmlReport::clusters_with_members_capped() const {
  if (options_.max_members == 0) return 0;
  size_t capped = 0;
  for (size_t i : ShownClusters()) {
    if (clusters_[i].members.size() > options_.max_members) ++capped;
  }
  return capped;
}

std::string HtmlReport::ClusterNotice() const {
  if (clusters_.empty()) return "";
  std::string out = absl::StrFormat(
      "neardup: the HTML report shows %d of the %d reuse clusters%s\n",
      clusters_shown(), clusters_.size(),
      clusters_shown() < clusters_.size()
          ? " (capped by --html-max-clusters; those with the most documents)"
          : "");
  if (const size_t capped = clusters_with_members_capped(); capped > 0) {
    absl::StrAppendFormat(&out,
                          "neardup: %d cluster%s of the HTML report show%s "
                          "only %d members (capped by --html-max-members)\n",
                          capped, Plural(capped), capped == 1 ? "s" : "",
                          options_.max_members);
  }
  return out;
}

std::vector<size_t> HtmlReport::ShownPairs() const {
  const auto best = [this](size_t i) {
    return std::max(pairs_[i].a_coverage, pairs_[i].b_coverage);
  };
  return KeepBest(pairs_.size(), options_.max_pairs,
                  [&](size_t x, size_t y) { return best(x) > best(y); });
}

std::vector<size_t> HtmlReport::ShownClusters() const {
  return KeepBest(clusters_.size(), options_.max_clusters,
                  [this](size_t x, size_t y) {
                    return clusters_[x].documents > clusters_[y].documents;
                  });
}

void HtmlReport::AppendSummary(const RunSummary& summary, size_t pairs_shown,
                               std::string* out) const {
  if (!options_.scan) {
    out->append(
        "Shared passages are coloured and numbered the same on both sides; "
        "words that differ within a passage are underlined.");
    return;
  }
  const size_t pairs = summary.Count("pairs");
  absl::StrAppendFormat(
      out,
      "%d documents, %d candidate pair%s (%d aligned), %d pair%s sharing %d "
      "passage%s",
      summary.documents, summary.Count("candidate_pairs"),
      Plural(summary.Count("candidate_pairs")), summary.Count("aligned_pairs"),
      pairs, Plural(pairs), summary.Count("passages"),
      Plural(summary.Count("passages")));
  if (!clusters_.empty()) {
    absl::StrAppendFormat(out,
                          ", <a href=\"#clusters\">%d reuse cluster%s</a> "
                          "(a passage shared by three or more documents, "
                          "listed once with every member)",
                          clusters_.size(), Plural(clusters_.size()));
  }
  if (pairs_shown < pairs_.size()) {
    absl::StrAppendFormat(
        out,
        ". <strong class=\"capped\">Showing %d of the %d pairs</strong> "
        "(those whose better-covered document is covered most; "
        "<code>--html-max-pairs</code> raises the limit)",
        pairs_shown, pairs_.size());
  }
  if (clusters_shown() < clusters_.size()) {
    absl::StrAppendFormat(
        out,
        ". <strong class=\"capped\">Showing %d of the %d clusters</strong> "
        "(those with the most documents; <code>--html-max-clusters</code> "
        "raises the limit)",
        clusters_shown(), clusters_.size());
  }
  if (const size_t capped = clusters_with_members_capped(); capped > 0) {
    absl::StrAppendFormat(
        out,
        ". <strong class=\"capped\">%d cluster%s show%s only %s first %d "
        "members</strong> (<code>--html-max-members</code> raises the "
        "limit)",
        capped, Plural(capped), capped == 1 ? "s" : "",
        capped == 1 ? "its" : "their", options_.max_members);
  }
  if (summary.input.skipped_files + summary.input.skipped_bad > 0) {
    absl::StrAppendFormat(
        out, ". Skipped %d file%s and %d bad line%s (see stderr)",
        summary.input.skipped_files, Plural(summary.input.skipped_files),
        summary.input.skipped_bad, Plural(summary.input.skipped_bad));
  }
  out->append(".");
}

std::string HtmlReport::Render(const RunSummary& summary) {
  const std::vector<size_t> shown = ShownPairs();
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
      "charset=\"utf-8\">\n<meta name=\"viewport\" "
      "content=\"width=device-width, initial-scale=1\">\n"
      // The report fetches nothing: everything is inline.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
      "'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
      "<meta name=\"generator\" content=\"neardup\">\n<title>";
  AppendTitleText(options_.command, &out);
  out.append("</title>\n<style>\n");
  out.append(kHtmlReportCss);
  out.append("</style>\n</head>\n<body");
  absl::StrAppendFormat(&out, " data-report=\"%s\">\n",
                        options_.scan ? "scan" : "compare");
  out.append("<header class=\"top\"><h1>");
  AppendHtmlText(options_.command, &out);
  out.append("</h1>\n<p class=\"summary\">");
  AppendSummary(summary, shown.size(), &out);
  out.append(
      "</p>\n<p class=\"help\">Keys: <kbd>n</kbd>/<kbd>p</kbd> next/previous "
      "passage");
  if (!clusters_.empty()) out.append(" or member");
  out.append(
      ", <kbd>Enter</kbd> on a passage (or a click) shows its partner on the "
      "other side");
  if (!clusters_.empty()) out.append(" or the next member of a cluster");
  if (options_.scan) out.append(", <kbd>Esc</kbd> back to the tables");
  out.append(".</p>\n</header>\n<main>\n");
  std::vector<const ReportPair*> shown_pairs;
  shown_pairs.reserve(shown.size());
  for (size_t i : shown) shown_pairs.push_back(&pairs_[i]);
  if (!options_.scan) {
    out.append("<div id=\"views\">\n");
    for (size_t k = 0; k < shown_pairs.size(); ++k) {
      AppendPairView(*shown_pairs[k], k + 1, false, &out);
    }
    out.append("</div>\n");
  } else {
    std::vector<const ReportCluster*> shown_clusters;
    for (size_t i : ShownClusters()) shown_clusters.push_back(&clusters_[i]);
    if (!shown_pairs.empty()) {
      AppendPairsTable(shown_pairs, &out);
    } else {
      absl::StrAppendFormat(
          &out,
          "<section id=\"pairs\" class=\"listing\"><p>No "
          "two documents share a passage%s.</p></section>\n",
          shown_clusters.empty() ? "" : " outside the clusters");
    }
    if (!shown_clusters.empty()) AppendClustersTable(shown_clusters, &out);
    out.append("<div id=\"views\"></div>\n");
    std::string view;
    for (size_t k = 0; k < shown_pairs.size(); ++k) {
      view.clear();
      AppendPairView(*shown_pairs[k], k + 1, true, &view);
      AppendEmbeddedView("pair", k + 1, view, &out);
    }
    for (const ReportCluster* cluster : shown_clusters) {
      view.clear();
      AppendClusterView(*cluster, options_.max_members, &view);
      AppendEmbeddedView("cluster", cluster->id, view, &out);
    }
  }
  out.append("</main>\n<script>\n");
  out.append(kHtmlReportScript);
  out.append("</script>\n</body>\n</html>\n");
  return out;
}

void HtmlReport::Write(FILE* out, const RunSummary& summary) {
  const std::string html = Render(summary);
  std::fwrite(html.data(), 1, html.size(), out);
}

}  // namespace neardup::cli
