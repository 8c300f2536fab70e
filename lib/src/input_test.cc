#include "neardup/input.h"

#include <zlib.h>
#include <zstd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "input_internal.h"
#include "input_source.h"
#include "utf8.h"

namespace neardup {
namespace {

namespace fs = std::filesystem;
using Strings = std::vector<std::string>;

::testing::AssertionResult Contains(absl::string_view haystack,
                                    absl::string_view needle) {
  if (haystack.find(needle) != absl::string_view::npos) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "\"" << haystack << "\" does not contain \"" << needle << "\"";
}

class InputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ =
        (fs::path(::testing::TempDir()) / "neardup_input_test" / info->name())
            .string();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes `bytes` to dir_/name and returns the file's path.
  std::string Write(const std::string& name, std::string_view bytes) {
    std::string path = Path(name);
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), bytes.size());
    EXPECT_TRUE(out.good()) << path;
    return path;
  }

  std::string WriteGzip(const std::string& name, std::string_view bytes,
                        const char* mode = "wb") {
    std::string path = Path(name);
    gzFile file = gzopen(path.c_str(), mode);
    EXPECT_NE(file, nullptr);
    EXPECT_EQ(gzwrite(file, bytes.data(), bytes.size()),
              static_cast<int>(bytes.size()));
    EXPECT_EQ(gzclose(file), Z_OK);
    return path;
  }

  std::string WriteZstd(const std::string& name, std::string_view bytes) {
    std::string compressed(ZSTD_compressBound(bytes.size()), '\0');
    size_t size = ZSTD_compress(compressed.data(), compressed.size(),
                                bytes.data(), bytes.size(), 3);
    EXPECT_FALSE(ZSTD_isError(size));
    compressed.resize(size);
    return Write(name, compressed);
  }

  std::string ReadBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  std::string Path(const std::string& name) const {
    return absl::StrCat(dir_, "/", name);
  }

  std::string dir_;
};

// Reads every record and its line; the first error ends the reading.
absl::Status ReadAll(InputReader& reader, std::vector<InputRecord>* records,
                     std::vector<std::string>* lines) {
  while (true) {
    InputRecord record;
    std::string line = "not set";
    absl::StatusOr<bool> more = reader.Next(&record, &line);
    if (!more.ok()) return more.status();
    if (!*more) return absl::OkStatus();
    records->push_back(std::move(record));
    lines->push_back(std::move(line));
  }
}

struct Result {
  absl::Status status;
  std::vector<InputRecord> records;
  std::vector<std::string> lines;  // InputReader::Next's `line`
  std::vector<InputWarning> warnings;
  InputStats stats;
};

Result ReadPaths(std::vector<std::string> paths,
                 const InputOptions& options = {}) {
  Result result;
  absl::StatusOr<std::unique_ptr<InputReader>> reader =
      InputReader::Open(std::move(paths), options);
  if (!reader.ok()) {
    result.status = reader.status();
    return result;
  }
  result.status = ReadAll(**reader, &result.records, &result.lines);
  result.warnings = (*reader)->TakeWarnings();
  result.stats = (*reader)->stats();
  return result;
}

std::vector<std::string> Ids(const std::vector<InputRecord>& records) {
  std::vector<std::string> ids;
  for (const InputRecord& r : records) ids.push_back(r.id);
  return ids;
}

std::vector<std::string> Origins(const std::vector<InputWarning>& warnings) {
  std::vector<std::string> origins;
  for (const InputWarning& w : warnings) origins.push_back(w.origin);
  return origins;
}

// Reads the listing of `paths` in shares, each with its own reader, as the
// ranks of neardup-mpi do: its first file in pieces cut at `cuts`
// (increasing, inside the file), the other files with the last piece; and
// joins what they give in order. The first share's error ends it, as the
// lowest failing rank's does. (Directories are not checked for usable
// files: neardup-mpi does that over all shares.)
Result ReadPieces(const std::vector<std::string>& paths,
                  const std::vector<uint64_t>& cuts,
                  const InputOptions& options = {}) {
  Result result;
  InputListing listing;
  result.status = ListInputs(paths, stdin, &listing);
  if (!result.status.ok()) return result;
  std::vector<uint64_t> bounds = {0};
  bounds.insert(bounds.end(), cuts.begin(), cuts.end());
  bounds.push_back(Source::kToEnd);
  for (size_t k = 0; k + 1 < bounds.size(); ++k) {
    InputShare share;
    share.pieces = {{0, bounds[k], bounds[k + 1]}};
    if (k + 2 == bounds.size()) {
      for (size_t i = 1; i < listing.sources.size(); ++i) {
        share.pieces.push_back({i, 0, Source::kToEnd});
      }
    }
    share.listing_counts = k == 0;
    share.check_dirs = false;
    absl::StatusOr<std::unique_ptr<InputReader>> reader =
        InputReaderInternal::OpenShare(paths, options, share);
    if (!reader.ok()) {
      result.status = reader.status();
      return result;
    }
    result.status = ReadAll(**reader, &result.records, &result.lines);
    for (InputWarning& w : (*reader)->TakeWarnings()) {
      result.warnings.push_back(std::move(w));
    }
    const InputStats& s = (*reader)->stats();
    result.stats.files += s.files;
    result.stats.records += s.records;
    result.stats.bytes += s.bytes;
    result.stats.stored_bytes += s.stored_bytes;
    result.stats.total_stored_bytes += s.total_stored_bytes;
    result.stats.skipped_files += s.skipped_files;
    result.stats.skipped_bad += s.skipped_bad;
    result.stats.invalid_utf8 += s.invalid_utf8;
    if (!result.status.ok()) return result;
  }
  return result;
}

// What was read, as text to compare; `bytes`: with the bytes read (of a
// file refused, one process counts what it read of it, a buffer's worth;
// pieces after an error are not opened).
std::string Describe(const Result& r, bool bytes = true) {
  std::string s = absl::StrCat("status: ", r.status.ToString(), "\n");
  for (size_t i = 0; i < r.records.size(); ++i) {
    absl::StrAppend(&s, "record ", r.records[i].id, " @ ", r.records[i].origin,
                    ": ", r.records[i].text, " | ", r.lines[i], "\n");
  }
  for (const InputWarning& w : r.warnings) {
    absl::StrAppend(&s, "warning ", w.origin, ": ", w.message, "\n");
  }
  const InputStats& t = r.stats;
  if (bytes) {
    absl::StrAppend(&s, "bytes ", t.bytes, " stored ", t.stored_bytes,
                    " total ", t.total_stored_bytes, " ");
  }
  absl::StrAppend(&s, "files ", t.files, " records ", t.records,
                  " skipped files ", t.skipped_files, " bad ", t.skipped_bad,
                  " invalid utf-8 ", t.invalid_utf8, "\n");
  return s;
}

