// neardup scan PATH...: every pair of documents that share passages.
//
// The flags and the run are here; the input is read by scan_input.cc, the
// result written by scan_report.cc (text, JSON Lines) or scan_html.cc.
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "atomic_file.h"
#include "commands.h"
#include "heap.h"
#include "html/html_report.h"
#include "interrupt.h"
#include "scan_input.h"
#include "scan_report.h"

namespace neardup::cli {

namespace {

struct ScanFlags {
  CommonFlags flags;
  WindowOptions windows;
  int threads = 0;
  int boilerplate_documents = ScanOptions().boilerplate_documents;
  bool no_boilerplate = false;
  bool align_copies = false;
  std::string boilerplate_file;
  std::vector<std::string> paths;
  size_t html_max_pairs = HtmlReportOptions().max_pairs;
  size_t html_max_clusters = HtmlReportOptions().max_clusters;
  size_t html_max_members = HtmlReportOptions().max_members;
};
int RunScan(const ScanFlags& state) {
  const auto start = std::chrono::steady_clock::now();
  LimitHeapArenas(2);
  ScanOptions options;
  if (!state.boilerplate_file.empty()) {
    if (absl::Status s =
            CheckNotAnInput({"--output", state.flags.output}, "--boilerplate",
                            state.boilerplate_file);
        !s.ok()) {
      return Fail(s);
    }
    auto phrases = ReadPhrases(state.boilerplate_file);
    if (!phrases.ok()) return Fail(phrases.status());
    options.boilerplate_phrases = *std::move(phrases);
  }
  OutputFile output(state.flags.output);
  if (absl::Status status = output.CheckWritable(); !status.ok()) {
    return Fail(status);
  }
  ProgressLine progress(stderr, ProgressLine::Wanted(state.flags.quiet));
  options.analyze = state.flags.analyze;
  options.align = state.flags.align;
  options.windows = state.windows;
  options.threads = state.threads;
  options.boilerplate_documents =
      state.no_boilerplate ? 0 : state.boilerplate_documents;
  options.collapse_copies = !state.align_copies;
  options.cancel = InterruptFlag();
  if (progress.enabled()) {
    options.progress = [&progress](const ScanProgress& at) {
      progress.Stage(at.stage, at.done, at.total,
                     at.stage == "aligning" ? "candidate pairs" : "documents");
    };
  }
  auto scanner = Scanner::Create(options);
  if (!scanner.ok()) return Fail(scanner.status());
  InputStats input_stats;
  std::vector<std::string> origins;  // document i was read at origins[i]
  if (absl::Status status = ReadInto(state.paths, state.flags, &progress,
                                     &input_stats, scanner->get(), &origins);
      !status.ok()) {
    return Fail(status);
  }
  auto result = (*scanner)->Finish();
  progress.Clear();
  if (!result.ok()) return Fail(result.status());

  if (absl::Status status = output.Open(); !status.ok()) return Fail(status);
  ScanRun run{.scanner = scanner->get(),
              .result = &*result,
              .origins = &origins,
              .input = input_stats,
              .start = start,
              .quiet = state.flags.quiet,
              .max_bucket = state.windows.max_bucket};
  if (state.flags.format == "html") {
    std::string command = "neardup scan";
    for (const std::string& path : state.paths) command += " " + path;
    return WriteScanHtml(run,
                         {.scan = true,
                          .max_pairs = state.html_max_pairs,
                          .max_clusters = state.html_max_clusters,
                          .max_members = state.html_max_members,
                          .command = command},
                         &output);
  }
  Format format;
  ParseFormat(state.flags.format, &format);
  return WriteScanResults(run, format, &output);
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
                   "Runs of word pairs each found in more than this many "
                   "documents, shorter than 40 words, are boilerplate "
                   "(titles, footers) and do not count toward --min-tokens; "
                   "0 turns this off")
      ->check(CLI::Range(0, 1 << 30))
      ->capture_default_str();
  command->add_flag("--no-boilerplate", state->no_boilerplate,
                    "Treat no text as boilerplate by frequency (phrases of "
                    "--boilerplate still are)");
  command->add_flag("--align-copies", state->align_copies,
                    "Align a document that holds another's whole text with "
                    "a few words added like any other, instead of only with "
                    "that document (its other passages are then carried over "
                    "from it)");
  command
      ->add_option("--boilerplate", state->boilerplate_file,
                   "A file of phrases to ignore as boilerplate, one a line "
                   "(compared after normalisation, like passages)")
      ->check(CLI::ExistingFile);
  command
      ->add_option("--window-threshold", state->windows.threshold,
                   "Jaccard similarity of two token windows above which they "
                   "are likely to be compared")
      ->check(Within(0.01, 1.0))
      ->capture_default_str();
  command
      ->add_option("--html-max-pairs", state->html_max_pairs,
                   "With --format html: show at most this many pairs, those "
                   "whose better-covered document is covered most (0: all)")
      ->check(CLI::Range(0, 1 << 30))
      ->capture_default_str();
  command
      ->add_option("--html-max-clusters", state->html_max_clusters,
                   "With --format html: show at most this many reuse "
                   "clusters, those with the most documents (0: all)")
      ->check(CLI::Range(0, 1 << 30))
      ->capture_default_str();
  command
      ->add_option("--html-max-members", state->html_max_members,
                   "With --format html: a cluster's view shows at most its "
                   "first this many members (0: all)")
      ->check(CLI::Range(0, 1 << 30))
      ->capture_default_str();
  return [state] { return RunScan(*state); };
}

}  // namespace neardup::cli
