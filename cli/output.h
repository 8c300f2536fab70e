// Formatting of neardup's results: human-readable text, JSON Lines, TSV.
#ifndef NEARDUP_CLI_OUTPUT_H_
#define NEARDUP_CLI_OUTPUT_H_

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "neardup/input.h"
#include "neardup/neardup.h"
#include "text_escape.h"

namespace neardup::cli {

enum class Format { kText, kJsonl, kTsv };

// Parses "text", "jsonl" or "tsv".
bool ParseFormat(std::string_view name, Format* format);

struct PairView {
  std::string_view a_id;
  std::string_view a_text;
  std::string_view b_id;
  std::string_view b_text;
  const std::vector<Passage>* passages;
  // Where each record was read ("path:line", or the path of a text file),
  // written as "source" in JSON Lines so that records with the same id stay
  // apart; empty: not written.
  std::string_view a_source;
  std::string_view b_source;
};

// A ReuseCluster with its documents' ids and texts (members[k] is in
// documents[k]) and, if not empty, where each was read (as PairView's).
struct ClusterView {
  size_t id = 0;  // 1, 2, ... in output order
  const ReuseCluster* cluster = nullptr;
  std::vector<const Document*> documents;
  std::vector<std::string_view> sources;
};

// The one summary record every command writes as the last JSON line:
// {"type":"summary","command":...,"documents":N, the command's counts in
// order, the input counts ("skipped_files", "skipped_lines",
// "repeated_files", "repeated_ids", "invalid_utf8_documents"), "seconds",
// then the command's measures}. A new command adds its own counts.
struct RunSummary {
  std::string command;
  size_t documents = 0;
  std::vector<std::pair<std::string, size_t>> counts;
  // Shares in [0, 1], written after the counts with four decimals.
  std::vector<std::pair<std::string, double>> fractions;
  InputStats input;  // what the reader skipped or repaired
  double seconds = 0;
  // Rates, memory: written with one decimal.
  std::vector<std::pair<std::string, double>> measures;

  // The count named `name`, or 0 if there is none.
  size_t Count(std::string_view name) const {
    for (const auto& [counted, value] : counts) {
      if (counted == name) return value;
    }
    return 0;
  }
};

// Fraction of a document's bytes covered by the union of the passages'
// spans on one side (a when side_a, else b).
inline double Coverage(const std::vector<Passage>& passages, bool side_a,
                       size_t text_size) {
  if (text_size == 0) return 0;
  std::vector<std::pair<uint32_t, uint32_t>> spans;
  for (const Passage& p : passages) {
    const TextSpan& s = side_a ? p.a : p.b;
    spans.push_back({s.begin, s.end});
  }
  std::sort(spans.begin(), spans.end());
  size_t covered = 0;
  uint32_t reach = 0;
  for (auto [begin, end] : spans) {
    begin = std::max(begin, reach);
    if (end > begin) covered += end - begin;
    reach = std::max(reach, end);
  }
  return static_cast<double>(covered) / static_cast<double>(text_size);
}

// `summary` as one JSON line, "\n" included.
std::string SummaryJson(const RunSummary& summary);

// Writes results to a FILE in one format. Writes go straight to the stream;
// the caller decides when to flush.
class ResultWriter {
 public:
  ResultWriter(FILE* out, Format format, bool color);
  void Begin();
  void WritePair(const PairView& pair);
  void WriteCluster(const ClusterView& cluster);
  // Only with --format jsonl: text treated as boilerplate.
  void WriteBoilerplate(std::string_view text, size_t documents,
                        bool user_phrase);
  void End(const RunSummary& summary);

 private:
  void WriteText(const PairView& pair);
  void WriteJsonl(const PairView& pair);
  void WriteTsv(const PairView& pair);

  FILE* out_;
  Format format_;
  bool color_;
};

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_OUTPUT_H_