TEST_F(InputTest, PiecesOfAJsonlFileReadAsTheWholeFileAtEveryCut) {
  const std::string path =
      Write("d/f.jsonl",
            "\xEF\xBB\xBF{\"id\":\"a\",\"text\":\"first\"}\r\n"
            "\n"
            "   \n"
            "{\"text\":\"no id, so path:line\"}\n"
            "{\"id\":\"b\",\"text\":\"bad \xFF byte\"}\n"
            "{\"id\":\"c\",\"text\": broken\n"
            "{\"id\":7,\"text\":\"" +
                std::string(300, 'x') +
                "\"}\n"
                "{\"id\":\"d\",\"text\":\"last, no newline\"}");
  InputOptions options;
  options.skip_bad = true;
  // Named, and under a directory (whose listing gives the path).
  for (const std::string& named : {path, Path("d")}) {
    const std::string whole = Describe(ReadPaths({named}, options));
    ASSERT_TRUE(Contains(whole, "record 7 @ ")) << whole;
    ASSERT_TRUE(Contains(whole, "f.jsonl:6: skipped: not valid JSON")) << whole;
    const uint64_t size = fs::file_size(path);
    for (uint64_t cut = 1; cut < size; ++cut) {
      ASSERT_EQ(Describe(ReadPieces({named}, {cut}, options)), whole)
          << "cut at " << cut;
    }
    for (uint64_t a = 1; a < size; a += 5) {
      for (uint64_t b = a + 1; b < size; b += 11) {
        ASSERT_EQ(Describe(ReadPieces({named}, {a, b, b + 1}, options)), whole)
            << "cuts at " << a << ", " << b << ", " << b + 1;
      }
    }
  }
}

TEST_F(InputTest, PiecesRefuseAFileOnceWhereOneProcessDoes) {
  const std::vector<std::pair<std::string, std::string>> files = {
      {"array.jsonl", "\n\n  \n[{\"id\":\"a\",\"text\":\"x\"}]\n{}\n"},
      {"pretty.json", "\n{\n  \"id\": \"p\",\n  \"text\": \"x\"\n}\n"},
      {"binary.jsonl", std::string("{\"a\":\0}\n{\"text\":\"x\"}\n", 22)},
      {"blank.jsonl", "\n   \n\t\n\n\r\n\n"},
      {"bad.jsonl", "\n{\"text\":\"x\"}\n{\"text\":\n{\"text\":\"y\"}\n"}};
  for (const auto& [name, bytes] : files) {
    const std::string path = Write(absl::StrCat("d", name, "/", name), bytes);
    Write(absl::StrCat("d", name, "/z.txt"), "another file");
    for (const std::string& named : {path, Path(absl::StrCat("d", name))}) {
      const std::string whole = Describe(ReadPaths({named}), false);
      for (uint64_t cut = 1; cut < bytes.size(); ++cut) {
        ASSERT_EQ(Describe(ReadPieces({named}, {cut}), false), whole)
            << named << " cut at " << cut;
        if (cut + 2 < bytes.size()) {
          ASSERT_EQ(Describe(ReadPieces({named}, {cut, cut + 2}), false), whole)
              << named << " cut at " << cut << ", " << cut + 2;
        }
      }
    }
  }
}

TEST_F(InputTest, OnlyUncompressedJsonlFilesCanBeCut) {
  const std::string line = "{\"text\":\"x\"}\n";
  uint64_t size = 0;
  EXPECT_TRUE(SplittableJsonl({Write("a.jsonl", line)}, {}, 1, &size));
  EXPECT_EQ(size, line.size());
  EXPECT_TRUE(SplittableJsonl({Write("a.NDJSON", line)}, {}, 1, &size));
  EXPECT_FALSE(SplittableJsonl({WriteGzip("a.jsonl.gz", line)}, {}, 1, &size));
  EXPECT_FALSE(SplittableJsonl({WriteZstd("b.jsonl.zst", line)}, {}, 1, &size));
  // Compressed data under a plain name is found by its first bytes.
  EXPECT_FALSE(SplittableJsonl({WriteGzip("gz.jsonl", line)}, {}, 1, &size));
  const std::string txt = Write("a.txt", line);
  EXPECT_FALSE(SplittableJsonl({txt}, {}, 1, &size));
  InputOptions jsonl;
  jsonl.format = InputFormat::kJsonl;
  EXPECT_TRUE(SplittableJsonl({txt}, jsonl, 1, &size));
  InputOptions text;
  text.format = InputFormat::kText;
  EXPECT_FALSE(SplittableJsonl({Write("c.jsonl", line)}, text, 1, &size));
  EXPECT_FALSE(SplittableJsonl({Path("missing.jsonl")}, {}, 1, &size));
  EXPECT_FALSE(SplittableJsonl({dir_}, jsonl, 1, &size));
  EXPECT_FALSE(SplittableJsonl({"-"}, jsonl, 1, &size));
  // Smaller than asked: not cut, but its size is known.
  size = 0;
  EXPECT_FALSE(SplittableJsonl({Write("d.jsonl", line)}, {}, 100, &size));
  EXPECT_EQ(size, line.size());
}

TEST(CheckUtf8Test, CountsEveryInvalidByte) {
  EXPECT_EQ(
      CheckUtf8("plain ascii \xD8\xB3\xD9\x84\xD8\xA7\xD9\x85").invalid_bytes,
      0u);
  Utf8Check check = CheckUtf8(
      "ab\xFF"
      "c\xE2\x82");  // stray byte, cut-off
  EXPECT_EQ(check.invalid_bytes, 3u);
  EXPECT_EQ(check.first_invalid, 2u);
  EXPECT_EQ(CheckUtf8("\xED\xA0\x80").invalid_bytes, 3u);  // a surrogate
  EXPECT_EQ(CheckUtf8("\xC0\xAF").invalid_bytes, 2u);      // overlong
  EXPECT_EQ(CheckUtf8("\xF0\x9F\x98\x80").invalid_bytes, 0u);
}

TEST_F(InputTest, TextFileIsReturnedByteForByteWithBom) {
  const std::string bytes = "\xEF\xBB\xBFhello\r\nworld\n";
  std::string path = Write("a.txt", bytes);
  Result r = ReadPaths({path});
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].id, path);
  EXPECT_EQ(r.records[0].text, bytes);
  EXPECT_EQ(r.records[0].origin, path);
  EXPECT_EQ(r.lines[0], "");
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(r.stats.files, 1u);
  EXPECT_EQ(r.stats.records, 1u);
  EXPECT_EQ(r.stats.bytes, bytes.size());
}

TEST_F(InputTest, LongTextFileHoldsLittleMoreThanItsBytes) {
  // Read in doubling chunks, a 3 MB file once took an 8 MiB buffer, which
  // the caller then held with the text.
  const std::string text((size_t{3} << 20) + 1, 'x');
  Result result = ReadPaths({Write("long.txt", text)});
  ASSERT_TRUE(result.status.ok()) << result.status;
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_EQ(result.records[0].text, text);
  EXPECT_LE(result.records[0].text.capacity(), text.size() + text.size() / 8);
}

