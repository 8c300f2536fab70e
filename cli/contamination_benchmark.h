// neardup contamination: reading the benchmark (one item per JSON line, its
// text made of one or more fields).
#ifndef NEARDUP_CLI_CONTAMINATION_BENCHMARK_H_
#define NEARDUP_CLI_CONTAMINATION_BENCHMARK_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "neardup/contamination.h"
#include "neardup/input.h"

namespace neardup::cli {

struct BenchmarkSource {
  std::vector<std::string> paths;   // --benchmark
  std::vector<std::string> fields;  // --benchmark-field, in order
  // --benchmark-id-field, else input.id_field.
  std::string id_field;
  InputOptions input;  // the corpus's input flags (--skip-bad, ...)
  std::string output;  // --output, refused if it is a benchmark file
  bool quiet = false;
};

struct Benchmark {
  std::vector<BenchmarkItem> items;
  size_t skipped_lines = 0;  // --skip-bad lines, and records missing a field
  size_t skipped_files = 0;
};

// The benchmark's items: one read of the files per field, joined on each
// record's "path:line". A record skipped (--skip-bad) in any read is left
// out and counted; the first read's warnings and those new in later reads
// are printed (unless quiet). A text file (not JSON Lines) is an error.
absl::StatusOr<Benchmark> ReadBenchmark(const BenchmarkSource& source);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_CONTAMINATION_BENCHMARK_H_
