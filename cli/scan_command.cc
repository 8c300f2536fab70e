// neardup scan PATH...: every pair of documents that share passages.
#include <chrono>
#include <memory>
#include <utility>

#include "atomic_file.h"
#include "commands.h"
#include "interrupt.h"

namespace neardup::cli {

namespace {

struct ScanFlags {
  CommonFlags flags;
  WindowOptions windows;
  int threads = 0;
  int boilerplate_documents = ScanOptions().boilerplate_documents;
  std::vector<std::string> paths;
};

int RunScan(const ScanFlags& state) {
  const auto start = std::chrono::steady_clock::now();
  OutputFile output(state.flags.output);
  if (absl::Status status = output.CheckWritable(); !status.ok()) {
    return Fail(status);
  }
  ProgressLine progress(stderr, ProgressLine::Wanted(state.flags.quiet));
  InputStats input_stats;
  auto documents =
      ReadDocuments(state.paths, state.flags, &progress, &input_stats);
  if (!documents.ok()) return Fail(documents.status());
  ScanOptions options;
  options.analyze = state.flags.analyze;
  options.align = state.flags.align;
  options.windows = state.windows;
  options.threads = state.threads;
  options.boilerplate_documents = state.boilerplate_documents;
  options.cancel = InterruptFlag();
  if (progress.enabled()) {
    options.progress = [&progress](const ScanProgress& at) {
      progress.Stage(at.stage, at.done, at.total,
                     at.stage == "aligning" ? "candidate pairs" : "documents");
    };
  }
  auto scanner = Scanner::Create(options);
  if (!scanner.ok()) return Fail(scanner.status());
  for (Document& document : *documents) {
    if (absl::Status status = (*scanner)->Add(std::move(document));
        !status.ok()) {
      return Fail(status);
    }
  }
  auto result = (*scanner)->Finish();
  progress.Clear();
  if (!result.ok()) return Fail(result.status());
  documents->clear();  // moved into the scanner

  if (absl::Status status = output.Open(); !status.ok()) return Fail(status);
  Format format;
  ParseFormat(state.flags.format, &format);
  ResultWriter writer(output.file(), format,
                      output.is_stdout() && UseColor(stdout));
  writer.Begin();
  size_t pairs = 0;
  size_t passages = 0;
  for (const DocumentPair& pair : result->pairs) {
    const Document& a = (*scanner)->documents()[pair.a];
    const Document& b = (*scanner)->documents()[pair.b];
    writer.WritePair({a.id, a.text, b.id, b.text, &pair.passages});
    ++pairs;
    passages += pair.passages.size();
  }
  RunSummary summary;
  summary.command = "scan";
  summary.documents = (*scanner)->size();
  summary.counts = {{"candidate_pairs", result->stats.candidate_pairs},
                    {"pairs", pairs},
                    {"passages", passages},
                    {"capped_pairs", result->stats.capped_pairs}};
  summary.input = input_stats;
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  writer.End(summary);
  if (Interrupted()) return InterruptedExit();
  if (absl::Status status = output.Finish(); !status.ok()) return Fail(status);
  if (!state.flags.quiet && format != Format::kJsonl) {
    std::fprintf(stderr,
                 "neardup: %zu document%s, %zu candidate pair%s, %zu pair%s "
                 "sharing %zu passage%s (%.2f s)\n",
                 summary.documents, summary.documents == 1 ? "" : "s",
                 result->stats.candidate_pairs,
                 result->stats.candidate_pairs == 1 ? "" : "s", pairs,
                 pairs == 1 ? "" : "s", passages, passages == 1 ? "" : "s",
                 summary.seconds);
  }
  if (result->stats.capped_pairs > 0) {
    std::fprintf(stderr,
                 "neardup: warning: %zu groups of more than %d documents "
                 "share a window; each was aligned only with its first "
                 "member, so %zu document pairs were not compared\n",
                 result->stats.candidate_groups, state.windows.max_bucket,
                 result->stats.capped_pairs);
  }
  PrintInputSummary(input_stats, state.flags.quiet);
  return pairs == 0 ? kExitNotFound : kExitFound;
}

}  // namespace

RunFunction InstallScan(CLI::App* app) {
  auto state = std::make_shared<ScanFlags>();
  CLI::App* command = app->add_subcommand(
      "scan", "Report every pair of documents that share passages");
  command->footer(
      "Exit status: 0 when a pair shares a passage, 1 when none does, 2 on "
      "error.\n"
      "Examples:\n  neardup scan corpus/\n"
      "  neardup scan a.txt dir/ feed.jsonl --text-field text --id-field id "
      "--format jsonl");
  command
      ->add_option("PATH", state->paths,
                   "Text files, directories (read recursively), JSONL files "
                   "(.jsonl, .gz, .zst), or - for standard input")
      ->required();
  AddCommonFlags(command, &state->flags);
  command
      ->add_option("--threads", state->threads,
                   "Worker threads (0: one per core); the output does not "
                   "depend on it")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  command
      ->add_option("--boilerplate-documents", state->boilerplate_documents,
                   "Word pairs found in more than this many documents are "
                   "boilerplate (titles, footers) and do not count toward "
                   "--min-tokens; 0 turns this off")
      ->check(CLI::Range(0, 1 << 30))
      ->capture_default_str();
  command
      ->add_option("--window-threshold", state->windows.threshold,
                   "Jaccard similarity of two token windows above which they "
                   "are likely to be compared")
      ->check(Within(0.01, 1.0))
      ->capture_default_str();
  return [state] { return RunScan(*state); };
}

}  // namespace neardup::cli
