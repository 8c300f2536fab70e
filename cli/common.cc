#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "commands.h"
#include "interrupt.h"

namespace neardup::cli {

void AddCommonFlags(CLI::App* command, CommonFlags* flags) {
  command
      ->add_option("--format", flags->format,
                   "Output: text (for people), jsonl (one JSON object per "
                   "line), tsv (one passage per line), html (a page showing "
                   "the documents side by side)")
      ->check(CLI::IsMember({"text", "jsonl", "tsv", "html"}))
      ->capture_default_str();
  command
      ->add_option("--min-tokens", flags->align.min_tokens,
                   "Shortest passage reported: words matched in order on both "
                   "sides. Lower it (e.g. 8) to see stock phrases")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  command
      ->add_option("--min-score", flags->align.min_score,
                   "Lowest passage score reported, in [0,1]")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  command
      ->add_option("--max-gap", flags->align.max_gap,
                   "Most tokens between two matched words of one passage")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  command->add_option("-o,--output", flags->output,
                      "Write the results to this file (whole or not at all: "
                      "through a temporary file renamed at the end) instead "
                      "of standard output");
  AddInputFlags(command, &flags->input, &flags->analyze);
  command->add_flag("-q,--quiet", flags->quiet,
                    "No warnings, progress or summary on stderr");
}

void AddInputFlags(CLI::App* command, InputOptions* input,
                   AnalyzeOptions* analyze) {
  command
      ->add_option("--text-field", input->text_field,
                   "JSONL field holding the text")
      ->capture_default_str();
  command
      ->add_option("--id-field", input->id_field,
                   "JSONL field holding the document id")
      ->capture_default_str();
  command->add_flag("--exact-variants{false}", analyze->match_variants,
                    "Do not strip Arabic proclitics or collapse repeated "
                    "letters when matching words");
  command->add_flag("--strict", input->strict_utf8,
                    "Treat invalid UTF-8 as an error instead of a warning");
  command->add_flag("--skip-bad", input->skip_bad,
                    "Skip malformed JSONL records with a warning instead of "
                    "stopping");
}

absl::StatusOr<std::vector<Document>> ReadDocuments(
    const std::vector<std::string>& paths, const CommonFlags& flags,
    ProgressLine* progress, InputStats* stats) {
  auto reader = InputReader::Open(paths, flags.input);
  if (!reader.ok()) return reader.status();
  std::vector<Document> documents;
  InputRecord record;
  for (;;) {
    absl::StatusOr<bool> more = (*reader)->Next(&record);
    PrintWarnings((*reader)->TakeWarnings(), flags.quiet, progress);
    if (!more.ok()) return more.status();
    if (!*more) break;
    documents.push_back({std::move(record.id), std::move(record.text)});
    if (Interrupted()) return absl::CancelledError("interrupted");
    if (progress != nullptr) {
      progress->Reading(documents.size(), (*reader)->stats());
    }
  }
  if (stats != nullptr) *stats = (*reader)->stats();
  return documents;
}

void PrintWarnings(const std::vector<InputWarning>& warnings, bool quiet,
                   ProgressLine* progress) {
  if (quiet) return;
  for (const InputWarning& warning : warnings) {
    if (progress != nullptr) progress->Clear();
    std::fprintf(stderr, "neardup: warning: %s: %s\n", warning.origin.c_str(),
                 warning.message.c_str());
  }
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "neardup: %s\n", message.c_str());
  return kExitError;
}

int Fail(const absl::Status& status) {
  // After a Ctrl-C, a failed read (EINTR) is the interruption, not an error.
  if (absl::IsCancelled(status) || Interrupted()) return InterruptedExit();
  return Fail(std::string(status.message()));
}

bool UseColor(FILE* stream) {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  return isatty(fileno(stream)) == 1;
}

}  // namespace neardup::cli
