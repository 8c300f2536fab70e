#include "html_side.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_format.h"

namespace neardup::cli {

std::vector<ByteRange> MergeMarks(const std::vector<NumberedSpan>& spans,
                                  const std::vector<ByteRange>& marks) {
  std::vector<std::pair<uint32_t, std::pair<int, int>>> events;
  for (const NumberedSpan& span : spans) {
    events.push_back({span.range.begin, {1, 0}});
    events.push_back({span.range.end, {-1, 0}});
  }
  for (const ByteRange& mark : marks) {
    events.push_back({mark.begin, {0, 1}});
    events.push_back({mark.end, {0, -1}});
  }
  std::sort(events.begin(), events.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<ByteRange> merged;
  int covered = 0, marked = 0;
  for (size_t k = 0; k < events.size();) {
    const uint32_t at = events[k].first;
    for (; k < events.size() && events[k].first == at; ++k) {
      covered += events[k].second.first;
      marked += events[k].second.second;
    }
    if (k == events.size()) break;
    const uint32_t next = events[k].first;
    if (covered > 0 && marked == covered && next > at) {
      if (!merged.empty() && merged.back().end == at) {
        merged.back().end = next;
      } else {
        merged.push_back({at, next});
      }
    }
  }
  return merged;
}

int PassageHue(int number) {
  return static_cast<int>(std::fmod((number - 1) * 137.508, 360.0));
}

namespace {

// The passages clamped to a text of `size` bytes, outer before inner: by
// start, then longest first.
std::vector<NumberedSpan> SortedSpans(const std::vector<NumberedSpan>& spans,
                                      uint32_t size) {
  std::vector<NumberedSpan> opens = spans;
  for (NumberedSpan& span : opens) {
    span.range.end = std::min(span.range.end, size);
    span.range.begin = std::min(span.range.begin, span.range.end);
  }
  std::sort(opens.begin(), opens.end(),
            [](const NumberedSpan& x, const NumberedSpan& y) {
              if (x.range.begin != y.range.begin) {
                return x.range.begin < y.range.begin;
              }
              if (x.range.end != y.range.end) return x.range.end > y.range.end;
              return x.number < y.number;
            });
  return opens;
}

// Every offset where a passage or a mark begins or ends, with 0 and `size`:
// sorted, each once.
std::vector<uint32_t> BoundaryPoints(const std::vector<NumberedSpan>& opens,
                                     const std::vector<ByteRange>& marks,
                                     uint32_t size) {
  std::vector<uint32_t> points = {0, size};
  for (const NumberedSpan& span : opens) {
    points.push_back(span.range.begin);
    points.push_back(span.range.end);
  }
  for (const ByteRange& mark : marks) {
    points.push_back(std::min(mark.begin, size));
    points.push_back(std::min(mark.end, size));
  }
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  return points;
}

}  // namespace

std::string RenderSide(std::string_view text,
                       const std::vector<NumberedSpan>& spans,
                       const std::vector<ByteRange>& marks) {
  const auto size = static_cast<uint32_t>(text.size());
  const std::vector<NumberedSpan> opens = SortedSpans(spans, size);
  const std::vector<uint32_t> points = BoundaryPoints(opens, marks, size);

  std::string out;
  out.reserve(text.size() + text.size() / 4 + 64 * spans.size());
  std::vector<NumberedSpan> stack;  // open passage elements, outermost first
  const auto open_tag = [&out](const NumberedSpan& span, bool first) {
    absl::StrAppendFormat(&out,
                          "<span class=\"p%s\" data-passage=\"%d\" "
                          "style=\"--h:%d\"%s>",
                          first ? " first" : "", span.number,
                          PassageHue(span.number),
                          first ? " tabindex=\"0\"" : "");
  };
  size_t next_open = 0, next_mark = 0;
  bool mark_open = false;
  uint32_t cursor = 0;
  for (const uint32_t at : points) {
    AppendHtmlText(text.substr(cursor, at - cursor), &out);
    cursor = at;
    if (mark_open) {
      out.append("</mark>");
      mark_open = false;
    }
    // Close the passages that end here; elements opened inside the
    // outermost of them are closed too and reopened as continuations.
    size_t outermost = stack.size();
    for (size_t i = 0; i < stack.size(); ++i) {
      if (stack[i].range.end == at) {
        outermost = i;
        break;
      }
    }
    if (outermost < stack.size()) {
      std::vector<NumberedSpan> reopen;
      for (size_t i = stack.size(); i-- > outermost;) {
        out.append("</span>");
        if (stack[i].range.end != at) reopen.push_back(stack[i]);
      }
      stack.resize(outermost);
      for (size_t i = reopen.size(); i-- > 0;) {
        open_tag(reopen[i], false);
        stack.push_back(reopen[i]);
      }
    }
    for (; next_open < opens.size() && opens[next_open].range.begin == at;
         ++next_open) {
      open_tag(opens[next_open], true);
      if (opens[next_open].range.end == at) {
        out.append("</span>");  // empty passage
      } else {
        stack.push_back(opens[next_open]);
      }
    }
    while (next_mark < marks.size() && marks[next_mark].end <= at) {
      ++next_mark;
    }
    if (next_mark < marks.size() && marks[next_mark].begin <= at && at < size) {
      out.append("<mark class=\"d\">");
      mark_open = true;
    }
  }
  if (mark_open) out.append("</mark>");
  for (size_t i = 0; i < stack.size(); ++i) out.append("</span>");
  return out;
}

}  // namespace neardup::cli
