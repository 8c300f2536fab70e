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

// A ReuseCluster with its documents' ids and texts (members[k] is in
// documents[k]).
struct ClusterView {
  size_t id = 0;  // 1, 2, ... in output order
  const ReuseCluster* cluster = nullptr;
  std::vector<const Document*> documents;
};

struct RunSummary {
  size_t documents = 0;
  size_t pairs = 0;
  size_t passages = 0;
  size_t candidate_pairs = 0;
  size_t clusters = 0;
  size_t cluster_members = 0;
  size_t boilerplate_texts = 0;
  size_t boilerplate_tokens = 0;
  InputStats input;  // what the reader skipped or repaired
  double seconds = 0;
};

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
