// compare --cross-lingual: its flags and the comparison it runs instead of
// the same-language one.
#ifndef NEARDUP_CLI_CROSSLINGUAL_FLAGS_H_
#define NEARDUP_CLI_CROSSLINGUAL_FLAGS_H_

#include <string>
#include <string_view>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "neardup/crosslingual.h"
#include "neardup/neardup.h"

namespace neardup::cli {

struct CrossLingualFlags {
  bool enabled = false;
  std::string lexicon = kDefaultLexiconDir;
  CrossLingualOptions options;
};

void AddCrossLingualFlags(CLI::App* command, CrossLingualFlags* flags);

// With --cross-lingual, the passages of `a` and `b` that translate each
// other (CompareCrossLingual); when both texts are in one script, says so on
// stderr (unless quiet) and runs the same-language Compare. Without the
// flag, Compare. Errors (an unreadable lexicon) name what to install.
absl::StatusOr<std::vector<Passage>> CompareMaybeCrossLingual(
    const CrossLingualFlags& flags, const CompareOptions& options, bool quiet,
    std::string_view a, std::string_view b);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_CROSSLINGUAL_FLAGS_H_
