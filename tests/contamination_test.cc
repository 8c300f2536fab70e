// `neardup contamination` as a user runs it: benchmark and corpus files in
// every format, the report's records, bad benchmark records, exit statuses.
#include <stdlib.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "test_util.h"

namespace neardup {
namespace {

using ::neardup::testing::Lines;
using ::neardup::testing::RunCommand;
using ::neardup::testing::WriteFile;

const char kFiller[] =
    "The council met on Tuesday to discuss the budget for the coming year. "
    "Several members asked for more money for roads and schools, while others "
    "said taxes were already too high. A final vote is expected next month. ";

class ContaminationCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/contamination-XXXXXX";
    ASSERT_NE(mkdtemp(dir_.data()), nullptr) << std::strerror(errno);
    WriteFile(Path("bench.jsonl"),
              "{\"id\":\"q1\",\"question\":\"In what year did the Berlin Wall "
              "fall, reuniting East and West Germany after nearly three "
              "decades?\",\"answer\":\"1989\"}\n"
              "{\"id\":\"q2\",\"question\":\"Which scientist proposed the "
              "theory of general relativity in 1915?\",\"answer\":\"Albert "
              "Einstein, who published the field equations in Berlin that "
              "November\"}\n"
              "{\"id\":\"q3\",\"question\":\"Which of the following rivers "
              "forms much of the border between the United States and "
              "Mexico?\",\"answer\":\"The Rio Grande\"}\n");
    // q1 copied with other case and line breaks; q2's answer only; q3 not.
    WriteFile(Path("corpus.jsonl"),
              absl::StrCat("{\"id\":\"d1\",\"text\":\"", kFiller,
                           "in what year did the berlin wall fall,\\nreuniting "
                           "east and west germany after nearly three decades "
                           "1989\"}\n",
                           "{\"id\":\"d2\",\"text\":\"", kFiller,
                           "Albert Einstein, who published the field equations "
                           "in Berlin that November.\"}\n",
                           "{\"id\":\"d3\",\"text\":\"", kFiller, "\"}\n"));
  }
  void TearDown() override {
    std::string ignored;
    RunCommand("rm -rf '" + dir_ + "'", &ignored);
  }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  int Run(const std::string& arguments, std::string* out) const {
    return RunCommand(std::string(NEARDUP_CLI) + " contamination " + arguments,
                      out);
  }
  std::string Bench() const {
    return "--benchmark " + Path("bench.jsonl") +
           " --benchmark-field question --benchmark-field answer";
  }

  std::string dir_;
};

TEST_F(ContaminationCliTest, ItemRecordsInBenchmarkOrderThenSummary) {
  std::string out;
  ASSERT_EQ(
      Run(Bench() + " " + Path("corpus.jsonl") + " --format jsonl -q", &out),
      0);
  const std::vector<std::string> lines = Lines(out);
  ASSERT_EQ(lines.size(), 4u) << out;
  EXPECT_TRUE(absl::StartsWith(lines[0],
                               "{\"type\":\"item\",\"id\":\"q1\",\"status\":"
                               "\"contaminated\",\"contaminated_fraction\":1"))
      << lines[0];
  EXPECT_TRUE(absl::StrContains(lines[0], "\"doc\":\"d1\"")) << lines[0];
  EXPECT_TRUE(absl::StrContains(lines[0], "\"doc_span\":{\"start\":"))
      << lines[0];
  EXPECT_TRUE(
      absl::StrContains(lines[0], "\"fields\":[\"question\",\"answer\"]"))
      << lines[0];
  EXPECT_TRUE(absl::StartsWith(
      lines[1], "{\"type\":\"item\",\"id\":\"q2\",\"status\":\"partial\""))
      << lines[1];
  EXPECT_TRUE(absl::StrContains(lines[1], "\"fields\":[\"answer\"]"))
      << lines[1];
  EXPECT_TRUE(absl::StartsWith(
      lines[2], "{\"type\":\"item\",\"id\":\"q3\",\"status\":\"clean\","))
      << lines[2];
  EXPECT_TRUE(absl::StrContains(lines[2], "\"matches\":[]")) << lines[2];
  EXPECT_TRUE(
      absl::StartsWith(lines[3],
                       "{\"type\":\"summary\",\"command\":\"contamination\","
                       "\"documents\":3,\"items\":3,\"clean\":1,\"partial\":1,"
                       "\"contaminated\":1,"))
      << lines[3];
  EXPECT_TRUE(absl::StrContains(lines[3], "\"documents\":3,")) << lines[3];
}

