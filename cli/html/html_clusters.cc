#include "html_clusters.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_format.h"
#include "html_side.h"
#include "html_text.h"
#include "word_diff.h"

namespace neardup::cli {
namespace {

bool IsContinuationByte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// The first `limit` code points of text[span] on one line: each run of
// white space becomes one space; "…" when there is more.
std::string Snippet(std::string_view text, const TextSpan& span, size_t limit) {
  std::string out;
  const size_t end = std::min<size_t>(span.end, text.size());
  size_t count = 0;
  bool space = false;
  for (size_t pos = span.begin; pos < end;) {
    char32_t cp;
    const size_t length = DecodeForDisplay(text, pos, &cp);
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
      space = !out.empty();
    } else {
      if (count == limit) {
        out.append("\u2026");
        break;
      }
      if (space) out.push_back(' ');
      space = false;
      out.append(text.substr(pos, length));
      ++count;
    }
    pos += length;
  }
  return out;
}

// Member `k` (from 0) of `cluster`: its heading and the excerpt of its
// document with the span highlighted and `marks` (sorted, disjoint, inside
// the span) underlined.
void AppendMember(const ReportCluster& cluster, size_t k,
                  const std::vector<ByteRange>& marks, std::string* out) {
  const ReportClusterMember& member = cluster.members[k];
  const std::string_view text = member.text;
  const size_t begin = std::min<size_t>(member.span.begin, text.size());
  const size_t end = std::clamp<size_t>(member.span.end, begin, text.size());
  const auto [from, to] = ExcerptBounds(text, member.span);
  absl::StrAppendFormat(out,
                        "<article class=\"member\" data-member=\"%d\"><h3>"
                        "<span class=\"n\">%d</span> ",
                        k + 1, k + 1);
  AppendId(member.id, out);
  absl::StrAppendFormat(
      out,
      " <span class=\"where\">bytes %d-%d, chars %d-%d</span></h3>\n"
      "<div class=\"excerpt\" dir=\"%s\">",
      member.span.begin, member.span.end, member.span.char_begin,
      member.span.char_end, TextDirection(text));
  if (from > 0) {
    absl::StrAppendFormat(
        out, "<span class=\"gap\" title=\"%d bytes before\">\u2026 </span>",
        from);
  }
  AppendHtmlText(text.substr(from, begin - from), out);
  absl::StrAppendFormat(out,
                        "<span class=\"shared\" data-member=\"%d\" "
                        "tabindex=\"0\" style=\"--h:%d\">",
                        k + 1, PassageHue(static_cast<int>(cluster.id)));
  size_t cursor = begin;
  for (const ByteRange& mark : marks) {
    const size_t mark_begin = std::clamp<size_t>(mark.begin, cursor, end);
    const size_t mark_end = std::clamp<size_t>(mark.end, mark_begin, end);
    if (mark_end == mark_begin) continue;
    AppendHtmlText(text.substr(cursor, mark_begin - cursor), out);
    out->append("<mark class=\"d\">");
    AppendHtmlText(text.substr(mark_begin, mark_end - mark_begin), out);
    out->append("</mark>");
    cursor = mark_end;
  }
  AppendHtmlText(text.substr(cursor, end - cursor), out);
  out->append("</span>");
  AppendHtmlText(text.substr(end, to - end), out);
  if (to < text.size()) {
    absl::StrAppendFormat(
        out, "<span class=\"gap\" title=\"%d bytes after\"> \u2026</span>",
        text.size() - to);
  }
  out->append("</div></article>\n");
}

}  // namespace

std::pair<size_t, size_t> ExcerptBounds(std::string_view text,
                                        const TextSpan& span) {
  const size_t begin = std::min<size_t>(span.begin, text.size());
  const size_t end = std::clamp<size_t>(span.end, begin, text.size());
  size_t from = begin > kClusterContextBytes ? begin - kClusterContextBytes : 0;
  while (from < begin && IsContinuationByte(text[from])) ++from;
  if (from > 0 && from < begin) {
    // Start at the span's paragraph if it starts within the context, else
    // after a space.
    const std::string_view before = text.substr(from, begin - from);
    size_t cut = before.rfind('\n');
    if (cut == std::string_view::npos) cut = before.find_first_of(" \t");
    if (cut != std::string_view::npos) from += cut + 1;
  }
  size_t to = std::min(text.size(), end + kClusterContextBytes);
  while (to > end && to < text.size() && IsContinuationByte(text[to])) --to;
  if (to < text.size() && to > end) {
    const std::string_view after = text.substr(end, to - end);
    size_t cut = after.find('\n');
    if (cut == std::string_view::npos) cut = after.find_last_of(" \t");
    if (cut != std::string_view::npos) to = end + cut;
  }
  return {from, to};
}

