#include "neardup/feed_index.h"

#include <lmdb.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace neardup {
namespace {

// A fresh directory under the test's temporary directory.
std::string TempIndexPath(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  std::string base = tmp != nullptr ? tmp : "/tmp";
  std::string path =
      base + "/neardup-feed-" + name + "-" + std::to_string(getpid());
  std::filesystem::remove_all(path);
  return path;
}

// A text of `n` distinct words seeded by `seed`: two texts of different
// seeds share no 5-word shingle.
std::string Words(int seed, int n) {
  std::string text;
  for (int i = 0; i < n; ++i) {
    text += "w" + std::to_string(seed) + "x" + std::to_string(i) + " ";
  }
  return text;
}

FeedIndexOptions Writable(bool texts = true) {
  FeedIndexOptions options;
  options.writable = true;
  options.create_if_missing = true;
  options.params.store_texts = texts;
  options.threads = 2;
  return options;
}

TEST(FeedIndexTest, AddThenQueryFindsNearDuplicatesWithExactSimilarity) {
  const std::string path = TempIndexPath("query");
  auto index = FeedIndex::Open(path, Writable());
  ASSERT_TRUE(index.ok()) << index.status();
  const std::string a = Words(1, 200), b = Words(2, 200);
  std::vector<DocumentView> docs = {{"a", a}, {"b", b}};
  auto added = (*index)->AddBatch("day1", docs);
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(added->added, 2u);
  EXPECT_FALSE(added->already_added);

  // One word changed in 200: 5 of 196 shingles differ on each side.
  std::string near = a;
  near.replace(near.find("w1x100 "), 7, "other ");
  const std::string unrelated = Words(3, 200);
  std::vector<std::string_view> queries = {near, unrelated};
  FeedQueryStats stats;
  auto results = (*index)->Query(queries, {}, &stats);
  ASSERT_TRUE(results.ok()) << results.status();
  ASSERT_EQ(results->size(), 2u);
  ASSERT_EQ((*results)[0].size(), 1u);
  EXPECT_EQ((*results)[0][0].id, "a");
  EXPECT_EQ((*results)[0][0].batch, "day1");
  EXPECT_TRUE((*results)[0][0].exact);
  EXPECT_NEAR((*results)[0][0].similarity, 191.0 / 201.0, 1e-9);
  EXPECT_TRUE((*results)[1].empty());
  std::filesystem::remove_all(path);
}

TEST(FeedIndexTest, SameBatchTwiceChangesNothingAndKnownIdsAreLeftOut) {
  const std::string path = TempIndexPath("idempotent");
  auto index = FeedIndex::Open(path, Writable());
  ASSERT_TRUE(index.ok()) << index.status();
  const std::string a = Words(1, 50), b = Words(2, 50);
  std::vector<DocumentView> docs = {{"a", a}, {"b", b}};
  ASSERT_TRUE((*index)->AddBatch("one", docs).ok());
  auto again = (*index)->AddBatch("one", docs);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->already_added);
  EXPECT_EQ(again->added, 0u);
  // Other content under a used name: refused.
  std::vector<DocumentView> other = {{"c", b}};
  const absl::Status refused = (*index)->AddBatch("one", other).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  // When the other batch was added, as a date a reader can read.
  EXPECT_TRUE(std::regex_search(
      std::string(refused.message()),
      std::regex(R"(\(added \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\))")))
      << refused;
  // A new batch repeating id "b": only "c" is added.
  std::vector<DocumentView> mixed = {{"b", b}, {"c", a}, {"c", a}};
  auto added = (*index)->AddBatch("two", mixed);
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(added->added, 1u);
  EXPECT_EQ(added->existing_ids, 2u);
  auto stats = (*index)->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->documents, 3u);
  ASSERT_EQ(stats->batches.size(), 2u);
  EXPECT_EQ(stats->batches[0].name, "one");
  EXPECT_EQ(stats->batches[0].content_hash.size(), 32u);
  std::filesystem::remove_all(path);
}

TEST(FeedIndexTest, IdsThatNamePlacesDoNotLeaveDocumentsOut) {
  const std::string path = TempIndexPath("places");
  auto index = FeedIndex::Open(path, Writable());
  ASSERT_TRUE(index.ok()) << index.status();
  const std::string a = Words(1, 50), b = Words(2, 50), c = Words(3, 50);
  std::vector<DocumentView> one = {{"-:1", a, true}, {"x", b}};
  ASSERT_TRUE((*index)->AddBatch("one", one).ok());
  // "-:1" again names another line of another batch: added; "x" is an id.
  std::vector<DocumentView> two = {{"-:1", c, true}, {"x", c}};
  auto added = (*index)->AddBatch("two", two);
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(added->added, 1u);
  EXPECT_EQ(added->existing_ids, 1u);
  auto found = (*index)->Query({c});
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ((*found)[0].size(), 1u);
  EXPECT_EQ((*found)[0][0].id, "-:1");
  EXPECT_EQ((*found)[0][0].batch, "two");
  std::filesystem::remove_all(path);
}