TEST_F(InputTest, DirectoryIsSortedByteWiseAndIdsJoinWithOneSlash) {
  Write("corpus/b.txt", "b");
  Write("corpus/a.txt", "a");
  Write("corpus/B.txt", "B");
  Write("corpus/sub/c.txt", "c");
  Write("corpus/a-z.txt", "a-z");
  Write("corpus/.hidden.txt", "hidden");
  Write("corpus/.git/x.txt", "hidden dir");
  for (std::string dir : {Path("corpus"), Path("corpus/"), Path("corpus//")}) {
    Result r = ReadPaths({dir});
    ASSERT_TRUE(r.status.ok()) << r.status;
    const std::string base = Path("corpus");
    EXPECT_EQ(Ids(r.records),
              (Strings{base + "/B.txt", base + "/a-z.txt", base + "/a.txt",
                       base + "/b.txt", base + "/sub/c.txt"}));
    ASSERT_EQ(r.records.size(), 5u);
    EXPECT_EQ(r.records[4].text, "c");
    EXPECT_EQ(r.stats.files, 5u);
  }
}

TEST_F(InputTest, PathsAreReadInTheOrderGivenAndOnceIfGivenTwice) {
  std::string a = Write("a.txt", "a");
  std::string b = Write("b.txt", "b");
  Result r = ReadPaths({b, a, b});
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(Ids(r.records), (Strings{b, a}));
  EXPECT_EQ(r.stats.repeated_files, 1u);
}

TEST_F(InputTest, UnusableFilesInDirectoryAreSkippedWithWarning) {
  Write("d/a.bin", std::string("PK\x03\x04\0\0data", 10));
  Write("d/b.txt", "");
  Write("d/c.txt", "text");
  Write("d/d.txt", std::string("\xFF\xFEh\0i\0", 6));
  Write("d/e.jsonl", std::string("\xFE\xFF\0{\0}", 6));
  Write("d/f.jsonl", std::string("{\"text\":\"a\0b\"}\n", 15));
  Write("d/g.jsonl", "");
  Write("d/h.jsonl", "\n \r\n");
  Write("d/h.txt", "\n \r\n");
  Write("d/i.jsonl", R"({"text":"record"})");
  Result r = ReadPaths({Path("d")});
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(Ids(r.records), (Strings{Path("d/c.txt"), Path("d/i.jsonl:1")}));
  EXPECT_EQ(Origins(r.warnings),
            (Strings{Path("d/a.bin"), Path("d/b.txt"), Path("d/d.txt"),
                     Path("d/e.jsonl"), Path("d/f.jsonl"), Path("d/g.jsonl"),
                     Path("d/h.jsonl"), Path("d/h.txt")}));
  const Strings messages = {
      "skipped: binary file (NUL byte at offset 4)",
      "skipped: empty file",
      "skipped: UTF-16 text is not supported",
      "skipped: UTF-16 text is not supported",
      "skipped: binary file (NUL byte at offset 10)",
      "skipped: empty file",
      "skipped: no records (only blank lines)",
      "skipped: no text (only white space)",
  };
  for (size_t i = 0; i < messages.size() && i < r.warnings.size(); ++i) {
    EXPECT_EQ(r.warnings[i].message, messages[i]) << r.warnings[i].origin;
  }
  EXPECT_EQ(r.stats.skipped_files, messages.size());
  EXPECT_EQ(r.stats.files, 10u);
}

TEST_F(InputTest, BinaryFileIsFoundByNulInFirst64KiB) {
  std::string late(100 * 1024, 'x');
  late[70 * 1024] = '\0';  // past the probe: read as text
  Write("d/late.txt", late);
  std::string early(100 * 1024, 'x');
  early[60 * 1024] = '\0';
  Write("d/early.txt", early);
  Result r = ReadPaths({Path("d")});
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(Ids(r.records), (Strings{Path("d/late.txt")}));
  EXPECT_EQ(r.records[0].text, late);
  EXPECT_EQ(r.stats.skipped_files, 1u);
}

TEST_F(InputTest, ExplicitBinaryOrEmptyFileIsAnErrorNamingIt) {
  const std::vector<std::pair<std::string, std::string>> files = {
      {Write("x.bin", std::string("a\0b", 3)), ": binary file"},
      {Write("x.jsonl", std::string("{\0}\n", 4)), ": binary file"},
      {Write("empty.txt", ""), ": empty file"},
      {Write("empty.jsonl", ""), ": empty file"},
      {Write("blank.txt", " \n\t\r\n"), ": no text (only white space)"},
      {Write("blank.jsonl", "\n\n"), ": no records (only blank lines)"},
  };
  for (const auto& [path, message] : files) {
    Result r = ReadPaths({path});
    EXPECT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument) << path;
    EXPECT_TRUE(Contains(r.status.message(), path + message));
    EXPECT_TRUE(Contains(r.status.message(), " — "));
  }
  // Only bad records, skipped as asked: not an error.
  InputOptions options;
  options.skip_bad = true;
  Result r = ReadPaths({Write("bad.jsonl", "not json\n")}, options);
  EXPECT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.stats.skipped_bad, 1u);
}

TEST_F(InputTest, DirectoryWithoutUsableFilesIsAnError) {
  Write("d/empty.txt", "");
  Write("d/blank.jsonl", "\n\n");
  Result r = ReadPaths({Path("d")});
  EXPECT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(r.status.message(), Path("d") + ": no usable files"));

  fs::create_directories(Path("only_hidden"));
  Write("only_hidden/.x.txt", "x");
  r = ReadPaths({Path("only_hidden")});
  EXPECT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(r.status.message(), Path("only_hidden") + ": no files"));
}

TEST_F(InputTest, MissingPathIsAnErrorAtOpen) {
  absl::StatusOr<std::unique_ptr<InputReader>> reader =
      InputReader::Open({Path("nope.txt")});
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(Contains(reader.status().message(), Path("nope.txt")));
}

TEST_F(InputTest, ExplicitUtf16FileIsAnErrorSayingHowToConvert) {
  for (std::string path :
       {Write("le.txt", std::string("\xFF\xFEh\0i\0", 6)),
        Write("be.jsonl", std::string("\xFE\xFF\0{\0}\0\n", 7))}) {
    Result r = ReadPaths({path});
    EXPECT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status.message(),
              path +
                  ": UTF-16 text is not supported — convert it to UTF-8 "
                  "(e.g. iconv -f UTF-16 -t UTF-8)");
  }
}

