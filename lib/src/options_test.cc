// Every entry point rejects bad options with InvalidArgument naming the field
// (issue 12): NaN, infinities, huge and negative values included.
#include "neardup/options.h"

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "minhash.h"
#include "neardup/dedup.h"
#include "neardup/neardup.h"
#include "test_words.h"

namespace neardup {
namespace {

using ::neardup::testing::Words;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// One bad value of one field, and the field's name the message must hold.
struct BadOption {
  std::string field;
  std::function<void(ScanOptions*)> set;
};

std::vector<BadOption> BadScanOptions() {
  return {
      {"AlignOptions::min_tokens",
       [](ScanOptions* o) { o->align.min_tokens = 0; }},
      {"AlignOptions::min_tokens",
       [](ScanOptions* o) { o->align.min_tokens = 2000000000; }},
      {"AlignOptions::min_score",
       [](ScanOptions* o) { o->align.min_score = kNaN; }},
      {"AlignOptions::min_score",
       [](ScanOptions* o) { o->align.min_score = -0.1; }},
      {"AlignOptions::min_score",
       [](ScanOptions* o) { o->align.min_score = kInf; }},
      {"AlignOptions::max_gap", [](ScanOptions* o) { o->align.max_gap = -1; }},
      {"AlignOptions::max_occurrences",
       [](ScanOptions* o) { o->align.max_occurrences = 1 << 30; }},
      {"WindowOptions::window_tokens",
       [](ScanOptions* o) { o->windows.window_tokens = 1; }},
      {"WindowOptions::window_stride",
       [](ScanOptions* o) { o->windows.window_stride = 0; }},
      {"WindowOptions::window_stride",
       [](ScanOptions* o) { o->windows.window_stride = 49; }},
      {"WindowOptions::num_hashes",
       [](ScanOptions* o) { o->windows.num_hashes = 70000; }},
      {"WindowOptions::num_hashes",
       [](ScanOptions* o) { o->windows.num_hashes = 0; }},
      {"WindowOptions::threshold",
       [](ScanOptions* o) { o->windows.threshold = kNaN; }},
      {"WindowOptions::threshold",
       [](ScanOptions* o) { o->windows.threshold = 0; }},
      {"WindowOptions::threshold",
       [](ScanOptions* o) { o->windows.threshold = kInf; }},
      {"WindowOptions::max_bucket",
       [](ScanOptions* o) { o->windows.max_bucket = 1; }},
      {"ScanOptions::boilerplate_documents",
       [](ScanOptions* o) { o->boilerplate_documents = -1; }},
      {"ScanOptions::threads", [](ScanOptions* o) { o->threads = -1; }},
      {"ScanOptions::threads", [](ScanOptions* o) { o->threads = 1000000; }},
  };
}

std::vector<Document> TwoDocuments() {
  return {{"a", Words(0, 40)}, {"b", Words(0, 40)}};
}

TEST(OptionsTest, DefaultsAreValid) {
  EXPECT_TRUE(ValidateAnalyzeOptions({}).ok());
  EXPECT_TRUE(ValidateAlignOptions({}).ok());
  EXPECT_TRUE(ValidateWindowOptions({}).ok());
  EXPECT_TRUE(ValidateCompareOptions({}).ok());
  EXPECT_TRUE(ValidateScanOptions({}).ok());
  EXPECT_TRUE(ValidateDedupOptions({}).ok());
}

TEST(OptionsTest, MessageNamesFieldRangeAndValue) {
  WindowOptions options;
  options.num_hashes = 70000;
  const absl::Status status = ValidateWindowOptions(options);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "WindowOptions::num_hashes must be in [1, 1024], got 70000");
}

TEST(OptionsTest, ScanAndScannerRejectEachBadValue) {
  for (const BadOption& bad : BadScanOptions()) {
    SCOPED_TRACE(bad.field);
    ScanOptions options;
    bad.set(&options);
    const absl::StatusOr<ScanResult> result = Scan(TwoDocuments(), options);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(result.status().message().find(bad.field), std::string::npos)
        << result.status().message();
    const auto scanner = Scanner::Create(options);
    ASSERT_FALSE(scanner.ok());
    EXPECT_EQ(scanner.status(), result.status());
  }
}

TEST(OptionsTest, CompareRejectsBadAlignOptions) {
  for (const BadOption& bad : BadScanOptions()) {
    ScanOptions scan;
    bad.set(&scan);
    if (bad.field.rfind("AlignOptions::", 0) != 0) continue;
    SCOPED_TRACE(bad.field);
    CompareOptions options;
    options.align = scan.align;
    const auto result = Compare(Words(0, 40), Words(0, 40), options);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(result.status().message().find(bad.field), std::string::npos);
  }
}

TEST(OptionsTest, DeduplicatorRejectsEachBadValue) {
  const std::vector<std::pair<std::string, std::function<void(DedupOptions*)>>>
      bad_values = {
          {"DedupOptions::threshold",
           [](DedupOptions* o) { o->threshold = kNaN; }},
          {"DedupOptions::threshold",
           [](DedupOptions* o) { o->threshold = 0; }},
          {"DedupOptions::threshold",
           [](DedupOptions* o) { o->threshold = 1.5; }},
          {"DedupOptions::threshold",
           [](DedupOptions* o) { o->threshold = -kInf; }},
          {"DedupOptions::shingle", [](DedupOptions* o) { o->shingle = 0; }},
          {"DedupOptions::shingle",
           [](DedupOptions* o) { o->shingle = 100000; }},
          {"DedupOptions::num_hashes",
           [](DedupOptions* o) { o->num_hashes = 70000; }},
          {"DedupOptions::lsh_threshold",
           [](DedupOptions* o) { o->lsh_threshold = kNaN; }},
          {"DedupOptions::lsh_threshold",
           [](DedupOptions* o) { o->lsh_threshold = 1; }},
          {"DedupOptions::max_bucket",
           [](DedupOptions* o) { o->max_bucket = 0; }},
          {"DedupOptions::threads", [](DedupOptions* o) { o->threads = 5000; }},
          {"DedupOptions::mode",
           [](DedupOptions* o) { o->mode = static_cast<DedupMode>(7); }},
          {"DedupOptions::keep",
           [](DedupOptions* o) { o->keep = static_cast<DedupKeep>(-1); }},
      };
  for (const auto& [field, set] : bad_values) {
    SCOPED_TRACE(field);
    DedupOptions options;
    set(&options);
    const auto deduplicator = Deduplicator::Create(options);
    ASSERT_FALSE(deduplicator.ok());
    EXPECT_EQ(deduplicator.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(deduplicator.status().message().find(field), std::string::npos)
        << deduplicator.status().message();
  }
}

TEST(OptionsTest, EdgesOfEachRangeAreAccepted) {
  ScanOptions options;
  options.windows.num_hashes = kMaxNumHashes;
  options.windows.window_stride = options.windows.window_tokens;
  options.windows.threshold = 1;
  options.align.min_score = 0;
  options.threads = 1;
  const auto result = Scan(TwoDocuments(), options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->pairs.size(), 1u);
  options.windows.num_hashes = 1;
  EXPECT_TRUE(Scan(TwoDocuments(), options).ok());
}

// The validation is the guarantee; MinHasher still never overflows its
// stack bitmap when handed a value the entry points would reject.
TEST(OptionsTest, MinHasherClampsOutOfRangeNumHashes) {
  MinHashOptions options;
  options.num_hashes = 70000;
  const MinHasher big(options);
  EXPECT_EQ(big.num_hashes(), 65536);
  const std::vector<uint64_t> shingles = {1, 2, 3};
  EXPECT_EQ(big.Sketch(shingles).size(), 65536u);
  options.num_hashes = -5;
  EXPECT_EQ(MinHasher(options).num_hashes(), 1);
}

}  // namespace
}  // namespace neardup
