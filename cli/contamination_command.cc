// neardup contamination --benchmark B.jsonl --benchmark-field F... CORPUS...:
// how much of each benchmark item occurs in the corpus, and where.
//
// The flags are contamination_flags.cc's (shared with neardup-mpi); the
// benchmark is read whole into a ContaminationIndex
// (contamination_benchmark.cc); the corpus is streamed into it
// (contamination_corpus.cc); the report is written by
// contamination_report.cc.
#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "atomic_file.h"
#include "commands.h"
#include "contamination_corpus.h"
#include "contamination_flags.h"
#include "contamination_report.h"
#include "neardup/contamination.h"

namespace neardup::cli {
namespace {

int RunContamination(const ContaminationFlags& flags) {
  const auto start = std::chrono::steady_clock::now();
  // The library's check, in the flags' words.
  if (!(flags.options.partial_at > 0 &&
        flags.options.partial_at <= flags.options.contaminated_at)) {
    return Fail(absl::StrFormat(
        "--partial-at %g must be above 0 and at most --contaminated-at %g",
        flags.options.partial_at, flags.options.contaminated_at));
  }
  ProgressLine progress(stderr, ProgressLine::Wanted(flags.quiet));
  OutputFile output(flags.output);
  if (absl::Status status = output.CheckWritable(); !status.ok()) {
    return Fail(status);
  }
  const std::string format = ContaminationFormat(flags, output.is_stdout());
  // The corpus is opened (and the output checked against its files and the
  // benchmark's) before anything is read.
  auto reader =
      OpenInput(flags.paths, flags.input, {{"--output", flags.output}});
  if (!reader.ok()) return Fail(reader.status());
  ContaminationRun run;
  auto index = BuildContaminationIndex(flags, flags.quiet, &run);
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
  WriteContaminationReport(format, **index, reports, stats, run,
                           static_cast<size_t>(flags.top), output.file());
  if (absl::Status status = output.Finish(); !status.ok()) return Fail(status);
  if (!flags.quiet) PrintContaminationSummary(stats, run);
  PrintInputSummary(run.input, flags.quiet);
  return stats.contaminated + stats.partial > 0 ? kExitFound : kExitNotFound;
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
  AddContaminationFlags(command, flags.get());
  return [command, flags]() -> int {
    if (!command->parsed()) return -1;
    return RunContamination(*flags);
  };
}

}  // namespace neardup::cli
