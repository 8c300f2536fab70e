// Candidate recall of `scan` on SaudiNewsNet's 1,000-article sample (issue 9
// point 3): every pair of the sample is aligned directly, as `compare` does,
// and `Scan` with boilerplate off must report at least 97 % of the pairs
// that share a passage (as a pair, or as two members of one reuse cluster).
// About 500,000 alignments: label `large`. bench/scan_recall.sh prints the
// same figures with the pairs it misses. Skips when ../shared is absent.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "align.h"
#include "analyze.h"
#include "gtest/gtest.h"
#include "neardup/input.h"
#include "neardup/neardup.h"
#include "parallel.h"

namespace neardup {
namespace {

TEST(LargeScanRecallTest, ScanReportsNinetySevenPercentOfComparePairs) {
  const std::string path = std::string(NEARDUP_SOURCE_DIR) +
                           "/../shared/datasets/saudinewsnet/sample-1k.jsonl";
  if (!std::filesystem::exists(path)) {
    GTEST_SKIP() << "SaudiNewsNet sample not found at " << path;
  }
  std::vector<Document> documents;
  {
    auto reader = InputReader::Open({path});
    ASSERT_TRUE(reader.ok()) << reader.status();
    InputRecord record;
    while (true) {
      auto more = (*reader)->Next(&record);
      ASSERT_TRUE(more.ok()) << more.status();
      if (!*more) break;
      documents.push_back({record.id, record.text});
    }
  }
  const size_t n = documents.size();
  ScanOptions options;
  options.boilerplate_documents = 0;
  options.threads = 2;
  std::vector<AnalyzedText> analyzed(n);
  std::vector<KeyIndex> index(n);
  Analyzer analyzer(options.analyze);
  for (size_t d = 0; d < n; ++d) {
    analyzer.Analyze(documents[d].text, &analyzed[d]);
    index[d] = IndexKeys(analyzed[d].keys);
  }
  std::vector<std::vector<uint8_t>> shared(n, std::vector<uint8_t>(n, 0));
  ParallelFor(n, 2, 4, [&](size_t a, int) {
    for (size_t b = a + 1; b < n; ++b) {
      shared[a][b] =
          !AlignPassages({analyzed[a].keys, &index[a], {}},
                         {analyzed[b].keys, &index[b], {}}, options.align)
               .empty();
    }
  });
  const auto result = Scan(documents, options);
  ASSERT_TRUE(result.ok()) << result.status();
  std::set<std::pair<size_t, size_t>> reported;
  for (const DocumentPair& pair : result->pairs) {
    reported.insert({pair.a, pair.b});
  }
  for (const ReuseCluster& cluster : result->clusters) {
    for (const ClusterMember& x : cluster.members) {
      for (const ClusterMember& y : cluster.members) {
        if (x.document < y.document) reported.insert({x.document, y.document});
      }
    }
  }
  size_t truth = 0, found = 0;
  for (size_t a = 0; a < n; ++a) {
    for (size_t b = a + 1; b < n; ++b) {
      if (!shared[a][b]) continue;
      ++truth;
      found += reported.count({a, b});
    }
  }
  std::printf("pairs with a passage %zu, reported by scan %zu\n", truth, found);
  ASSERT_GT(truth, 100u);
  EXPECT_GE(static_cast<double>(found), 0.97 * static_cast<double>(truth));
}

}  // namespace
}  // namespace neardup