TEST_F(ContaminationCliTest, CompressedAndTextCorporaGiveTheSameItems) {
  std::string out;
  ASSERT_EQ(
      Run(Bench() + " " + Path("corpus.jsonl") + " --format jsonl -q", &out),
      0);
  const std::vector<std::string> expected = Lines(out);
  std::string ignored;
  ASSERT_EQ(
      RunCommand("gzip -k " + Path("corpus.jsonl") + " && zstd -q " +
                     Path("corpus.jsonl") + " -o " + Path("corpus.jsonl.zst"),
                 &ignored),
      0);
  for (const char* name : {"corpus.jsonl.gz", "corpus.jsonl.zst"}) {
    ASSERT_EQ(Run(Bench() + " " + Path(name) + " --format jsonl -q", &out), 0);
    const std::vector<std::string> lines = Lines(out);
    ASSERT_EQ(lines.size(), expected.size()) << name;
    for (size_t i = 0; i + 1 < lines.size(); ++i) {
      EXPECT_EQ(lines[i], expected[i]) << name;
    }
  }
  // The same texts as files of a directory: ids are paths.
  ASSERT_EQ(RunCommand("mkdir " + Path("texts"), &ignored), 0);
  WriteFile(Path("texts/d1.txt"),
            absl::StrCat(kFiller,
                         "IN WHAT YEAR did the Berlin Wall fall -- reuniting "
                         "East and\nWest Germany after nearly three decades? "
                         "1989"));
  WriteFile(Path("texts/d3.txt"), kFiller);
  ASSERT_EQ(Run(Bench() + " " + Path("texts") + " --format jsonl -q", &out), 0);
  EXPECT_TRUE(absl::StrContains(
      out,
      "\"id\":\"q1\",\"status\":\"contaminated\",\"contaminated_fraction\":1"))
      << out;
  EXPECT_TRUE(absl::StrContains(out, "texts/d1.txt\"")) << out;
}

TEST_F(ContaminationCliTest, AllCleanExitsOneAndTextFormatShowsBothSides) {
  std::string out;
  WriteFile(Path("clean.jsonl"),
            absl::StrCat("{\"id\":\"d3\",\"text\":\"", kFiller, "\"}\n"));
  // Not a terminal: JSONL unless asked.
  EXPECT_EQ(Run(Bench() + " " + Path("clean.jsonl") + " -q", &out), 1);
  EXPECT_TRUE(absl::StrContains(
      out, "\"command\":\"contamination\",\"documents\":1,\"items\":3,"))
      << out;
  EXPECT_EQ(
      Run(Bench() + " " + Path("clean.jsonl") + " -q --format text", &out), 1);
  EXPECT_TRUE(absl::StrContains(out,
                                "3 items: 0 contaminated, 0 partial, 3 "
                                "clean"))
      << out;
  ASSERT_EQ(
      Run(Bench() + " " + Path("corpus.jsonl") + " --format text -q", &out), 0);
  EXPECT_TRUE(absl::StrContains(out, "q1")) << out;
  EXPECT_TRUE(absl::StrContains(out, "d1 chars")) << out;
  EXPECT_TRUE(absl::StrContains(out, "reuniting east and west germany"))
      << out;  // the document's side, newline shown as a space
}

TEST_F(ContaminationCliTest, MalformedBenchmarkRecordsNameFileAndLine) {
  WriteFile(Path("bad.jsonl"),
            "{\"id\":\"a\",\"question\":\"What is the value of x if 3x plus "
            "7 equals 22?\"}\n"
            "{not json\n"
            "{\"id\":\"c\",\"prompt\":\"no question field\"}\n");
  std::string out;
  EXPECT_EQ(
      Run("--benchmark " + Path("bad.jsonl") + " --benchmark-field question " +
              Path("corpus.jsonl") + " 2>&1",
          &out),
      2);
  EXPECT_TRUE(absl::StrContains(out, Path("bad.jsonl") + ":2")) << out;
  EXPECT_EQ(Run("--benchmark " + Path("bad.jsonl") +
                    " --benchmark-field question --skip-bad --format jsonl " +
                    Path("corpus.jsonl") + " 2>&1",
                &out),
            1);
  EXPECT_TRUE(absl::StrContains(out, Path("bad.jsonl") + ":2")) << out;
  EXPECT_TRUE(absl::StrContains(out, Path("bad.jsonl") + ":3")) << out;
  EXPECT_TRUE(absl::StrContains(out, "\"items\":1,")) << out;
  EXPECT_TRUE(absl::StrContains(out, "\"skipped_benchmark_lines\":2")) << out;
  // A record without the second field is malformed too.
  EXPECT_EQ(Run("--benchmark " + Path("bad.jsonl") +
                    " --benchmark-field question --benchmark-field answer "
                    "--skip-bad --format jsonl -q " +
                    Path("corpus.jsonl"),
                &out),
            1);
  EXPECT_TRUE(absl::StrContains(out, "\"items\":0,")) << out;
  EXPECT_TRUE(absl::StrContains(out, "\"skipped_benchmark_lines\":3")) << out;
}

