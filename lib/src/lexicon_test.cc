#include "lexicon.h"

#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace neardup {
namespace {

TEST(DecodeDictdNumberTest, Base64Digits) {
  uint32_t value = 99;
  ASSERT_TRUE(DecodeDictdNumber("A", &value));
  EXPECT_EQ(value, 0u);
  ASSERT_TRUE(DecodeDictdNumber("b", &value));
  EXPECT_EQ(value, 27u);
  ASSERT_TRUE(DecodeDictdNumber("BA", &value));
  EXPECT_EQ(value, 64u);
  ASSERT_TRUE(DecodeDictdNumber("9/", &value));
  EXPECT_EQ(value, 61u * 64 + 63);
  EXPECT_FALSE(DecodeDictdNumber("", &value));
  EXPECT_FALSE(DecodeDictdNumber("A-", &value));
  EXPECT_FALSE(DecodeDictdNumber("///////", &value));  // > 2^32 - 1
}

TEST(FreeDictSensesTest, DropsHeadLineAndNumbering) {
  const auto senses =
      FreeDictSenses("Abandon /ɐbˈandən/\n1. يترك\n2.  يتخلّى عن \n\n10. x\n");
  ASSERT_EQ(senses.size(), 3u);
  EXPECT_EQ(senses[0], "يترك");
  EXPECT_EQ(senses[1], "يتخلّى عن");
  EXPECT_EQ(senses[2], "x");
  const auto single = FreeDictSenses("أعقف /ʔʕqf/\nAduncous\n");
  ASSERT_EQ(single.size(), 1u);
  EXPECT_EQ(single[0], "Aduncous");
}

class ReadDictdTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("neardup_lexicon_test_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  std::string WriteGzip(const std::string& name, const std::string& bytes) {
    const std::string path = (dir_ / name).string();
    gzFile file = gzopen(path.c_str(), "wb");
    gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(file);
    return path;
  }

  // Two entries after a metadata entry: "info" at 0 (5 bytes: F in base
  // 64), "cat" at 5 (15 bytes: P), "dog" at 20 (U) (11 bytes: L).
  const std::string text_ = "INFO\ncat /k/\nقطة\ndog\nكلب\n";
  const std::string index_ = "00databaseinfo\tA\tF\ncat\tF\tP\ndog\tU\tL\n";
  std::filesystem::path dir_;
};

TEST_F(ReadDictdTest, ReadsPlainAndGzipText) {
  const std::string index = Write("d.index", index_);
  for (const std::string& dict :
       {Write("d.dict", text_), WriteGzip("d.dict.dz", text_)}) {
    const auto entries = ReadDictd(index, dict);
    ASSERT_TRUE(entries.ok()) << entries.status();
    ASSERT_EQ(entries->size(), 2u);
    EXPECT_EQ((*entries)[0].headword, "cat");
    EXPECT_EQ((*entries)[0].definition, "cat /k/\nقطة\n");
    EXPECT_EQ((*entries)[1].headword, "dog");
    EXPECT_EQ((*entries)[1].definition, "dog\nكلب\n");
  }
}

TEST_F(ReadDictdTest, MalformedIndexLineNamesFileAndLine) {
  const std::string index = Write("bad.index", "cat\tF\tM\ndog R J\n");
  const auto entries = ReadDictd(index, Write("d.dict", text_));
  ASSERT_FALSE(entries.ok());
  EXPECT_EQ(entries.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(entries.status().message().find("bad.index:2:"), std::string::npos)
      << entries.status();
}

TEST_F(ReadDictdTest, EntryBeyondTheTextIsAnError) {
  const std::string index = Write("far.index", "cat\tBAAA\tM\n");
  const auto entries = ReadDictd(index, Write("d.dict", text_));
  ASSERT_FALSE(entries.ok());
  EXPECT_NE(entries.status().message().find("far.index:1:"), std::string::npos)
      << entries.status();
}

TEST_F(ReadDictdTest, MissingFilesAreNamed) {
  const std::string missing = (dir_ / "none.index").string();
  auto entries = ReadDictd(missing, Write("d.dict", text_));
  ASSERT_FALSE(entries.ok());
  EXPECT_EQ(entries.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(entries.status().message().find(missing), std::string::npos);
  const std::string no_text = (dir_ / "none.dict.dz").string();
  entries = ReadDictd(Write("d.index", index_), no_text);
  ASSERT_FALSE(entries.ok());
  EXPECT_NE(entries.status().message().find(no_text), std::string::npos);
}

TEST_F(ReadDictdTest, CorruptGzipIsAnError) {
  // A gzip header followed by garbage: zlib reports an error, not a crash.
  const std::string index = Write("d.index", index_);
  const std::string dict =
      Write("d.dict.dz", std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00", 8) +
                             std::string(200, '\xff'));
  const auto entries = ReadDictd(index, dict);
  ASSERT_FALSE(entries.ok());
  EXPECT_EQ(entries.status().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace neardup
