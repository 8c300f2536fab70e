// neardup contamination --benchmark B.jsonl --benchmark-field F... CORPUS...:
// how much of each benchmark item occurs in the corpus, and where.
//
// The benchmark is read whole into a ContaminationIndex
// (contamination_benchmark.cc); the corpus is streamed into it
// (contamination_corpus.cc); the report is written by
// contamination_report.cc.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "atomic_file.h"
#include "commands.h"
#include "contamination_benchmark.h"
#include "contamination_corpus.h"
#include "contamination_report.h"
#include "neardup/contamination.h"

namespace neardup::cli {
namespace {

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

// The summary on stderr: items by status, documents, bytes and speed, and
// the benchmark's skipped files and lines.
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
  if (run.skipped_benchmark_lines + run.skipped_benchmark_files > 0) {
    std::fprintf(stderr,
                 "neardup: benchmark: skipped %zu files and %zu bad lines\n",
                 run.skipped_benchmark_files, run.skipped_benchmark_lines);
  }
}

int RunContamination(const ContaminationFlags& flags) {
  const auto start = std::chrono::steady_clock::now();
  ProgressLine progress(stderr, ProgressLine::Wanted(flags.quiet));
  OutputFile output(flags.output);
  if (absl::Status status = output.CheckWritable(); !status.ok()) {
    return Fail(status);
  }
  std::string format = flags.format;
  if (format.empty()) {
    format =
        output.is_stdout() && isatty(STDOUT_FILENO) == 1 ? "text" : "jsonl";
  }
  // The corpus is opened (and the output checked against its files and the
  // benchmark's) before anything is read.
  auto reader =
      OpenInput(flags.paths, flags.input, {{"--output", flags.output}});
  if (!reader.ok()) return Fail(reader.status());
  BenchmarkSource source = flags.benchmark;
  source.input = flags.input;
  source.output = flags.output;
  source.quiet = flags.quiet;
  absl::StatusOr<Benchmark> benchmark = ReadBenchmark(source);
  if (!benchmark.ok()) return Fail(benchmark.status());
  ContaminationRun run;
  run.fields = &flags.benchmark.fields;
  run.skipped_benchmark_lines = benchmark->skipped_lines;
  run.skipped_benchmark_files = benchmark->skipped_files;
  if (benchmark->items.empty() && !flags.quiet) {
    std::fprintf(stderr,
                 "neardup: warning: the benchmark has no items; every "
                 "report will be empty\n");
  }
  ContaminationOptions options = flags.options;
  options.mode = flags.mode == "ngram" ? ContaminationMode::kNgram
                                       : ContaminationMode::kAligned;
  auto index = ContaminationIndex::Create(std::move(benchmark->items), options);
  if (!index.ok()) return Fail(index.status());

  const int threads =
      flags.threads > 0
          ? flags.threads
          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  if (absl::Status status =
          ScanCorpus(reader->get(), **index, threads, flags.quiet, &progress);
      !status.ok()) {
    return Fail(status);
  }
  progress.Clear();

  ContaminationStats stats;
  const std::vector<ItemReport> reports = (*index)->Report(&stats);
  run.input = (*reader)->stats();
  run.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  if (absl::Status status = output.Open(); !status.ok()) return Fail(status);
  if (format == "jsonl") {
    WriteContaminationJsonl(reports, stats, run, output.file());
  } else {
    const std::string text = ContaminationTable(**index, reports, stats,
                                                static_cast<size_t>(flags.top));
    std::fwrite(text.data(), 1, text.size(), output.file());
  }
  if (absl::Status status = output.Finish(); !status.ok()) return Fail(status);
  if (!flags.quiet) PrintContaminationSummary(stats, run);
  PrintInputSummary(run.input, flags.quiet);
  return stats.contaminated + stats.partial > 0 ? kExitFound : kExitNotFound;
}

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
                   "Share of an item's tokens matched that makes it partial")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  command
      ->add_option("--max-matches", flags->options.max_matches,
                   "Matches listed per item, best first (all are counted)")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
}

}  // namespace

RunFunction InstallContamination(CLI::App* app) {
  auto flags = std::make_shared<ContaminationFlags>();
  CLI::App* command = app->add_subcommand(
      "contamination",
      "How much of each benchmark item occurs in a training corpus, and "
      "where");
  command->footer(
      "Exit status: 0 when some item is partial or contaminated, 1 when all "
      "are clean, 2 on error.\n"
      "Example:\n"
      "  neardup contamination --benchmark test.jsonl --benchmark-field "
      "question --benchmark-field answer corpus/ shard-*.jsonl.zst "
      "--format jsonl -o report.jsonl");
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
  AddMatchFlags(command, flags.get());
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
  return [command, flags]() -> int {
    if (!command->parsed()) return -1;
    return RunContamination(*flags);
  };
}

}  // namespace neardup::cli
