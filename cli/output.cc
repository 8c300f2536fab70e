#include "output.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace neardup::cli {
namespace {

void AppendSpanJson(std::string_view id, std::string_view source,
                    const TextSpan& span, std::string* out) {
  out->append("{\"id\":");
  AppendJsonString(id, out);
  absl::StrAppend(out, ",\"start\":", span.begin, ",\"end\":", span.end,
                  ",\"char_start\":", span.char_begin,
                  ",\"char_end\":", span.char_end);
  if (!source.empty()) {
    out->append(",\"source\":");
    AppendJsonString(source, out);
  }
  out->push_back('}');
}

// Text of a span for display (OneLine).
std::string Excerpt(std::string_view text, const TextSpan& span) {
  return OneLine(text.substr(span.begin, span.end - span.begin));
}

// A TSV field: DisplayText, which shows tabs, newlines and carriage
// returns as \x09, \x0a and \x0d (so the row keeps its columns, and ids
// "a<TAB>b" and "a b" stay apart).
std::string TsvField(std::string_view value) { return DisplayText(value); }

}  // namespace

bool ParseFormat(std::string_view name, Format* format) {
  if (name == "text") {
    *format = Format::kText;
  } else if (name == "jsonl") {
    *format = Format::kJsonl;
  } else if (name == "tsv") {
    *format = Format::kTsv;
  } else {
    return false;
  }
  return true;
}

ResultWriter::ResultWriter(FILE* out, Format format, bool color)
    : out_(out), format_(format), color_(color) {}

void ResultWriter::Begin() {
  if (format_ == Format::kTsv) {
    std::fputs(
        "a_id\ta_start\ta_end\ta_char_start\ta_char_end\tb_id\tb_start\tb_end\t"
        "b_char_start\tb_char_end\tscore\n",
        out_);
  }
}

void ResultWriter::WritePair(const PairView& pair) {
  switch (format_) {
    case Format::kText:
      return WriteText(pair);
    case Format::kJsonl:
      return WriteJsonl(pair);
    case Format::kTsv:
      return WriteTsv(pair);
  }
}

void ResultWriter::WriteText(const PairView& pair) {
  const char* bold = color_ ? "\033[1m" : "";
  const char* dim = color_ ? "\033[2m" : "";
  const char* a_color = color_ ? "\033[32m" : "";
  const char* b_color = color_ ? "\033[36m" : "";
  const char* reset = color_ ? "\033[0m" : "";
  const auto& passages = *pair.passages;
  std::string text = absl::StrFormat(
      "%s%s  <->  %s%s\n%s%d shared passage%s, covering %.0f%% of the first "
      "and %.0f%% of the second%s\n",
      bold, DisplayText(pair.a_id), DisplayText(pair.b_id), reset, dim,
      passages.size(), passages.size() == 1 ? "" : "s",
      100 * Coverage(passages, true, pair.a_text.size()),
      100 * Coverage(passages, false, pair.b_text.size()), reset);
  int number = 0;
  for (const Passage& p : passages) {
    absl::StrAppendFormat(&text,
                          "\n%s[%d] score %.2f, %d aligned words%s\n"
                          "  %sA%s bytes %d-%d, chars %d-%d: %s\n"
                          "  %sB%s bytes %d-%d, chars %d-%d: %s\n",
                          bold, ++number, p.score, p.aligned, reset, a_color,
                          reset, p.a.begin, p.a.end, p.a.char_begin,
                          p.a.char_end, Excerpt(pair.a_text, p.a), b_color,
                          reset, p.b.begin, p.b.end, p.b.char_begin,
                          p.b.char_end, Excerpt(pair.b_text, p.b));
  }
  text.push_back('\n');
  std::fwrite(text.data(), 1, text.size(), out_);
}

void ResultWriter::WriteJsonl(const PairView& pair) {
  std::string line;
  for (const Passage& p : *pair.passages) {
    line.assign("{\"type\":\"passage\",\"a\":");
    AppendSpanJson(pair.a_id, pair.a_source, p.a, &line);
    line.append(",\"b\":");
    AppendSpanJson(pair.b_id, pair.b_source, p.b, &line);
    absl::StrAppendFormat(&line,
                          ",\"score\":%.4f,\"a_tokens\":%d,\"b_tokens\":%d,"
                          "\"aligned\":%d,\"matched\":%d}\n",
                          p.score, p.a_tokens, p.b_tokens, p.aligned,
                          p.matched);
    std::fwrite(line.data(), 1, line.size(), out_);
  }
  line.assign("{\"type\":\"pair\",\"a\":");
  AppendJsonString(pair.a_id, &line);
  line.append(",\"b\":");
  AppendJsonString(pair.b_id, &line);
  absl::StrAppendFormat(
      &line, ",\"passages\":%d,\"a_coverage\":%.4f,\"b_coverage\":%.4f",
      pair.passages->size(), Coverage(*pair.passages, true, pair.a_text.size()),
      Coverage(*pair.passages, false, pair.b_text.size()));
  if (!pair.a_source.empty()) {
    line.append(",\"a_source\":");
    AppendJsonString(pair.a_source, &line);
  }
  if (!pair.b_source.empty()) {
    line.append(",\"b_source\":");
    AppendJsonString(pair.b_source, &line);
  }
  line.append("}\n");
  std::fwrite(line.data(), 1, line.size(), out_);
}

