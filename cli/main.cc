// neardup: find duplicate and near-duplicate text and the passages it shares.
// This file only parses the command line and dispatches to a subcommand.
#include <algorithm>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "commands.h"
#include "interrupt.h"
#include "neardup/version.h"

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

// The command table, as ninja's ChooseTool: adding a subcommand is one line
// here (and its Install function in its own file).
struct Command {
  const char* name;
  neardup::cli::RunFunction (*install)(CLI::App* app);
};
constexpr Command kCommands[] = {
    {"compare", neardup::cli::InstallCompare},
    {"scan", neardup::cli::InstallScan},
    {"dedup", neardup::cli::InstallDedup},
    {"contamination", neardup::cli::InstallContamination},
    {"index", neardup::cli::InstallIndex},
};

// The long and short flag names `command` knows, with their dashes.
std::vector<std::string> FlagNames(const CLI::App* command) {
  std::vector<std::string> flags = {"--help", "-h"};
  for (const CLI::Option* option : command->get_options()) {
    for (const std::string& name : option->get_lnames()) {
      flags.push_back("--" + name);
    }
    for (const std::string& name : option->get_snames()) {
      flags.push_back("-" + name);
    }
  }
  // A command with its own subcommands (index add, ...): theirs too.
  for (const CLI::App* sub : command->get_subcommands({})) {
    for (std::string& name : FlagNames(sub)) flags.push_back(std::move(name));
  }
  return flags;
}

// The first argument after the subcommand that looks like a flag the
// subcommand does not have ("--treshold", "--min-token=5"), reported with
// the closest known flag. Checked before parsing, so that a typo is named
// before CLI11 would complain that a required flag is missing.
std::string UnknownFlag(const CLI::App* command, int argc, char** argv) {
  const std::vector<std::string> known = FlagNames(command);
  for (int i = 2; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") break;
    if (!arg.starts_with("--") || arg.size() == 2) continue;
    const std::string name(arg.substr(0, arg.find('=')));
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    std::string message = "unknown flag " + name;
    const std::string suggestion = Suggest(name, known);
    if (!suggestion.empty()) message += ", did you mean " + suggestion + "?";
    return message;
  }
  return "";
}

// "COMMAND --flag: ..." for the first flag or path given as an empty
// string (mostly a shell variable that was not set: --index "$IDX"), or "".
// No flag takes an empty value: an empty --clusters would fail only after
// the work, an empty --index would quietly de-duplicate without history.
std::string EmptyValue(const CLI::App& app) {
  std::vector<const CLI::App*> commands = {&app};
  for (size_t i = 0; i < commands.size(); ++i) {
    for (const CLI::App* sub : commands[i]->get_subcommands()) {
      commands.push_back(sub);
    }
  }
  const CLI::App* command = commands.back();
  for (const CLI::Option* option : command->get_options()) {
    if (option->count() == 0) continue;
    for (const std::string& value : option->results()) {
      if (!value.empty()) continue;
      const std::string name = option->get_positional()
                                   ? option->get_name(true, false)
                                   : option->get_name();
      return absl::StrCat(
          commands.size() > 2 ? commands[commands.size() - 2]->get_name() + " "
                              : "",
          command->get_name(), " ", name,
          ": empty value (is a shell variable unset?) — give a ",
          option->get_positional() ? "path" : "value");
    }
  }
  return "";
}

// A parse error as the one line every message is: "neardup: ...", with a
// required argument's description, and where to look next.
void PrintParseError(const CLI::App& app, const CLI::ParseError& e) {
  const CLI::App* command = &app;
  for (const CLI::App* sub : app.get_subcommands()) command = sub;
  std::string message = e.what();
  if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr) {
    for (const CLI::Option* option : command->get_options()) {
      if (!option->get_required() || option->count() > 0) continue;
      message = "missing " + option->get_name() + " (" +
                option->get_description() + ")";
      break;
    }
  }
  const std::string name = command == &app ? "" : command->get_name() + " ";
  std::fprintf(stderr, "neardup: %s%s\nRun `neardup %s--help` for %s.\n",
               name.c_str(), message.c_str(), name.c_str(),
               command == &app ? "the commands" : "its flags");
}

int Run(int argc, char** argv) {
  using namespace neardup::cli;
  CLI::App app{
      "neardup finds duplicate and near-duplicate text and shows exactly "
      "which passages are shared.",
      "neardup"};
  app.set_version_flag("--version",
                       "neardup " + std::string(neardup::Version()));
  app.require_subcommand(1);
  app.footer(
      "Exit status: compare and scan: 0 when something shared was found, 1 "
      "when nothing was; contamination: 0 when some item is partly or wholly "
      "found, 1 when all are clean; dedup: 0 when its outputs are written; "
      "every command: 2 on error, 130 when interrupted.\n"
      "Run `neardup SUBCOMMAND --help` for a subcommand's flags.");
  std::vector<RunFunction> runs;
  std::vector<std::string> names;
  for (const Command& command : kCommands) {
    runs.push_back(command.install(&app));
    names.push_back(command.name);
  }
  if (argc > 1 && argv[1][0] != '-') {
    const auto it = std::find(names.begin(), names.end(), argv[1]);
    if (it == names.end()) {
      const std::string suggestion = Suggest(argv[1], names);
      std::fprintf(
          stderr, "neardup: unknown command '%s'%s (commands: %s)\n", argv[1],
          suggestion.empty() ? ""
                             : (", did you mean '" + suggestion + "'?").c_str(),
          absl::StrJoin(names, ", ").c_str());
      return kExitError;
    }
    const CLI::App* command = app.get_subcommand(*it);
    if (const std::string unknown = UnknownFlag(command, argc, argv);
        !unknown.empty()) {
      std::fprintf(stderr,
                   "neardup: %s %s\nRun `neardup %s --help` for its flags.\n",
                   argv[1], unknown.c_str(), argv[1]);
      return kExitError;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" that exit 0.
    if (e.get_exit_code() == 0) return app.exit(e);
    PrintParseError(app, e);
    return kExitError;
  }
  if (const std::string empty = EmptyValue(app); !empty.empty()) {
    std::fprintf(stderr, "neardup: %s\n", empty.c_str());
    return kExitError;
  }
  InstallInterruptHandlers();
  for (size_t i = 0; i < names.size(); ++i) {
    if (!app.got_subcommand(names[i])) continue;
    const int status = runs[i]();
    // Ctrl-C said "stopping", but came when only finishing was left (e.g.
    // dedup --index committing its batch): the run is complete.
    if ((status == kExitFound || status == kExitNotFound) && Interrupted()) {
      std::fprintf(stderr,
                   "neardup: the interrupt came too late to stop the run: it "
                   "finished, and what it wrote is complete\n");
    }
    return status;
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
