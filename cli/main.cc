// neardup: find duplicate and near-duplicate text and the passages it shares.
// This file only parses the command line and dispatches to a subcommand.
#include <cstdio>
#include <exception>
#include <vector>

#include "commands.h"

#ifndef NEARDUP_VERSION
#define NEARDUP_VERSION "unknown"
#endif

namespace {

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
  const std::vector<RunFunction> commands = {InstallCompare(&app),
                                             InstallScan(&app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);
    return status == 0 ? 0 : kExitError;
  }
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
