// neardup: find duplicate and near-duplicate text and the passages it shares.
// This file only parses the command line and dispatches to a subcommand.
#include <algorithm>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "commands.h"
#include "interrupt.h"

#ifndef NEARDUP_VERSION
#define NEARDUP_VERSION "unknown"
#endif

namespace {

// Levenshtein distance, for "did you mean" suggestions.
size_t EditDistance(std::string_view x, std::string_view y) {
  std::vector<size_t> row(y.size() + 1);
  for (size_t j = 0; j <= y.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= x.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= y.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (x[i - 1] == y[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[y.size()];
}

// The known name closest to `name`, if it is close enough to be a typo.
std::string Suggest(std::string_view name,
                    const std::vector<std::string>& known) {
  std::string best;
  size_t best_distance = 3;
  for (const std::string& candidate : known) {
    const size_t distance = EditDistance(name, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

int Run(int argc, char** argv) {
  using namespace neardup::cli;
  CLI::App app{
      "neardup finds duplicate and near-duplicate text and shows exactly "
      "which passages are shared.",
      "neardup"};
  app.set_version_flag("--version", "neardup " NEARDUP_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Exit status: 0 when something shared was found, 1 when nothing was, 2 "
      "on error.\nRun `neardup SUBCOMMAND --help` for a subcommand's flags.");
  const std::vector<RunFunction> commands = {
      InstallCompare(&app), InstallScan(&app), InstallDedup(&app),
      InstallContamination(&app)};
  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string> names;
    for (const CLI::App* command : app.get_subcommands({})) {
      names.push_back(command->get_name());
    }
    if (std::find(names.begin(), names.end(), argv[1]) == names.end()) {
      const std::string suggestion = Suggest(argv[1], names);
      std::string known;
      for (const std::string& name : names) known += " " + name;
      std::fprintf(
          stderr, "neardup: unknown command '%s'%s (commands:%s)\n", argv[1],
          suggestion.empty() ? ""
                             : (", did you mean '" + suggestion + "'?").c_str(),
          known.c_str());
      return kExitError;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ExtrasError& e) {
    // An unknown flag: name the closest one the command has.
    const CLI::App* command = &app;
    for (const CLI::App* sub : app.get_subcommands()) command = sub;
    std::vector<std::string> flags;
    for (const CLI::Option* option : command->get_options()) {
      for (const std::string& name : option->get_lnames()) {
        flags.push_back("--" + name);
      }
    }
    std::string message = e.what();
    const size_t colon = message.rfind(": ");
    const std::string unknown =
        colon == std::string::npos ? "" : message.substr(colon + 2);
    std::string suggestion;
    for (const absl::string_view word : absl::StrSplit(unknown, ' ')) {
      if (!absl::StartsWith(word, "-")) continue;
      suggestion = Suggest(std::string(word.substr(0, word.find('='))), flags);
      break;
    }
    if (!suggestion.empty()) {
      message += ", did you mean " + suggestion + "?";
    }
    std::fprintf(
        stderr, "neardup: %s\nRun `neardup %s --help` for its flags.\n",
        message.c_str(), command == &app ? "" : command->get_name().c_str());
    return kExitError;
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);
    return status == 0 ? 0 : kExitError;
  }
  InstallInterruptHandlers();
  for (const RunFunction& run : commands) {
    const int status = run();
    if (status >= 0) return status;
  }
  return kExitError;
}

}  // namespace

int main(int argc, char** argv) {
  // The library reports errors as values, but allocation and the standard
  // library can still throw: exit with the error status and a message
  // rather than through std::terminate.
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "neardup: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "neardup: unknown exception\n");
  }
  return neardup::cli::kExitError;
}
