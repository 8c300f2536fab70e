// The style sheet and script inlined in every HTML report.
#ifndef NEARDUP_CLI_HTML_HTML_ASSETS_H_
#define NEARDUP_CLI_HTML_HTML_ASSETS_H_

namespace neardup::cli {

// Light and dark colours, the two columns, passages and diff marks, cluster
// members, control characters, a print style sheet. References nothing outside
// the file.
extern const char kHtmlReportCss[];

// Renders a scan report's pair and cluster views on demand (from the JSON
// string in <script type="application/json" data-pair|data-cluster="N">),
// sorts the tables, jumps from a passage to its partner (from a cluster
// member to the next) on click or Enter, and moves between passages or
// members with n/p (j/k). Fetches nothing.
extern const char kHtmlReportScript[];

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_HTML_HTML_ASSETS_H_