TEST(FeedIndexTest, PruneRemovesABatchAndItsKeys) {
  const std::string path = TempIndexPath("prune");
  auto index = FeedIndex::Open(path, Writable(/*texts=*/false));
  ASSERT_TRUE(index.ok()) << index.status();
  const std::string a = Words(1, 80), b = Words(2, 80);
  std::vector<DocumentView> first = {{"a", a}};
  std::vector<DocumentView> second = {{"b", b}};
  ASSERT_TRUE((*index)->AddBatch("old", first).ok());
  ASSERT_TRUE((*index)->AddBatch("new", second).ok());
  auto removed = (*index)->PruneBatch("old");
  ASSERT_TRUE(removed.ok()) << removed.status();
  ASSERT_EQ(removed->size(), 1u);
  std::vector<std::string_view> queries = {a, b};
  auto results = (*index)->Query(queries);
  ASSERT_TRUE(results.ok());
  EXPECT_TRUE((*results)[0].empty());
  ASSERT_EQ((*results)[1].size(), 1u);
  EXPECT_FALSE((*results)[1][0].exact);  // no texts: estimated
  EXPECT_GE((*results)[1][0].similarity, 0.99);
  // The id of a pruned document may be added again.
  auto again = (*index)->AddBatch("old-again", first);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->added, 1u);
  // Everything added before the far future.
  auto all = (*index)->PruneOlderThan(int64_t{1} << 40);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
  EXPECT_EQ((*index)->Stats()->documents, 0u);
  std::filesystem::remove_all(path);
}

// Matches as (document, similarity) pairs, for comparing two indexes.
std::vector<std::vector<std::pair<uint32_t, double>>> Matches(
    FeedIndex& index, const std::vector<std::string>& texts,
    const FeedQueryOptions& options, FeedQueryStats* stats) {
  std::vector<std::string_view> views(texts.begin(), texts.end());
  auto results = index.Query(views, options, stats);
  EXPECT_TRUE(results.ok()) << results.status();
  std::vector<std::vector<std::pair<uint32_t, double>>> out;
  if (!results.ok()) return out;
  for (const auto& matches : *results) {
    out.emplace_back();
    for (const FeedMatch& m : matches) {
      out.back().emplace_back(m.document, m.similarity);
    }
  }
  return out;
}

TEST(FeedIndexTest, RunsOfManyBatchesAnswerAsOneBatch) {
  // Index `one` gets every document in one batch; `many` gets them in 30
  // batches whose runs are kept apart (small_run_entries 1: merged only by
  // size) and merged; the same documents get the same numbers in both.
  const std::string one_path = TempIndexPath("runs-one");
  const std::string many_path = TempIndexPath("runs-many");
  FeedIndexOptions options = Writable(/*texts=*/false);
  auto one = FeedIndex::Open(one_path, options);
  options.small_run_entries = 1;
  auto many = FeedIndex::Open(many_path, options);
  ASSERT_TRUE(one.ok() && many.ok());
  // 300 copies of one text (a bucket of 300 documents, cut at 256 across
  // the runs), and 150 distinct texts with a near copy each.
  std::vector<std::string> texts, ids, queries;
  const std::string common = Words(0, 60);
  for (int i = 0; i < 450; ++i) {
    texts.push_back(i < 300 ? common : Words(i, 200));
    ids.push_back("d" + std::to_string(i));
  }
  std::vector<DocumentView> all;
  for (int i = 0; i < 450; ++i) all.push_back({ids[i], texts[i]});
  ASSERT_TRUE((*one)->AddBatch("all", all).ok());
  for (int b = 0; b < 30; ++b) {
    std::vector<DocumentView> part(all.begin() + b * 15,
                                   all.begin() + (b + 1) * 15);
    ASSERT_TRUE((*many)->AddBatch("part" + std::to_string(b), part).ok());
  }
  queries.push_back(common);
  for (int i = 300; i < 450; i += 7) {
    std::string near = texts[i];
    near.replace(near.find("x30 "), 4, "y30 ");
    queries.push_back(near);
  }
  FeedQueryOptions all_candidates;
  all_candidates.all_candidates = true;
  for (const FeedQueryOptions& q : {FeedQueryOptions{}, all_candidates}) {
    FeedQueryStats one_stats, many_stats;
    const auto a = Matches(**one, queries, q, &one_stats);
    const auto b = Matches(**many, queries, q, &many_stats);
    ASSERT_EQ(a.size(), queries.size());
    EXPECT_EQ(a, b);
    EXPECT_EQ(a[0].size(), 256u);  // the first 256 copies, by number
    EXPECT_EQ(a[0].back().first, 255u);
    EXPECT_GT(one_stats.capped_buckets, 0u);
    EXPECT_EQ(one_stats.capped_buckets, many_stats.capped_buckets);
    EXPECT_EQ(one_stats.candidates, many_stats.candidates);
    for (size_t i = 1; i < a.size(); ++i) EXPECT_EQ(a[i].size(), 1u);
  }
  // Pruning rewrites the runs holding the batch: its documents go, the
  // others stay.
  ASSERT_TRUE((*many)->PruneBatch("part25").ok());  // documents 375..389
  const auto after = Matches(**many, queries, {}, nullptr);
  const auto before = Matches(**one, queries, {}, nullptr);
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 1; i < after.size(); ++i) {
    const uint32_t d = before[i][0].first;
    EXPECT_EQ(after[i].empty(), d >= 375 && d < 390) << d;
  }
  std::filesystem::remove_all(one_path);
  std::filesystem::remove_all(many_path);
}