void AppendClusterView(const ReportCluster& cluster, size_t max_members,
                       std::string* out) {
  const size_t total = cluster.members.size();
  const size_t shown = max_members == 0 ? total : std::min(total, max_members);
  absl::StrAppendFormat(
      out,
      "<section class=\"view cluster-view\" id=\"cluster-view-%d\">\n"
      "<header class=\"pair-head\">\n<a class=\"back\" href=\"#clusters\">"
      "&larr; all clusters</a>\n<h2>Cluster %d: one passage in %d "
      "documents</h2>\n<p class=\"stats\">%d member%s",
      cluster.id, cluster.id, cluster.documents, total, total == 1 ? "" : "s");
  if (total > cluster.documents) {
    out->append(
        " (a document holding two stretches of the passage is listed twice)");
  }
  if (shown < total) {
    absl::StrAppendFormat(out,
                          ". <strong class=\"capped\">Showing the first %d of "
                          "the %d members</strong> "
                          "(<code>--html-max-members</code> raises the limit)",
                          shown, total);
  }
  out->append(
      ". Each is shown in its document's text around it; words that differ "
      "from member 1's are underlined.</p>\n<ol class=\"legend\">\n");
  const int hue = PassageHue(static_cast<int>(cluster.id));
  for (size_t k = 0; k < shown; ++k) {
    absl::StrAppendFormat(out,
                          "<li><button type=\"button\" class=\"goto\" "
                          "data-goto=\"%d\" style=\"--h:%d\" "
                          "aria-label=\"member %d\">%d</button> ",
                          k + 1, hue, k + 1, k + 1);
    AppendId(cluster.members[k].id, out);
    out->append("</li>\n");
  }
  out->append("</ol>\n</header>\n<div class=\"members\">\n");
  for (size_t k = 0; k < shown; ++k) {
    std::vector<ByteRange> marks;
    if (k > 0) {
      const ReportClusterMember& first = cluster.members.front();
      const ReportClusterMember& member = cluster.members[k];
      marks =
          DiffPassageWords(first.text, {first.span.begin, first.span.end},
                           member.text, {member.span.begin, member.span.end})
              .b;
    }
    AppendMember(cluster, k, marks, out);
  }
  out->append("</div>\n</section>\n");
}

void AppendClustersTable(const std::vector<const ReportCluster*>& shown,
                         std::string* out) {
  out->append(
      "<section id=\"clusters\" class=\"listing\">\n<h2>Reuse clusters: a "
      "passage shared by three or more documents</h2>\n"
      "<table class=\"pairs clusters\">\n<thead><tr>"
      "<th data-type=\"num\" aria-sort=\"ascending\"><button "
      "type=\"button\">#</button></th>"
      "<th data-type=\"num\"><button type=\"button\">documents</button></th>"
      "<th data-type=\"num\"><button type=\"button\">members</button></th>"
      "<th data-type=\"num\"><button type=\"button\">passage length"
      "</button></th>"
      "<th data-type=\"text\"><button type=\"button\">first document"
      "</button></th>"
      "<th data-type=\"text\"><button type=\"button\">passage</button></th>"
      "</tr></thead>\n<tbody>\n");
  for (const ReportCluster* cluster : shown) {
    const ReportClusterMember& first = cluster->members.front();
    const uint32_t chars = first.span.char_end - first.span.char_begin;
    const std::string link = absl::StrFormat(
        "<a class=\"row\" href=\"#cluster-%d\" tabindex=\"-1\">", cluster->id);
    absl::StrAppendFormat(
        out,
        "<tr><td data-v=\"%d\"><a href=\"#cluster-%d\">%d</a></td>"
        "<td data-v=\"%d\">%d</td><td data-v=\"%d\">%d</td>"
        "<td data-v=\"%d\">%d chars</td><td>%s",
        cluster->id, cluster->id, cluster->id, cluster->documents,
        cluster->documents, cluster->members.size(), cluster->members.size(),
        chars, chars, link);
    AppendId(first.id, out);
    absl::StrAppendFormat(out, "</a></td><td class=\"snippet\" dir=\"%s\">%s",
                          TextDirection(first.text), link);
    AppendHtmlText(Snippet(first.text, first.span, 90), out);
    out->append("</a></td></tr>\n");
  }
  out->append("</tbody>\n</table>\n</section>\n");
}

}  // namespace neardup::cli