void ResultWriter::WriteTsv(const PairView& pair) {
  const std::string a_id = TsvField(pair.a_id), b_id = TsvField(pair.b_id);
  for (const Passage& p : *pair.passages) {
    const std::string line = absl::StrFormat(
        "%s\t%d\t%d\t%d\t%d\t%s\t%d\t%d\t%d\t%d\t%.4f\n", a_id, p.a.begin,
        p.a.end, p.a.char_begin, p.a.char_end, b_id, p.b.begin, p.b.end,
        p.b.char_begin, p.b.char_end, p.score);
    std::fwrite(line.data(), 1, line.size(), out_);
  }
}

void ResultWriter::WriteCluster(const ClusterView& view) {
  const std::vector<ClusterMember>& members = view.cluster->members;
  std::string out;
  switch (format_) {
    case Format::kText: {
      const char* bold = color_ ? "\033[1m" : "";
      const char* reset = color_ ? "\033[0m" : "";
      absl::StrAppendFormat(&out,
                            "%scluster %d: one passage in %d documents%s\n",
                            bold, view.id, view.cluster->documents, reset);
      for (size_t k = 0; k < members.size(); ++k) {
        const TextSpan& s = members[k].span;
        absl::StrAppendFormat(&out, "  %s bytes %d-%d, chars %d-%d\n",
                              DisplayText(view.documents[k]->id), s.begin,
                              s.end, s.char_begin, s.char_end);
      }
      const TextSpan& first = members.front().span;
      absl::StrAppend(&out, "  ", Excerpt(view.documents.front()->text, first),
                      "\n\n");
      break;
    }
    case Format::kJsonl:
      absl::StrAppendFormat(&out,
                            "{\"type\":\"cluster\",\"id\":%d,"
                            "\"documents\":%d,\"members\":[",
                            view.id, view.cluster->documents);
      for (size_t k = 0; k < members.size(); ++k) {
        if (k > 0) out.push_back(',');
        AppendSpanJson(view.documents[k]->id,
                       k < view.sources.size() ? view.sources[k] : "",
                       members[k].span, &out);
      }
      out.append("]}\n");
      break;
    case Format::kTsv:
      // One row per member after the first, paired with the first; the
      // score column is empty (a cluster has no pair score).
      for (size_t k = 1; k < members.size(); ++k) {
        const TextSpan& a = members.front().span;
        const TextSpan& b = members[k].span;
        absl::StrAppendFormat(
            &out, "%s\t%d\t%d\t%d\t%d\t%s\t%d\t%d\t%d\t%d\t\n",
            TsvField(view.documents.front()->id), a.begin, a.end, a.char_begin,
            a.char_end, TsvField(view.documents[k]->id), b.begin, b.end,
            b.char_begin, b.char_end);
      }
      break;
  }
  std::fwrite(out.data(), 1, out.size(), out_);
}

void ResultWriter::WriteBoilerplate(std::string_view text, size_t documents,
                                    bool user_phrase) {
  if (format_ != Format::kJsonl) return;
  std::string line = "{\"type\":\"boilerplate\",\"text\":";
  AppendJsonString(text, &line);
  absl::StrAppendFormat(&line, ",\"documents\":%d,\"source\":\"%s\"}\n",
                        documents, user_phrase ? "user" : "frequent");
  std::fwrite(line.data(), 1, line.size(), out_);
}

void ResultWriter::End(const RunSummary& summary) {
  if (format_ == Format::kJsonl) {
    const std::string line = SummaryJson(summary);
    std::fwrite(line.data(), 1, line.size(), out_);
  }
}

std::string SummaryJson(const RunSummary& summary) {
  std::string line = "{\"type\":\"summary\",\"command\":";
  AppendJsonString(summary.command, &line);
  absl::StrAppend(&line, ",\"documents\":", summary.documents);
  for (const auto& [key, value] : summary.counts) {
    absl::StrAppend(&line, ",\"", key, "\":", value);
  }
  for (const auto& [key, value] : summary.fractions) {
    absl::StrAppendFormat(&line, ",\"%s\":%.4f", key, value);
  }
  const InputStats& input = summary.input;
  absl::StrAppendFormat(
      &line,
      ",\"skipped_files\":%d,\"skipped_lines\":%d,\"repeated_files\":%d,"
      "\"repeated_ids\":%d,\"invalid_utf8_documents\":%d,\"seconds\":%.3f",
      input.skipped_files, input.skipped_bad, input.repeated_files,
      input.repeated_ids, input.invalid_utf8, summary.seconds);
  for (const auto& [key, value] : summary.measures) {
    absl::StrAppendFormat(&line, ",\"%s\":%.1f", key, value);
  }
  line += "}\n";
  return line;
}

}  // namespace neardup::cli