TEST(FeedIndexTest, PassageRunsOfManyBatchesAnswerAsOneBatch) {
  // With texts: each of 60 documents holds a 20-word passage of the query
  // (the shortest the passage keys must find) inside words of its own; `one`
  // gets them in one batch, `many` in 12 whose passage runs are merged only
  // by size (a binary counter), with a repeated id in each batch.
  const std::string one_path = TempIndexPath("passage-runs-one");
  const std::string many_path = TempIndexPath("passage-runs-many");
  FeedIndexOptions options = Writable(/*texts=*/true);
  auto one = FeedIndex::Open(one_path, options);
  options.small_run_entries = 1;
  auto many = FeedIndex::Open(many_path, options);
  ASSERT_TRUE(one.ok() && many.ok());
  const std::string query = Words(1000, 1200);
  std::vector<std::string> texts, ids;
  for (int i = 0; i < 60; ++i) {
    std::string passage;
    for (int w = i * 20; w < i * 20 + 20; ++w) {
      passage += "w1000x" + std::to_string(w) + " ";
    }
    texts.push_back(Words(i, 100) + passage + Words(i + 100, 100));
    ids.push_back("d" + std::to_string(i));
  }
  std::vector<DocumentView> all;
  for (int i = 0; i < 60; ++i) all.push_back({ids[i], texts[i]});
  ASSERT_TRUE((*one)->AddBatch("all", all).ok());
  for (int b = 0; b < 12; ++b) {
    std::vector<DocumentView> part(all.begin() + b * 5,
                                   all.begin() + (b + 1) * 5);
    if (b > 0) part.push_back(all[0]);  // already indexed: left out
    auto added = (*many)->AddBatch("part" + std::to_string(b), part);
    ASSERT_TRUE(added.ok()) << added.status();
    EXPECT_EQ(added->added, 5u);
  }
  FeedQueryOptions all_candidates;
  all_candidates.all_candidates = true;
  const std::vector<std::string> queries = {query, Words(2000, 300)};
  const auto a = Matches(**one, queries, all_candidates, nullptr);
  const auto b = Matches(**many, queries, all_candidates, nullptr);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a[0].size(), 60u);  // every document, found by its passage
  EXPECT_TRUE(a[1].empty());
  one->reset();
  many->reset();
  std::filesystem::remove_all(one_path);
  std::filesystem::remove_all(many_path);
}

// A text of `n` pseudo-random six-letter words (compressed to about 0.6 of
// its size: large text blocks from few documents).
std::string RandomWords(uint64_t seed, int n) {
  std::string text;
  uint64_t x = seed * 0x9E3779B97F4A7C15u + 1;
  for (int i = 0; i < n; ++i) {
    for (int c = 0; c < 6; ++c) {
      x = x * 6364136223846793005u + 1442695040888963407u;
      text += static_cast<char>('a' + (x >> 33) % 26);
    }
    text += ' ';
  }
  return text;
}

