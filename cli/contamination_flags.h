// The flags of `neardup contamination`, shared with `neardup-mpi
// contamination` (mpi/) so both take the same names and meanings.
#ifndef NEARDUP_CLI_CONTAMINATION_FLAGS_H_
#define NEARDUP_CLI_CONTAMINATION_FLAGS_H_

#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "contamination_benchmark.h"
#include "contamination_report.h"
#include "neardup/contamination.h"
#include "neardup/input.h"

namespace neardup::cli {

struct ContaminationFlags {
  BenchmarkSource benchmark;  // --benchmark, --benchmark-field, ...
  std::vector<std::string> paths;
  InputOptions input;
  ContaminationOptions options;
  std::string mode = "aligned";
  std::string format;
  std::string output;
  int threads = 0;
  int top = 20;
  bool quiet = false;
};

// Adds every flag of `neardup contamination` to `command`.
void AddContaminationFlags(CLI::App* command, ContaminationFlags* flags);

// --format, or its default: text when the report goes to a terminal,
// jsonl otherwise.
std::string ContaminationFormat(const ContaminationFlags& flags,
                                bool output_is_stdout);

// Reads the benchmark (ReadBenchmark: its warnings unless `quiet`, a warning
// when it has no items) and builds the index with the flags' options.
// Fills run->fields and the benchmark's skipped counts.
absl::StatusOr<std::unique_ptr<ContaminationIndex>> BuildContaminationIndex(
    const ContaminationFlags& flags, bool quiet, ContaminationRun* run);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_CONTAMINATION_FLAGS_H_