// Items are reported by id: a repeated id is a malformed record, named by
// path:line with the line it repeats; with --skip-bad, skipped and counted.
// The flags a benchmark message suggests are the benchmark's.
TEST_F(ContaminationCliTest, RepeatedBenchmarkIdsAreMalformedRecords) {
  WriteFile(Path("dup.jsonl"),
            "{\"id\":\"a\",\"question\":\"first\"}\n"
            "{\"id\":\"b\",\"question\":\"second\"}\n"
            "{\"id\":\"a\",\"question\":\"third\"}\n");
  std::string out;
  EXPECT_EQ(
      Run("--benchmark " + Path("dup.jsonl") + " --benchmark-field question " +
              Path("corpus.jsonl") + " 2>&1",
          &out),
      2);
  EXPECT_TRUE(absl::StrContains(out, Path("dup.jsonl") +
                                         ":3: benchmark item "
                                         "id \"a\" repeats "
                                         "the id of " +
                                         Path("dup.jsonl") + ":1"))
      << out;
  EXPECT_EQ(Run("--benchmark " + Path("dup.jsonl") +
                    " --benchmark-field question --skip-bad --format jsonl " +
                    Path("corpus.jsonl") + " 2>&1",
                &out),
            1);
  EXPECT_TRUE(absl::StrContains(out, Path("dup.jsonl") + ":3")) << out;
  EXPECT_TRUE(absl::StrContains(out, "\"items\":2,")) << out;
  EXPECT_TRUE(absl::StrContains(out, "\"skipped_benchmark_lines\":1")) << out;
  EXPECT_FALSE(absl::StrContains(out, "told apart by their origin")) << out;

  WriteFile(Path("number.jsonl"), "{\"id\":\"a\",\"question\":5}\n");
  EXPECT_EQ(
      Run("--benchmark " + Path("number.jsonl") +
              " --benchmark-field question " + Path("corpus.jsonl") + " 2>&1",
          &out),
      2);
  EXPECT_TRUE(absl::StrContains(out, "use --benchmark-field")) << out;
  EXPECT_FALSE(absl::StrContains(out, "--text-field")) << out;
}

// Items without a word are clean, counted apart and said on stderr.
TEST_F(ContaminationCliTest, ItemsWithoutAWordAreCountedAndSaid) {
  WriteFile(Path("empty_items.jsonl"),
            "{\"id\":\"e1\",\"question\":\"\"}\n"
            "{\"id\":\"e2\",\"question\":\"\xF0\x9F\x98\x80 !!\"}\n"
            "{\"id\":\"w\",\"question\":\"a few words of text\"}\n");
  std::string out;
  EXPECT_EQ(Run("--benchmark " + Path("empty_items.jsonl") +
                    " --benchmark-field question --format jsonl " +
                    Path("corpus.jsonl") + " 2>&1",
                &out),
            1);
  EXPECT_TRUE(absl::StrContains(out, "\"clean\":3,")) << out;
  EXPECT_TRUE(absl::StrContains(out, "\"empty_items\":2,")) << out;
  EXPECT_TRUE(absl::StrContains(out, "warning: 2 items have no word")) << out;
}

// The thresholds' check speaks of the flags.
TEST_F(ContaminationCliTest, ThresholdsOutOfOrderAreNamedByTheirFlags) {
  std::string out;
  EXPECT_EQ(
      Run(Bench() + " " + Path("corpus.jsonl") + " --partial-at 0 2>&1", &out),
      2);
  EXPECT_TRUE(absl::StrContains(out, "--partial-at 0 must be above 0")) << out;
  EXPECT_EQ(Run(Bench() + " " + Path("corpus.jsonl") +
                    " --partial-at 0.9 --contaminated-at 0.5 2>&1",
                &out),
            2);
  EXPECT_TRUE(absl::StrContains(out, "at most --contaminated-at 0.5")) << out;
}

