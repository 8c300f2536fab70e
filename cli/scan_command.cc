// neardup scan PATH...: every pair of documents that share passages.
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <utility>

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
  bool no_boilerplate = false;
  std::string boilerplate_file;
  std::vector<std::string> paths;
  size_t html_max_pairs = HtmlReportOptions().max_pairs;
  size_t html_max_clusters = HtmlReportOptions().max_clusters;
  size_t html_max_members = HtmlReportOptions().max_members;
};

// The phrases of a --boilerplate file: one a line, blank lines ignored.
absl::StatusOr<std::vector<std::string>> ReadPhrases(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError("cannot read boilerplate phrases from " + path);
  }
  std::vector<std::string> phrases;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    phrases.push_back(line);
  }
  if (in.bad()) return absl::DataLossError("cannot read " + path);
  return phrases;
}

// Document `index` of a scan: its id, and its text read back.
absl::StatusOr<Document> ReadDocument(const Scanner& scanner, size_t index) {
  absl::StatusOr<std::string> text = scanner.text(index);
  if (!text.ok()) return text.status();
  return Document{scanner.id(index), *std::move(text)};
}

// Reads every document of `paths` into the scanner as it comes, printing the
// reader's warnings and progress: the texts are never all in memory. Each
// document's origin ("path:line" or the path) goes to `origins`.
absl::Status ReadInto(const std::vector<std::string>& paths,
                      const CommonFlags& flags, ProgressLine* progress,
                      InputStats* stats, Scanner* scanner,
                      std::vector<std::string>* origins) {
  auto reader = OpenInput(paths, flags.input, {{"--output", flags.output}});
  if (!reader.ok()) return reader.status();
  InputRecord record;
  for (;;) {
    absl::StatusOr<bool> more = (*reader)->Next(&record);
    PrintWarnings((*reader)->TakeWarnings(), flags.quiet, progress);
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (absl::Status status = scanner->Add(record.id, record.text);
        !status.ok()) {
      return status;
    }
    origins->push_back(std::move(record.origin));
    if (Interrupted()) return absl::CancelledError("interrupted");
    progress->Reading(scanner->size(), (*reader)->stats());
  }
  *stats = (*reader)->stats();
  return absl::OkStatus();
}

// --format html: the whole report is written at the end (pairs, clusters and
// members capped at --html-max-pairs, --html-max-clusters and
// --html-max-members, said in the report and on stderr).
int WriteScanHtml(const ScanFlags& state, const Scanner& scanner,
                  const ScanResult& result, const InputStats& input_stats,
                  std::chrono::steady_clock::time_point start,
                  OutputFile* output) {
  std::string command = "neardup scan";
  for (const std::string& path : state.paths) command += " " + path;
  HtmlReport report({.scan = true,
                     .max_pairs = state.html_max_pairs,
                     .max_clusters = state.html_max_clusters,
                     .max_members = state.html_max_members,
                     .command = command});
  size_t pairs = 0;
  size_t passages = 0;
  // The report points into the texts until it is written: the paired
  // documents are read back once each and kept (std::map keeps them in
  // place).
  std::map<size_t, Document> paired;
  const auto get = [&](size_t index) -> absl::StatusOr<const Document*> {
    auto at = paired.find(index);
    if (at != paired.end()) return &at->second;
    auto document = ReadDocument(scanner, index);
    if (!document.ok()) return document.status();
    return &paired.emplace(index, *std::move(document)).first->second;
  };
  for (const DocumentPair& pair : result.pairs) {
    auto a = get(pair.a);
    if (!a.ok()) return Fail(a.status());
    auto b = get(pair.b);
    if (!b.ok()) return Fail(b.status());
    report.AddPair(
        {(*a)->id, (*a)->text, (*b)->id, (*b)->text, &pair.passages, "", ""});
    ++pairs;
    passages += pair.passages.size();
  }
  for (size_t k = 0; k < result.clusters.size(); ++k) {
    ClusterView view{k + 1, &result.clusters[k], {}, {}};
    for (const ClusterMember& member : result.clusters[k].members) {
      auto document = get(member.document);
      if (!document.ok()) return Fail(document.status());
      view.documents.push_back(*document);
    }
    report.AddCluster(view);
  }
  RunSummary summary;
  summary.command = "scan";
  summary.documents = scanner.size();
  summary.counts = {{"candidate_pairs", result.stats.candidate_pairs},
                    {"aligned_pairs", result.stats.aligned_pairs},
                    {"pairs", pairs},
                    {"passages", passages},
                    {"clusters", result.clusters.size()}};
  summary.input = input_stats;
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
                 summary.documents, pairs, pairs == 1 ? "" : "s", passages,
                 passages == 1 ? "" : "s", report.pairs_shown(),
                 report.pairs_added(),
                 report.pairs_shown() < report.pairs_added()
                     ? " (capped by --html-max-pairs; those whose better-"
                       "covered document is covered most)"
                     : "",
                 summary.seconds);
  }
  if (!state.flags.quiet) std::fputs(report.ClusterNotice().c_str(), stderr);
  PrintInputSummary(input_stats, state.flags.quiet);
  return pairs == 0 && result.clusters.empty() ? kExitNotFound : kExitFound;
}

