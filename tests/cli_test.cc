// The `neardup` program as a user runs it: exit statuses, output formats,
// messages.
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "test_util.h"

namespace neardup {
namespace {

using ::neardup::testing::ReadFile;
using ::neardup::testing::RunCommand;
using ::neardup::testing::SeedPath;
using ::neardup::testing::SourcePath;

std::string Cli(const std::string& arguments) {
  return std::string(NEARDUP_CLI) + " " + arguments;
}

TEST(CliTest, CompareExitsZeroWhenSomethingIsSharedOneWhenNothing) {
  std::string out;
  EXPECT_EQ(
      RunCommand(Cli("compare " + SeedPath("000") + " " + SeedPath("001")),
                 &out),
      0);
  EXPECT_TRUE(absl::StrContains(out, "5 shared passages")) << out;
  EXPECT_EQ(
      RunCommand(Cli("compare " + SeedPath("002") + " " + SeedPath("003")),
                 &out),
      1);
  EXPECT_TRUE(out.empty()) << out;
}

TEST(CliTest, JsonlPassagesHaveTheDocumentedFields) {
  std::string out;
  ASSERT_EQ(RunCommand(Cli("compare --format jsonl " + SeedPath("000") + " " +
                           SeedPath("001")),
                       &out),
            0);
  int passages = 0;
  std::string last;
  for (absl::string_view line : absl::StrSplit(out, '\n', absl::SkipEmpty())) {
    last = std::string(line);
    if (!absl::StartsWith(line, "{\"type\":\"passage\"")) continue;
    ++passages;
    for (const char* key :
         {"\"a\":{\"id\":", "\"b\":{\"id\":", "\"start\":", "\"end\":",
          "\"char_start\":", "\"char_end\":", "\"score\":"}) {
      EXPECT_TRUE(absl::StrContains(line, key))
          << key << " missing in " << line;
    }
  }
  EXPECT_EQ(passages, 5);
  EXPECT_TRUE(absl::StartsWith(last, "{\"type\":\"summary\"")) << last;
}

TEST(CliTest, ScanReportsThePairWithIdsJoinedToTheDirectory) {
  std::string out;
  ASSERT_EQ(RunCommand("cd " + SourcePath("") + " && " +
                           Cli("scan corpus/ --format tsv -q"),
                       &out),
            0);
  const std::vector<std::string> lines =
      absl::StrSplit(out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 6u) << out;  // header + 5 passages
  EXPECT_TRUE(absl::StartsWith(lines[0], "a_id\ta_start\ta_end")) << lines[0];
  EXPECT_TRUE(absl::StartsWith(lines[1], "corpus/000_7d741dc399230ce2.txt\t"))
      << lines[1];
  EXPECT_TRUE(
      absl::StrContains(lines[1], "\tcorpus/001_1e848196968d0ba9.txt\t"))
      << lines[1];
}

TEST(CliTest, TyposGetASuggestion) {
  std::string out;
  EXPECT_EQ(RunCommand(Cli("scna corpus 2>&1"), &out), 2);
  EXPECT_TRUE(absl::StrContains(out, "did you mean 'scan'")) << out;
  EXPECT_EQ(RunCommand(Cli("scan corpus --min-token 5 2>&1"), &out), 2);
  EXPECT_TRUE(absl::StrContains(out, "did you mean --min-tokens")) << out;
}

// Files in `dir` whose names start with `prefix` (outputs and their
// temporary files, which are named prefix.tmp-XXXXXX).
std::vector<std::string> FilesStartingWith(const std::string& dir,
                                           const std::string& prefix) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (absl::StartsWith(name, prefix)) names.push_back(name);
  }
  return names;
}

TEST(CliTest, OutputFileHoldsWhatStandardOutputWould) {
  const std::string out_path = ::testing::TempDir() + "/cli-scan-output.tsv";
  std::string stdout_text, ignored;
  ASSERT_EQ(RunCommand(Cli("scan " + SourcePath("corpus") + " --format tsv -q"),
                       &stdout_text),
            0);
  ASSERT_EQ(RunCommand(Cli("scan " + SourcePath("corpus") +
                           " --format tsv -q -o " + out_path),
                       &ignored),
            0);
  EXPECT_EQ(ignored, "");
  EXPECT_EQ(ReadFile(out_path), stdout_text);
  std::filesystem::remove(out_path);

  ASSERT_EQ(RunCommand(Cli("compare " + SeedPath("000") + " " +
                           SeedPath("001") + " --format tsv"),
                       &stdout_text),
            0);
  ASSERT_EQ(
      RunCommand(Cli("compare " + SeedPath("000") + " " + SeedPath("001") +
                     " --format tsv --output " + out_path),
                 &ignored),
      0);
  EXPECT_EQ(ReadFile(out_path), stdout_text);
  std::filesystem::remove(out_path);
}

TEST(CliTest, FailedRunLeavesNoOutputFile) {
  const std::string dir = ::testing::TempDir();
  const std::string name = "cli-failed-run.jsonl";
  std::string out;
  EXPECT_EQ(
      RunCommand(Cli("compare " + SeedPath("000") + " /nonexistent/b.txt -o " +
                     dir + "/" + name + " 2>&1"),
                 &out),
      2);
  EXPECT_TRUE(absl::StrContains(out, "/nonexistent/b.txt")) << out;
  EXPECT_TRUE(FilesStartingWith(dir, name).empty());
  EXPECT_EQ(
      RunCommand(Cli("scan " + SourcePath("corpus") + " /nonexistent/dir -o " +
                     dir + "/" + name + " 2>&1"),
                 &out),
      2);
  EXPECT_TRUE(FilesStartingWith(dir, name).empty());
}

TEST(CliTest, UnwritableOutputIsAnErrorBeforeAnyWork) {
  std::string out;
  EXPECT_EQ(RunCommand(Cli("scan " + SourcePath("corpus") +
                           " -o /nonexistent/dir/pairs.jsonl 2>&1"),
                       &out),
            2);
  EXPECT_TRUE(absl::StrContains(out, "/nonexistent/dir/pairs.jsonl")) << out;
  EXPECT_FALSE(absl::StrContains(out, "documents")) << out;
}

}  // namespace
}  // namespace neardup
