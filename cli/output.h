// Formatting of neardup's results: human-readable text, JSON Lines, TSV.
#ifndef NEARDUP_CLI_OUTPUT_H_
#define NEARDUP_CLI_OUTPUT_H_

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "neardup/input.h"
#include "neardup/neardup.h"

namespace neardup::cli {

enum class Format { kText, kJsonl, kTsv };

// Parses "text", "jsonl" or "tsv".
bool ParseFormat(std::string_view name, Format* format);

// Appends `value` to `out` as a JSON string literal.
void AppendJsonString(std::string_view value, std::string* out);

struct PairView {
  std::string_view a_id;
  std::string_view a_text;
  std::string_view b_id;
  std::string_view b_text;
  const std::vector<Passage>* passages;
};

struct RunSummary {
  size_t documents = 0;
  size_t pairs = 0;
  size_t passages = 0;
  size_t candidate_pairs = 0;
  size_t capped_pairs = 0;  // ScanStats::capped_pairs
  InputStats input;         // what the reader skipped or repaired
  double seconds = 0;
};

// Writes results to a FILE in one format. Writes go straight to the stream;
// the caller decides when to flush.
class ResultWriter {
 public:
  ResultWriter(FILE* out, Format format, bool color);
  void Begin();
  void WritePair(const PairView& pair);
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
