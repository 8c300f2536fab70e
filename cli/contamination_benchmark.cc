#include "contamination_benchmark.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "commands.h"
#include "interrupt.h"

namespace neardup::cli {
namespace {

// A JSON Lines record's origin is "path:line"; a text file's is its path
// alone.
bool FromJsonLines(const InputRecord& record) {
  const size_t colon = record.origin.rfind(':');
  if (colon == std::string::npos || colon + 1 == record.origin.size()) {
    return false;
  }
  return std::all_of(record.origin.begin() + colon + 1, record.origin.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

absl::StatusOr<Benchmark> ReadBenchmark(const BenchmarkSource& source) {
  Benchmark benchmark;
  absl::flat_hash_map<std::string, size_t> line_to_item;
  std::vector<size_t> fields_found;
  absl::flat_hash_set<std::string> warned;
  for (size_t f = 0; f < source.fields.size(); ++f) {
    InputOptions options = source.input;
    options.text_field = source.fields[f];
    if (!source.id_field.empty()) options.id_field = source.id_field;
    auto reader =
        OpenInput(source.paths, options, {{"--output", source.output}});
    if (!reader.ok()) return reader.status();
    InputRecord record;
    for (;;) {
      absl::StatusOr<bool> more = (*reader)->Next(&record);
      std::vector<InputWarning> warnings;
      for (InputWarning& warning : (*reader)->TakeWarnings()) {
        if (warned.insert(warning.origin + warning.message).second) {
          warnings.push_back(std::move(warning));
        }
      }
      PrintWarnings(warnings, source.quiet);
      if (!more.ok()) return more.status();
      if (!*more) break;
      if (Interrupted()) return absl::CancelledError("interrupted");
      if (!FromJsonLines(record)) {
        return absl::InvalidArgumentError(
            record.origin +
            ": a benchmark is JSON Lines (one item per line, e.g. "
            "bench.jsonl or bench.jsonl.gz), not a text file");
      }
      if (f == 0) {
        line_to_item[record.origin] = benchmark.items.size();
        benchmark.items.push_back(
            {std::move(record.id), {std::move(record.text)}});
        fields_found.push_back(1);
        continue;
      }
      auto it = line_to_item.find(record.origin);
      if (it == line_to_item.end()) continue;  // skipped in the first read
      benchmark.items[it->second].fields.push_back(std::move(record.text));
      ++fields_found[it->second];
    }
    if (f == 0) {
      benchmark.skipped_lines = (*reader)->stats().skipped_bad;
      benchmark.skipped_files = (*reader)->stats().skipped_files;
    }
  }
  std::vector<BenchmarkItem> complete;
  for (size_t i = 0; i < benchmark.items.size(); ++i) {
    if (fields_found[i] == source.fields.size()) {
      complete.push_back(std::move(benchmark.items[i]));
    } else {
      ++benchmark.skipped_lines;
    }
  }
  benchmark.items = std::move(complete);
  return benchmark;
}

}  // namespace neardup::cli
