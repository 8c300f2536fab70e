// `neardup dedup` end to end: the program on generated fixtures.
#include <unistd.h>

#include <filesystem>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "test_util.h"
#include "test_words.h"

namespace neardup::testing {
namespace {

namespace fs = std::filesystem;

using ::neardup::testing::Word;
using ::neardup::testing::Words;

// `clusters` (clusters.jsonl) without its "source" and "cluster_source"
// fields, which name the input file: for comparing runs on different files.
std::string WithoutSources(const std::string& clusters) {
  static const std::regex kSource(R"("(cluster_)?source":"[^"]*",)");
  return std::regex_replace(clusters, kSource, "");
}

class DedupCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           absl::StrCat(
               "neardup-dedup-test-", getpid(), "-",
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Path(const std::string& name) const {
    return (dir_ / name).string();
  }

  // Runs `neardup dedup ARGS --output kept --clusters clusters`; returns the
  // exit status, and stderr in *err.
  int Dedup(const std::string& args, const std::string& kept,
            const std::string& clusters, std::string* err = nullptr,
            std::string* out = nullptr) {
    std::string stdout_text;
    const std::string err_path = Path("stderr.txt");
    const int status = RunCommand(
        absl::StrCat(NEARDUP_CLI, " dedup ", args, " --output ", Path(kept),
                     " --clusters ", Path(clusters), " 2>", err_path),
        &stdout_text);
    if (err != nullptr) *err = ReadFile(err_path);
    if (out != nullptr) *out = stdout_text;
    return status;
  }

  fs::path dir_;
};

// Lines of a JSONL fixture with exact and near copies, escapes, non-ASCII
// text and records without an id.
std::vector<std::string> FixtureLines() {
  const std::string story = Words(0, 94);
  // The last 9 of 94 words replaced: Jaccard 81/99 to `story`.
  const std::string near = Words(0, 85) + " " + Words(600000, 9);
  return {
      absl::StrCat(R"({"id":"a","text":")", story, R"("})"),
      absl::StrCat(
          R"({"id":"b","text":")", Words(2000, 60),
          R"( \"quoted\" back\\slash\nnew line caf\u00e9 \ud83d\ude00"})"),
      absl::StrCat(R"({"text":")", story, R"(","id":"c","extra":[1,2]})"),
      absl::StrCat(R"({"id":"d","text":")", near, R"("})"),
      R"({"id":7,"text":"السلام عليكم ورحمة الله وبركاته، هذا خبر قصير عن الطقس في الرياض اليوم"})",
      absl::StrCat(R"({"text":")", Words(4000, 50), R"("})"),
      R"({"id":"e","text":"السلام عليكم ورحمة الله وبركاته، هذا خبر قصير عن الطقس في الرياض اليوم"})",
      R"({"id":"f","text":""})",
      R"({"id":"g","text":"  "})",
      absl::StrCat(
          R"({"id":"h","text":")", Words(2000, 60),
          R"( \"quoted\" back\\slash\nnew line caf\u00e9 \ud83d\ude00"})"),
  };
}

