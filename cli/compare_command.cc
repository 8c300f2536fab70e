// neardup compare A B: the passages two documents share.
#include <chrono>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "atomic_file.h"
#include "commands.h"
#include "crosslingual_flags.h"
#include "html/html_report.h"
#include "interrupt.h"

namespace neardup::cli {
namespace {

struct CompareFlags {
  CommonFlags flags;
  std::string a, b;
  CrossLingualFlags cross;
};

// Reads the one document of each path, and where each was read into
// *origins. Both readers are opened (and the output checked against both
// inputs) before anything is read.
absl::StatusOr<std::vector<Document>> ReadTwo(
    const CompareFlags& state, InputStats* stats,
    std::vector<std::string>* origins) {
  const std::vector<OutputPath> outputs = {{"--output", state.flags.output}};
  // Standard input can be read once: the second "-" would read nothing.
  if (state.a == "-" && state.b == "-") {
    return absl::InvalidArgumentError(
        "standard input (-) is named twice; it can be read once: give the "
        "other document as a file");
  }
  std::unique_ptr<InputReader> readers[2];
  const std::string* paths[2] = {&state.a, &state.b};
  for (int i = 0; i < 2; ++i) {
    auto reader = OpenInput({*paths[i]}, state.flags.input, outputs);
    if (!reader.ok()) return reader.status();
    readers[i] = *std::move(reader);
  }
  std::vector<Document> documents;
  for (int i = 0; i < 2; ++i) {
    auto read =
        ReadDocuments(readers[i].get(), state.flags.quiet, nullptr, origins);
    if (!read.ok()) return read.status();
    if (read->size() != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat(*paths[i], ": compare takes two documents, this holds ",
                       read->size(), "; use `neardup scan` for collections"));
    }
    documents.push_back(std::move(read->front()));
    const InputStats& s = readers[i]->stats();
    stats->skipped_bad += s.skipped_bad;
    stats->invalid_utf8 += s.invalid_utf8;
    stats->repeated_files += s.repeated_files;
  }
  return documents;
}

int RunCompare(const CompareFlags& state) {
  const auto start = std::chrono::steady_clock::now();
  OutputFile output(state.flags.output);
  if (absl::Status status = output.CheckWritable(); !status.ok()) {
    return Fail(status);
  }
  if (state.cross.enabled) {
    if (absl::Status s = CheckNotAnInput({"--output", state.flags.output},
                                         "--lexicon", state.cross.lexicon);
        !s.ok()) {
      return Fail(s);
    }
  }
  RunSummary summary;
  summary.command = "compare";
  std::vector<std::string> origins;
  auto documents = ReadTwo(state, &summary.input, &origins);
  if (!documents.ok()) return Fail(documents.status());
  CompareOptions options;
  options.analyze = state.flags.analyze;
  options.align = state.flags.align;
  const Document& a = (*documents)[0];
  const Document& b = (*documents)[1];
  auto passages = CompareMaybeCrossLingual(state.cross, options,
                                           state.flags.quiet, a.text, b.text);
  if (!passages.ok()) return Fail(passages.status());
  if (Interrupted()) return InterruptedExit();
  if (absl::Status status = output.Open(); !status.ok()) return Fail(status);
  if (state.flags.format == "html") {
    HtmlReport report(
        {.scan = false,
         .max_pairs = 0,
         .command = "neardup compare " + state.a + " " + state.b});
    report.AddPair({a.id, a.text, b.id, b.text, &*passages, "", ""});
    report.Write(output.file(), {});
    if (absl::Status status = output.Finish(); !status.ok()) {
      return Fail(status);
    }
    PrintInputSummary(summary.input, state.flags.quiet);
    return passages->empty() ? kExitNotFound : kExitFound;
  }
  Format format;
  ParseFormat(state.flags.format, &format);
  ResultWriter writer(output.file(), format,
                      output.is_stdout() && UseColor(stdout));
  writer.Begin();
  if (!passages->empty() || format == Format::kJsonl) {
    writer.WritePair(
        {a.id, a.text, b.id, b.text, &*passages, origins[0], origins[1]});
  }
  summary.documents = 2;
  summary.counts = {{"pairs", passages->empty() ? 0u : 1u},
                    {"passages", passages->size()}};
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  writer.End(summary);
  if (absl::Status status = output.Finish(); !status.ok()) {
    return Fail(status);
  }
  if (passages->empty() && format == Format::kText && !state.flags.quiet) {
    std::fprintf(stderr,
                 "neardup: no shared passage of %d or more words (see "
                 "--min-tokens)\n",
                 options.align.min_tokens);
  }
  PrintInputSummary(summary.input, state.flags.quiet);
  return passages->empty() ? kExitNotFound : kExitFound;
}

}  // namespace

RunFunction InstallCompare(CLI::App* app) {
  auto state = std::make_shared<CompareFlags>();
  CLI::App* command = app->add_subcommand(
      "compare", "Report every passage two documents share");
  command->footer(
      "Exit status: 0 when a passage is shared, 1 when none is, 2 on error.\n"
      "Example:\n  neardup compare corpus/000_7d741dc399230ce2.txt "
      "corpus/001_1e848196968d0ba9.txt --format jsonl");
  command
      ->add_option("A", state->a,
                   "First document (a text file, a JSONL file of one record, "
                   "or -)")
      ->required();
  command
      ->add_option("B", state->b,
                   "Second document (a text file, a JSONL file of one record, "
                   "or -)")
      ->required();
  AddCommonFlags(command, &state->flags);
  AddCrossLingualFlags(command, &state->cross);
  return [state] { return RunCompare(*state); };
}

}  // namespace neardup::cli
