// The subcommands of `neardup` and what they share. Each subcommand lives in
// its own file and registers itself through an Install function.
#ifndef NEARDUP_CLI_COMMANDS_H_
#define NEARDUP_CLI_COMMANDS_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "atomic_file.h"
#include "neardup/input.h"
#include "neardup/neardup.h"
#include "output.h"
#include "progress.h"

namespace neardup::cli {

// Exit statuses, as ripgrep's: something found, nothing found, error.
inline constexpr int kExitFound = 0;
inline constexpr int kExitNotFound = 1;
inline constexpr int kExitError = 2;

// Registers a subcommand and its flags on `app`; the returned function runs
// it once the command line has been parsed (and this subcommand chosen), and
// returns the exit status. main.cc lists them in its command table.
using RunFunction = std::function<int()>;
RunFunction InstallCompare(CLI::App* app);
RunFunction InstallContamination(CLI::App* app);
RunFunction InstallDedup(CLI::App* app);
RunFunction InstallIndex(CLI::App* app);
RunFunction InstallScan(CLI::App* app);

// A check for a floating-point flag: a finite number in [min, max] (NaN and
// infinities are refused), the range named in the message. With
// `zero_too`, 0 is also allowed (a flag whose 0 means "automatic").
CLI::Validator Within(double min, double max, bool zero_too = false);

// Flags every command that reads and compares text has.
struct CommonFlags {
  AnalyzeOptions analyze;
  AlignOptions align;
  InputOptions input;
  std::string format = "text";
  // Where results go; empty or "-": standard output.
  std::string output;
  bool quiet = false;
};
void AddCommonFlags(CLI::App* command, CommonFlags* flags);

// The flags of every command that reads documents: JSONL fields, matching
// variants, UTF-8 strictness, bad records.
void AddInputFlags(CLI::App* command, InputOptions* input,
                   AnalyzeOptions* analyze);

// Opens a reader over `paths` and refuses (before reading anything) any of
// `outputs` that is one of its files.
absl::StatusOr<std::unique_ptr<InputReader>> OpenInput(
    const std::vector<std::string>& paths, const InputOptions& options,
    const std::vector<OutputPath>& outputs);

// Reads every document of `paths`, printing the reader's warnings on stderr
// (unless quiet) and its progress on `progress` (if given). Errors name the
// file and line; a Ctrl-C (see interrupt.h) is absl::CancelledError. If
// `stats` is not null, it receives the reader's counts; if `origins` is not
// null, it receives each document's origin ("path:line" or the path), in
// order. flags.output naming one of the input files is an error before
// anything is read.
absl::StatusOr<std::vector<Document>> ReadDocuments(
    const std::vector<std::string>& paths, const CommonFlags& flags,
    ProgressLine* progress = nullptr, InputStats* stats = nullptr,
    std::vector<std::string>* origins = nullptr);

// Reads every document of an opened reader, as the above.
absl::StatusOr<std::vector<Document>> ReadDocuments(
    InputReader* reader, bool quiet, ProgressLine* progress = nullptr,
    std::vector<std::string>* origins = nullptr);

// Unless quiet, prints each warning on stderr as "neardup: warning: origin:
// message", first erasing the progress line (if given).
void PrintWarnings(const std::vector<InputWarning>& warnings, bool quiet,
                   ProgressLine* progress = nullptr);

// Unless quiet, prints on stderr how many files and bad JSONL lines the
// reader skipped, how many records repeated an id (and `repeated_ids_fate`:
// what became of them) and how many documents held invalid UTF-8; nothing
// if none.
void PrintInputSummary(const InputStats& stats, bool quiet,
                       std::string_view repeated_ids_fate =
                           "they are told apart by their source (path:line)");

// The library's message with the InputOptions fields it names turned into
// this program's flags ("set InputOptions::skip_bad" -> "pass --skip-bad").
std::string ForCli(std::string_view message);

// `message` with each occurrence of each pair's first string replaced by
// its second (ForCli's table, or another command's: the benchmark's flags).
std::string RenameOptions(
    std::string message,
    absl::Span<const std::pair<std::string_view, std::string_view>> names);

// Prints "neardup: <message>" on stderr (ForCli, then DisplayText) and
// returns kExitError; for a cancelled status, or any error after a Ctrl-C,
// returns InterruptedExit().
int Fail(const std::string& message);
int Fail(const absl::Status& status);

// True when `stream` is a terminal, NO_COLOR is unset and TERM is not
// "dumb".
bool UseColor(FILE* stream);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_COMMANDS_H_
