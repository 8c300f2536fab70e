#include "contamination_flags.h"

#include <unistd.h>

#include <cstdio>
#include <utility>

#include "commands.h"

namespace neardup::cli {
namespace {

// --mode, --n, --contaminated-at, --partial-at, --max-matches.
void AddMatchFlags(CLI::App* command, ContaminationFlags* flags) {
  command
      ->add_option("--mode", flags->mode,
                   "aligned: seeds extended into aligned spans plus reworded "
                   "copies; ngram: classic exact n-gram overlap")
      ->check(CLI::IsMember({"aligned", "ngram"}))
      ->capture_default_str();
  command
      ->add_option("--n", flags->options.ngram,
                   "n-gram length for --mode ngram")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  command
      ->add_option("--contaminated-at", flags->options.contaminated_at,
                   "Share of an item's tokens matched that makes it "
                   "contaminated")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  command
      ->add_option("--partial-at", flags->options.partial_at,
                   "Share of an item's tokens matched that makes it partial "
                   "(above 0, at most --contaminated-at)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  command
      ->add_option("--max-matches", flags->options.max_matches,
                   "Matches listed per item, best first (all are counted)")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
}

}  // namespace

void AddContaminationFlags(CLI::App* command, ContaminationFlags* flags) {
  command
      ->add_option("--benchmark", flags->benchmark.paths,
                   "Benchmark JSONL file(s): one item per line (repeatable)")
      ->allow_extra_args(false)
      ->required();
  command
      ->add_option("--benchmark-field", flags->benchmark.fields,
                   "Field(s) whose texts, joined with a blank line, make an "
                   "item (repeatable, in order)")
      ->allow_extra_args(false)
      ->required();
  command->add_option("--benchmark-id-field", flags->benchmark.id_field,
                      "Benchmark field holding the item id (default: "
                      "--id-field)");
  command
      ->add_option("PATH", flags->paths,
                   "Corpus: text files, directories, JSONL files (.jsonl, "
                   ".gz, .zst), or - for standard input")
      ->required();
  AddInputFlags(command, &flags->input, &flags->options.analyze);
  AddMatchFlags(command, flags);
  command
      ->add_option("--format", flags->format,
                   "text (a table, the default on a terminal) or jsonl (one "
                   "record per item and a summary; the default otherwise)")
      ->check(CLI::IsMember({"text", "jsonl"}));
  command->add_option("-o,--output", flags->output,
                      "Write the report to this file (whole or not at all)");
  command->add_option("--top", flags->top, "Items shown by --format text")
      ->check(CLI::Range(0, 1000000000))
      ->capture_default_str();
  command
      ->add_option("--threads", flags->threads,
                   "Worker threads (0: one per core); same output on any")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  command->add_flag("-q,--quiet", flags->quiet,
                    "No warnings, progress or summary on stderr");
}

std::string ContaminationFormat(const ContaminationFlags& flags,
                                bool output_is_stdout) {
  if (!flags.format.empty()) return flags.format;
  return output_is_stdout && isatty(STDOUT_FILENO) == 1 ? "text" : "jsonl";
}

absl::StatusOr<std::unique_ptr<ContaminationIndex>> BuildContaminationIndex(
    const ContaminationFlags& flags, bool quiet, ContaminationRun* run) {
  BenchmarkSource source = flags.benchmark;
  source.input = flags.input;
  source.output = flags.output;
  source.quiet = quiet;
  absl::StatusOr<Benchmark> benchmark = ReadBenchmark(source);
  if (!benchmark.ok()) return benchmark.status();
  run->fields = &flags.benchmark.fields;
  run->skipped_benchmark_lines = benchmark->skipped_lines;
  run->skipped_benchmark_files = benchmark->skipped_files;
  if (benchmark->items.empty() && !quiet) {
    std::fprintf(stderr,
                 "neardup: warning: the benchmark has no items; every "
                 "report will be empty\n");
  }
  ContaminationOptions options = flags.options;
  options.mode = flags.mode == "ngram" ? ContaminationMode::kNgram
                                       : ContaminationMode::kAligned;
  return ContaminationIndex::Create(std::move(benchmark->items), options);
}

}  // namespace neardup::cli