TEST(FeedIndexTest, BatchesMergedOnManyThreadsAnswerAsOneBatch) {
  // An add fills its text block and its runs on every worker, each its own
  // piece, and merges the batch's new run from memory into the runs it
  // joins (StoreRun). Index `one` gets 4,000 documents in one batch on one
  // thread; `many` gets them in two batches on 4 threads, the second's
  // runs merged with the first's, with an already indexed id in the middle
  // of it (left out: a part's frames are copied in two spans). Its text
  // block of ~5 MB is cut in at least two pieces (at 2 MiB boundaries).
  const std::string one_path = TempIndexPath("pieces-one");
  const std::string many_path = TempIndexPath("pieces-many");
  FeedIndexOptions options = Writable(/*texts=*/true);
  options.threads = 1;
  auto one = FeedIndex::Open(one_path, options);
  options.threads = 4;
  options.small_run_entries = 1;
  auto many = FeedIndex::Open(many_path, options);
  ASSERT_TRUE(one.ok() && many.ok());
  constexpr int kDocs = 4000;
  std::vector<std::string> texts, ids;
  for (int i = 0; i < kDocs; ++i) {
    texts.push_back(RandomWords(i, 400));
    ids.push_back("d" + std::to_string(i));
  }
  std::vector<DocumentView> all;
  for (int i = 0; i < kDocs; ++i) all.push_back({ids[i], texts[i]});
  ASSERT_TRUE((*one)->AddBatch("all", all).ok());
  std::vector<DocumentView> first(all.begin(), all.begin() + 1000);
  std::vector<DocumentView> second(all.begin() + 1000, all.end());
  second.insert(second.begin() + 1500, all[0]);
  ASSERT_TRUE((*many)->AddBatch("first", first).ok());
  auto added = (*many)->AddBatch("second", second);
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(added->added, 3000u);
  // Near copies of every 20th document (their first 60 %: candidates by
  // one or two bands, lost if a run lost an entry) and every document
  // itself, whose text comes back.
  std::vector<std::string> queries;
  for (int i = 0; i < kDocs; i += 20) {
    queries.push_back(texts[i].substr(0, 1680) + RandomWords(kDocs + i, 160));
  }
  FeedQueryOptions all_candidates;
  all_candidates.all_candidates = true;
  FeedQueryStats one_stats, many_stats;
  const auto a = Matches(**one, queries, all_candidates, &one_stats);
  const auto b = Matches(**many, queries, all_candidates, &many_stats);
  ASSERT_EQ(a.size(), queries.size());
  EXPECT_EQ(a, b);
  EXPECT_EQ(one_stats.candidates, many_stats.candidates);
  EXPECT_GT(one_stats.candidates, 100u);
  FeedQueryOptions with_texts;
  with_texts.want_texts = true;
  std::vector<std::string_view> views(texts.begin(), texts.end());
  auto results = (*many)->Query(views, with_texts);
  ASSERT_TRUE(results.ok()) << results.status();
  for (int i = 0; i < kDocs; ++i) {
    const std::vector<FeedMatch>& m = (*results)[i];
    ASSERT_EQ(m.size(), 1u) << i;
    EXPECT_EQ(m[0].id, ids[i]);
    EXPECT_EQ(m[0].similarity, 1.0);
    EXPECT_TRUE(m[0].text == texts[i]) << i;
  }
  one->reset();
  many->reset();
  std::filesystem::remove_all(one_path);
  std::filesystem::remove_all(many_path);
}

TEST(FeedIndexTest, ResultsDoNotDependOnThreads) {
  const std::string path = TempIndexPath("threads");
  std::vector<std::string> texts;
  for (int i = 0; i < 60; ++i) texts.push_back(Words(i % 20, 60 + i % 3));
  std::vector<DocumentView> docs;
  for (int i = 0; i < 60; ++i) {
    docs.push_back({texts[i], texts[i]});  // id: the text itself
  }
  std::vector<std::string_view> queries(texts.begin(), texts.end());
  std::vector<std::vector<std::pair<std::string, double>>> seen[2];
  for (int threads : {1, 2}) {
    std::filesystem::remove_all(path);
    FeedIndexOptions options = Writable();
    options.threads = threads;
    auto index = FeedIndex::Open(path, options);
    ASSERT_TRUE(index.ok());
    ASSERT_TRUE((*index)->AddBatch("b", docs).ok());
    FeedQueryOptions query;
    query.threshold = 0.5;
    auto results = (*index)->Query(queries, query);
    ASSERT_TRUE(results.ok());
    for (const auto& matches : *results) {
      seen[threads - 1].emplace_back();
      for (const FeedMatch& m : matches) {
        seen[threads - 1].back().emplace_back(m.id, m.similarity);
      }
    }
  }
  EXPECT_EQ(seen[0], seen[1]);
  EXPECT_FALSE(seen[0][0].empty());
  std::filesystem::remove_all(path);
}

