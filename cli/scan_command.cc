// neardup scan PATH...: every pair of documents that share passages.
#include <chrono>
#include <memory>

#include "atomic_file.h"
#include "commands.h"
#include "html/html_report.h"
#include "interrupt.h"

namespace neardup::cli {

namespace {

struct ScanFlags {
  CommonFlags flags;
  WindowOptions windows;
  int threads = 0;
  int boilerplate_documents = ScanOptions().boilerplate_documents;
  std::vector<std::string> paths;
  size_t html_max_pairs = HtmlReportOptions().max_pairs;
};

// --format html: the whole report is written at the end (pairs capped at
// --html-max-pairs, said in the report and on stderr).
int WriteScanHtml(const ScanFlags& state,
                  const std::vector<Document>& documents,
                  const ScanResult& result, const InputStats& input_stats,
                  std::chrono::steady_clock::time_point start,
                  OutputFile* output) {
  std::string command = "neardup scan";
  for (const std::string& path : state.paths) command += " " + path;
  HtmlReport report(
      {.scan = true, .max_pairs = state.html_max_pairs, .command = command});
  RunSummary summary;
  summary.documents = documents.size();
  summary.candidate_pairs = result.stats.candidate_pairs;
  summary.input = input_stats;
  for (const DocumentPair& pair : result.pairs) {
    const Document& a = documents[pair.a];
    const Document& b = documents[pair.b];
    report.AddPair({a.id, a.text, b.id, b.text, &pair.passages});
    ++summary.pairs;
    summary.passages += pair.passages.size();
  }
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  report.Write(output->file(), summary);
  if (Interrupted()) return InterruptedExit();
  if (absl::Status status = output->Finish(); !status.ok()) return Fail(status);
  if (!state.flags.quiet) {
    std::fprintf(stderr,
                 "neardup: %zu documents, %zu pair%s sharing %zu passage%s; "
                 "the HTML report shows %zu of the %zu pairs%s (%.2f s)\n",
                 summary.documents, summary.pairs,
                 summary.pairs == 1 ? "" : "s", summary.passages,
                 summary.passages == 1 ? "" : "s", report.pairs_shown(),
                 report.pairs_added(),
                 report.pairs_shown() < report.pairs_added()
                     ? " (capped by --html-max-pairs; those whose better-"
                       "covered document is covered most)"
                     : "",
                 summary.seconds);
  }
  PrintInputSummary(input_stats, state.flags.quiet);
  return summary.pairs == 0 ? kExitNotFound : kExitFound;
}

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
  auto result = Scan(*documents, options);
  progress.Clear();
  if (!result.ok()) return Fail(result.status());

  if (absl::Status status = output.Open(); !status.ok()) return Fail(status);
  if (state.flags.format == "html") {
    return WriteScanHtml(state, *documents, *result, input_stats, start,
                         &output);
  }
  Format format;
  ParseFormat(state.flags.format, &format);
  ResultWriter writer(output.file(), format,
                      output.is_stdout() && UseColor(stdout));
  writer.Begin();
  RunSummary summary;
  summary.documents = documents->size();
  summary.candidate_pairs = result->stats.candidate_pairs;
  summary.input = input_stats;
  for (const DocumentPair& pair : result->pairs) {
    const Document& a = (*documents)[pair.a];
    const Document& b = (*documents)[pair.b];
    writer.WritePair({a.id, a.text, b.id, b.text, &pair.passages});
    ++summary.pairs;
    summary.passages += pair.passages.size();
  }
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  writer.End(summary);
  if (Interrupted()) return InterruptedExit();
  if (absl::Status status = output.Finish(); !status.ok()) return Fail(status);
  if (!state.flags.quiet && format != Format::kJsonl) {
    std::fprintf(stderr,
                 "neardup: %zu documents, %zu candidate pair%s, %zu pair%s "
                 "sharing %zu passage%s (%.2f s)\n",
                 summary.documents, summary.candidate_pairs,
                 summary.candidate_pairs == 1 ? "" : "s", summary.pairs,
                 summary.pairs == 1 ? "" : "s", summary.passages,
                 summary.passages == 1 ? "" : "s", summary.seconds);
  }
  PrintInputSummary(input_stats, state.flags.quiet);
  return summary.pairs == 0 ? kExitNotFound : kExitFound;
}

}  // namespace

RunFunction InstallScan(CLI::App* app) {
  auto state = std::make_shared<ScanFlags>();
  CLI::App* command = app->add_subcommand(
      "scan", "Report every pair of documents that share passages");
  command->footer(
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
      ->check(CLI::Range(0.01, 1.0))
      ->capture_default_str();
  command
      ->add_option("--html-max-pairs", state->html_max_pairs,
                   "With --format html: show at most this many pairs, those "
                   "whose better-covered document is covered most (0: all)")
      ->check(CLI::Range(0, 1 << 30))
      ->capture_default_str();
  return [state, command]() -> int {
    if (!command->parsed()) return -1;
    return RunScan(*state);
  };
}

}  // namespace neardup::cli
