#include "crosslingual_flags.h"

#include <cstdio>

#include "absl/strings/str_cat.h"

namespace neardup::cli {

void AddCrossLingualFlags(CLI::App* command, CrossLingualFlags* flags) {
  command->add_flag(
      "--cross-lingual", flags->enabled,
      "Find the passages one text translates from the other: one English, "
      "one Arabic, in either order (FreeDict dictionaries; --min-tokens and "
      "--min-score do not apply)");
  command
      ->add_option(
          "--lexicon", flags->lexicon,
          "Directory of the FreeDict dictd files freedict-ara-eng.* and "
          "freedict-eng-ara.* (Debian packages dict-freedict-ara-eng, "
          "dict-freedict-eng-ara)")
      ->capture_default_str();
  command
      ->add_option("--min-chain-score", flags->options.min_chain_score,
                   "With --cross-lingual: report a passage whose dictionary "
                   "matches score at least this (about one a translated "
                   "content word)")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 1e9));
}

absl::StatusOr<std::vector<Passage>> CompareMaybeCrossLingual(
    const CrossLingualFlags& flags, const CompareOptions& options, bool quiet,
    std::string_view a, std::string_view b) {
  if (!flags.enabled) return Compare(a, b, options);
  const std::string_view script_a = DominantScript(a);
  const std::string_view script_b = DominantScript(b);
  if (script_a == script_b) {
    if (!quiet) {
      std::fprintf(stderr,
                   "neardup: note: both texts are mostly %.*s: comparing "
                   "them within one language (--cross-lingual ignored)\n",
                   static_cast<int>(script_a.size()), script_a.data());
    }
    return Compare(a, b, options);
  }
  absl::StatusOr<std::unique_ptr<Lexicon>> lexicon =
      Lexicon::Load(flags.lexicon);
  if (!lexicon.ok()) {
    return absl::Status(
        lexicon.status().code(),
        absl::StrCat(lexicon.status().message(),
                     ", or point --lexicon at a directory holding them"));
  }
  return CompareCrossLingual(**lexicon, a, b, flags.options);
}

}  // namespace neardup::cli
