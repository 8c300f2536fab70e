// Scan's progress reports and cancellation. What Scan finds is tested on the
// seed corpus and SaudiNewsNet in tests/.
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "neardup/neardup.h"
#include "test_words.h"

namespace neardup {
namespace {

using ::neardup::testing::Words;

// Pairs of documents sharing a 60-word passage, 200 documents in all.
std::vector<Document> Collection() {
  std::vector<Document> documents;
  for (int d = 0; d < 200; ++d) {
    const int shared = 1000 * (d / 2);
    documents.push_back(
        {"doc" + std::to_string(d), Words(500000 + 1000 * d, 30) + " " +
                                        Words(shared, 60) + " " +
                                        Words(700000 + 1000 * d, 30)});
  }
  return documents;
}

TEST(ScanTest, ReportsEachStageInOrderOnTheCallingThread) {
  const std::thread::id caller = std::this_thread::get_id();
  std::vector<std::string> stages;
  std::vector<ScanProgress> ends;
  bool other_thread = false;
  ScanOptions options;
  options.threads = 2;
  options.progress = [&](const ScanProgress& at) {
    if (std::this_thread::get_id() != caller) other_thread = true;
    EXPECT_LE(at.done, at.total);
    if (stages.empty() || stages.back() != at.stage) {
      stages.emplace_back(at.stage);
    }
    if (at.done == at.total) ends.push_back(at);
  };
  auto result = Scan(Collection(), options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->pairs.size(), 100u);
  EXPECT_FALSE(other_thread);
  EXPECT_EQ(stages,
            (std::vector<std::string>{"analysing", "sketching",
                                      "finding candidates", "aligning"}));
  ASSERT_FALSE(ends.empty());
  EXPECT_EQ(ends.back().stage, "aligning");
  // Every candidate pair here may share a passage: none is filtered out.
  EXPECT_EQ(ends.back().total, result->stats.candidate_pairs);
}

TEST(ScanTest, CancelledScanReturnsCancelled) {
  std::atomic<bool> cancel{true};
  ScanOptions options;
  options.cancel = &cancel;
  auto result = Scan(Collection(), options);
  EXPECT_TRUE(absl::IsCancelled(result.status())) << result.status();
}

TEST(ScanTest, CancelDuringAlignmentStopsIt) {
  std::atomic<bool> cancel{false};
  ScanOptions options;
  options.threads = 1;
  options.cancel = &cancel;
  options.progress = [&](const ScanProgress& at) {
    if (at.stage == "aligning") cancel = true;
  };
  auto result = Scan(Collection(), options);
  EXPECT_TRUE(absl::IsCancelled(result.status())) << result.status();
}

// The documents (by index) that some pair or cluster of `result` reports.
std::set<size_t> Reported(const ScanResult& result) {
  std::set<size_t> documents;
  for (const DocumentPair& pair : result.pairs) {
    documents.insert(pair.a);
    documents.insert(pair.b);
  }
  for (const ReuseCluster& cluster : result.clusters) {
    for (const ClusterMember& member : cluster.members) {
      documents.insert(member.document);
    }
  }
  return documents;
}

// `n` documents, each a 78-word story (carried by every one, as a wire story
// is) between 60 words of its own on either side.
std::vector<Document> Syndicated(int n) {
  std::vector<Document> documents;
  for (int d = 0; d < n; ++d) {
    documents.push_back({"doc" + std::to_string(d),
                         Words(100000 + 1000 * d, 60) + " " + Words(0, 78) +
                             " " + Words(100500 + 1000 * d, 60)});
  }
  return documents;
}

void ExpectOneClusterOfEveryDocument(int n) {
  const std::vector<Document> documents = Syndicated(n);
  auto result = Scan(documents);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(Reported(*result).size(), static_cast<size_t>(n));
  ASSERT_EQ(result->clusters.size(), 1u);
  const ReuseCluster& cluster = result->clusters[0];
  EXPECT_EQ(cluster.documents, static_cast<size_t>(n));
  ASSERT_EQ(cluster.members.size(), static_cast<size_t>(n));
  // Each member's span is the story, in that document's own offsets.
  const std::string story = Words(0, 78);
  for (const ClusterMember& member : cluster.members) {
    const std::string& text = documents[member.document].text;
    EXPECT_EQ(
        text.substr(member.span.begin, member.span.end - member.span.begin),
        story)
        << documents[member.document].id;
  }
  // About one alignment a document, not one a pair.
  EXPECT_LT(result->stats.aligned_pairs, static_cast<size_t>(2 * n));
  EXPECT_TRUE(result->pairs.empty());
}

TEST(ScanTest, StoryCarriedBySixtyDocumentsIsOneClusterOfAllOfThem) {
  ExpectOneClusterOfEveryDocument(60);
}

TEST(ScanTest, StoryCarriedByThreeHundredDocumentsIsOneClusterOfAllOfThem) {
  ExpectOneClusterOfEveryDocument(300);
}

// Two of the outlets that carried the wire story also share a second story
// between them (a passage no other document holds): the story is one
// cluster, and the second story is their pair, found though the cluster
// already linked them. And a second story carried by 40 of the 60 costs
// about one alignment a document, not one a pair.
TEST(ScanTest, ASecondStoryOfDocumentsAClusterLinksIsStillReported) {
  std::vector<Document> documents = Syndicated(60);
  const std::string second = Words(900000, 70);
  documents[7].text += " " + second + " " + Words(910000, 40);
  documents[23].text += " " + Words(920000, 40) + " " + second;
  auto result = Scan(documents);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->clusters.size(), 1u);
  EXPECT_EQ(result->clusters[0].documents, 60u);
  ASSERT_EQ(result->pairs.size(), 1u);
  const DocumentPair& pair = result->pairs[0];
  EXPECT_EQ(pair.a, 7u);
  EXPECT_EQ(pair.b, 23u);
  bool found = false;
  for (const Passage& passage : pair.passages) {
    const std::string a = documents[7].text.substr(
        passage.a.begin, passage.a.end - passage.a.begin);
    const std::string b = documents[23].text.substr(
        passage.b.begin, passage.b.end - passage.b.begin);
    if (a == second && b == second) found = true;
  }
  EXPECT_TRUE(found);

