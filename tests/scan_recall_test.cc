// Candidate recall of `scan` (issue 9 point 3): with boilerplate off, scan
// reports a pair of documents whenever `compare` reports a passage between
// them. Two documents scanned alone are checked here on pairs of
// SaudiNewsNet's sample (library and program); the whole sample's recall
// (a brute-force alignment of all its pairs) is in
// large_scan_recall_test.cc. Skips when ../shared is absent.
#include <cstdio>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "neardup/input.h"
#include "neardup/neardup.h"
#include "test_util.h"

namespace neardup {
namespace {

std::string SamplePath() {
  return testing::SourcePath("../shared/datasets/saudinewsnet/sample-1k.jsonl");
}

std::vector<Document> ReadSample() {
  std::vector<Document> documents;
  auto reader = InputReader::Open({SamplePath()});
  if (!reader.ok()) return documents;
  InputRecord record;
  while (true) {
    auto more = (*reader)->Next(&record);
    if (!more.ok() || !*more) break;
    documents.push_back({record.id, record.text});
  }
  return documents;
}

size_t IndexOf(const std::vector<Document>& documents, const std::string& id) {
  for (size_t d = 0; d < documents.size(); ++d) {
    if (documents[d].id == id) return d;
  }
  return documents.size();
}

TEST(ScanRecallTest, TwoDocumentsScannedAloneAreReportedWhenCompareIs) {
  if (!std::filesystem::exists(SamplePath())) {
    GTEST_SKIP() << "SaudiNewsNet sample not found at " << SamplePath();
  }
  const std::vector<Document> sample = ReadSample();
  ASSERT_GE(sample.size(), 500u);
  // The issue's pair (98 % shared); three pairs sharing a loosely reworded
  // passage whose best window Jaccard is 0.07-0.11 (what window sketches
  // miss: bench/scan_recall.sh); and neighbours in the file, mostly sharing
  // nothing.
  std::vector<std::pair<size_t, size_t>> pairs;
  for (const auto& [a, b] : std::vector<std::pair<std::string, std::string>>{
           {"snn-000469", "snn-000472"},
           {"snn-000164", "snn-000531"},
           {"snn-000169", "snn-000529"},
           {"snn-000306", "snn-000883"}}) {
    pairs.emplace_back(IndexOf(sample, a), IndexOf(sample, b));
  }
  for (size_t d = 0; d < 40; ++d) pairs.emplace_back(d, d + 1);
  ScanOptions scan;
  scan.boilerplate_documents = 0;
  scan.threads = 1;
  CompareOptions compare;
  compare.align = scan.align;
  compare.analyze = scan.analyze;
  size_t shared = 0;
  for (const auto& [a, b] : pairs) {
    ASSERT_LT(a, sample.size());
    ASSERT_LT(b, sample.size());
    const auto passages = Compare(sample[a].text, sample[b].text, compare);
    ASSERT_TRUE(passages.ok()) << passages.status();
    const auto result = Scan({sample[a], sample[b]}, scan);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->pairs.size(), passages->empty() ? 0u : 1u)
        << sample[a].id << " / " << sample[b].id;
    if (!result->pairs.empty() && !passages->empty()) {
      EXPECT_EQ(result->pairs[0].passages.size(), passages->size());
      ++shared;
    }
  }
  // The four chosen pairs share a passage, so the check means something.
  EXPECT_GE(shared, 4u);
}

TEST(ScanRecallTest, ProgramReportsTheTwoDocumentsOfTheIssue) {
  if (!std::filesystem::exists(SamplePath())) {
    GTEST_SKIP() << "SaudiNewsNet sample not found at " << SamplePath();
  }
  const std::string dir = ::testing::TempDir() + "/scan_recall_two";
  std::filesystem::create_directories(dir);
  std::string lines;
  for (const std::string& line :
       testing::Lines(testing::ReadFile(SamplePath()))) {
    if (line.find("\"snn-000469\"") != std::string::npos ||
        line.find("\"snn-000472\"") != std::string::npos) {
      lines += line + "\n";
    }
  }
  ASSERT_EQ(testing::Lines(lines).size(), 2u);
  testing::WriteFile(dir + "/two.jsonl", lines);
  std::string out;
  const int status =
      testing::RunCommand(std::string(NEARDUP_CLI) + " scan " + dir +
                              "/two.jsonl --format jsonl --no-boilerplate -q",
                          &out);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("\"type\":\"pair\""), std::string::npos) << out;
  EXPECT_NE(out.find("\"pairs\":1"), std::string::npos) << out;
}

}  // namespace
}  // namespace neardup