TEST_F(InputTest, JsonlIdsTextsAndRawLines) {
  const std::string line1 =
      R"({"id":"a1","text":"say \"hi\"\n\u00e9\u0628","x":[1,{"y":null}]})";
  const std::string line2 = R"({"text":"no id"})";
  const std::string line3 = R"({"text":"number id","id":42})";
  const std::string line4 = R"({"id":"crlf","text":"windows"})";
  const std::string line6 = R"({"id":null,"text":"null id"})";
  std::string path =
      Write("f.jsonl", line1 + "\n" + line2 + "\n" + line3 + "\n" + line4 +
                           "\r\n  \t\n\n" + line6);  // no final newline
  Result r = ReadPaths({path});
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(Ids(r.records),
            (Strings{"a1", path + ":2", "42", "crlf", path + ":7"}));
  ASSERT_EQ(r.records.size(), 5u);
  EXPECT_EQ(r.records[0].text, "say \"hi\"\n\xC3\xA9\xD8\xA8");
  EXPECT_EQ(r.lines[0], line1);
  EXPECT_EQ(r.records[0].origin, path + ":1");
  EXPECT_EQ(r.records[1].text, "no id");
  EXPECT_EQ(r.lines[3], line4 + "\r");
  EXPECT_EQ(r.records[3].origin, path + ":4");
  EXPECT_EQ(r.lines[4], line6);
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(r.stats.records, 5u);
  EXPECT_EQ(r.stats.files, 1u);
}

// The mark is left out of the line: a kept record may land anywhere in an
// output, where a mark would not be JSON.
TEST_F(InputTest, JsonlUtf8BomIsToleratedAndLeftOutOfTheLine) {
  const std::string line =
      "\xEF\xBB\xBF"
      R"({"id":"b","text":"t"})";
  std::string path = Write("bom.jsonl", line + "\n");
  Result r = ReadPaths({path});
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].id, "b");
  EXPECT_EQ(r.lines[0], line.substr(3));
}

TEST_F(InputTest, JsonlInsideDirectoryUsesJoinedPathInOrigins) {
  Write("d/a.txt", "text");
  fs::create_directories(Path("d/b"));
  std::string feed = WriteGzip("d/b/feed.jsonl.gz",
                               "\n"
                               R"({"text":"one"})"
                               "\n");
  Result r = ReadPaths({Path("d/")});
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(Ids(r.records), (Strings{Path("d/a.txt"), feed + ":2"}));
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[1].origin, feed + ":2");
  EXPECT_EQ(r.stats.files, 2u);
}

TEST_F(InputTest, JsonlFieldNamesAreOptions) {
  std::string path =
      Write("f.ndjson", R"({"key":7,"body":"b","text":1,"id":"x"})"
                        "\n");
  InputOptions options;
  options.text_field = "body";
  options.id_field = "key";
  Result r = ReadPaths({path}, options);
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].id, "7");
  EXPECT_EQ(r.records[0].text, "b");
}

TEST_F(InputTest, JsonlErrorsNamePathLineAndField) {
  const std::string good = R"({"id":"g","text":"t"})";
  struct Case {
    std::string line;
    std::string message;
  };
  const std::vector<Case> cases = {
      {R"({"id":"x","text":"t",})", ":2: not valid JSON ("},
      {R"({"id":"x","text":"t"} trailing)", ":2: not valid JSON ("},
      {R"(["text"])", ":2: not a JSON object"},
      {R"({"id":"x","body":"t"})",
       ":2: no \"text\" field — set InputOptions::text_field to choose the "
       "field"},
      {R"({"id":"x","text":7})", ":2: field \"text\" is not a string"},
      {R"({"id":"x","text":null})", ":2: field \"text\" is not a string"},
      {R"({"id":1.5,"text":"t"})", ":2: field \"id\" is not a string"},
  };
  for (const Case& c : cases) {
    std::string path = Write("bad.jsonl", good + "\n" + c.line + "\n");
    Result r = ReadPaths({path});
    EXPECT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument) << c.line;
    std::string expected = c.message;
    if (size_t at = expected.find("PATH"); at != std::string::npos) {
      expected.replace(at, 4, path);
    }
    EXPECT_TRUE(Contains(r.status.message(), path + expected)) << c.line;
    EXPECT_EQ(Ids(r.records), (Strings{"g"}));
  }
}

// Numbers simdjson cannot hold (beyond 64 bits, or a double's range) are
// valid JSON: in a field the tool does not read they change nothing, and an
// id keeps its JSON text. The line handed back is the line as written. A
// text or id that is no string stays an error; a malformed number too.
TEST_F(InputTest, JsonlNumbersBeyondSixtyFourBitsAreValidJson) {
  const std::string first =
      R"({"id":123456789012345678901234567890,"n":1e400,"m":-0.5e-3,)"
      R"("s":"1e400 \"99999999999999999999999\"","text":"one two"})";
  const std::string second =
      R"({"id":"b","big":[1E999,-99999999999999999999,0],"text":"three"})";
  Result r = ReadPaths({Write("big.jsonl", first + "\n" + second + "\n")});
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(Ids(r.records), (Strings{"123456789012345678901234567890", "b"}));
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0].text, "one two");
  EXPECT_EQ(r.records[1].text, "three");
  EXPECT_EQ(r.lines, (Strings{first, second}));
  for (const std::string& bad :
       {std::string(R"({"id":"c","text":5,"x":1e400})"),
        std::string(R"({"id":1.5,"text":"t","x":1e400})"),
        std::string(R"({"id":"d","text":"t","x":-})"),
        std::string(R"({"id":"e","text":"t","x":01})")}) {
    Result b = ReadPaths({Write("bad.jsonl", bad + "\n")});
    EXPECT_EQ(b.status.code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST_F(InputTest, ErrorIsSticky) {
  std::string path = Write("bad.jsonl",
                           "{\n"
                           R"({"text":"t"})"
                           "\n");
  absl::StatusOr<std::unique_ptr<InputReader>> reader =
      InputReader::Open({path});
  ASSERT_TRUE(reader.ok());
  InputRecord record;
  absl::StatusOr<bool> first = (*reader)->Next(&record);
  EXPECT_FALSE(first.ok());
  absl::StatusOr<bool> second = (*reader)->Next(&record);
  EXPECT_EQ(second.status(), first.status());
}

// Re-scraped feeds repeat ids: the records are read, told apart by their
// origins, the first repeat named and all counted.
TEST_F(InputTest, RepeatedIdsAreReadCountedAndNamedOnce) {
  std::string a = Write("a.jsonl", R"({"id":"same","text":"1"})"
                                   "\n");
  std::string b = Write("b.jsonl",
                        "\n"
                        R"({"id":"same","text":"2"})"
                        "\n"
                        R"({"id":"same","text":"3"})"
                        "\n");
  Result r = ReadPaths({a, b});
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(Ids(r.records), (Strings{"same", "same", "same"}));
  EXPECT_EQ(r.records[1].origin, b + ":2");
  EXPECT_EQ(r.stats.repeated_ids, 2u);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].origin, b + ":2");
  EXPECT_TRUE(Contains(r.warnings[0].message, "id \"same\" repeats"));
  EXPECT_EQ(r.warnings[0].kind, InputWarning::Kind::kRepeatedId);
  EXPECT_TRUE(r.warnings[0].message.ends_with(kRepeatedIdFate));
}

