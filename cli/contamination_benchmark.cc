#include "contamination_benchmark.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
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

// The input library's messages name its options; for the benchmark the
// flags that set them are --benchmark-field and --benchmark-id-field (the
// rest, ForCli maps as for the corpus).
std::string ForBenchmark(std::string message) {
  static constexpr std::pair<std::string_view, std::string_view> kFlags[] = {
      {"set InputOptions::text_field", "use --benchmark-field"},
      {"set InputOptions::id_field", "use --benchmark-id-field"},
  };
  return RenameOptions(std::move(message), kFlags);
}

absl::Status ForBenchmark(const absl::Status& status) {
  return status.ok()
             ? status
             : absl::Status(status.code(),
                            ForBenchmark(std::string(status.message())));
}

}  // namespace

absl::StatusOr<Benchmark> ReadBenchmark(const BenchmarkSource& source) {
  Benchmark benchmark;
  absl::flat_hash_map<std::string, size_t> line_to_item;
  std::vector<size_t> fields_found;
  absl::flat_hash_set<std::string> warned;
  // Each item id and the origin (path:line) of its first record.
  absl::flat_hash_map<std::string, std::string> first_of_id;
  size_t repeated_skipped = 0;
  for (size_t f = 0; f < source.fields.size(); ++f) {
    InputOptions options = source.input;
    options.text_field = source.fields[f];
    if (!source.id_field.empty()) options.id_field = source.id_field;
    auto reader =
        OpenInput(source.paths, options, {{"--output", source.output}});
    if (!reader.ok()) return ForBenchmark(reader.status());
    InputRecord record;
    for (;;) {
      absl::StatusOr<bool> more = (*reader)->Next(&record);
      std::vector<InputWarning> warnings;
      for (InputWarning& warning : (*reader)->TakeWarnings()) {
        // A repeated item id is told below, as what it is here: an error.
        if (more.ok() && *more &&
            warning.kind == InputWarning::Kind::kRepeatedId &&
            warning.origin == record.origin) {
          continue;
        }
        warning.message = ForBenchmark(std::move(warning.message));
        if (warned.insert(warning.origin + warning.message).second) {
          warnings.push_back(std::move(warning));
        }
      }
      PrintWarnings(warnings, source.quiet);
      if (!more.ok()) return ForBenchmark(more.status());
      if (!*more) break;
      if (Interrupted()) return absl::CancelledError("interrupted");
      if (!FromJsonLines(record)) {
        return absl::InvalidArgumentError(
            record.origin +
            ": a benchmark is JSON Lines (one item per line, e.g. "
            "bench.jsonl or bench.jsonl.gz), not a text file");
      }
      if (f == 0) {
        // Items are reported by id, so an id must name one item.
        const auto [first, inserted] =
            first_of_id.try_emplace(record.id, record.origin);
        if (!inserted) {
          const std::string message =
              absl::StrCat("benchmark item id \"", record.id,
                           "\" repeats the id of ", first->second);
          if (!source.input.skip_bad) {
            return absl::InvalidArgumentError(
                absl::StrCat(record.origin, ": ", message,
                             "; item ids must be unique (pass --skip-bad to "
                             "skip such lines)"));
          }
          PrintWarnings({{record.origin, message + "; skipped"}}, source.quiet);
          ++repeated_skipped;
          continue;
        }
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
      benchmark.skipped_lines =
          (*reader)->stats().skipped_bad + repeated_skipped;
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
