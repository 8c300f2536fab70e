// `neardup scan` on widely shared text, as a user runs it: a story carried by
// many documents is one cluster record naming every document, stock phrases
// and footers are boilerplate records, and the summary counts both.
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "test_util.h"
#include "test_words.h"

namespace neardup::testing {
namespace {

namespace fs = std::filesystem;

class ScanReuseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           absl::StrCat(
               "neardup-scan-reuse-test-", getpid(), "-",
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Path(const std::string& name) const {
    return (dir_ / name).string();
  }

  // Writes `n` JSONL documents: a 78-word story between text of each
  // document's own, then a 25-word columnist's footer.
  std::string Feed(int n) {
    std::string jsonl;
    for (int d = 0; d < n; ++d) {
      absl::StrAppend(&jsonl, "{\"id\":\"outlet", d, "\",\"text\":\"",
                      Words(100000 + 1000 * d, 60), " ", Words(0, 78), " ",
                      Words(100500 + 1000 * d, 60), " ", Words(910000, 25),
                      "\"}\n");
    }
    const std::string path = Path("feed.jsonl");
    WriteFile(path, jsonl);
    return path;
  }

  // Runs `neardup scan ARGS --format jsonl`; stdout in *out, stderr in *err.
  int Scan(const std::string& args, std::string* out, std::string* err) {
    const int status =
        RunCommand(std::string(NEARDUP_CLI) + " scan --format jsonl " + args +
                       " 2>" + Path("stderr.txt"),
                   out);
    *err = ReadFile(Path("stderr.txt"));
    return status;
  }

  fs::path dir_;
};

// Lines of `out` whose type is `type`.
std::vector<std::string> Records(const std::string& out,
                                 const std::string& type) {
  std::vector<std::string> found;
  for (const std::string& line : Lines(out)) {
    if (absl::StartsWith(line, "{\"type\":\"" + type + "\"")) {
      found.push_back(line);
    }
  }
  return found;
}

TEST_F(ScanReuseTest, StoryInSixtyDocumentsIsOneClusterFooterIsBoilerplate) {
  const std::string feed = Feed(60);
  std::string out, err;
  ASSERT_EQ(Scan(feed, &out, &err), 0) << err;
  const std::vector<std::string> clusters = Records(out, "cluster");
  ASSERT_EQ(clusters.size(), 1u) << out;
  EXPECT_TRUE(absl::StartsWith(clusters[0],
                               "{\"type\":\"cluster\",\"id\":1,"
                               "\"documents\":60,\"members\":[{\"id\":"))
      << clusters[0];
  for (int d = 0; d < 60; ++d) {
    EXPECT_TRUE(absl::StrContains(
        clusters[0], absl::StrCat("{\"id\":\"outlet", d, "\",\"start\":")))
        << d;
  }
  EXPECT_TRUE(Records(out, "pair").empty());
  const std::vector<std::string> boilerplate = Records(out, "boilerplate");
  ASSERT_EQ(boilerplate.size(), 1u) << out;
  EXPECT_EQ(
      boilerplate[0],
      absl::StrCat("{\"type\":\"boilerplate\",\"text\":\"", Words(910000, 25),
                   "\",\"documents\":60,\"source\":\"frequent\"}"));
  const std::string summary = Lines(out).back();
  EXPECT_TRUE(absl::StrContains(summary,
                                "\"clusters\":1,"
                                "\"cluster_members\":60,"
                                "\"boilerplate_texts\":1,"))
      << summary;
  EXPECT_TRUE(absl::StrContains(err, "treated as boilerplate")) << err;
}

TEST_F(ScanReuseTest, NoBoilerplateTurnsTheRuleOff) {
  const std::string feed = Feed(60);
  std::string out, err;
  ASSERT_EQ(Scan(feed + " --no-boilerplate", &out, &err), 0) << err;
  EXPECT_TRUE(Records(out, "boilerplate").empty());
  EXPECT_FALSE(absl::StrContains(err, "boilerplate")) << err;
  // The footer, no longer boilerplate, is a second cluster of all 60.
  const std::vector<std::string> clusters = Records(out, "cluster");
  ASSERT_EQ(clusters.size(), 2u);
  EXPECT_TRUE(absl::StrContains(clusters[1], "\"documents\":60,"));
}

TEST_F(ScanReuseTest, BoilerplateFileListsPhrasesToIgnore) {
  const std::string feed = Feed(60);
  const std::string phrases = Path("phrases.txt");
  WriteFile(phrases, "\n" + Words(0, 78) + "\r\n");
  std::string out, err;
  EXPECT_EQ(Scan(feed + " --boilerplate " + phrases, &out, &err), 1) << out;
  EXPECT_TRUE(Records(out, "cluster").empty());
  bool story = false;
  for (const std::string& line : Records(out, "boilerplate")) {
    if (absl::StrContains(line, "\"source\":\"user\"")) {
      story = true;
      EXPECT_TRUE(absl::StrContains(line, "\"documents\":60")) << line;
    }
  }
  EXPECT_TRUE(story) << out;
  EXPECT_EQ(Scan(feed + " --boilerplate " + Path("missing.txt"), &out, &err),
            2);
  EXPECT_TRUE(absl::StrContains(err, "missing.txt")) << err;
}

TEST_F(ScanReuseTest, ThreeThousandIdenticalDocumentsAreAllInOneCluster) {
  std::string jsonl;
  for (int d = 0; d < 3000; ++d) {
    absl::StrAppend(&jsonl, "{\"id\":\"copy", d, "\",\"text\":\"", Words(0, 40),
                    "\"}\n");
  }
  WriteFile(Path("copies.jsonl"), jsonl);
  std::string out, err;
  ASSERT_EQ(Scan(Path("copies.jsonl"), &out, &err), 0) << err;
  const std::vector<std::string> clusters = Records(out, "cluster");
  ASSERT_EQ(clusters.size(), 1u);
  EXPECT_TRUE(absl::StrContains(clusters[0], "\"documents\":3000,")) << err;
  EXPECT_TRUE(absl::StrContains(clusters[0], "{\"id\":\"copy2999\","));
}

TEST_F(ScanReuseTest, CopiesWithAWordAddedAreEachReportedWithExactSpans) {
  // 300 copies of one article, a word before or after some, and another
  // article that shares 60 of its words.
  const std::string article =
      Words(200000, 40) + " " + Words(0, 60) + " " + Words(300000, 40);
  std::string jsonl;
  for (int c = 0; c < 300; ++c) {
    const std::string text = c % 3 == 1   ? "Reuters " + article
                             : c % 3 == 2 ? article + " AFP"
                                          : article;
    absl::StrAppend(&jsonl, "{\"id\":\"copy", c, "\",\"text\":\"", text,
                    "\"}\n");
  }
  absl::StrAppend(&jsonl, "{\"id\":\"other\",\"text\":\"", Words(400000, 40),
                  " ", Words(0, 60), " ", Words(500000, 40), "\"}\n");
  WriteFile(Path("copies.jsonl"), jsonl);
  std::string out, err;
  ASSERT_EQ(Scan(Path("copies.jsonl"), &out, &err), 0) << err;
  const std::string summary = Lines(out).back();
  EXPECT_TRUE(absl::StrContains(summary, "\"copies\":299,")) << summary;
  EXPECT_TRUE(absl::StrContains(err, "299 documents hold another's whole text"))
      << err;
  // Two clusters: the article in its 300 copies, the shared words in them
  // and in the other article; each copy's spans in its own offsets.
  const std::vector<std::string> clusters = Records(out, "cluster");
  ASSERT_EQ(clusters.size(), 2u) << out.substr(0, 1000);
  const std::string& passage =
      absl::StrContains(clusters[0], "\"documents\":301,") ? clusters[0]
                                                           : clusters[1];
  const std::string& whole =
      &passage == &clusters[0] ? clusters[1] : clusters[0];
  EXPECT_TRUE(absl::StrContains(whole, "\"documents\":300,")) << whole;
  const size_t story = Words(200000, 40).size() + 1;
  const size_t shared = Words(0, 60).size();
  for (int c = 0; c < 300; ++c) {
    const size_t shift = c % 3 == 1 ? 8 : 0;  // "Reuters "
    EXPECT_TRUE(absl::StrContains(
        whole, absl::StrCat("{\"id\":\"copy", c, "\",\"start\":", shift,
                            ",\"end\":", shift + article.size(), ",")))
        << c;
    EXPECT_TRUE(absl::StrContains(
        passage,
        absl::StrCat("{\"id\":\"copy", c, "\",\"start\":", shift + story,
                     ",\"end\":", shift + story + shared, ",")))
        << c;
  }
  EXPECT_TRUE(Records(out, "pair").empty());
  // --align-copies: none set aside, every copy still reported.
  ASSERT_EQ(Scan(Path("copies.jsonl") + " --align-copies", &out, &err), 0)
      << err;
  EXPECT_TRUE(absl::StrContains(Lines(out).back(), "\"copies\":0,"));
  EXPECT_FALSE(absl::StrContains(err, "whole text")) << err;
  for (int c = 0; c < 300; ++c) {
    EXPECT_TRUE(
        absl::StrContains(out, absl::StrCat("{\"id\":\"copy", c, "\",")))
        << c;
  }
}

TEST_F(ScanReuseTest, TextFormatShowsTheCluster) {
  const std::string feed = Feed(60);
  std::string out;
  ASSERT_EQ(RunCommand(std::string(NEARDUP_CLI) + " scan -q " + feed, &out), 0);
  EXPECT_TRUE(absl::StrContains(out, "cluster 1: one passage in 60 documents"))
      << out.substr(0, 500);
}

}  // namespace
}  // namespace neardup::testing
