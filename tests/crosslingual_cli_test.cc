// `neardup compare --cross-lingual` as a user runs it.
#include <filesystem>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "test_util.h"

namespace neardup {
namespace {

using ::neardup::testing::RunCommand;
using ::neardup::testing::SeedPath;
using ::neardup::testing::SourcePath;

std::string Cli(const std::string& arguments) {
  return std::string(NEARDUP_CLI) + " " + arguments;
}

bool HaveLexicon() {
  return std::filesystem::exists("/usr/share/dictd/freedict-ara-eng.index") &&
         std::filesystem::exists("/usr/share/dictd/freedict-eng-ara.index");
}

const std::string kEnglish = SourcePath("tests/data/crosslingual/000_en.txt");

TEST(CrossLingualCliTest, FindsTheTranslationAsJsonl) {
  if (!HaveLexicon()) {
    GTEST_SKIP() << "dict-freedict-ara-eng/eng-ara not installed in "
                    "/usr/share/dictd (scripts/setup.sh installs them)";
  }
  std::string out;
  ASSERT_EQ(RunCommand(Cli("compare --cross-lingual --format jsonl " +
                           kEnglish + " " + SeedPath("000")),
                       &out),
            0);
  EXPECT_TRUE(absl::StrContains(out, "\"type\":\"passage\"")) << out;
  // Either order; an unrelated English text finds nothing (exit 1).
  ASSERT_EQ(RunCommand(Cli("compare --cross-lingual " + SeedPath("000") + " " +
                           kEnglish),
                       &out),
            0);
  EXPECT_TRUE(absl::StrContains(out, "1 shared passage")) << out;
  EXPECT_EQ(
      RunCommand(Cli("compare --cross-lingual " +
                     SourcePath("tests/data/crosslingual/unrelated_en.txt") +
                     " " + SeedPath("000")),
                 &out),
      1);
}

TEST(CrossLingualCliTest, MissingLexiconSaysWhatToInstall) {
  std::string out;
  EXPECT_EQ(RunCommand(Cli("compare --cross-lingual --lexicon /nonexistent " +
                           kEnglish + " " + SeedPath("000") + " 2>&1"),
                       &out),
            2);
  EXPECT_TRUE(absl::StrContains(out, "dict-freedict-ara-eng")) << out;
  EXPECT_TRUE(absl::StrContains(out, "--lexicon")) << out;
}

TEST(CrossLingualCliTest, SameLanguageRunIsUnchanged) {
  // Two Arabic seeds: --cross-lingual says so and compares them as usual.
  std::string plain, cross, note;
  const std::string pair = SeedPath("000") + " " + SeedPath("001");
  const int plain_status =
      RunCommand(Cli("compare --format tsv " + pair), &plain);
  EXPECT_EQ(plain_status, 0);
  EXPECT_EQ(
      RunCommand(Cli("compare --format tsv --cross-lingual " + pair), &cross),
      plain_status);
  EXPECT_EQ(cross, plain);
  RunCommand(Cli("compare --cross-lingual " + pair + " 2>&1 >/dev/null"),
             &note);
  EXPECT_TRUE(absl::StrContains(note, "within one language")) << note;
}

}  // namespace
}  // namespace neardup
