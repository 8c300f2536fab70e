#include "html_report.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace neardup::cli {
namespace {

size_t Count(std::string_view haystack, std::string_view needle) {
  size_t count = 0;
  for (size_t pos = haystack.find(needle); pos != std::string_view::npos;
       pos = haystack.find(needle, pos + 1)) {
    ++count;
  }
  return count;
}

const char kHostile[] =
    "Intro </script><script>alert(1)</script> <b>bold</b> & more.\n"
    "\x01\x1B[31m \u202Eevil\u202C \u2066iso\u2069 <!-- <img src=x> -->\n";

struct HostilePair {
  std::string a_text = kHostile;
  std::string b_text = std::string(kHostile) + "tail";
  std::vector<Passage> passages;
  HostilePair() {
    Passage p;
    p.a = {0, static_cast<uint32_t>(a_text.size()), 0, 0};
    p.b = {0, static_cast<uint32_t>(a_text.size()), 0, 0};
    p.score = 1;
    passages.push_back(p);
  }
  PairView View() const {
    return {"<i>a</i>\u202E.txt", a_text, "b&c", b_text, &passages, "", ""};
  }
};

void ExpectNoMarkupFromText(const std::string& html) {
  // Our own elements only: each <script> we open is closed once, and no
  // tag from the text survives.
  EXPECT_EQ(Count(html, "<script"), Count(html, "</script>"));
  EXPECT_EQ(Count(html, "<b>"), 0u);
  EXPECT_EQ(Count(html, "<i>"), 0u);
  EXPECT_EQ(Count(html, "<img"), 0u);
  EXPECT_EQ(Count(html, "<!--"), 0u);
  EXPECT_EQ(Count(html, "alert(1)</script>"), 0u);
}

TEST(HtmlReportTest, CompareReportRendersHostileTextAsText) {
  HostilePair pair;
  HtmlReport report({.scan = false, .max_pairs = 0, .command = "c <x>"});
  report.AddPair(pair.View());
  const std::string html = report.Render({});
  ExpectNoMarkupFromText(html);
  EXPECT_NE(html.find("&lt;/script&gt;&lt;script&gt;alert(1)"), html.npos);
  EXPECT_NE(html.find("&lt;i&gt;a&lt;/i&gt;<span class=\"ctl\" "
                      "data-c=\"U+202E\">"),
            html.npos);
  EXPECT_NE(html.find("data-c=\"U+001B\">\x1B</span>[31m"), html.npos);
  EXPECT_NE(html.find("data-side=\"a\" dir=\"ltr\""), html.npos);
  EXPECT_NE(html.find("data-side=\"b\" dir=\"ltr\""), html.npos);
  EXPECT_EQ(Count(html, "data-passage=\"1\""), 2u);
  // "tail" is the only word B adds.
  EXPECT_EQ(Count(html, "<mark class=\"d\">"), 0u);
}

TEST(HtmlReportTest, ScanReportEmbedsViewsAsInertScriptData) {
  HostilePair pair;
  HtmlReport report({.scan = true, .max_pairs = 0, .command = "scan"});
  report.AddPair(pair.View());
  const std::string html = report.Render({});
  ExpectNoMarkupFromText(html);
  EXPECT_NE(html.find("<script type=\"application/json\" data-pair=\"1\">"),
            html.npos);
  // The view is a JSON string: its markup is escaped too.
  EXPECT_EQ(Count(html, "data-side=\"a\""), 0u);
  EXPECT_NE(html.find("\\u003cspan class=\\\"p first\\\" data-passage="),
            html.npos);
  EXPECT_NE(html.find("<a href=\"#pair-1\">1</a>"), html.npos);
}

TEST(HtmlReportTest, FetchesNothing) {
  const std::string text = "some text";
  const std::vector<Passage> passages(1);
  HtmlReport report({.scan = true, .max_pairs = 0, .command = "scan"});
  report.AddPair({"a", text, "b", text, &passages, "", ""});
  const std::string html = report.Render({});
  EXPECT_NE(html.find("content=\"default-src 'none'; style-src "
                      "'unsafe-inline'; script-src 'unsafe-inline'\""),
            html.npos);
  for (const char* remote :
       {"http:", "https:", "//", "url(", "@import", "src=", "fetch("}) {
    EXPECT_EQ(html.find(remote), html.npos) << remote;
  }
}

TEST(HtmlReportTest, CapKeepsTheBestCoveredPairsInInputOrder) {
  const std::string text(100, 'x');
  std::vector<std::vector<Passage>> passages(3);
  const uint32_t ends[] = {30, 10, 90};
  for (size_t i = 0; i < 3; ++i) {
    Passage p;
    p.a = {0, ends[i], 0, ends[i]};
    p.b = {0, ends[i], 0, ends[i]};
    passages[i].push_back(p);
  }
  HtmlReport report({.scan = true, .max_pairs = 2, .command = "scan"});
  const char* ids[] = {"first", "second", "third"};
  for (size_t i = 0; i < 3; ++i) {
    report.AddPair({ids[i], text, "other", text, &passages[i], "", ""});
  }
  RunSummary summary;
  summary.counts = {{"pairs", 3}};
  const std::string html = report.Render(summary);
  EXPECT_EQ(report.pairs_added(), 3u);
  EXPECT_EQ(report.pairs_shown(), 2u);
  EXPECT_NE(html.find("Showing 2 of the 3 pairs"), html.npos);
  EXPECT_EQ(html.find(">second<"), html.npos);
  EXPECT_LT(html.find(">first<"), html.find(">third<"));
  EXPECT_EQ(Count(html, "<script type=\"application/json\" data-pair="), 2u);
}

// Clusters of 3, 5 and 4 documents, each document "docK" holding "shared".
struct Clusters {
  std::vector<Document> documents;
  std::vector<ReuseCluster> clusters;
  Clusters() {
    const std::string shared = "a passage <shared> by many";
    for (int d = 0; d < 12; ++d) {
      documents.push_back({"doc" + std::to_string(d),
                           "before " + shared + " after " + std::to_string(d)});
    }
    const TextSpan span = {7, static_cast<uint32_t>(7 + shared.size()), 7,
                           static_cast<uint32_t>(7 + shared.size())};
    size_t next = 0;
    for (size_t size : {3, 5, 4}) {
      ReuseCluster cluster;
      for (size_t k = 0; k < size; ++k)
        cluster.members.push_back({next++, span});
      cluster.documents = size;
      clusters.push_back(cluster);
    }
  }
  void AddTo(HtmlReport* report) const {
    for (size_t i = 0; i < clusters.size(); ++i) {
      ClusterView view{i + 1, &clusters[i], {}, {}};
      for (const ClusterMember& member : clusters[i].members) {
        view.documents.push_back(&documents[member.document]);
      }
      report->AddCluster(view);
    }
  }
};

TEST(HtmlReportTest, ScanReportListsClustersAndEmbedsTheirViews) {
  Clusters data;
  HtmlReport report({.scan = true, .command = "scan"});
  data.AddTo(&report);
  const std::string html = report.Render({});
  ExpectNoMarkupFromText(html);
  EXPECT_EQ(report.clusters_shown(), 3u);
  EXPECT_NE(html.find("<section id=\"clusters\""), html.npos);
  for (int id = 1; id <= 3; ++id) {
    const std::string n = std::to_string(id);
    EXPECT_NE(html.find("<a href=\"#cluster-" + n + "\">" + n + "</a>"),
              html.npos);
    EXPECT_EQ(Count(html, "<script type=\"application/json\" data-cluster=\"" +
                              n + "\">"),
              1u);
  }
  // The views are JSON strings: no member's element is in the page yet.
  EXPECT_EQ(Count(html, "<span class=\"shared\""), 0u);
  EXPECT_EQ(Count(html, "\\u003cspan class=\\\"shared\\\" data-member="), 12u);
  EXPECT_NE(html.find("3 reuse clusters"), html.npos);
  EXPECT_NE(html.find("No two documents share a passage outside the clusters"),
            html.npos);
  EXPECT_EQ(html.find("<strong class=\"capped\""), std::string::npos);
  EXPECT_EQ(report.ClusterNotice(),
            "neardup: the HTML report shows 3 of the 3 reuse clusters\n");
}

TEST(HtmlReportTest, ClusterCapsKeepTheLargestAndSaySo) {
  Clusters data;
  HtmlReport report(
      {.scan = true, .max_clusters = 2, .max_members = 4, .command = "scan"});
  data.AddTo(&report);
  const std::string html = report.Render({});
  EXPECT_EQ(report.clusters_added(), 3u);
  EXPECT_EQ(report.clusters_shown(), 2u);
  EXPECT_EQ(report.clusters_with_members_capped(), 1u);
  // Clusters 2 (5 documents) and 3 (4) are kept, cluster 1 (3) is not.
  EXPECT_EQ(Count(html, "data-cluster=\"1\""), 0u);
  EXPECT_EQ(Count(html, "data-cluster=\"2\""), 1u);
  EXPECT_EQ(Count(html, "data-cluster=\"3\""), 1u);
  EXPECT_EQ(Count(html, "\\u003cspan class=\\\"shared\\\" data-member="), 8u);
  EXPECT_NE(html.find("Showing 2 of the 3 clusters"), html.npos);
  EXPECT_NE(html.find("1 cluster shows only its first 4 members"), html.npos);
  EXPECT_NE(html.find("Showing the first 4 of the 5 members"), html.npos);
  EXPECT_EQ(report.ClusterNotice(),
            "neardup: the HTML report shows 2 of the 3 reuse clusters (capped "
            "by --html-max-clusters; those with the most documents)\n"
            "neardup: 1 cluster of the HTML report shows only 4 members "
            "(capped by --html-max-members)\n");
}

}  // namespace
}  // namespace neardup::cli
