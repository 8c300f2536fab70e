// Scanner: Scan fed a document or a batch at a time.
#include <filesystem>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "neardup/neardup.h"
#include "test_words.h"

namespace neardup {
namespace {

using ::neardup::testing::Words;

// Documents 2k and 2k+1 share a 60-word passage.
std::vector<Document> Collection() {
  std::vector<Document> documents;
  for (int d = 0; d < 40; ++d) {
    documents.push_back(
        {"doc" + std::to_string(d), Words(500000 + 1000 * d, 30) + " " +
                                        Words(1000 * (d / 2), 60) + " " +
                                        Words(700000 + 1000 * d, 30)});
  }
  return documents;
}

void ExpectSameResult(const ScanResult& x, const ScanResult& y) {
  ASSERT_EQ(x.pairs.size(), y.pairs.size());
  for (size_t i = 0; i < x.pairs.size(); ++i) {
    EXPECT_EQ(x.pairs[i].a, y.pairs[i].a);
    EXPECT_EQ(x.pairs[i].b, y.pairs[i].b);
    ASSERT_EQ(x.pairs[i].passages.size(), y.pairs[i].passages.size());
    for (size_t p = 0; p < x.pairs[i].passages.size(); ++p) {
      EXPECT_EQ(x.pairs[i].passages[p].a.begin, y.pairs[i].passages[p].a.begin);
      EXPECT_EQ(x.pairs[i].passages[p].b.end, y.pairs[i].passages[p].b.end);
    }
  }
  EXPECT_EQ(x.stats.candidate_pairs, y.stats.candidate_pairs);
}

TEST(ScannerTest, SameResultAsScanWhicheverWayDocumentsAreAdded) {
  const std::vector<Document> documents = Collection();
  const auto expected = Scan(documents);
  ASSERT_TRUE(expected.ok());
  ASSERT_EQ(expected->pairs.size(), 20u);

  auto one_by_one = Scanner::Create();
  ASSERT_TRUE(one_by_one.ok());
  for (const Document& d : documents) {
    ASSERT_TRUE((*one_by_one)->Add(d.id, d.text).ok());
  }
  auto result = (*one_by_one)->Finish();
  ASSERT_TRUE(result.ok());
  ExpectSameResult(*result, *expected);

  auto mixed = Scanner::Create();
  ASSERT_TRUE(mixed.ok());
  std::vector<DocumentView> batch;
  for (size_t d = 0; d < 25; ++d) {
    batch.push_back({documents[d].id, documents[d].text});
  }
  ASSERT_TRUE((*mixed)->Add(batch).ok());
  for (size_t d = 25; d < documents.size(); ++d) {
    ASSERT_TRUE((*mixed)->Add(Document(documents[d])).ok());
  }
  EXPECT_EQ((*mixed)->size(), documents.size());
  result = (*mixed)->Finish();
  ASSERT_TRUE(result.ok());
  ExpectSameResult(*result, *expected);
  EXPECT_EQ((*mixed)->id(30), "doc30");
  // The texts are read back from the temporary file.
  for (size_t d = 0; d < documents.size(); ++d) {
    const absl::StatusOr<std::string> text = (*mixed)->text(d);
    ASSERT_TRUE(text.ok()) << text.status();
    EXPECT_EQ(*text, documents[d].text);
  }
  EXPECT_EQ((*mixed)->text(documents.size()).status().code(),
            absl::StatusCode::kOutOfRange);
}

// The texts wait in a temporary file that is unlinked when it is created:
// the directory stays empty however the Scanner ends.
TEST(ScannerTest, LeavesNoFileInItsTemporaryDirectory) {
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / "scanner_test_temp";
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(std::filesystem::create_directory(dir));
  {
    auto scanner = Scanner::Create({}, dir.string());
    ASSERT_TRUE(scanner.ok()) << scanner.status();
    for (const Document& d : Collection()) {
      ASSERT_TRUE((*scanner)->Add(d).ok());
    }
    EXPECT_TRUE(std::filesystem::is_empty(dir));
    const auto result = (*scanner)->Finish();
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->pairs.size(), 20u);
    EXPECT_TRUE(std::filesystem::is_empty(dir));
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir));
  std::filesystem::remove_all(dir);
}

TEST(ScannerTest, UnwritableTemporaryDirectoryIsAnError) {
  const auto scanner = Scanner::Create({}, "/nonexistent/neardup");
  ASSERT_FALSE(scanner.ok());
  EXPECT_NE(scanner.status().message().find("/nonexistent/neardup"),
            std::string::npos)
      << scanner.status();
}

TEST(ScannerTest, AddAfterFinishAndFinishTwiceAreErrors) {
  auto scanner = Scanner::Create();
  ASSERT_TRUE(scanner.ok());
  ASSERT_TRUE((*scanner)->Add("a", Words(0, 30)).ok());
  ASSERT_TRUE((*scanner)->Finish().ok());
  EXPECT_EQ((*scanner)->Add("b", "x").code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ((*scanner)->Finish().status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(ScannerTest, EmptyScannerFindsNothing) {
  auto scanner = Scanner::Create();
  ASSERT_TRUE(scanner.ok());
  const auto result = (*scanner)->Finish();
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->pairs.empty());
}

TEST(ScannerTest, CancelledFinishIsCancelled) {
  std::atomic<bool> cancel{true};
  ScanOptions options;
  options.cancel = &cancel;
  auto scanner = Scanner::Create(options);
  ASSERT_TRUE(scanner.ok());
  for (const Document& d : Collection()) {
    ASSERT_TRUE((*scanner)->Add(d).ok());
  }
  EXPECT_EQ((*scanner)->Finish().status().code(), absl::StatusCode::kCancelled);
}

}  // namespace
}  // namespace neardup