  std::vector<Document> forty = Syndicated(60);
  for (int d = 0; d < 40; ++d) {
    forty[d].text += " " + second + " " + Words(930000 + 1000 * d, 40);
  }
  auto wide = Scan(forty);
  ASSERT_TRUE(wide.ok()) << wide.status();
  EXPECT_EQ(Reported(*wide).size(), 60u);
  ASSERT_EQ(wide->clusters.size(), 2u);
  EXPECT_EQ(wide->clusters[0].documents + wide->clusters[1].documents, 100u);
  EXPECT_LT(wide->stats.aligned_pairs, 3u * 60);
}

TEST(ScanTest, ThreeThousandIdenticalDocumentsAreAllReported) {
  std::vector<Document> documents;
  for (int d = 0; d < 3000; ++d) {
    documents.push_back({"copy" + std::to_string(d), Words(0, 30)});
  }
  auto result = Scan(documents);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(Reported(*result).size(), 3000u);
  ASSERT_EQ(result->clusters.size(), 1u);
  EXPECT_EQ(result->clusters[0].documents, 3000u);
  EXPECT_LT(result->stats.aligned_pairs, 6000u);
}

TEST(ScanTest, StockPhrasesAndFootersAreBoilerplateNotReuse) {
  // 200 articles of their own, each opening with a 10-word title of an
  // official and closing with a 25-word columnist's footer.
  const std::string title = Words(900000, 10), footer = Words(910000, 25);
  std::vector<Document> documents;
  for (int d = 0; d < 200; ++d) {
    documents.push_back({"doc" + std::to_string(d),
                         Words(200000 + 1000 * d, 30) + " " + title + " " +
                             Words(200500 + 1000 * d, 150) + " " + footer});
  }
  auto result = Scan(documents);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->pairs.empty());
  EXPECT_TRUE(result->clusters.empty());
  std::set<std::string> texts;
  for (const BoilerplateText& found : result->boilerplate) {
    EXPECT_EQ(found.documents, 200u);
    const std::string& text = documents[found.document].text;
    texts.insert(
        text.substr(found.span.begin, found.span.end - found.span.begin));
  }
  EXPECT_EQ(texts, (std::set<std::string>{title, footer}));
  EXPECT_EQ(result->stats.boilerplate_texts, 2u);
  // Without the rule, the footer links documents (as many as the window
  // sketches find).
  ScanOptions off;
  off.boilerplate_documents = 0;
  result = Scan(documents, off);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->boilerplate.empty());
  EXPECT_GT(Reported(*result).size(), 100u);
}

