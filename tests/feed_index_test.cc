// neardup index add|query|stats|prune as processes: crash safety under a
// real kill -9, queries while a writer adds, bad input.
#include "neardup/feed_index.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "test_util.h"

namespace neardup {
namespace {

using ::neardup::testing::ReadFile;
using ::neardup::testing::RunCommand;
using ::neardup::testing::StartNeardup;
using ::neardup::testing::WriteFile;

class FeedIndexCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           absl::StrCat(
               "neardup-feed-cli-", getpid(), "-",
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const {
    return (dir_ / name).string();
  }

  // A JSONL input of `n` documents of distinct words; ids "<name>-<i>".
  std::string WriteInput(const std::string& name, int n, int words = 120) {
    std::string jsonl;
    for (int i = 0; i < n; ++i) {
      absl::StrAppend(&jsonl, "{\"id\":\"", name, "-", i, "\",\"text\":\"");
      for (int w = 0; w < words; ++w) {
        absl::StrAppend(&jsonl, name, "w", i, "x", w, " ");
      }
      jsonl += "\"}\n";
    }
    WriteFile(Path(name + ".jsonl"), jsonl);
    return Path(name + ".jsonl");
  }

  std::string Neardup(const std::string& args, int* status) {
    std::string out;
    *status = RunCommand(absl::StrCat(NEARDUP_CLI, " ", args, " 2>&1"), &out);
    return out;
  }

  std::filesystem::path dir_;
};

// Reads the index in this process (nothing else has it open here).
FeedIndexStats StatsOf(const std::string& path) {
  auto index = FeedIndex::Open(path, FeedIndexOptions{});
  EXPECT_TRUE(index.ok()) << index.status();
  if (!index.ok()) return {};
  auto stats = (*index)->Stats();
  EXPECT_TRUE(stats.ok()) << stats.status();
  return stats.ok() ? *stats : FeedIndexStats{};
}

TEST_F(FeedIndexCliTest, KillNineLeavesEachInputAbsentOrComplete) {
  constexpr int kInputs = 4, kDocs = 1500;
  std::vector<std::string> inputs;
  for (int i = 0; i < kInputs; ++i) {
    inputs.push_back(WriteInput(absl::StrCat("in", i), kDocs));
  }
  const std::string index = Path("feeds.ndx");
  std::vector<std::string> args = {"index", "add",       "--index", index,
                                   "-q",    "--threads", "2"};
  args.insert(args.end(), inputs.begin(), inputs.end());
  // How long a whole add takes here (into another index), so that the
  // kills land anywhere in it, however fast or loaded the machine.
  std::vector<std::string> timing = args;
  timing[3] = Path("timing.ndx");
  const auto start = std::chrono::steady_clock::now();
  const pid_t timed = StartNeardup(timing, -1, -1);
  ASSERT_GT(timed, 0);
  int timed_status = 0;
  waitpid(timed, &timed_status, 0);
  ASSERT_TRUE(WIFEXITED(timed_status) && WEXITSTATUS(timed_status) == 0);
  const auto whole_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count();
  std::mt19937 random(12345);
  int partial_states = 0;
  for (int round = 0; round < 6; ++round) {
    const pid_t pid = StartNeardup(args, -1, -1);
    ASSERT_GT(pid, 0);
    usleep(std::uniform_int_distribution<int>(
               0, static_cast<int>(whole_ms))(random) *
           1000);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!std::filesystem::exists(index + "/data.mdb")) continue;
    const FeedIndexStats stats = StatsOf(index);
    uint64_t total = 0;
    for (const FeedBatchInfo& batch : stats.batches) {
      EXPECT_EQ(batch.documents, static_cast<uint64_t>(kDocs)) << batch.name;
      total += batch.documents;
    }
    EXPECT_EQ(stats.documents, total);
    if (!stats.batches.empty() && stats.batches.size() < kInputs) {
      ++partial_states;
    }
  }
  // Running the same add again completes the work...
  int status = 0;
  std::string out =
      Neardup(absl::StrCat("index add --index ", index, " ", inputs[0], " ",
                           inputs[1], " ", inputs[2], " ", inputs[3]),
              &status);
  EXPECT_EQ(status, 0) << out;
  const FeedIndexStats done = StatsOf(index);
  ASSERT_EQ(done.batches.size(), static_cast<size_t>(kInputs));
  EXPECT_EQ(done.documents, static_cast<uint64_t>(kInputs * kDocs));
  // ... and once more changes nothing.
  out = Neardup(absl::StrCat("index add --index ", index, " ", inputs[0], " ",
                             inputs[1], " ", inputs[2], " ", inputs[3]),
                &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("already in the index"), std::string::npos) << out;
  const FeedIndexStats again = StatsOf(index);
  EXPECT_EQ(again.documents, done.documents);
  ASSERT_EQ(again.batches.size(), done.batches.size());
  for (size_t i = 0; i < again.batches.size(); ++i) {
    EXPECT_EQ(again.batches[i].content_hash, done.batches[i].content_hash);
    EXPECT_EQ(again.batches[i].added_unix_seconds,
              done.batches[i].added_unix_seconds);
  }
  // Not asserted (timing): how many kills landed between two commits.
  std::printf("kills that left some inputs added and others absent: %d\n",
              partial_states);
}

TEST_F(FeedIndexCliTest, QueriesRunWhileAWriterAdds) {
  const std::string index = Path("feeds.ndx");
  const std::string first = WriteInput("first", 200);
  int status = 0;
  std::string out = Neardup(
      absl::StrCat("index add -q --index ", index, " ", first), &status);
  ASSERT_EQ(status, 0) << out;
  std::vector<std::string> args = {"index", "add", "--index", index, "-q"};
  for (int i = 0; i < 4; ++i)
    args.push_back(WriteInput(absl::StrCat("more", i), 1500));
  const pid_t writer = StartNeardup(args, -1, -1);
  ASSERT_GT(writer, 0);
  int queries = 0;
  for (;; ++queries) {
    out = Neardup(absl::StrCat("index query --index ", index, " ", first,
                               " --format jsonl -q"),
                  &status);
    ASSERT_EQ(status, 0) << out;
    EXPECT_NE(out.find("\"matched_documents\":200,"), std::string::npos) << out;
    int writer_status = 0;
    if (waitpid(writer, &writer_status, WNOHANG) == writer) {
      EXPECT_TRUE(WIFEXITED(writer_status));
      EXPECT_EQ(WEXITSTATUS(writer_status), 0);
      break;
    }
  }
  EXPECT_EQ(StatsOf(index).documents, 200u + 4 * 1500u);
  // A second writer while one holds the index: refused with a message.
  auto holder = FeedIndex::Open(index, [] {
    FeedIndexOptions o;
    o.writable = true;
    return o;
  }());
  ASSERT_TRUE(holder.ok()) << holder.status();
  out = Neardup(absl::StrCat("index add --index ", index, " ", first), &status);
  EXPECT_EQ(status, 2);
  EXPECT_NE(out.find("another process is writing"), std::string::npos) << out;
}

TEST_F(FeedIndexCliTest, BadInputNamesTheLineAndCommitsNothing) {
  const std::string index = Path("feeds.ndx");
  const std::string good = WriteInput("good", 3);
  WriteFile(Path("bad.jsonl"),
            "{\"id\":\"b1\",\"text\":\"one two three four five six\"}\n"
            "{\"id\":\"b2\",\"text\":\"seven eight nine ten eleven\"}\n"
            "{\"id\":\"b3\",\"text\":\n");
  int status = 0;
  std::string out = Neardup(absl::StrCat("index add --index ", index, " ", good,
                                         " ", Path("bad.jsonl")),
                            &status);
  EXPECT_EQ(status, 2);
  EXPECT_NE(out.find("bad.jsonl:3"), std::string::npos) << out;
  EXPECT_NE(out.find("nothing of " + Path("bad.jsonl") + " was added)"),
            std::string::npos)
      << out;
  FeedIndexStats stats = StatsOf(index);
  ASSERT_EQ(stats.batches.size(), 1u);  // the good input only
  EXPECT_EQ(stats.documents, 3u);
  out = Neardup(absl::StrCat("index add --skip-bad --index ", index, " ",
                             Path("bad.jsonl")),
                &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_EQ(StatsOf(index).documents, 5u);
  // Query exit statuses: found, nothing, error.
  out = Neardup(absl::StrCat("index query -q --index ", index, " ", good),
                &status);
  EXPECT_EQ(status, 0) << out;
  WriteFile(Path("new.txt"), "an entirely new text about nothing indexed yet");
  out = Neardup(
      absl::StrCat("index query -q --index ", index, " ", Path("new.txt")),
      &status);
  EXPECT_EQ(status, 1) << out;
  out = Neardup(absl::StrCat("index query --index ", Path("missing"), " ",
                             Path("new.txt")),
                &status);
  EXPECT_EQ(status, 2) << out;
  out = Neardup(absl::StrCat("index add --index ", index, " --shingle 3 ",
                             Path("new.txt")),
                &status);
  EXPECT_EQ(status, 2) << out;
  EXPECT_NE(out.find("shingle: index 5, asked 3"), std::string::npos) << out;
}

// Inputs after a failed one are not read, and the message says which.
// A repeated id is left out of the index (it keeps one document per id),
// and the messages say so rather than the reader's "told apart".
TEST_F(FeedIndexCliTest, WhatIsLeftOutIsSaid) {
  const std::string index = Path("feeds.ndx");
  const std::string first = WriteInput("first", 2);
  const std::string last = WriteInput("last", 2);
  int status = 0;
  std::string out =
      Neardup(absl::StrCat("index add --index ", index, " ", first, " ",
                           Path("missing.jsonl"), " ", last),
              &status);
  EXPECT_EQ(status, 2);
  EXPECT_NE(out.find("not read: the 1 input after it, from " + last),
            std::string::npos)
      << out;
  EXPECT_EQ(StatsOf(index).documents, 2u);

  WriteFile(Path("repeat.jsonl"),
            "{\"id\":\"x\",\"text\":\"alpha beta gamma delta epsilon\"}\n"
            "{\"id\":\"x\",\"text\":\"one two three four five six\"}\n");
  out = Neardup(
      absl::StrCat("index add --index ", index, " ", Path("repeat.jsonl")),
      &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("repeat.jsonl:2: id \"x\" repeats an earlier record's "
                     "id; the index keeps the first record of an id, so this "
                     "one is left out"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("told apart"), std::string::npos) << out;
  EXPECT_EQ(StatsOf(index).documents, 3u);
}

TEST_F(FeedIndexCliTest, PassagesAndPruneFromTheCommandLine) {
  const std::string index = Path("feeds.ndx");
  const std::string day1 = WriteInput("day1", 5, 200);
  int status = 0;
  std::string out =
      Neardup(absl::StrCat("index add -q --index ", index, " ", day1), &status);
  ASSERT_EQ(status, 0) << out;
  out =
      Neardup(absl::StrCat("index query -q --passages --format jsonl --index ",
                           index, " ", day1),
              &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("{\"type\":\"passage\""), std::string::npos) << out;
  EXPECT_NE(out.find("{\"type\":\"pair\",\"a\":\"day1-0\",\"b\":\"day1-0\""),
            std::string::npos)
      << out;
  out = Neardup(absl::StrCat("index prune --index ", index, " --batch ", day1),
                &status);
  EXPECT_EQ(status, 0) << out;
  out = Neardup(absl::StrCat("index stats --format jsonl --index ", index),
                &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("\"documents\":0,"), std::string::npos) << out;
  EXPECT_EQ(out.find("\"free_pages\":0,"), std::string::npos) << out;
  for (const std::string age : {"1y", "0", "10", "-5d", "1.5d"}) {
    out = Neardup(
        absl::StrCat("index prune --index ", index, " --older-than ", age),
        &status);
    EXPECT_EQ(status, 2) << age << ": " << out;
    EXPECT_NE(out.find("not an age such as 365d"), std::string::npos) << out;
  }
}

// The record of document `id` in clusters.jsonl text `clusters`, or "".
std::string ClusterRecord(const std::string& clusters, const std::string& id) {
  const size_t at = clusters.find(absl::StrCat("{\"id\":\"", id, "\""));
  if (at == std::string::npos) return "";
  return clusters.substr(at, clusters.find('\n', at) - at);
}

TEST_F(FeedIndexCliTest, DedupIndexDropsWhatHistoryHasAndAddsTheKept) {
  const std::string index = Path("feeds.ndx");
  const std::string day1 = WriteInput("day1", 6, 150);
  int status = 0;
  std::string out =
      Neardup(absl::StrCat("index add -q --index ", index, " ", day1), &status);
  ASSERT_EQ(status, 0) << out;
  // Day 2: a copy of day1-2 with one word changed, day1-4 verbatim under a
  // new id, two copies of a new story, and a new story.
  std::string day1_text = ReadFile(day1);
  auto text_of = [&](int i) {
    const std::string key = absl::StrCat("\"id\":\"day1-", i, "\",\"text\":\"");
    const size_t at = day1_text.find(key) + key.size();
    return day1_text.substr(at, day1_text.find('"', at) - at);
  };
  std::string changed = text_of(2);
  changed.replace(changed.find("day1w2x70 "), 10, "altered ");
  std::string fresh, other;
  for (int w = 0; w < 150; ++w) {
    absl::StrAppend(&fresh, "fresh", w, " ");
    absl::StrAppend(&other, "other", w, " ");
  }
  const std::string day2 = Path("day2.jsonl");
  WriteFile(day2,
            absl::StrCat("{\"id\":\"n1\",\"text\":\"", changed, "\"}\n",
                         "{\"id\":\"n2\",\"text\":\"", fresh, "\"}\n",
                         "{\"id\":\"n3\",\"text\":\"", text_of(4), "\"}\n",
                         "{\"id\":\"n4\",\"text\":\"", fresh, "\"}\n",
                         "{\"id\":\"n5\",\"text\":\"", other, "\"}\n"));
  const std::string dedup =
      absl::StrCat("dedup -q --index ", index, " ", day2, " --output ",
                   Path("kept.jsonl"), " --clusters ", Path("clusters.jsonl"));
  out = Neardup(dedup, &status);
  ASSERT_EQ(status, 0) << out;
  const std::string clusters = ReadFile(Path("clusters.jsonl"));
  const std::string n1 = ClusterRecord(clusters, "n1");
  EXPECT_NE(n1.find("\"cluster_source\":\"" + day1 + "\""), std::string::npos)
      << n1;
  EXPECT_NE(n1.find("\"kept\":false,\"duplicate_of\":\"day1-2\""),
            std::string::npos)
      << n1;
  EXPECT_NE(n1.find("\"in_index\":true"), std::string::npos) << n1;
  EXPECT_NE(ClusterRecord(clusters, "n3")
                .find("\"duplicate_of\":\"day1-4\",\"similarity\":1,"),
            std::string::npos)
      << clusters;
  const std::string n4 = ClusterRecord(clusters, "n4");
  EXPECT_NE(n4.find("\"duplicate_of\":\"n2\""), std::string::npos) << n4;
  EXPECT_NE(n4.find("\"in_index\":false"), std::string::npos) << n4;
  for (const char* kept : {"n2", "n5"}) {
    EXPECT_NE(ClusterRecord(clusters, kept).find("\"kept\":true"),
              std::string::npos)
        << clusters;
  }
  const std::string kept = ReadFile(Path("kept.jsonl"));
  EXPECT_EQ(kept.find("\"n1\""), std::string::npos);
  EXPECT_NE(kept.find("\"n2\""), std::string::npos);
  FeedIndexStats stats = StatsOf(index);
  EXPECT_EQ(stats.documents, 8u);  // 6 + n2 and n5
  ASSERT_EQ(stats.batches.size(), 2u);
  EXPECT_EQ(stats.batches[1].name, day2);

  // Again: same outputs, nothing added (the run's own batch is not history).
  out = Neardup(dedup, &status);
  ASSERT_EQ(status, 0) << out;
  EXPECT_EQ(ReadFile(Path("clusters.jsonl")), clusters);
  EXPECT_EQ(ReadFile(Path("kept.jsonl")), kept);
  EXPECT_EQ(StatsOf(index).documents, 8u);

  // Day 3 repeats the new story: now a duplicate of the indexed n2.
  out = Neardup(
      absl::StrCat("dedup -q --format jsonl --index ", index, " --batch day3 ",
                   Path("kept.jsonl"), " --output ", Path("kept3.jsonl"),
                   " --clusters ", Path("clusters3.jsonl")),
      &status);
  ASSERT_EQ(status, 0) << out;
  EXPECT_NE(out.find("\"indexed_duplicates\":2,"), std::string::npos) << out;
  EXPECT_NE(out.find("\"added_to_index\":0,"), std::string::npos) << out;
}

// A feed without ids read from standard input names its records "-:1",
// "-:2"... every day: a name of a place, not of a document, so each day's
// kept records are added and tomorrow's copies of them are dropped.
TEST_F(FeedIndexCliTest, DedupIndexAddsRecordsWithoutIdsEveryDay) {
  const std::string index = Path("feeds.ndx");
  auto day = [&](const std::string& name) {
    std::string jsonl;
    for (int i = 0; i < 4; ++i) {
      jsonl += "{\"text\":\"";
      for (int w = 0; w < 60; ++w)
        absl::StrAppend(&jsonl, name, i, "w", w, " ");
      jsonl += "\"}\n";
    }
    WriteFile(Path(name + ".jsonl"), jsonl);
    return Path(name + ".jsonl");
  };
  auto dedup = [&](const std::string& input, const std::string& batch) {
    int status = 0;
    const std::string out = Neardup(
        absl::StrCat("dedup -q --format jsonl --index ", index, " --batch ",
                     batch, " - --output ", Path("kept.jsonl"), " --clusters ",
                     Path("clusters.jsonl"), " <", input),
        &status);
    EXPECT_EQ(status, 0) << out;
    return out;
  };
  const std::string day1 = day("one"), day2 = day("two");
  dedup(day1, "d1");
  std::string out = dedup(day2, "d2");
  EXPECT_NE(out.find("\"added_to_index\":4,"), std::string::npos) << out;
  EXPECT_NE(out.find("\"existing_ids\":0,"), std::string::npos) << out;
  EXPECT_EQ(StatsOf(index).documents, 8u);
  out = dedup(day2, "d3");  // yesterday's records sent again
  EXPECT_NE(out.find("\"indexed_duplicates\":4,"), std::string::npos) << out;
  const std::string clusters = ReadFile(Path("clusters.jsonl"));
  EXPECT_NE(ClusterRecord(clusters, "-:3")
                .find("\"cluster_source\":\"d2\",\"kept\":false,"
                      "\"duplicate_of\":\"-:3\""),
            std::string::npos)
      << clusters;
}

// Without texts the index can only estimate a similarity: dedup says so,
// even with -q, and marks each drop it made on an estimate.
TEST_F(FeedIndexCliTest, DedupIndexAgainstAnIndexWithoutTextsSaysItEstimates) {
  const std::string index = Path("feeds.ndx");
  const std::string day1 = WriteInput("day1", 3, 150);
  int status = 0;
  std::string out =
      Neardup(absl::StrCat("index add -q --no-text --index ", index, " ", day1),
              &status);
  ASSERT_EQ(status, 0) << out;
  out = Neardup(absl::StrCat("dedup -q --index ", index, " --batch day1again ",
                             day1, " --output ", Path("kept.jsonl"),
                             " --clusters ", Path("clusters.jsonl")),
                &status);
  ASSERT_EQ(status, 0) << out;
  EXPECT_NE(out.find("holds no texts (made with --no-text)"), std::string::npos)
      << out;
  const std::string clusters = ReadFile(Path("clusters.jsonl"));
  EXPECT_NE(ClusterRecord(clusters, "day1-1")
                .find("\"similarity\":1,\"exact\":false,\"in_index\":true"),
            std::string::npos)
      << clusters;
}

// A directory made ready for the index, empty, is where dedup --index
// creates it, as index add does.
TEST_F(FeedIndexCliTest, DedupIndexCreatesTheIndexInAnEmptyDirectory) {
  const std::string index = Path("ready.ndx");
  std::filesystem::create_directories(index);
  const std::string day1 = WriteInput("day1", 3);
  int status = 0;
  const std::string out = Neardup(
      absl::StrCat("dedup -q --index ", index, " ", day1, " --output ",
                   Path("kept.jsonl"), " --clusters ", Path("clusters.jsonl")),
      &status);
  ASSERT_EQ(status, 0) << out;
  EXPECT_EQ(StatsOf(index).documents, 3u);
}

TEST_F(FeedIndexCliTest, DedupIndexRefusesWhatItCannotDoAndWritesNothing) {
  const std::string index = Path("feeds.ndx");
  const std::string day1 = WriteInput("day1", 3);
  const std::string day2 = WriteInput("day2", 3);
  int status = 0;
  std::string out =
      Neardup(absl::StrCat("index add -q --index ", index, " ", day1), &status);
  ASSERT_EQ(status, 0) << out;
  const std::string outputs = absl::StrCat(" --output ", Path("kept.jsonl"),
                                           " --clusters ", Path("c.jsonl"));
  struct Case {
    std::string args;
    std::string message;
  };
  const Case cases[] = {
      {absl::StrCat("--index ", index, " --mode containment ", day2),
       "--mode containment"},
      {absl::StrCat("--index ", index, " ", day1, " ", day2), "--batch NAME"},
      {absl::StrCat("--index ", index, " --shingle 3 ", day2),
       "shingle: index 5, asked 3"},
      {absl::StrCat("--batch x ", day2), "give --index"},
      // The batch name is taken, by other content: the add fails, so no
      // output is renamed into place.
      {absl::StrCat("--index ", index, " --batch ", day1, " ", day2),
       "nothing was added to the index, and no output was written"},
  };
  for (const Case& c : cases) {
    out = Neardup(absl::StrCat("dedup ", c.args, outputs), &status);
    EXPECT_EQ(status, 2) << c.args << "\n" << out;
    EXPECT_NE(out.find(c.message), std::string::npos) << c.args << "\n" << out;
    EXPECT_FALSE(std::filesystem::exists(Path("kept.jsonl"))) << c.args;
    EXPECT_FALSE(std::filesystem::exists(Path("c.jsonl"))) << c.args;
  }
  out = Neardup(absl::StrCat("dedup --index ", index, " ", day2, " --output ",
                             index, "/data.mdb --clusters ", Path("c.jsonl")),
                &status);
  EXPECT_EQ(status, 2) << out;
  EXPECT_NE(out.find("is inside the index directory"), std::string::npos)
      << out;
  // A run that fails creates no index.
  WriteFile(Path("bad.jsonl"), "{\"id\":\"x\",\"text\":\"one two\"}\n{oops\n");
  out = Neardup(absl::StrCat("dedup --index ", Path("new.ndx"), " ",
                             Path("bad.jsonl"), outputs),
                &status);
  EXPECT_EQ(status, 2) << out;
  EXPECT_NE(out.find("bad.jsonl:2"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(Path("new.ndx")));
  EXPECT_EQ(StatsOf(index).documents, 3u);
}

}  // namespace
}  // namespace neardup