TEST_F(ContaminationCliTest, OutputNamingAnInputIsRefused) {
  const std::string before = ::neardup::testing::ReadFile(Path("corpus.jsonl"));
  std::string out;
  EXPECT_EQ(Run(Bench() + " " + Path("corpus.jsonl") + " -o " +
                    Path("corpus.jsonl") + " 2>&1",
                &out),
            2);
  EXPECT_TRUE(absl::StrContains(out, "is an input file")) << out;
  EXPECT_EQ(::neardup::testing::ReadFile(Path("corpus.jsonl")), before);
  EXPECT_EQ(Run(Bench() + " " + Path("corpus.jsonl") + " -o " +
                    Path("bench.jsonl") + " 2>&1",
                &out),
            2);
  // A file found inside a corpus directory is an input too.
  ASSERT_EQ(mkdir(Path("dir").c_str(), 0755), 0);
  WriteFile(Path("dir/part.jsonl"), before);
  EXPECT_EQ(Run(Bench() + " " + Path("dir") + " -o " + Path("dir/part.jsonl") +
                    " 2>&1",
                &out),
            2);
  EXPECT_TRUE(absl::StrContains(out, "is an input file")) << out;
  EXPECT_EQ(::neardup::testing::ReadFile(Path("dir/part.jsonl")), before);
}

TEST_F(ContaminationCliTest, TextFileAsBenchmarkIsRefused) {
  WriteFile(Path("bench.txt"), "Which scientist proposed relativity?\n");
  std::string out;
  EXPECT_EQ(
      Run("--benchmark " + Path("bench.txt") + " --benchmark-field question " +
              Path("corpus.jsonl") + " 2>&1",
          &out),
      2);
  EXPECT_TRUE(absl::StrContains(out, Path("bench.txt") + ": a benchmark is "
                                                         "JSON Lines"))
      << out;
}

TEST_F(ContaminationCliTest, EmptyBenchmark) {
  WriteFile(Path("empty.jsonl"), "");
  std::string out;
  EXPECT_EQ(
      Run("--benchmark " + Path("empty.jsonl") +
              " --benchmark-field question " + Path("corpus.jsonl") + " 2>&1",
          &out),
      2);
  EXPECT_TRUE(absl::StrContains(out, Path("empty.jsonl"))) << out;
  // Only bad records, skipped: no items, every document still read.
  WriteFile(Path("nothing.jsonl"), "{\"id\":1}\n{oops\n");
  EXPECT_EQ(Run("--benchmark " + Path("nothing.jsonl") +
                    " --benchmark-field question --skip-bad --format jsonl " +
                    Path("corpus.jsonl") + " 2>&1",
                &out),
            1);
  EXPECT_TRUE(absl::StrContains(out, "the benchmark has no items")) << out;
  EXPECT_TRUE(absl::StrContains(out, "\"items\":0,")) << out;
  EXPECT_TRUE(absl::StrContains(out, "\"documents\":3,")) << out;
}

TEST_F(ContaminationCliTest, SameReportOnOneAndManyThreadsAndNgramMode) {
  std::string one;
  std::string many;
  ASSERT_EQ(Run(Bench() + " " + Path("corpus.jsonl") +
                    " --format jsonl -q --threads 1",
                &one),
            0);
  ASSERT_EQ(Run(Bench() + " " + Path("corpus.jsonl") +
                    " --format jsonl -q --threads 3",
                &many),
            0);
  const std::vector<std::string> a = Lines(one);
  const std::vector<std::string> b = Lines(many);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i + 1 < a.size(); ++i) EXPECT_EQ(a[i], b[i]);
  std::string out;
  ASSERT_EQ(Run(Bench() + " " + Path("corpus.jsonl") +
                    " --format jsonl -q --mode ngram --n 13",
                &out),
            0);
  // q1's question is 15 tokens and "1989" ends the copy: all covered.
  EXPECT_TRUE(
      absl::StrContains(out, "\"id\":\"q1\",\"status\":\"contaminated\""))
      << out;
  // q2's answer alone is 12 tokens, under 13: the classic overlap misses it.
  EXPECT_TRUE(absl::StrContains(out, "\"id\":\"q2\",\"status\":\"clean\""))
      << out;
}

}  // namespace
}  // namespace neardup