TEST_F(DedupCliTest, JsonlKeptLinesAreByteIdenticalAndClustersComplete) {
  const std::vector<std::string> input = FixtureLines();
  WriteFile(Path("feed.jsonl"), absl::StrJoin(input, "\n") + "\n");
  std::string err;
  ASSERT_EQ(Dedup(Path("feed.jsonl"), "kept.jsonl", "clusters.jsonl", &err), 0)
      << err;
  const std::vector<std::string> kept = Lines(ReadFile(Path("kept.jsonl")));
  const std::vector<std::string> clusters =
      Lines(WithoutSources(ReadFile(Path("clusters.jsonl"))));
  // c copies a, d is near a, e copies 7, g (blank) joins f (empty), h
  // copies b.
  const std::vector<std::string> expected_kept = {input[0], input[1], input[4],
                                                  input[5], input[7]};
  EXPECT_EQ(kept, expected_kept);
  ASSERT_EQ(clusters.size(), input.size());
  const std::string no_id = Path("feed.jsonl") + ":6";
  EXPECT_EQ(clusters[0],
            R"({"id":"a","cluster":"a","kept":true,"duplicate_of":null,)"
            R"("similarity":null})");
  EXPECT_EQ(clusters[2],
            R"({"id":"c","cluster":"a","kept":false,"duplicate_of":"a",)"
            R"("similarity":1})");
  EXPECT_EQ(clusters[3],
            R"({"id":"d","cluster":"a","kept":false,"duplicate_of":"a",)"
            R"("similarity":0.818182})");
  EXPECT_EQ(clusters[5],
            absl::StrCat(R"({"id":")", no_id, R"(","cluster":")", no_id,
                         R"(","kept":true,"duplicate_of":null,)"
                         R"("similarity":null})"));
  EXPECT_EQ(clusters[6],
            R"({"id":"e","cluster":"7","kept":false,"duplicate_of":"7",)"
            R"("similarity":1})");
  EXPECT_EQ(clusters[8],
            R"({"id":"g","cluster":"f","kept":false,"duplicate_of":"f",)"
            R"("similarity":1})");
  EXPECT_EQ(clusters[9],
            R"({"id":"h","cluster":"b","kept":false,"duplicate_of":"b",)"
            R"("similarity":1})");
  size_t kept_count = 0;
  for (const std::string& line : clusters) {
    kept_count += line.find("\"kept\":true") != std::string::npos;
  }
  EXPECT_EQ(kept_count, kept.size());
  EXPECT_NE(err.find("10 documents read, 5 kept, 5 dropped"), std::string::npos)
      << err;
}

TEST_F(DedupCliTest, CompressedInputsAndStdinGiveTheSameOutput) {
  std::vector<std::string> input = FixtureLines();
  input.erase(input.begin() + 5);  // the record without id names its file
  WriteFile(Path("feed.jsonl"), absl::StrJoin(input, "\n") + "\n");
  std::string ignored;
  ASSERT_EQ(RunCommand("gzip -c " + Path("feed.jsonl") + " > " +
                           Path("feed.jsonl.gz") + " && zstd -q -c " +
                           Path("feed.jsonl") + " > " + Path("feed.jsonl.zst"),
                       &ignored),
            0);
  ASSERT_EQ(Dedup(Path("feed.jsonl"), "k0", "c0"), 0);
  ASSERT_EQ(Dedup(Path("feed.jsonl.gz"), "k1", "c1"), 0);
  ASSERT_EQ(Dedup(Path("feed.jsonl.zst"), "k2", "c2"), 0);
  ASSERT_EQ(Dedup("- < " + Path("feed.jsonl"), "k3", "c3"), 0);
  const std::string kept = ReadFile(Path("k0"));
  const std::string clusters = WithoutSources(ReadFile(Path("c0")));
  EXPECT_EQ(Lines(kept).size(), 4u);
  for (const char* k : {"k1", "k2", "k3"}) {
    EXPECT_EQ(ReadFile(Path(k)), kept) << k;
  }
  for (const char* c : {"c1", "c2", "c3"}) {
    EXPECT_EQ(WithoutSources(ReadFile(Path(c))), clusters) << c;
  }
}