TEST(ScanTest, UserPhrasesAreBoilerplateWhateverTheirLength) {
  const std::vector<Document> documents = {
      {"a", Words(1000, 50) + " " + Words(0, 30) + " " + Words(2000, 50)},
      {"b", Words(3000, 50) + " " + Words(0, 30) + " " + Words(4000, 50)}};
  auto result = Scan(documents);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->pairs.size(), 1u);
  ScanOptions options;
  options.boilerplate_phrases = {Words(0, 30), "  "};
  result = Scan(documents, options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->pairs.empty());
  ASSERT_EQ(result->boilerplate.size(), 1u);
  EXPECT_TRUE(result->boilerplate[0].user_phrase);
  EXPECT_EQ(result->boilerplate[0].documents, 2u);
  EXPECT_EQ(result->boilerplate[0].span.begin, Words(1000, 50).size() + 1);
}

// Pairs, small groups, a syndicated story and footers in one collection.
std::vector<Document> Mixed() {
  std::vector<Document> documents = Syndicated(70);
  const std::vector<Document> pairs = Collection();
  documents.insert(documents.end(), pairs.begin(), pairs.begin() + 40);
  for (int d = 0; d < 12; ++d) {
    documents.push_back(
        {"trio" + std::to_string(d), Words(300000 + 1000 * d, 40) + " " +
                                         Words(800000 + 1000 * (d / 3), 50) +
                                         " " + Words(300500 + 1000 * d, 20)});
  }
  return documents;
}

TEST(ScanTest, SameResultOnOneAndManyThreads) {
  const std::vector<Document> documents = Mixed();
  ScanOptions one, many;
  one.threads = 1;
  many.threads = 4;
  auto a = Scan(documents, one);
  auto b = Scan(documents, many);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->pairs.size(), b->pairs.size());
  EXPECT_GE(a->pairs.size(), 28u);  // of 20 pairs and 4 trios
  for (size_t k = 0; k < a->pairs.size(); ++k) {
    EXPECT_EQ(a->pairs[k].a, b->pairs[k].a);
    EXPECT_EQ(a->pairs[k].b, b->pairs[k].b);
    ASSERT_EQ(a->pairs[k].passages.size(), b->pairs[k].passages.size());
    for (size_t p = 0; p < a->pairs[k].passages.size(); ++p) {
      EXPECT_EQ(a->pairs[k].passages[p].a.begin,
                b->pairs[k].passages[p].a.begin);
      EXPECT_EQ(a->pairs[k].passages[p].b.end, b->pairs[k].passages[p].b.end);
    }
  }
  ASSERT_EQ(a->clusters.size(), 1u);
  ASSERT_EQ(b->clusters.size(), 1u);
  ASSERT_EQ(a->clusters[0].members.size(), b->clusters[0].members.size());
  for (size_t k = 0; k < a->clusters[0].members.size(); ++k) {
    EXPECT_EQ(a->clusters[0].members[k].document,
              b->clusters[0].members[k].document);
    EXPECT_EQ(a->clusters[0].members[k].span.begin,
              b->clusters[0].members[k].span.begin);
  }
  EXPECT_EQ(a->boilerplate.size(), b->boilerplate.size());
}

}  // namespace
}  // namespace neardup