TEST_F(InputTest, IdFieldRequiredMakesAMissingIdAnError) {
  std::string path = Write("ids.jsonl", R"({"id":"a","text":"1"})"
                                        "\n"
                                        R"({"text":"2"})"
                                        "\n");
  InputOptions options;
  options.id_required = true;
  Result r = ReadPaths({path}, options);
  EXPECT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(r.status.message(), path + ":2: no \"id\" field"))
      << r.status;
  options.skip_bad = true;
  r = ReadPaths({path}, options);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(Ids(r.records), (Strings{"a"}));
  EXPECT_EQ(r.stats.skipped_bad, 1u);
}

TEST_F(InputTest, SkipBadTurnsBadRecordsIntoWarnings) {
  std::string path = Write("mixed.jsonl", R"({"id":"a","text":"ok"})"
                                          "\n"
                                          "not json\n"
                                          R"({"id":"b"})"
                                          "\n"
                                          R"({"id":"c","text":["x"]})"
                                          "\n"
                                          R"({"id":"a","text":"again"})"
                                          "\n"
                                          R"({"id":"e","text":"ok too"})"
                                          "\n");
  InputOptions options;
  options.skip_bad = true;
  Result r = ReadPaths({path}, options);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(Ids(r.records), (Strings{"a", "a", "e"}));
  EXPECT_EQ(Origins(r.warnings),
            (Strings{path + ":2", path + ":3", path + ":4", path + ":5"}));
  ASSERT_EQ(r.warnings.size(), 4u);
  EXPECT_TRUE(Contains(r.warnings[0].message, "skipped: not valid JSON"));
  EXPECT_TRUE(Contains(r.warnings[1].message, "no \"text\" field"));
  EXPECT_TRUE(Contains(r.warnings[2].message, "not a string"));
  EXPECT_TRUE(Contains(r.warnings[3].message, "id \"a\" repeats"));
  EXPECT_EQ(r.stats.skipped_bad, 3u);
  EXPECT_EQ(r.stats.repeated_ids, 1u);
  EXPECT_EQ(r.stats.records, 3u);
}

// Code points DecodeUtf8 reads in `text`.
uint32_t CodePointCount(std::string_view text) {
  uint32_t end = static_cast<uint32_t>(text.size());
  ByteToCodePointOffsets(text, {&end});
  return end;
}

TEST_F(InputTest, InvalidUtf8InJsonlIsReplacedWithAWarning) {
  const std::string value = "bad \xC3 byte, cut \xE2\x82, stray \xFF\xFE end";
  const std::string line = "{\"id\":\"d\",\"text\":\"" + value + "\"}";
  const std::string good = R"({"id":"g","text":"fine"})";
  std::string path = Write("u.jsonl", good + "\n" + line + "\r\n" + good +
                                          "x\n"  // not JSON: after the repair
                                          R"({"id":"e","text":"\u00e9"})");
  InputOptions options;
  options.skip_bad = true;  // only to read past line 3
  Result r = ReadPaths({path}, options);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(Ids(r.records), (Strings{"g", "d", "e"}));
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.records[1].text,
            "bad \uFFFD byte, cut \uFFFD, stray \uFFFD\uFFFD end");
  EXPECT_EQ(CodePointCount(r.records[1].text), CodePointCount(value));
  // The line to copy is repaired, so that it is valid UTF-8; "\r" kept.
  std::string repaired;
  AppendReplacingInvalidUtf8(line + "\r", &repaired);
  EXPECT_EQ(r.lines[1], repaired);
  EXPECT_EQ(r.records[2].text, "\xC3\xA9");
  EXPECT_EQ(Origins(r.warnings), (Strings{path + ":2", path + ":3"}));
  ASSERT_EQ(r.warnings.size(), 2u);
  EXPECT_EQ(r.warnings[0].message,
            "invalid UTF-8 (5 bytes replaced by U+FFFD)");
  EXPECT_EQ(r.stats.invalid_utf8, 1u);
  EXPECT_EQ(r.stats.skipped_bad, 1u);
}

// A JSON Lines text is not checked for UTF-8 after parsing: the parser
// validates the line and refuses an escape that is no code point, so what
// it unescapes is valid UTF-8. A lone surrogate is a bad line (named, or
// skipped and counted), a pair is one 4-byte character, \u0000 a NUL.
TEST_F(InputTest, JsonlEscapesAreValidUtf8OrABadLine) {
  std::string path =
      Write("esc.jsonl", R"({"id":"a","text":"\ud83d\ude00 \u0000 \u00e9"})"
                         "\n"
                         R"({"id":"b","text":"x \ud800 y"})"
                         "\n"
                         R"({"id":"c","text":"\udc00"})"
                         "\n"
                         R"({"id":"d","text":"\ud800\u0041 \\ud800"})"
                         "\n"
                         R"({"id":"e","text":"\ud800\ud800"})"
                         "\n"
                         R"({"id":"f","text":"ok"})"
                         "\n");
  // Half a surrogate pair is no character: read as U+FFFD (one code point
  // and three bytes, as the lone surrogate would be), said and counted.
  Result r = ReadPaths({path});
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(Ids(r.records), (Strings{"a", "b", "c", "d", "e", "f"}));
  EXPECT_EQ(r.records[0].text, std::string("\xF0\x9F\x98\x80 \0 \xC3\xA9", 9));
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(r.records[1].text, "x " + fffd + " y");
  EXPECT_EQ(r.records[2].text, fffd);
  EXPECT_EQ(r.records[3].text, fffd + "A \\ud800");  // an escaped backslash
  EXPECT_EQ(r.records[4].text, fffd + fffd);
  for (const InputRecord& record : r.records) {
    EXPECT_EQ(CheckUtf8(record.text).invalid_bytes, 0u) << record.id;
  }
  EXPECT_EQ(Origins(r.warnings),
            (Strings{path + ":2", path + ":3", path + ":4", path + ":5"}));
  EXPECT_TRUE(Contains(r.warnings[3].message, "2 escapes of half a surrogate"))
      << r.warnings[3].message;
  EXPECT_EQ(r.stats.invalid_utf8, 4u);

  InputOptions options;
  options.strict_utf8 = true;
  r = ReadPaths({path}, options);
  EXPECT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(r.status.message(),
                       path + ":2: an escape of half a surrogate pair"))
      << r.status;
  options.skip_bad = true;
  r = ReadPaths({path}, options);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(Ids(r.records), (Strings{"a", "f"}));
  EXPECT_EQ(r.stats.skipped_bad, 4u);
  EXPECT_EQ(r.stats.invalid_utf8, 0u);
}

