#include "html_pairs.h"

#include <algorithm>

#include "absl/strings/str_format.h"
#include "html_side.h"
#include "html_text.h"
#include "word_diff.h"

namespace neardup::cli {

std::string Percent(double fraction) {
  return absl::StrFormat("%.0f%%", 100 * fraction);
}

namespace {

// The view's header: both ids, coverage, scores and the numbered legend.
void AppendPairHeader(const ReportPair& pair, bool scan, std::string* out) {
  const PairView& view = pair.view;
  const std::vector<Passage>& passages = *view.passages;
  out->append("<header class=\"pair-head\">\n");
  if (scan) {
    out->append("<a class=\"back\" href=\"#pairs\">&larr; all pairs</a>\n");
  }
  out->append("<h2>");
  AppendId(view.a_id, out);
  out->append(" <span aria-label=\"and\">&#x21C4;</span> ");
  AppendId(view.b_id, out);
  out->append("</h2>\n<p class=\"stats\">");
  double best = 0, sum = 0;
  for (const Passage& p : passages) {
    best = std::max(best, p.score);
    sum += p.score;
  }
  absl::StrAppendFormat(out,
                        "%d shared passage%s, covering <strong>%s</strong> of "
                        "A and <strong>%s</strong> of B",
                        passages.size(), passages.size() == 1 ? "" : "s",
                        Percent(pair.a_coverage), Percent(pair.b_coverage));
  if (!passages.empty()) {
    absl::StrAppendFormat(out, "; scores: best %.2f, mean %.2f", best,
                          sum / static_cast<double>(passages.size()));
  }
  out->append(".</p>\n");
  if (!passages.empty()) {
    out->append("<ol class=\"legend\">\n");
    for (size_t i = 0; i < passages.size(); ++i) {
      const Passage& p = passages[i];
      const int number = static_cast<int>(i) + 1;
      absl::StrAppendFormat(
          out,
          "<li title=\"A bytes %d-%d, chars %d-%d; B bytes %d-%d, chars "
          "%d-%d\"><button type=\"button\" class=\"goto\" "
          "data-goto=\"%d\" style=\"--h:%d\" aria-label=\"passage %d\">%d"
          "</button> score %.2f, %d words</li>\n",
          p.a.begin, p.a.end, p.a.char_begin, p.a.char_end, p.b.begin, p.b.end,
          p.b.char_begin, p.b.char_end, number, PassageHue(number), number,
          number, p.score, p.aligned);
    }
    out->append("</ol>\n");
  }
  out->append("</header>\n");
}

}  // namespace

void AppendPairView(const ReportPair& pair, size_t number, bool scan,
                    std::string* out) {
  const PairView& view = pair.view;
  const std::vector<Passage>& passages = *view.passages;
  std::vector<NumberedSpan> a_spans, b_spans;
  std::vector<ByteRange> a_marks, b_marks;
  for (size_t i = 0; i < passages.size(); ++i) {
    const Passage& p = passages[i];
    const int number = static_cast<int>(i) + 1;
    a_spans.push_back({number, {p.a.begin, p.a.end}});
    b_spans.push_back({number, {p.b.begin, p.b.end}});
    WordDiff diff = DiffPassageWords(view.a_text, {p.a.begin, p.a.end},
                                     view.b_text, {p.b.begin, p.b.end});
    a_marks.insert(a_marks.end(), diff.a.begin(), diff.a.end());
    b_marks.insert(b_marks.end(), diff.b.begin(), diff.b.end());
  }
  absl::StrAppendFormat(out, "<section class=\"view\" id=\"view-%d\">\n",
                        number);
  AppendPairHeader(pair, scan, out);
  out->append("<div class=\"sides\">\n");
  const struct {
    const char* side;
    std::string_view id;
    std::string_view text;
    const std::vector<NumberedSpan>& spans;
    const std::vector<ByteRange>& marks;
  } sides[] = {{"a", view.a_id, view.a_text, a_spans, a_marks},
               {"b", view.b_id, view.b_text, b_spans, b_marks}};
  for (const auto& side : sides) {
    std::vector<ByteRange> marks = side.marks;
    std::sort(marks.begin(), marks.end(),
              [](const ByteRange& x, const ByteRange& y) {
                return x.begin < y.begin;
              });
    const std::string_view dir = TextDirection(side.text);
    absl::StrAppendFormat(out, "<article class=\"side\"><h3>%s: ",
                          side.side[0] == 'a' ? "A" : "B");
    AppendId(side.id, out);
    absl::StrAppendFormat(
        out,
        "</h3>\n<div class=\"text\" data-side=\"%s\" dir=\"%s\" "
        "tabindex=\"-1\">",
        side.side, dir);
    out->append(
        RenderSide(side.text, side.spans, MergeMarks(side.spans, marks)));
    out->append("</div></article>\n");
  }
  out->append("</div>\n</section>\n");
}

void AppendPairsTable(const std::vector<const ReportPair*>& shown,
                      std::string* out) {
  out->append(
      "<section id=\"pairs\" class=\"listing\">\n<table "
      "class=\"pairs\">\n<thead><tr>"
      "<th data-type=\"num\" aria-sort=\"ascending\"><button "
      "type=\"button\">#</button></th>"
      "<th data-type=\"text\"><button type=\"button\">A</button></th>"
      "<th data-type=\"text\"><button type=\"button\">B</button></th>"
      "<th data-type=\"num\"><button type=\"button\">passages</button></th>"
      "<th data-type=\"num\"><button type=\"button\">A covered</button></th>"
      "<th data-type=\"num\"><button type=\"button\">B covered</button></th>"
      "<th data-type=\"num\"><button type=\"button\">best score</button>"
      "</th></tr></thead>\n<tbody>\n");
  for (size_t k = 0; k < shown.size(); ++k) {
    const ReportPair& pair = *shown[k];
    double best = 0;
    for (const Passage& p : *pair.view.passages) best = std::max(best, p.score);
    // The ids link to the view too, out of the tab order (the number is in).
    const std::string link = absl::StrFormat(
        "<a class=\"row\" href=\"#pair-%d\" tabindex=\"-1\">", k + 1);
    absl::StrAppendFormat(out,
                          "<tr><td data-v=\"%d\"><a href=\"#pair-%d\">%d</a>"
                          "</td><td>%s",
                          k + 1, k + 1, k + 1, link);
    AppendId(pair.view.a_id, out);
    absl::StrAppendFormat(out, "</a></td><td>%s", link);
    AppendId(pair.view.b_id, out);
    absl::StrAppendFormat(
        out,
        "</a></td><td data-v=\"%d\">%d</td><td data-v=\"%.4f\">%s</td>"
        "<td data-v=\"%.4f\">%s</td><td data-v=\"%.4f\">%.2f</td></tr>\n",
        pair.view.passages->size(), pair.view.passages->size(), pair.a_coverage,
        Percent(pair.a_coverage), pair.b_coverage, Percent(pair.b_coverage),
        best, best);
  }
  out->append("</tbody>\n</table>\n</section>\n");
}

}  // namespace neardup::cli