TEST_F(DedupCliTest, OneAndTwoThreadsGiveByteIdenticalOutput) {
  // Families of edited copies of random texts, shuffled.
  std::mt19937 rng(11);
  std::vector<std::string> lines;
  for (int family = 0; family < 1500; ++family) {
    const int copies = 1 + static_cast<int>(rng() % 3);
    for (int c = 0; c < copies; ++c) {
      std::string text;
      for (int w = 0; w < 60; ++w) {
        const bool edit = c > 0 && rng() % 40 == 0;
        if (w > 0) text += ' ';
        text += Word(edit ? 500000 + static_cast<int>(rng() % 100000)
                          : family * 100 + w);
      }
      lines.push_back(absl::StrCat(R"({"text":")", text, R"("})"));
    }
  }
  std::shuffle(lines.begin(), lines.end(), rng);
  WriteFile(Path("feed.jsonl"), absl::StrJoin(lines, "\n") + "\n");
  ASSERT_EQ(Dedup(Path("feed.jsonl") + " --threads 1", "k1", "c1"), 0);
  ASSERT_EQ(Dedup(Path("feed.jsonl") + " --threads 2", "k2", "c2"), 0);
  ASSERT_EQ(Dedup(Path("feed.jsonl") + " --threads 2", "k3", "c3"), 0);
  const std::string kept = ReadFile(Path("k1"));
  const std::string clusters = ReadFile(Path("c1"));
  EXPECT_EQ(ReadFile(Path("k2")), kept);
  EXPECT_EQ(ReadFile(Path("k3")), kept);
  EXPECT_EQ(ReadFile(Path("c2")), clusters);
  EXPECT_EQ(ReadFile(Path("c3")), clusters);
  EXPECT_EQ(Lines(clusters).size(), lines.size());
  EXPECT_LT(Lines(kept).size(), lines.size() - 500);
  EXPECT_GE(Lines(kept).size(), 1500u);
}

TEST_F(DedupCliTest, TextFilesAreWrittenAsJson) {
  fs::create_directories(Path("articles/sub"));
  const std::string story = Words(0, 40) + "\n\"quoted\" café\n";
  WriteFile(Path("articles/a.txt"), story);
  WriteFile(Path("articles/sub/b.txt"), story);
  WriteFile(Path("articles/c.txt"), Words(1000, 40));
  ASSERT_EQ(Dedup(Path("articles"), "kept.jsonl", "clusters.jsonl"), 0);
  const std::string a_id = Path("articles") + "/a.txt";
  const std::string c_id = Path("articles") + "/c.txt";
  EXPECT_EQ(ReadFile(Path("kept.jsonl")),
            absl::StrCat(R"({"id":")", a_id, R"(","text":")", Words(0, 40),
                         R"(\n\"quoted\" café\n"})", "\n", R"({"id":")", c_id,
                         R"(","text":")", Words(1000, 40), R"("})", "\n"));
  const std::vector<std::string> clusters =
      Lines(WithoutSources(ReadFile(Path("clusters.jsonl"))));
  ASSERT_EQ(clusters.size(), 3u);
  EXPECT_NE(clusters[2].find(R"("duplicate_of":")" + a_id), std::string::npos)
      << clusters[2];
}

// A ~ B and B ~ C (Jaccard 81/99), A and C far apart (72/108): in the order
// A, B, C the far end C stays a cluster of its own.
TEST_F(DedupCliTest, ChainsDoNotMergeFarEnds) {
  const std::string a = Words(0, 94);
  const std::string b = Words(0, 85) + " " + Words(600000, 9);
  const std::string c =
      Words(700000, 9) + " " + Words(9, 76) + " " + Words(600000, 9);
  WriteFile(
      Path("feed.jsonl"),
      absl::StrCat(R"({"id":"A","text":")", a, "\"}\n", R"({"id":"B","text":")",
                   b, "\"}\n", R"({"id":"C","text":")", c, "\"}\n"));
  ASSERT_EQ(Dedup(Path("feed.jsonl"), "k", "c"), 0);
  const std::vector<std::string> clusters =
      Lines(WithoutSources(ReadFile(Path("c"))));
  ASSERT_EQ(clusters.size(), 3u);
  EXPECT_NE(clusters[1].find(R"("cluster":"A","kept":false)"),
            std::string::npos)
      << clusters[1];
  EXPECT_NE(clusters[2].find(R"("cluster":"C","kept":true)"), std::string::npos)
      << clusters[2];
  // B first: both ends are close to it, so both join it.
  WriteFile(
      Path("middle.jsonl"),
      absl::StrCat(R"({"id":"B","text":")", b, "\"}\n", R"({"id":"A","text":")",
                   a, "\"}\n", R"({"id":"C","text":")", c, "\"}\n"));
  ASSERT_EQ(Dedup(Path("middle.jsonl"), "k2", "c2"), 0);
  EXPECT_EQ(Lines(ReadFile(Path("k2"))).size(), 1u);
}