TEST_F(InputTest, StrictUtf8MakesInvalidUtf8InJsonlABadRecord) {
  std::string path = Write("u.jsonl",
                           "\xEF\xBB\xBF{\"text\":\"caf\xE9\"}\n"
                           "{\"text\":\"one\"}\n"
                           "{\"text\":\"two\"}\n");
  InputOptions options;
  options.strict_utf8 = true;
  Result r = ReadPaths({path}, options);
  EXPECT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument);
  // The offset is into the line after its byte order mark.
  EXPECT_TRUE(Contains(r.status.message(),
                       path + ":1: invalid UTF-8 (1 byte, the first at offset "
                              "12 of the line) — convert the file to UTF-8"));
  EXPECT_TRUE(r.records.empty());

  options.skip_bad = true;
  r = ReadPaths({path}, options);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.records.size(), 2u);
  EXPECT_EQ(Origins(r.warnings), (Strings{path + ":1"}));
  EXPECT_EQ(r.stats.skipped_bad, 1u);
  EXPECT_EQ(r.stats.invalid_utf8, 0u);
}

TEST_F(InputTest, InvalidUtf8InTextIsAWarningWithLine) {
  const std::string bytes = "first line\nsecond \xFF\xC3 line\nthird \xFF\n";
  std::string path = Write("latin.txt", bytes);
  Result r = ReadPaths({path});
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].text, bytes);  // unchanged
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].origin, path + ":2");
  EXPECT_EQ(r.warnings[0].message,
            "invalid UTF-8 (3 bytes replaced by U+FFFD when compared and "
            "written)");
  EXPECT_EQ(r.stats.invalid_utf8, 1u);
}

TEST_F(InputTest, StrictUtf8MakesInvalidUtf8AnError) {
  std::string path = Write("latin.txt", "ok\n\xE9t\xE9\n");
  InputOptions options;
  options.strict_utf8 = true;
  Result r = ReadPaths({path}, options);
  EXPECT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(r.status.message(),
                       path + ":2: invalid UTF-8 (2 bytes, the first at offset "
                              "3) — convert the text to UTF-8"));
  EXPECT_TRUE(Contains(r.status.message(), "clear InputOptions::strict_utf8"));
  EXPECT_TRUE(r.records.empty());
}

std::string SampleJsonl() {
  std::string jsonl;
  for (int i = 0; i < 5000; ++i) {
    absl::StrAppendFormat(&jsonl,
                          "{\"id\":\"doc-%05d\",\"text\":\"نص رقم %d "
                          "\\u0628 with some padding to make it longer\"}\n",
                          i, i * 7919);
  }
  return jsonl;
}

TEST_F(InputTest, CompressedJsonlReadsLikePlain) {
  const std::string jsonl = SampleJsonl();
  Result plain = ReadPaths({Write("p.jsonl", jsonl)});
  ASSERT_TRUE(plain.status.ok()) << plain.status;
  ASSERT_EQ(plain.records.size(), 5000u);
  for (std::string path :
       {WriteGzip("p.jsonl.gz", jsonl), WriteZstd("p.jsonl.zst", jsonl)}) {
    Result r = ReadPaths({path});
    ASSERT_TRUE(r.status.ok()) << r.status;
    ASSERT_EQ(r.records.size(), plain.records.size()) << path;
    for (size_t i = 0; i < r.records.size(); ++i) {
      ASSERT_EQ(r.records[i].id, plain.records[i].id);
      ASSERT_EQ(r.records[i].text, plain.records[i].text);
      ASSERT_EQ(r.lines[i], plain.lines[i]);
    }
    EXPECT_EQ(r.stats.bytes, jsonl.size());
  }
}

TEST_F(InputTest, StoredBytesCountWhatIsReadFromDiskOutOfTheTotal) {
  const std::string jsonl = SampleJsonl();
  const std::string gz = WriteGzip("p.jsonl.gz", jsonl);
  const std::string text = Write("d/a.txt", "some text");
  const size_t total = fs::file_size(gz) + fs::file_size(text);
  ASSERT_LT(fs::file_size(gz), jsonl.size());
  absl::StatusOr<std::unique_ptr<InputReader>> reader =
      InputReader::Open({gz, Path("d")});
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->stats().total_stored_bytes, total);
  EXPECT_EQ((*reader)->stats().stored_bytes, 0u);
  InputRecord record;
  ASSERT_TRUE(*(*reader)->Next(&record));
  EXPECT_GT((*reader)->stats().stored_bytes, 0u);
  std::vector<InputRecord> records;
  std::vector<std::string> lines;
  ASSERT_TRUE(ReadAll(**reader, &records, &lines).ok());
  EXPECT_EQ((*reader)->stats().stored_bytes, total);
  EXPECT_EQ((*reader)->stats().bytes, jsonl.size() + 9);
}

TEST_F(InputTest, CompressedTextFilesAndConcatenatedGzipMembers) {
  std::string gz = WriteGzip("a.txt.gz", "first member, ");
  WriteGzip("a.txt.gz", "second member", "ab");
  std::string zst = WriteZstd("b.md.zst", "zstd text");
  Result r = ReadPaths({gz, zst});
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0].id, gz);
  EXPECT_EQ(r.records[0].text, "first member, second member");
  EXPECT_EQ(r.lines[0], "");
  EXPECT_EQ(r.records[1].text, "zstd text");
}

TEST_F(InputTest, TruncatedOrCorruptCompressedDataIsDataLoss) {
  const std::string jsonl = SampleJsonl();
  std::string gz = ReadBytes(WriteGzip("full.jsonl.gz", jsonl));
  std::string zst = ReadBytes(WriteZstd("full.jsonl.zst", jsonl));
  std::string corrupt_zst = zst;
  corrupt_zst[zst.size() / 2] ^= 0x55;
  std::string corrupt_gz = gz;
  corrupt_gz[gz.size() / 2] ^= 0x55;
  const std::vector<std::pair<std::string, std::string>> files = {
      {"cut.jsonl.gz", gz.substr(0, gz.size() / 2)},
      {"cut_trailer.jsonl.gz", gz.substr(0, gz.size() - 4)},
      {"cut.jsonl.zst", zst.substr(0, zst.size() / 2)},
      {"cut_end.jsonl.zst", zst.substr(0, zst.size() - 1)},
      {"bad.jsonl.zst", corrupt_zst},
      {"bad.jsonl.gz", corrupt_gz},
      {"cut.txt.gz", gz.substr(0, 20)},
  };
  for (const auto& [name, bytes] : files) {
    std::string path = Write(name, bytes);
    Result r = ReadPaths({path});
    EXPECT_EQ(r.status.code(), absl::StatusCode::kDataLoss) << name;
    EXPECT_TRUE(Contains(r.status.message(), path + ": truncated or corrupt "))
        << name;
  }
}

// Yields `bytes` in reads of 1 to 4,999 bytes, counting two stored bytes
// for each one read, then `end` (an error, or OK for the end).
class ScriptedSource : public ByteSource {
 public:
  ScriptedSource(std::string bytes, absl::Status end, size_t* stored)
      : bytes_(std::move(bytes)), end_(std::move(end)), stored_(stored) {}
  absl::StatusOr<size_t> Read(char* dst, size_t n) override {
    if (at_ == bytes_.size()) {
      if (!end_.ok()) return end_;
      return 0;
    }
    size_t take =
        std::min({n, bytes_.size() - at_, 1 + (reads_++ * 7919) % 4999});
    std::memcpy(dst, bytes_.data() + at_, take);
    at_ += take;
    *stored_ += 2 * take;
    return take;
  }