TEST(FeedIndexTest, RefusesWhatIsNotAnIndex) {
  const std::string path = TempIndexPath("notindex");
  FeedIndexOptions read;
  EXPECT_EQ(FeedIndex::Open(path, read).status().code(),
            absl::StatusCode::kNotFound);
  // An empty directory holds no index yet, as a missing one.
  std::filesystem::create_directories(path);
  EXPECT_EQ(FeedIndex::Open(path, read).status().code(),
            absl::StatusCode::kNotFound);
  // A directory with other files is not turned into an index.
  {
    std::FILE* f = std::fopen((path + "/notes.txt").c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fclose(f);
  }
  EXPECT_EQ(FeedIndex::Open(path, read).status().code(),
            absl::StatusCode::kFailedPrecondition);
  auto created = FeedIndex::Open(path, Writable());
  EXPECT_EQ(created.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(created.status().message().find("not a neardup index"),
            std::string::npos);
  // A data.mdb that is not LMDB.
  {
    std::FILE* f = std::fopen((path + "/data.mdb").c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("hello, not a database\n", f);
    std::fclose(f);
  }
  EXPECT_FALSE(FeedIndex::Open(path, read).ok());
  std::filesystem::remove_all(path);
}

// A data.mdb cut short (a full disk, a partial copy) is refused on opening,
// to read or to write, instead of ending the process with SIGBUS at the
// first page past its end; an empty one is not an index.
TEST(FeedIndexTest, ADataFileCutShortIsRefusedOnOpening) {
  const std::string path = TempIndexPath("cut");
  {
    auto index = FeedIndex::Open(path, Writable());
    ASSERT_TRUE(index.ok()) << index.status();
    // The views point into these: they outlive AddBatch.
    std::vector<std::string> ids, texts;
    std::vector<DocumentView> docs;
    ids.reserve(300);
    texts.reserve(300);
    docs.reserve(300);
    for (int i = 0; i < 300; ++i) {
      ids.push_back("d" + std::to_string(i));
      texts.push_back(Words(i, 100));
    }
    for (int i = 0; i < 300; ++i) docs.push_back({ids[i], texts[i]});
    ASSERT_TRUE((*index)->AddBatch("day1", docs).ok());
  }
  const std::string data = path + "/data.mdb";
  const auto size = std::filesystem::file_size(data);
  ASSERT_GT(size, 3 * 4096u);
  for (const uintmax_t cut : {size - 4096, uintmax_t{3 * 4096}}) {
    std::filesystem::resize_file(data, cut);
    for (const bool writable : {false, true}) {
      FeedIndexOptions options = writable ? Writable() : FeedIndexOptions();
      auto opened = FeedIndex::Open(path, options);
      ASSERT_FALSE(opened.ok()) << cut;
      EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss);
      EXPECT_NE(opened.status().message().find("cut short"), std::string::npos)
          << opened.status();
    }
  }
  std::filesystem::resize_file(data, 0);
  auto empty = FeedIndex::Open(path, FeedIndexOptions());
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(empty.status().message().find("data.mdb is empty"),
            std::string::npos)
      << empty.status();
  std::filesystem::remove_all(path);
}

// A stored text that cannot be decompressed is damage, reported by the
// query, never a candidate quietly left unverified (or dropped).
TEST(FeedIndexTest, ADamagedStoredTextFailsTheQuery) {
  const std::string path = TempIndexPath("text-damage");
  const std::string a = Words(1, 200);
  {
    auto index = FeedIndex::Open(path, Writable());
    ASSERT_TRUE(index.ok()) << index.status();
    std::vector<DocumentView> docs = {{"a", a}};
    ASSERT_TRUE((*index)->AddBatch("day1", docs).ok());
  }
  // Every zstd frame's magic number in data.mdb, overwritten.
  const std::string data = path + "/data.mdb";
  std::string bytes;
  {
    std::ifstream in(data, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::string magic = "\x28\xB5\x2F\xFD";
  size_t clobbered = 0;
  for (size_t at = bytes.find(magic); at != std::string::npos;
       at = bytes.find(magic, at + 1)) {
    bytes.replace(at, magic.size(), "XXXX");
    ++clobbered;
  }
  ASSERT_GT(clobbered, 0u);
  {
    std::ofstream out(data, std::ios::binary | std::ios::trunc);
    out << bytes;
  }
  auto index = FeedIndex::Open(path, FeedIndexOptions());
  ASSERT_TRUE(index.ok()) << index.status();
  std::vector<std::string_view> queries = {a};
  auto results = (*index)->Query(queries, {}, nullptr);
  ASSERT_FALSE(results.ok());
  EXPECT_EQ(results.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(results.status().message().find("stored text of document 0"),
            std::string::npos)
      << results.status();
  std::filesystem::remove_all(path);
}

TEST(FeedIndexTest, RefusesANewerFormatVersion) {
  const std::string path = TempIndexPath("newer");
  {
    auto index = FeedIndex::Open(path, Writable());
    ASSERT_TRUE(index.ok());
  }
  {  // What a later version of neardup would write.
    MDB_env* env = nullptr;
    ASSERT_EQ(mdb_env_create(&env), 0);
    mdb_env_set_maxdbs(env, 8);
    ASSERT_EQ(mdb_env_open(env, path.c_str(), 0, 0644), 0);
    MDB_txn* txn = nullptr;
    ASSERT_EQ(mdb_txn_begin(env, nullptr, 0, &txn), 0);
    MDB_dbi meta;
    ASSERT_EQ(mdb_dbi_open(txn, "meta", 0, &meta), 0);
    uint32_t version = kFeedIndexFormatVersion + 1;
    MDB_val key{14, const_cast<char*>("format_version")}, value{4, &version};
    ASSERT_EQ(mdb_put(txn, meta, &key, &value, 0), 0);
    ASSERT_EQ(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
  }
  auto index = FeedIndex::Open(path, FeedIndexOptions{});
  EXPECT_EQ(index.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(
      index.status().message().find(
          "format version " + std::to_string(kFeedIndexFormatVersion + 1)),
      std::string::npos)
      << index.status();
  std::filesystem::remove_all(path);
}

TEST(FeedIndexTest, ASecondWriterIsRefused) {
  const std::string path = TempIndexPath("writers");
  auto first = FeedIndex::Open(path, Writable());
  ASSERT_TRUE(first.ok());
  // The writer lock is taken before LMDB opens anything, so trying from the
  // same process is safe and stands for another process.
  auto second = FeedIndex::Open(path, Writable());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(second.status().message().find("another process is writing"),
            std::string::npos);
  first->reset();
  auto third = FeedIndex::Open(path, Writable());
  EXPECT_TRUE(third.ok()) << third.status();
  std::filesystem::remove_all(path);
}

TEST(FeedIndexTest, ParameterMismatchNamesTheField) {
  FeedIndexParams stored, wanted;
  wanted.shingle = 4;
  wanted.analyze.match_variants = false;
  EXPECT_TRUE(CheckFeedIndexParams(stored, wanted, {}).ok());
  const std::vector<std::string> given = {"shingle", "match_variants"};
  const absl::Status s = CheckFeedIndexParams(stored, wanted, given);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("shingle: index 5, asked 4"), std::string::npos)
      << s;
  EXPECT_NE(s.message().find("match_variants"), std::string::npos);
}

TEST(FeedIndexTest, PassageKeysFindAPassageSharedByDifferentDocuments) {
  for (const bool texts : {true, false}) {
    const std::string path = TempIndexPath(texts ? "passages" : "nopassages");
    auto index = FeedIndex::Open(path, Writable(texts));
    ASSERT_TRUE(index.ok()) << index.status();
    EXPECT_EQ((*index)->params().passage_keys, texts);
    // 20 words of `a`, the shortest passage compare reports, inside 400
    // words of another text: far below any near-duplicate band.
    const std::string a = Words(1, 300), other = Words(2, 300);
    std::string passage;
    for (int i = 140; i < 160; ++i) {
      passage += "w1x" + std::to_string(i) + " ";
    }
    const std::string query = Words(3, 200) + passage + Words(4, 200);
    const std::string stock = Words(5, 300);
    std::vector<DocumentView> docs = {{"a", a}, {"other", other}};
    ASSERT_TRUE((*index)->AddBatch("day1", docs).ok());
    FeedQueryOptions options;
    options.all_candidates = true;
    std::vector<std::string_view> queries = {query, stock};
    FeedQueryStats stats;
    auto results = (*index)->Query(queries, options, &stats);
    ASSERT_TRUE(results.ok()) << results.status();
    if (texts) {
      ASSERT_EQ((*results)[0].size(), 1u);
      EXPECT_EQ((*results)[0][0].id, "a");
      EXPECT_LT((*results)[0][0].similarity, 0.1);
    } else {
      EXPECT_TRUE((*results)[0].empty());  // no passage keys without texts
    }
    EXPECT_TRUE((*results)[1].empty());
    // Not a near-duplicate: the default query finds nothing.
    options.all_candidates = false;
    results = (*index)->Query(queries, options);
    ASSERT_TRUE(results.ok()) << results.status();
    EXPECT_TRUE((*results)[0].empty());
    index->reset();
    std::filesystem::remove_all(path);
  }
}

TEST(FeedIndexTest, APassageKeyOfTooManyDocumentsIsCountedNotFollowed) {
  const std::string path = TempIndexPath("stock");
  auto index = FeedIndex::Open(path, Writable());
  ASSERT_TRUE(index.ok()) << index.status();
  // A 30-word stock phrase in 12 otherwise different documents.
  std::string stock;
  for (int i = 0; i < 30; ++i) stock += "stock" + std::to_string(i) + " ";
  std::vector<std::string> texts;
  for (int d = 0; d < 12; ++d) texts.push_back(Words(10 + d, 100) + stock);
  std::vector<DocumentView> docs;
  for (int d = 0; d < 12; ++d) {
    docs.push_back({texts[d], texts[d]});
  }
  ASSERT_TRUE((*index)->AddBatch("day1", docs).ok());
  FeedQueryOptions options;
  options.all_candidates = true;
  options.max_bucket = 5;
  const std::string query = Words(99, 100) + stock;
  std::vector<std::string_view> queries = {query};
  FeedQueryStats stats;
  auto results = (*index)->Query(queries, options, &stats);
  ASSERT_TRUE(results.ok()) << results.status();
  EXPECT_TRUE((*results)[0].empty());
  EXPECT_GT(stats.capped_passage_keys, 0u);
  options.max_bucket = 256;
  results = (*index)->Query(queries, options);
  ASSERT_TRUE(results.ok()) << results.status();
  EXPECT_EQ((*results)[0].size(), 12u);
  index->reset();
  std::filesystem::remove_all(path);
}

// Sets an index back to format version 2 as a version 2 neardup left it:
// no id blocks.
void MakeVersion2(const std::string& path) {
  MDB_env* env = nullptr;
  ASSERT_EQ(mdb_env_create(&env), 0);
  mdb_env_set_maxdbs(env, 16);
  ASSERT_EQ(mdb_env_open(env, path.c_str(), 0, 0644), 0);
  MDB_txn* txn = nullptr;
  ASSERT_EQ(mdb_txn_begin(env, nullptr, 0, &txn), 0);
  MDB_dbi meta, idblocks;
  ASSERT_EQ(mdb_dbi_open(txn, "meta", 0, &meta), 0);
  ASSERT_EQ(mdb_dbi_open(txn, "idblocks", 0, &idblocks), 0);
  ASSERT_EQ(mdb_drop(txn, idblocks, 1), 0);
  uint32_t version = 2;
  MDB_val key{14, const_cast<char*>("format_version")}, value{4, &version};
  ASSERT_EQ(mdb_put(txn, meta, &key, &value, 0), 0);
  ASSERT_EQ(mdb_txn_commit(txn), 0);
  mdb_env_close(env);
}

// (id, similarity) of each query's matches.
std::vector<std::vector<std::pair<std::string, double>>> IdMatches(
    FeedIndex& index, const std::vector<std::string>& texts) {
  std::vector<std::string_view> views(texts.begin(), texts.end());
  auto results = index.Query(views);
  EXPECT_TRUE(results.ok()) << results.status();
  std::vector<std::vector<std::pair<std::string, double>>> out;
  if (!results.ok()) return out;
  for (const auto& matches : *results) {
    out.emplace_back();
    for (const FeedMatch& m : matches)
      out.back().emplace_back(m.id, m.similarity);
  }
  return out;
}

TEST(FeedIndexTest, IdsComeAlikeFromIdBlocksAndFromAVersion2Index) {
  const std::string path = TempIndexPath("v2");
  // Ids of all lengths (the empty one too) in two batches, each document
  // found by its own text; far apart in a block and side by side.
  std::vector<std::string> texts, ids;
  for (int i = 0; i < 400; ++i) {
    texts.push_back(Words(i, 60));
    ids.push_back(i == 7 ? ""
                         : std::string(i % 37, 'a' + i % 26) + "-" +
                               std::to_string(i));
  }
  std::vector<DocumentView> docs;
  for (int i = 0; i < 400; ++i) docs.push_back({ids[i], texts[i]});
  std::vector<std::string> queries;
  for (int i = 0; i < 400; i += (i < 100 ? 1 : 23)) queries.push_back(texts[i]);
  std::vector<std::vector<std::pair<std::string, double>>> v3, v2;
  {
    auto index = FeedIndex::Open(path, Writable(/*texts=*/false));
    ASSERT_TRUE(index.ok()) << index.status();
    ASSERT_TRUE(
        (*index)->AddBatch("one", absl::MakeSpan(docs).subspan(0, 250)).ok());
    ASSERT_TRUE(
        (*index)->AddBatch("two", absl::MakeSpan(docs).subspan(250)).ok());
    v3 = IdMatches(**index, queries);
  }
  ASSERT_EQ(v3.size(), queries.size());
  for (size_t q = 0; q < queries.size(); ++q) {
    const size_t i = q < 100 ? q : 100 + (q - 100) * 23;
    ASSERT_FALSE(v3[q].empty()) << q;
    EXPECT_EQ(v3[q][0].first, ids[i]);
  }
  MakeVersion2(path);
  {
    auto index = FeedIndex::Open(path, FeedIndexOptions{});
    ASSERT_TRUE(index.ok()) << index.status();
    v2 = IdMatches(**index, queries);
  }
  EXPECT_EQ(v2, v3);
  // Opened writable, it becomes version 3: a new batch gets an id block,
  // the older ones are still read from their docs records.
  auto index = FeedIndex::Open(path, Writable(/*texts=*/false));
  ASSERT_TRUE(index.ok()) << index.status();
  const std::string text = Words(1000, 60);
  std::vector<DocumentView> more = {{"newer", text}};
  ASSERT_TRUE((*index)->AddBatch("three", more).ok());
  EXPECT_EQ((*index)->Stats()->format_version, kFeedIndexFormatVersion);
  queries.push_back(text);
  const auto mixed = IdMatches(**index, queries);
  ASSERT_EQ(mixed.size(), queries.size());
  EXPECT_EQ(std::vector(mixed.begin(), mixed.end() - 1), v3);
  ASSERT_EQ(mixed.back().size(), 1u);
  EXPECT_EQ(mixed.back()[0].first, "newer");
  index->reset();
  std::filesystem::remove_all(path);
}

TEST(FeedIndexTest, ABatchGivenInPartsIsTheBatchGivenWhole) {
  const std::string parts_path = TempIndexPath("parts");
  const std::string whole_path = TempIndexPath("whole");
  std::vector<std::string> texts, ids;
  for (int i = 0; i < 50; ++i) {
    texts.push_back(Words(i % 40, 70));           // ten repeated texts
    ids.push_back("p" + std::to_string(i % 45));  // five repeated ids
  }
  std::vector<DocumentView> docs;
  for (int i = 0; i < 50; ++i) docs.push_back({ids[i], texts[i]});
  auto parts = FeedIndex::Open(parts_path, Writable());
  auto whole = FeedIndex::Open(whole_path, Writable());
  ASSERT_TRUE(parts.ok() && whole.ok());
  // A failing source adds nothing, whatever it gave before failing.
  size_t calls = 0;
  auto failed = (*parts)->AddBatch(
      "b", [&]() -> absl::StatusOr<absl::Span<const DocumentView>> {
        if (calls++ == 0) return absl::MakeConstSpan(docs).subspan(0, 10);
        return absl::DataLossError("line 11: broken");
      });
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ((*parts)->Stats()->documents, 0u);
  // Parts of 1, 16 and 33 documents.
  size_t at = 0;
  const size_t sizes[] = {1, 16, 33};
  size_t part = 0;
  auto added = (*parts)->AddBatch(
      "b", [&]() -> absl::StatusOr<absl::Span<const DocumentView>> {
        if (part == 3) return absl::Span<const DocumentView>();
        auto span = absl::MakeConstSpan(docs).subspan(at, sizes[part]);
        at += sizes[part++];
        return span;
      });
  ASSERT_TRUE(added.ok()) << added.status();
  auto whole_added = (*whole)->AddBatch("b", docs);
  ASSERT_TRUE(whole_added.ok());
  EXPECT_EQ(added->added, whole_added->added);
  EXPECT_EQ(added->existing_ids, 5u);
  EXPECT_EQ(added->batch.content_hash, whole_added->batch.content_hash);
  // The same content given whole is recognised as already added.
  auto again = (*parts)->AddBatch("b", docs);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_added);
  EXPECT_EQ(IdMatches(**parts, texts), IdMatches(**whole, texts));
  parts->reset();
  whole->reset();
  std::filesystem::remove_all(parts_path);
  std::filesystem::remove_all(whole_path);
}

}  // namespace
}  // namespace neardup