TEST_F(DedupCliTest, ContainmentModeFlag) {
  WriteFile(Path("feed.jsonl"),
            absl::StrCat(R"({"id":"long","text":")", Words(0, 200), "\"}\n",
                         R"({"id":"short","text":")", Words(50, 100), "\"}\n"));
  ASSERT_EQ(Dedup(Path("feed.jsonl"), "k1", "c1"), 0);
  EXPECT_EQ(Lines(ReadFile(Path("k1"))).size(), 2u);
  ASSERT_EQ(Dedup(Path("feed.jsonl") + " --mode containment", "k2", "c2"), 0);
  EXPECT_EQ(Lines(ReadFile(Path("k2"))).size(), 1u);
  // --threshold is honoured: J(long, short) = 96/196.
  ASSERT_EQ(Dedup(Path("feed.jsonl") + " --threshold 0.45", "k3", "c3"), 0);
  EXPECT_EQ(Lines(ReadFile(Path("k3"))).size(), 1u);
}

TEST_F(DedupCliTest, UnwritableOutputFailsBeforeReading) {
  WriteFile(Path("feed.jsonl"), "{\"text\":\"one\"}\n");
  std::string err;
  EXPECT_EQ(Dedup(Path("feed.jsonl"), "no/such/dir/kept.jsonl",
                  "clusters.jsonl", &err),
            2);
  EXPECT_NE(err.find("no/such/dir/kept.jsonl"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(Path("clusters.jsonl")));
  EXPECT_EQ(Dedup(Path("feed.jsonl"), "same.jsonl", "same.jsonl", &err), 2);
  EXPECT_FALSE(fs::exists(Path("same.jsonl")));
}

// A zstd feed of over 1 MiB is decompressed on a thread of its own and its
// first batch read while the run sets up: the outputs are those of the
// plain file on 1 and 2 threads, and a malformed line in the middle of a
// later batch is still named by its line, stops the run before any output
// is written, or with --skip-bad is skipped and counted.
TEST_F(DedupCliTest, LargeCompressedFeedReadsAsPlainAndNamesABadLine) {
  std::mt19937 rng(5);
  std::vector<std::string> lines;
  for (int d = 0; d < 6000; ++d) {
    std::string text;
    for (int w = 0; w < 100; ++w) {
      if (w > 0) text += ' ';
      text += Word(static_cast<int>(rng() % 300000));
    }
    lines.push_back(
        absl::StrCat(R"({"id":"d)", d, R"(","text":")", text, R"("})"));
    // Every tenth document has an edited copy.
    if (d % 10 == 0) {
      lines.push_back(absl::StrCat(R"({"id":"c)", d, R"(","text":")", text, " ",
                                   Word(d), R"("})"));
    }
  }
  const std::string plain = absl::StrJoin(lines, "\n") + "\n";
  WriteFile(Path("feed.jsonl"), plain);
  std::vector<std::string> bad_lines = lines;
  const size_t bad = 2500;  // in the third batch of 1,024 records
  bad_lines.insert(bad_lines.begin() + bad, R"({"id":"x","text":"cut)");
  WriteFile(Path("bad.jsonl"), absl::StrJoin(bad_lines, "\n") + "\n");
  std::string ignored;
  ASSERT_EQ(RunCommand("zstd -q -c " + Path("feed.jsonl") + " > " +
                           Path("feed.jsonl.zst") + " && zstd -q -c " +
                           Path("bad.jsonl") + " > " + Path("bad.jsonl.zst"),
                       &ignored),
            0);
  ASSERT_GE(fs::file_size(Path("feed.jsonl.zst")), size_t{1} << 20);

  std::string err;
  ASSERT_EQ(Dedup(Path("feed.jsonl") + " --threads 1", "k0", "c0", &err), 0)
      << err;
  const std::string kept = ReadFile(Path("k0"));
  const std::string clusters = WithoutSources(ReadFile(Path("c0")));
  EXPECT_EQ(Lines(clusters).size(), lines.size());
  EXPECT_EQ(Lines(kept).size(), 6000u);
  for (const char* threads : {"1", "2"}) {
    ASSERT_EQ(Dedup(Path("feed.jsonl.zst") + " --threads " + threads, "k1",
                    "c1", &err),
              0)
        << err;
    EXPECT_EQ(ReadFile(Path("k1")), kept) << threads;
    EXPECT_EQ(WithoutSources(ReadFile(Path("c1"))), clusters) << threads;

    EXPECT_EQ(Dedup(Path("bad.jsonl.zst") + " --threads " + threads, "k2", "c2",
                    &err),
              2);
    EXPECT_NE(err.find(Path("bad.jsonl.zst") + ":" + std::to_string(bad + 1) +
                       ": not valid JSON"),
              std::string::npos)
        << err;
    EXPECT_FALSE(fs::exists(Path("k2")));
    EXPECT_FALSE(fs::exists(Path("c2")));

    ASSERT_EQ(Dedup(Path("bad.jsonl.zst") + " --skip-bad --threads " + threads,
                    "k3", "c3", &err),
              0)
        << err;
    EXPECT_EQ(ReadFile(Path("k3")), kept) << threads;
    EXPECT_EQ(WithoutSources(ReadFile(Path("c3"))), clusters) << threads;
    EXPECT_NE(err.find(Path("bad.jsonl.zst") + ":" + std::to_string(bad + 1) +
                       ": skipped: not valid JSON"),
              std::string::npos)
        << err;
    EXPECT_NE(err.find("skipped 1 bad line"), std::string::npos) << err;
  }
}

