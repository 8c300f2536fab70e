#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
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
      ->check(Within(0.0, 1.0))
      ->capture_default_str();
  command
      ->add_option("--short-text-share", flags->align.short_text_share,
                   "A passage with fewer than --min-tokens words still counts "
                   "when it covers this share of a short text (under twice "
                   "--min-tokens words); above 1 turns this off")
      ->check(Within(0.0, 2.0))
      ->capture_default_str();
  command
      ->add_option("--short-text-min-tokens",
                   flags->align.short_text_min_tokens,
                   "Fewest words matched in such a passage")
      ->check(CLI::Range(1, 1000000))
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
      ->add_option_function<std::string>(
          "--input-format",
          [input](const std::string& name) {
            input->format = name == "text"    ? InputFormat::kText
                            : name == "jsonl" ? InputFormat::kJsonl
                                              : InputFormat::kAuto;
          },
          "auto: .jsonl/.ndjson/.json names, and other files or standard "
          "input whose first line is a JSON object, are JSON Lines, the rest "
          "text; text: every input is one document; jsonl: every input is "
          "JSON Lines")
      ->check(CLI::IsMember({"auto", "text", "jsonl"}))
      ->default_str("auto");
  command
      ->add_option("--text-field", input->text_field,
                   "JSONL field holding the text")
      ->capture_default_str();
  command
      ->add_option("--id-field", input->id_field,
                   "JSONL field holding the document id; if given, a record "
                   "without it is an error (or skipped with --skip-bad); if "
                   "not, such a record's id is path:line")
      ->capture_default_str()
      ->each([input](const std::string&) { input->id_required = true; });
  command->add_flag_callback(
      "--exact-variants", [analyze] { analyze->match_variants = false; },
      "Do not strip Arabic proclitics or collapse repeated letters when "
      "matching words");
  command->add_flag("--strict", input->strict_utf8,
                    "Treat invalid UTF-8 as an error instead of a warning");
  command->add_flag("--skip-bad", input->skip_bad,
                    "Skip malformed JSONL records with a warning instead of "
                    "stopping");
}

CLI::Validator Within(double min, double max, bool zero_too) {
  const std::string range =
      absl::StrCat(zero_too ? "0 or " : "", "[", min, ", ", max, "]");
  return CLI::Validator(
      [min, max, zero_too, range](std::string& text) -> std::string {
        double value = 0;
        if (!absl::SimpleAtod(text, &value) || !std::isfinite(value) ||
            !((value >= min && value <= max) || (zero_too && value == 0))) {
          return absl::StrCat(text, " is not a number in ", range);
        }
        return std::string();
      },
      "NUMBER in " + range);
}

absl::StatusOr<std::unique_ptr<InputReader>> OpenInput(
    const std::vector<std::string>& paths, const InputOptions& options,
    const std::vector<OutputPath>& outputs) {
  auto reader = InputReader::Open(paths, options);
  if (!reader.ok()) return reader.status();
  for (const OutputPath& output : outputs) {
    if (absl::Status s = CheckNotAnInput(output, **reader); !s.ok()) return s;
  }
  return reader;
}

absl::StatusOr<std::vector<Document>> ReadDocuments(
    const std::vector<std::string>& paths, const CommonFlags& flags,
    ProgressLine* progress, InputStats* stats,
    std::vector<std::string>* origins) {
  auto reader = OpenInput(paths, flags.input, {{"--output", flags.output}});
  if (!reader.ok()) return reader.status();
  auto documents = ReadDocuments(reader->get(), flags.quiet, progress, origins);
  if (stats != nullptr) *stats = (*reader)->stats();
  return documents;
}

absl::StatusOr<std::vector<Document>> ReadDocuments(
    InputReader* reader, bool quiet, ProgressLine* progress,
    std::vector<std::string>* origins) {
  std::vector<Document> documents;
  InputRecord record;
  for (;;) {
    absl::StatusOr<bool> more = reader->Next(&record);
    PrintWarnings(reader->TakeWarnings(), quiet, progress);
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (origins != nullptr) origins->push_back(std::move(record.origin));
    documents.push_back({std::move(record.id), std::move(record.text)});
    if (Interrupted()) return absl::CancelledError("interrupted");
    if (progress != nullptr)
      progress->Reading(documents.size(), reader->stats());
  }
  return documents;
}

void PrintWarnings(const std::vector<InputWarning>& warnings, bool quiet,
                   ProgressLine* progress) {
  if (quiet) return;
  for (const InputWarning& warning : warnings) {
    if (progress != nullptr) progress->Clear();
    std::fprintf(stderr, "neardup: warning: %s: %s\n",
                 DisplayText(warning.origin).c_str(),
                 DisplayText(ForCli(warning.message)).c_str());
  }
}

std::string ForCli(std::string_view message) {
  static constexpr std::pair<std::string_view, std::string_view> kFlags[] = {
      {"set InputOptions::skip_bad", "pass --skip-bad"},
      {"set InputOptions::text_field", "use --text-field"},
      {"set InputOptions::id_field", "use --id-field"},
      {"set InputOptions::format to kText", "use --input-format text"},
      {"clear InputOptions::strict_utf8", "run without --strict"},
  };
  return RenameOptions(std::string(message), kFlags);
}

std::string RenameOptions(
    std::string message,
    absl::Span<const std::pair<std::string_view, std::string_view>> names) {
  for (const auto& [field, flag] : names) {
    for (size_t at = message.find(field); at != std::string::npos;
         at = message.find(field, at + flag.size())) {
      message.replace(at, field.size(), flag);
    }
  }
  return message;
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "neardup: %s\n", DisplayText(ForCli(message)).c_str());
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
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string_view(term) == "dumb") return false;
  return isatty(fileno(stream)) == 1;
}

}  // namespace neardup::cli