 private:
  std::string bytes_;
  absl::Status end_;
  size_t* stored_;
  size_t at_ = 0;
  size_t reads_ = 0;
};

std::string Pattern(size_t size) {
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; ++i)
    bytes[i] = static_cast<char>(i * 131 + i / 977);
  return bytes;
}

TEST(PrefetchingSourceTest, HandsOutEveryByteInOrderThenTheErrorForGood) {
  // Several chunks more than the thread reads ahead.
  const std::string bytes = Pattern((size_t{11} << 20) + 12345);
  for (const absl::Status& end :
       {absl::OkStatus(), absl::DataLossError("x.zst: truncated")}) {
    size_t stored = 0;
    PrefetchingSource source(&stored);
    source.Start(
        std::make_unique<ScriptedSource>(bytes, end, source.stored_counter()));
    std::string got;
    ReadBuffer buffer(1 << 20);
    ReadBuffer small(999);  // too small to swap: copied into
    absl::Status status;
    for (int i = 0;; ++i) {
      // Every way of reading, mixed: copied in odd sizes, or swapped whole.
      ReadBuffer& into = i % 4 == 3 ? small : buffer;
      absl::StatusOr<size_t> n =
          i % 4 == 0 || i % 4 == 3
              ? source.ReadInto(&into)
              : source.Read(buffer.data(),
                            std::min<size_t>(buffer.size(), 100000 + i));
      if (!n.ok()) {
        status = n.status();
        break;
      }
      if (*n == 0) break;
      EXPECT_LE(*n, into.size());
      got.append(into.data(), *n);
      EXPECT_LE(stored, 2 * got.size() + (size_t{10} << 20));
    }
    EXPECT_EQ(status, end);
    EXPECT_EQ(small.size(), 999u);
    ASSERT_EQ(got.size(), bytes.size());
    EXPECT_TRUE(got == bytes);
    EXPECT_EQ(stored, 2 * bytes.size());
    // The end, or the error, again.
    absl::StatusOr<size_t> again = source.Read(buffer.data(), 10);
    EXPECT_EQ(again.status(), end);
    if (end.ok()) {
      EXPECT_EQ(*again, 0u);
    }
  }
}

TEST(PrefetchingSourceTest, StopsWhenTheReaderStopsEarly) {
  size_t stored = 0;
  auto source = std::make_unique<PrefetchingSource>(&stored);
  source->Start(std::make_unique<ScriptedSource>(
      Pattern(size_t{16} << 20), absl::OkStatus(), source->stored_counter()));
  char byte;
  ASSERT_EQ(*source->Read(&byte, 1), 1u);
  EXPECT_EQ(byte, Pattern(1)[0]);
  source.reset();  // joins the thread, which is waiting for a free buffer
}

// Compressed files are read on a thread of their own from 1 MiB
// (input_prefetch_min_bytes); read that way or not, every file gives the
// same records, lines, warnings, errors and counts.
TEST_F(InputTest, DecompressingOnAThreadReadsAsBefore) {
  std::string jsonl;
  for (int i = 0; i < 25000; ++i) {
    absl::StrAppendFormat(&jsonl,
                          "{\"id\":\"d%d\",\"text\":\"نص %d and some more "
                          "words to make a longer line of it\"}\n",
                          i, i * 7919);
  }
  ASSERT_GT(jsonl.size(), size_t{2} << 20);
  const std::string gz = ReadBytes(WriteGzip("g.jsonl.gz", jsonl));
  const std::string zst = ReadBytes(WriteZstd("z.jsonl.zst", jsonl));
  std::string bad_line = jsonl;
  bad_line.insert(jsonl.find('\n', jsonl.size() / 2) + 1, "not json\n");
  WriteZstd("bad_line.jsonl.zst", bad_line);
  Write("cut.jsonl.zst", zst.substr(0, zst.size() * 3 / 4));
  std::string corrupt = gz;
  corrupt[gz.size() * 3 / 4] ^= 0x55;
  Write("corrupt.jsonl.gz", corrupt);
  WriteZstd("d/b.jsonl.zst", jsonl.substr(0, 1000));
  WriteGzip("d/a.txt.gz", "a text");
  const std::vector<std::vector<std::string>> inputs = {
      {Path("g.jsonl.gz"), Path("z.jsonl.zst")},
      {Path("bad_line.jsonl.zst")},
      {Path("cut.jsonl.zst")},
      {Path("corrupt.jsonl.gz")},
      {Path("d"), Path("z.jsonl.zst")},
  };
  const uint64_t saved = input_prefetch_min_bytes;
  for (const std::vector<std::string>& paths : inputs) {
    for (const bool skip_bad : {false, true}) {
      // --skip-bad changes only what a bad line does.
      if (skip_bad && paths[0] != Path("bad_line.jsonl.zst")) continue;
      InputOptions options;
      options.skip_bad = skip_bad;
      input_prefetch_min_bytes = ~uint64_t{0};
      const Result direct = ReadPaths(paths, options);
      input_prefetch_min_bytes = 0;
      const Result prefetched = ReadPaths(paths, options);
      // The decompressed bytes read by the time of an error depend on how
      // far ahead the reading went.
      const bool bytes = direct.status.ok();
      EXPECT_EQ(Describe(prefetched, bytes), Describe(direct, bytes))
          << paths[0];
      EXPECT_EQ(prefetched.stats.stored_bytes, direct.stats.stored_bytes);
      EXPECT_EQ(prefetched.lines, direct.lines);
    }
  }
  input_prefetch_min_bytes = saved;
  const Result r = ReadPaths({Path("bad_line.jsonl.zst")});
  EXPECT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadPaths({Path("cut.jsonl.zst")}).status.code(),
            absl::StatusCode::kDataLoss);
}

// Runs the reader on {"-"} with `bytes` as standard input.
Result ReadStdin(std::string_view bytes, const InputOptions& options = {}) {
  Result result;
  std::FILE* file = std::tmpfile();
  EXPECT_NE(file, nullptr);
  std::fwrite(bytes.data(), 1, bytes.size(), file);
  std::rewind(file);
  absl::StatusOr<std::unique_ptr<InputReader>> reader =
      InputReaderInternal::Open({"-"}, options, file);
  EXPECT_TRUE(reader.ok());
  result.status = ReadAll(**reader, &result.records, &result.lines);
  result.warnings = (*reader)->TakeWarnings();
  result.stats = (*reader)->stats();
  std::fclose(file);
  return result;
}

