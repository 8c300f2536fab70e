#include "dedup_output.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/types/span.h"
#include "gtest/gtest.h"

namespace neardup::cli {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  return names;
}

struct Fixture {
  std::string dir;
  Spool spool;
  std::vector<DedupDecision> decisions;
  std::string kept;  // the kept lines, in order
};

// 3,000 lines of up to 2 KB in a spool, about a third dropped.
void Fill(Fixture* f, const std::string& name) {
  f->dir = ::testing::TempDir() + name + std::to_string(getpid());
  std::filesystem::remove_all(f->dir);
  std::filesystem::create_directory(f->dir);
  ASSERT_TRUE(f->spool.Open().ok());
  std::mt19937 rng(5);
  for (uint32_t i = 0; i < 3000; ++i) {
    const std::string line = "{\"id\":" + std::to_string(i) + "," +
                             std::string(rng() % 2000, 'a') + "}";
    ASSERT_TRUE(f->spool.Append(line).ok());
    DedupDecision decision;
    decision.kept = rng() % 3 != 0;
    decision.representative = decision.kept ? i : 0;
    f->decisions.push_back(decision);
    if (decision.kept) f->kept += line + "\n";
  }
}

// Decided in growing prefixes, some repeated, as Finish(decided) tells
// them: KEPT holds the kept lines in order once waited for and committed.
TEST(KeptStreamTest, WritesTheKeptLinesAsTheyAreDecided) {
  Fixture f;
  Fill(&f, "kept_stream_");
  const std::string path = f.dir + "/kept.jsonl";
  AtomicFile kept(path);
  {
    KeptStream stream(&f.spool, &kept, f.decisions.size());
    ASSERT_TRUE(stream.Start().ok());
    const absl::Span<const DedupDecision> all(f.decisions);
    for (size_t end : {size_t{0}, size_t{1}, size_t{256}, size_t{256},
                       size_t{1000}, size_t{2999}, size_t{3000}}) {
      stream.Decided(all.subspan(0, end));
    }
    const absl::Status waited = stream.Wait();
    ASSERT_TRUE(waited.ok()) << waited;
  }
  ASSERT_TRUE(kept.Commit().ok());
  EXPECT_EQ(ReadFile(path), f.kept);
  EXPECT_EQ(FilesIn(f.dir), std::vector<std::string>{"kept.jsonl"});
  std::filesystem::remove_all(f.dir);
}

// A run that fails while the clustering goes (the stream is dropped
// before everything is decided): the copy stops and nothing is left.
TEST(KeptStreamTest, ADroppedStreamLeavesNoFile) {
  Fixture f;
  Fill(&f, "kept_stream_dropped_");
  {
    AtomicFile kept(f.dir + "/kept.jsonl");
    KeptStream stream(&f.spool, &kept, f.decisions.size());
    ASSERT_TRUE(stream.Start().ok());
    stream.Decided(absl::MakeConstSpan(f.decisions).subspan(0, 1500));
  }
  EXPECT_TRUE(FilesIn(f.dir).empty());
  std::filesystem::remove_all(f.dir);
}

}  // namespace
}  // namespace neardup::cli
