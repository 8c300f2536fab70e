#include "contamination_report.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "output.h"
#include "text_escape.h"

namespace neardup::cli {
namespace {

void AppendSpan(const TextSpan& span, std::string* out) {
  absl::StrAppend(out, "{\"start\":", span.begin, ",\"end\":", span.end,
                  ",\"char_start\":", span.char_begin,
                  ",\"char_end\":", span.char_end, "}");
}

void AppendItemJson(const ItemReport& report,
                    const std::vector<std::string>& fields, std::string* line) {
  *line += "{\"type\":\"item\",\"id\":";
  AppendJsonString(report.id, line);
  absl::StrAppendFormat(
      line,
      ",\"status\":\"%s\",\"contaminated_fraction\":%.4f,\"tokens\":%u,"
      "\"covered_tokens\":%u,\"longest_match\":%u,\"total_matches\":%zu,"
      "\"matches\":[",
      ContaminationStatusName(report.status), report.contaminated_fraction,
      report.tokens, report.covered, report.longest_match,
      report.total_matches);
  for (size_t m = 0; m < report.matches.size(); ++m) {
    const ContaminationMatch& match = report.matches[m];
    if (m > 0) *line += ',';
    *line += "{\"doc\":";
    AppendJsonString(match.document_id, line);
    *line += ",\"item\":";
    AppendSpan(match.item, line);
    *line += ",\"doc_span\":";
    AppendSpan(match.doc, line);
    absl::StrAppendFormat(line, ",\"score\":%.4f,\"tokens\":%u,\"kind\":\"%s\"",
                          match.score, match.item_tokens,
                          match.reworded ? "reworded" : "aligned");
    if (fields.size() > 1) {
      *line += ",\"fields\":[";
      bool first = true;
      for (size_t f = 0; f < fields.size() && f < 64; ++f) {
        if ((match.fields >> f & 1) == 0) continue;
        if (!first) *line += ',';
        first = false;
        AppendJsonString(fields[f], line);
      }
      *line += ']';
    }
    *line += '}';
  }
  *line += "]}\n";
}

}  // namespace

void WriteContaminationJsonl(const std::vector<ItemReport>& reports,
                             const ContaminationStats& stats,
                             const ContaminationRun& run, FILE* out) {
  static const std::vector<std::string> kNoFields;
  const std::vector<std::string>& fields =
      run.fields != nullptr ? *run.fields : kNoFields;
  std::string text;
  for (const ItemReport& report : reports) {
    text.clear();
    AppendItemJson(report, fields, &text);
    std::fwrite(text.data(), 1, text.size(), out);
  }
  const auto share = [&stats](size_t count) {
    return stats.items == 0
               ? 0.0
               : static_cast<double>(count) / static_cast<double>(stats.items);
  };
  RunSummary summary;
  summary.command = "contamination";
  summary.documents = stats.documents;
  summary.counts = {{"items", stats.items},
                    {"clean", stats.clean},
                    {"partial", stats.partial},
                    {"contaminated", stats.contaminated},
                    {"empty_items", stats.empty_items},
                    {"bytes", stats.bytes},
                    {"skipped_benchmark_files", run.skipped_benchmark_files},
                    {"skipped_benchmark_lines", run.skipped_benchmark_lines},
                    {"candidates", stats.candidates}};
  summary.fractions = {{"contaminated_fraction", share(stats.contaminated)},
                       {"partial_or_contaminated_fraction",
                        share(stats.contaminated + stats.partial)}};
  summary.input = run.input;
  summary.seconds = run.seconds;
  text = SummaryJson(summary);
  std::fwrite(text.data(), 1, text.size(), out);
}

std::string ContaminationTable(const ContaminationIndex& index,
                               const std::vector<ItemReport>& reports,
                               const ContaminationStats& stats, size_t top) {
  std::vector<size_t> order;
  for (size_t i = 0; i < reports.size(); ++i) {
    if (reports[i].covered > 0) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    return reports[x].contaminated_fraction > reports[y].contaminated_fraction;
  });
  if (order.size() > top) order.resize(top);
  std::string text = absl::StrFormat(
      "%zu items: %zu contaminated, %zu partial, %zu clean (%zu documents, "
      "%.1f MB)\n",
      stats.items, stats.contaminated, stats.partial, stats.clean,
      stats.documents, static_cast<double>(stats.bytes) / 1e6);
  if (!order.empty()) {
    absl::StrAppendFormat(&text, "\n%-24s %-13s %9s %8s %8s\n", "item",
                          "status", "fraction", "longest", "matches");
  }
  for (size_t i : order) {
    const ItemReport& report = reports[i];
    absl::StrAppendFormat(
        &text, "%-24s %-13s %9.2f %8u %8zu\n", DisplayText(report.id),
        ContaminationStatusName(report.status), report.contaminated_fraction,
        report.longest_match, report.total_matches);
    if (report.matches.empty()) continue;
    const ContaminationMatch& match = report.matches[0];
    const std::string_view item_text = index.ItemText(i);
    absl::StrAppendFormat(
        &text, "  item  chars %u-%u: %s\n  %s chars %u-%u%s: %s\n",
        match.item.char_begin, match.item.char_end,
        OneLine(item_text.substr(match.item.begin,
                                 match.item.end - match.item.begin)),
        DisplayText(match.document_id), match.doc.char_begin,
        match.doc.char_end, match.reworded ? " (reworded)" : "",
        OneLine(match.doc_text));
  }
  if (reports.size() > order.size() && !order.empty()) {
    absl::StrAppendFormat(&text, "(%zu items not shown%s)\n",
                          reports.size() - order.size(),
                          stats.clean > 0 ? ", clean ones included" : "");
  }
  return text;
}

void WriteContaminationReport(const std::string& format,
                              const ContaminationIndex& index,
                              const std::vector<ItemReport>& reports,
                              const ContaminationStats& stats,
                              const ContaminationRun& run, size_t top,
                              FILE* out) {
  if (format == "jsonl") {
    WriteContaminationJsonl(reports, stats, run, out);
    return;
  }
  const std::string text = ContaminationTable(index, reports, stats, top);
  std::fwrite(text.data(), 1, text.size(), out);
}

void PrintContaminationSummary(const ContaminationStats& stats,
                               const ContaminationRun& run) {
  const double seconds = run.seconds;
  std::fprintf(
      stderr,
      "neardup: %zu item%s (%zu contaminated, %zu partial), %zu "
      "document%s, %.1f MB in %.2f s (%.1f MB/s)\n",
      stats.items, stats.items == 1 ? "" : "s", stats.contaminated,
      stats.partial, stats.documents, stats.documents == 1 ? "" : "s",
      static_cast<double>(stats.bytes) / 1e6, seconds,
      seconds > 0 ? static_cast<double>(stats.bytes) / 1e6 / seconds : 0.0);
  if (stats.empty_items > 0) {
    std::fprintf(stderr,
                 "neardup: warning: %zu item%s no word (empty, or only "
                 "punctuation and emoji): reported clean, though nothing can "
                 "match %s\n",
                 stats.empty_items, stats.empty_items == 1 ? " has" : "s have",
                 stats.empty_items == 1 ? "it" : "them");
  }
  if (run.skipped_benchmark_lines + run.skipped_benchmark_files > 0) {
    std::fprintf(stderr,
                 "neardup: benchmark: skipped %zu files and %zu bad lines\n",
                 run.skipped_benchmark_files, run.skipped_benchmark_lines);
  }
}

}  // namespace neardup::cli