int RunScan(const ScanFlags& state) {
  const auto start = std::chrono::steady_clock::now();
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
  if (state.flags.format == "html") {
    return WriteScanHtml(state, **scanner, *result, input_stats, start,
                         &output);
  }
  Format format;
  ParseFormat(state.flags.format, &format);
  ResultWriter writer(output.file(), format,
                      output.is_stdout() && UseColor(stdout));
  writer.Begin();
  const Scanner& stored = **scanner;
  size_t pairs = 0;
  size_t passages = 0;
  for (const DocumentPair& pair : result->pairs) {
    auto a = ReadDocument(stored, pair.a);
    if (!a.ok()) return Fail(a.status());
    auto b = ReadDocument(stored, pair.b);
    if (!b.ok()) return Fail(b.status());
    writer.WritePair({a->id, a->text, b->id, b->text, &pair.passages,
                      origins[pair.a], origins[pair.b]});
    ++pairs;
    passages += pair.passages.size();
  }
  RunSummary summary;
  summary.command = "scan";
  summary.documents = (*scanner)->size();
  size_t clusters = 0;
  size_t cluster_members = 0;
  std::vector<Document> members;
  for (const ReuseCluster& cluster : result->clusters) {
    ClusterView view{++clusters, &cluster, {}, {}};
    members.clear();
    members.reserve(cluster.members.size());
    for (const ClusterMember& member : cluster.members) {
      auto document = ReadDocument(stored, member.document);
      if (!document.ok()) return Fail(document.status());
      members.push_back(*std::move(document));
      view.sources.push_back(origins[member.document]);
    }
    for (const Document& member : members) view.documents.push_back(&member);
    writer.WriteCluster(view);
    cluster_members += cluster.members.size();
  }
  for (const BoilerplateText& found : result->boilerplate) {
    auto text = stored.text(found.document);
    if (!text.ok()) return Fail(text.status());
    writer.WriteBoilerplate(
        std::string_view(*text).substr(found.span.begin,
                                       found.span.end - found.span.begin),
        found.documents, found.user_phrase);
  }
  summary.counts = {{"candidate_pairs", result->stats.candidate_pairs},
                    {"aligned_pairs", result->stats.aligned_pairs},
                    {"pairs", pairs},
                    {"passages", passages},
                    {"clusters", clusters},
                    {"cluster_members", cluster_members},
                    {"boilerplate_texts", result->stats.boilerplate_texts},
                    {"boilerplate_tokens", result->stats.boilerplate_tokens},
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
    if (clusters > 0) {
      std::fprintf(stderr,
                   "neardup: %zu cluster%s of passages shared by 3 or more "
                   "documents (%zu members)\n",
                   clusters, clusters == 1 ? "" : "s", cluster_members);
    }
  }
  if (result->stats.capped_pairs > 0) {
    std::fprintf(stderr,
                 "neardup: warning: %zu groups of more than %d documents "
                 "share a window; each was aligned only with its first "
                 "member, so %zu document pairs were not compared\n",
                 result->stats.candidate_groups, state.windows.max_bucket,
                 result->stats.capped_pairs);
  }
  if (!state.flags.quiet && result->stats.boilerplate_texts > 0) {
    std::fprintf(stderr,
                 "neardup: %zu distinct text%s (%zu words in all) treated as "
                 "boilerplate: matches there do not count toward "
                 "--min-tokens%s\n",
                 result->stats.boilerplate_texts,
                 result->stats.boilerplate_texts == 1 ? "" : "s",
                 result->stats.boilerplate_tokens,
                 format == Format::kJsonl
                     ? " (see the boilerplate records)"
                     : "; --format jsonl lists them, --no-boilerplate "
                       "turns the rule off");
  }
  PrintInputSummary(input_stats, state.flags.quiet);
  return pairs == 0 && clusters == 0 ? kExitNotFound : kExitFound;
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