TEST(InputStdinTest, JsonlWhenFirstNonBlankByteIsBrace) {
  Result r = ReadStdin(
      "\n  \n{\"id\":\"s\",\"text\":\"from stdin\"}\n{\"text\":\"t\"}");
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(Ids(r.records), (Strings{"s", "-:4"}));
  EXPECT_EQ(r.records[0].origin, "-:3");
  EXPECT_EQ(r.lines[0], "{\"id\":\"s\",\"text\":\"from stdin\"}");
}

TEST(InputStdinTest, InputFormatTextReadsABraceAsText) {
  const std::string text = "{\"id\":\"s\",\"text\":\"t\"}\n";
  InputOptions options;
  options.format = InputFormat::kText;
  Result r = ReadStdin(text, options);
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].text, text);
}

TEST(InputStdinTest, CompressedDataIsRecognisedByItsFirstBytes) {
  const std::string jsonl = "{\"id\":\"z\",\"text\":\"zstd on stdin\"}\n";
  std::string zst(ZSTD_compressBound(jsonl.size()), '\0');
  zst.resize(
      ZSTD_compress(zst.data(), zst.size(), jsonl.data(), jsonl.size(), 3));
  Result r = ReadStdin(zst);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(Ids(r.records), (Strings{"z"}));
  EXPECT_EQ(r.records[0].text, "zstd on stdin");
}

TEST(InputStdinTest, OtherwiseOneTextDocument) {
  const std::string text = "  \n plain text {\"not\": \"json\"}\n";
  Result r = ReadStdin(text);
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].id, "-");
  EXPECT_EQ(r.records[0].text, text);
  EXPECT_EQ(r.lines[0], "");

  r = ReadStdin("");
  EXPECT_TRUE(Contains(r.status.message(), "-: empty"));
}

TEST_F(InputTest, UpperCaseNamesAndJsonlInsideATxtFile) {
  std::string upper = Write("A.JSONL", R"({"id":"u","text":"upper"})"
                                       "\n");
  std::string txt = Write("b.txt", R"({"id":"t","text":"in a txt"})"
                                   "\n");
  Result r = ReadPaths({upper, txt});
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(Ids(r.records), (Strings{"u", "t"}));
  ASSERT_EQ(r.warnings.size(), 1u);  // b.txt was read as JSON Lines
  EXPECT_EQ(r.warnings[0].origin, txt);
  EXPECT_TRUE(Contains(r.warnings[0].message, "read as JSON Lines"));
}

TEST_F(InputTest, JsonArrayIsRefusedWhenNamedAndSkippedInADirectory) {
  std::string array = Write("d/array.json", R"([{"id":"a","text":"x"}])");
  Write("d/pretty.json", "{\n  \"id\": \"p\",\n  \"text\": \"x\"\n}\n");
  Write("d/z.txt", "text");
  Result r = ReadPaths({array});
  EXPECT_TRUE(Contains(r.status.message(), "a JSON array, not JSON Lines"))
      << r.status;
  r = ReadPaths({Path("d")});
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.stats.skipped_files, 2u);
  ASSERT_EQ(r.warnings.size(), 2u);
  EXPECT_TRUE(Contains(r.warnings[1].message, "pretty-printed"));
}

TEST_F(InputTest, BomInsideALineIsNamed) {
  std::string path = Write("cat.jsonl", R"({"id":"a","text":"x"})"
                                        "\n\xEF\xBB\xBF"
                                        R"({"id":"b","text":"y"})"
                                        "\n");
  Result r = ReadPaths({path});
  EXPECT_TRUE(Contains(r.status.message(), path + ":2: not valid JSON"));
  EXPECT_TRUE(Contains(r.status.message(), "byte order mark at byte 0"))
      << r.status;
}

TEST_F(InputTest, EachFileIsReadOnceHoweverItIsReached) {
  std::string a = Write("d/a.txt", "alpha");
  std::filesystem::create_symlink("a.txt", Path("d/link.txt"));
  std::filesystem::create_symlink("nowhere", Path("d/dangling.txt"));
  Result r = ReadPaths({a, Path("d"), a});
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(Ids(r.records), (Strings{a}));
  EXPECT_EQ(r.stats.repeated_files, 3u);  // d/a.txt, d/link.txt, a again
  EXPECT_EQ(r.stats.skipped_files, 1u);   // the dangling link
  EXPECT_EQ(Origins(r.warnings)[0], Path("d/dangling.txt"));
}

TEST_F(InputTest, ALoopOfSymbolicLinksIsSkippedAndSaidSo) {
  std::string a = Write("d/a.txt", "alpha");
  std::filesystem::create_symlink("loop2", Path("d/loop1"));
  std::filesystem::create_symlink("loop1", Path("d/loop2"));
  Result r = ReadPaths({Path("d")});
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(Ids(r.records), (Strings{a}));
  EXPECT_EQ(r.stats.skipped_files, 2u);
  ASSERT_EQ(r.warnings.size(), 2u);
  EXPECT_EQ(r.warnings[0].message, "skipped: a loop of symbolic links");
}

TEST_F(InputTest, TwentyMegabyteLineWorks) {
  std::string text(20 << 20, 'a');
  for (size_t i = 0; i < text.size(); i += 97) text[i] = ' ';
  std::string line = R"({"id":"big","text":")" + text + R"("})";
  std::string path = Write("big.jsonl", line + "\n" +
                                            R"({"id":"small","text":"s"})"
                                            "\n");
  Result r = ReadPaths({path});
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0].text, text);
  EXPECT_EQ(r.lines[0], line);
  EXPECT_EQ(r.records[1].id, "small");
}

TEST(InputDatasetTest, SaudiNewsNetReadsEveryArticleInOrder) {
  const std::string path =
      std::string(NEARDUP_SOURCE_DIR) +
      "/../shared/datasets/saudinewsnet/articles.jsonl.zst";
  if (!fs::exists(path)) {
    // CI always has ../shared beside the clone; a bare clone may not.
    if (std::getenv("CI") != nullptr) FAIL() << path << " not found";
    GTEST_SKIP() << path << " not found";
  }
  absl::StatusOr<std::unique_ptr<InputReader>> reader =
      InputReader::Open({path});
  ASSERT_TRUE(reader.ok()) << reader.status();
  InputRecord record;
  size_t count = 0;
  size_t text_bytes = 0;
  while (true) {
    absl::StatusOr<bool> more = (*reader)->Next(&record);
    ASSERT_TRUE(more.ok()) << more.status();
    if (!*more) break;
    ++count;
    ASSERT_EQ(record.id, absl::StrFormat("snn-%06d", count));
    text_bytes += record.text.size();
  }
  EXPECT_EQ(count, 31030u);
  EXPECT_EQ(text_bytes, 96388069u);  // stats.json: text_bytes_utf8
  EXPECT_EQ((*reader)->stats().bytes, 104470393u);  // stats.json: jsonl_bytes
  // Decompressed on a thread of its own (PrefetchingSource), counted whole.
  EXPECT_EQ((*reader)->stats().stored_bytes, fs::file_size(path));
  EXPECT_TRUE((*reader)->TakeWarnings().empty());
}

}  // namespace
}  // namespace neardup