TEST_F(DedupCliTest, JsonlSummaryOnStdout) {
  WriteFile(Path("feed.jsonl"),
            absl::StrCat(R"({"text":")", Words(0, 30), "\"}\n", R"({"text":")",
                         Words(0, 30), "\"}\n"));
  std::string err, out;
  ASSERT_EQ(Dedup(Path("feed.jsonl") + " --format jsonl", "k", "c", &err, &out),
            0);
  EXPECT_EQ(out.rfind(R"({"type":"summary","command":"dedup","documents":2,)"
                      R"("kept":1,)"
                      R"("dropped":1,"clusters":1,)",
                      0),
            0u)
      << out;
  EXPECT_TRUE(err.empty()) << err;
}

TEST_F(DedupCliTest, PairsLeftOutByTheBucketCapAreCountedAndSaid) {
  // 70 copies of one text: each band's bucket holds 70 > 64 documents, so
  // only the pairs of the first with the other 69 are compared; the other
  // 70 * 69 / 2 - 69 = 2346 pairs are counted, in the record and on stderr.
  std::string feed;
  for (int i = 0; i < 70; ++i) {
    absl::StrAppend(&feed, R"({"text":")", Words(0, 30), "\"}\n");
  }
  WriteFile(Path("copies.jsonl"), feed);
  std::string err, out;
  ASSERT_EQ(
      Dedup(Path("copies.jsonl") + " --format jsonl -q", "k", "c", &err, &out),
      0);
  EXPECT_NE(out.find(R"("kept":1,"dropped":69,)"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("oversized_buckets":17,"capped_pairs":2346,)"),
            std::string::npos)
      << out;
  EXPECT_NE(err.find("17 LSH buckets held more than 64 documents"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("2346 document pairs were not compared"),
            std::string::npos)
      << err;
}

}  // namespace
}  // namespace neardup::testing
