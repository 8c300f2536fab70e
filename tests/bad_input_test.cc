// Bad input through the `neardup` program, one test per kind: a run that
// fails exits with status 2, names the file (and the line, where there is
// one) on stderr, says what to do, and leaves no output behind; input that
// should work (skipped files, invalid UTF-8, byte order marks, CRLF, long
// lines) does.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "test_util.h"
#include "test_words.h"

namespace neardup::testing {
namespace {

namespace fs = std::filesystem;
using Strings = std::vector<std::string>;

// What one run of `neardup` did.
struct Outcome {
  int status = -1;
  std::string out;  // standard output
  std::string err;  // standard error
};

// The last line of `err`: the error message of a failed run.
std::string LastLine(const std::string& err) {
  const Strings lines = Lines(err);
  return lines.empty() ? std::string() : lines.back();
}

// Rows of `neardup compare|scan --format tsv` output, one per passage, split
// into fields; the columns are below.
std::vector<Strings> Passages(const std::string& tsv) {
  std::vector<Strings> rows;
  for (const std::string& line : Lines(tsv)) {
    if (absl::StartsWith(line, "a_id\t")) continue;
    rows.push_back(absl::StrSplit(line, '\t'));
    EXPECT_EQ(rows.back().size(), 11u) << line;
    rows.back().resize(11);
  }
  return rows;
}

enum Column {
  kAId,
  kAStart,
  kAEnd,
  kACharStart,
  kACharEnd,
  kBId,
  kBStart,
  kBEnd,
  kBCharStart,
  kBCharEnd,
  kScore
};

size_t Field(const Strings& row, int column) { return std::stoul(row[column]); }

// Each test has a directory of its own: in/ for inputs, out/ as the working
// directory of every run, where outputs go, so that anything a run leaves
// behind is in out/.
class BadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Short, because a Unix socket's path must fit in 108 bytes.
    std::string dir =
        (fs::temp_directory_path() / "neardup-bad-input-XXXXXX").string();
    ASSERT_NE(mkdtemp(dir.data()), nullptr) << std::strerror(errno);
    dir_ = dir;
    fs::create_directories(dir_ / "in");
    fs::create_directories(dir_ / "out");
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The path of in/name.
  std::string InputPath(const std::string& name) const {
    return (dir_ / "in" / name).string();
  }

  // Writes `bytes` to in/name (creating directories) and returns its path.
  std::string Input(const std::string& name, const std::string& bytes) {
    const std::string path = InputPath(name);
    fs::create_directories(fs::path(path).parent_path());
    WriteFile(path, bytes);
    return path;
  }

  // Runs `neardup ARGS` in out/.
  Outcome Neardup(const std::string& args) {
    const std::string err_path = (dir_ / "stderr.txt").string();
    Outcome run;
    run.status =
        RunCommand(absl::StrCat("cd ", (dir_ / "out").string(), " && ",
                                NEARDUP_CLI, " ", args, " 2>", err_path),
                   &run.out);
    run.err = ReadFile(err_path);
    return run;
  }

  // `neardup dedup ARGS`, writing out/kept.jsonl and out/clusters.jsonl.
  Outcome Dedup(const std::string& args) {
    return Neardup(absl::StrCat("dedup ", args,
                                " --output kept.jsonl --clusters "
                                "clusters.jsonl"));
  }

  // The names of the files in out/, sorted: what the runs left behind.
  Strings OutputFiles() const {
    Strings names;
    for (const auto& entry : fs::directory_iterator(dir_ / "out")) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  std::string Output(const std::string& name) const {
    return ReadFile((dir_ / "out" / name).string());
  }

  // The passages `path` shares with seed article 001 (`neardup compare`,
  // which must find some and print no warning).
  std::vector<Strings> PassagesWithSeed001(const std::string& path) {
    const Outcome run =
        Neardup("compare --format tsv " + path + " " + SeedPath("001"));
    EXPECT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(run.err, "");
    std::vector<Strings> passages = Passages(run.out);
    EXPECT_FALSE(passages.empty()) << run.out;
    return passages;
  }

  // A good document for `compare` to pair bad input with.
  std::string GoodText() { return Input("good.txt", Words(0, 60)); }

  // Empties out/ and runs dedup, scan, and compare (against a good document,
  // in both orders) on `path` with `flags`; expects each to exit with status
  // 2 and an error message, the last line of stderr, that holds every one of
  // `needles` and says what to do, and expects nothing on stdout and nothing
  // in out/.
  void ExpectRejected(const std::string& path, const std::string& flags,
                      const Strings& needles) {
    for (const auto& entry : fs::directory_iterator(dir_ / "out")) {
      fs::remove_all(entry.path());
    }
    const std::string good = GoodText();
    // Every output file goes to out/, where the check below covers it.
    const Strings commands = {
        absl::StrCat("dedup ", path, " ", flags,
                     " --output kept.jsonl --clusters clusters.jsonl"),
        absl::StrCat("scan ", path, " ", flags, " -o pairs.jsonl"),
        absl::StrCat("compare ", path, " ", good, " ", flags, " -o pairs.txt"),
        absl::StrCat("compare ", good, " ", path, " ", flags, " -o pairs.txt"),
    };
    for (const std::string& command : commands) {
      SCOPED_TRACE(command);
      const Outcome run = Neardup(command);
      EXPECT_EQ(run.status, 2) << run.err;
      const std::string message = LastLine(run.err);
      EXPECT_TRUE(absl::StartsWith(message, "neardup: ")) << run.err;
      EXPECT_TRUE(absl::StrContains(message, " — ")) << message;
      for (const std::string& needle : needles) {
        EXPECT_TRUE(absl::StrContains(message, needle))
            << "\"" << message << "\" does not contain \"" << needle << "\"";
      }
      EXPECT_EQ(run.out, "");
      EXPECT_EQ(OutputFiles(), Strings{});
    }
  }

  fs::path dir_;
};

TEST_F(BadInputTest, MissingPath) {
  const std::string missing = InputPath("missing.txt");
  ExpectRejected(missing, "",
                 {missing + ": no such file or directory — check the path"});
  const std::string under_a_file = Input("file.txt", "text") + "/x.txt";
  ExpectRejected(under_a_file, "", {under_a_file + ": no such file"});
}

// Root reads files whatever their mode, so a file without read permission
// is unreadable only for other users. A Unix socket cannot be opened by
// anyone: it is the unreadable file every user has.
TEST_F(BadInputTest, UnreadableFile) {
  const std::string socket_path = InputPath("socket");
  const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0) << std::strerror(errno);
  sockaddr_un address = {};
  address.sun_family = AF_UNIX;
  ASSERT_LT(socket_path.size(), sizeof address.sun_path) << socket_path;
  std::memcpy(address.sun_path, socket_path.c_str(), socket_path.size() + 1);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0)
      << std::strerror(errno);
  ExpectRejected(
      socket_path, "",
      {absl::StrCat(socket_path, ": cannot open (", std::strerror(ENXIO),
                    ") — check the path and its permissions")});
  close(fd);

  if (geteuid() != 0) {
    const std::string locked = Input("locked.txt", Words(0, 30));
    ASSERT_EQ(chmod(locked.c_str(), 0), 0);
    ExpectRejected(
        locked, "",
        {absl::StrCat(locked, ": cannot read (", std::strerror(EACCES),
                      ") — check its permissions")});
  }

  const std::string loop = InputPath("loop1");
  std::filesystem::create_symlink("loop2", loop);
  std::filesystem::create_symlink("loop1", InputPath("loop2"));
  ExpectRejected(loop, "",
                 {absl::StrCat(loop, ": cannot read (", std::strerror(ELOOP),
                               ") — its symbolic links lead back to "
                               "themselves")});
}

TEST_F(BadInputTest, DirectoryWithoutUsableFiles) {
  const std::string dir = InputPath("unusable");
  Input("unusable/empty.txt", "");
  Input("unusable/binary.dat", std::string("MZ\x90\0\0\0", 6));
  Input("unusable/blank.jsonl", "\n\n");
  Input("unusable/.hidden.txt", Words(0, 30));
  ExpectRejected(dir, "", {dir + ": no usable files in directory"});
  // The files are named in the warnings before the error.
  const Outcome run = Dedup(dir);
  for (const char* name : {"binary.dat", "blank.jsonl", "empty.txt"}) {
    EXPECT_TRUE(absl::StrContains(
        run.err,
        absl::StrCat("neardup: warning: ", dir, "/", name, ": skipped: ")))
        << name << " in " << run.err;
  }

  const std::string empty_dir = InputPath("nothing");
  fs::create_directories(empty_dir);
  ExpectRejected(empty_dir, "", {empty_dir + ": no files in directory"});
}

TEST_F(BadInputTest, EmptyFile) {
  for (const char* name : {"empty.txt", "empty.jsonl", "empty.jsonl.gz"}) {
    const std::string path = Input(name, "");
    if (absl::EndsWith(name, ".gz")) {
      std::string ignored;
      ASSERT_EQ(RunCommand("gzip -c /dev/null > " + path, &ignored), 0);
    }
    ExpectRejected(path, "", {path + ": empty file"});
  }
}

TEST_F(BadInputTest, BinaryFile) {
  const std::string text = Input("image.txt", std::string("GIF89a\0\x01", 8));
  ExpectRejected(text, "", {text + ": binary file (NUL byte at offset 6)"});
  const std::string jsonl =
      Input("dump.jsonl", std::string("{\"text\":\"\0\0\"}\n", 14));
  ExpectRejected(jsonl, "", {jsonl + ": binary file (NUL byte at offset 9)"});
}

TEST_F(BadInputTest, DirectorySkipsBinaryEmptyAndUtf16FilesAndGoesOn) {
  const std::string dir = InputPath("mixed");
  Input("mixed/a.txt", Words(0, 60));
  Input("mixed/b.jsonl",
        absl::StrCat(R"({"id":"b","text":")", Words(0, 60), "\"}\n"));
  const Strings skipped = {
      Input("mixed/c.bin", std::string("\x89PNG\r\n\x1A\n\0\0", 10)),
      Input("mixed/d.txt", ""),
      Input("mixed/e.txt", std::string("\xFF\xFEh\0i\0", 6)),
      Input("mixed/f.jsonl", std::string("\xFE\xFF\0{\0}", 6)),
  };
  const Outcome dedup = Dedup(dir);
  EXPECT_EQ(dedup.status, 0) << dedup.err;
  const Outcome scan = Neardup("scan " + dir);
  EXPECT_EQ(scan.status, 0) << scan.err;  // a and b share a passage
  for (const Outcome& run : {dedup, scan}) {
    for (const std::string& path : skipped) {
      EXPECT_TRUE(absl::StrContains(
          run.err, absl::StrCat("neardup: warning: ", path, ": skipped: ")))
          << path << " in " << run.err;
    }
    EXPECT_TRUE(absl::StrContains(
        run.err, "neardup: skipped 4 files (see the warnings above)\n"))
        << run.err;
  }
  const Outcome jsonl = Neardup("scan " + dir + " --format jsonl");
  EXPECT_TRUE(
      absl::StrContains(jsonl.out, "\"skipped_files\":4,\"skipped_lines\":0,"))
      << jsonl.out;
  EXPECT_EQ(Lines(Output("clusters.jsonl")).size(), 2u);
  EXPECT_EQ(Lines(Output("kept.jsonl")).size(), 1u);
}

TEST_F(BadInputTest, InvalidUtf8InTextFile) {
  const std::string path =
      Input("latin1.txt", Words(0, 30) + "\ncaf\xE9 " + Words(30, 30) + "\n");
  const std::string good = GoodText();
  const Strings commands = {"dedup " + path + " " + good +
                                " --output kept.jsonl --clusters "
                                "clusters.jsonl",
                            "scan " + path + " " + good,
                            "compare " + path + " " + good};
  for (const std::string& command : commands) {
    SCOPED_TRACE(command);
    const Outcome run = Neardup(command);
    EXPECT_EQ(run.status, 0) << run.err;
    EXPECT_TRUE(absl::StrContains(
        run.err, "neardup: warning: " + path +
                     ":2: invalid UTF-8 (1 byte replaced by U+FFFD when "
                     "compared and written)\n"))
        << run.err;
  }
  ExpectRejected(path, "--strict",
                 {absl::StrCat(path,
                               ":2: invalid UTF-8 (1 byte, the first at "
                               "offset ",
                               Words(0, 30).size() + 4, ")")});
}

TEST_F(BadInputTest, InvalidUtf8InJsonlRecord) {
  // Four invalid bytes, each its own ill-formed subpart: two before the
  // passage, two inside it.
  const std::string text =
      "\xE9\xE9 intro " + Words(0, 30) + " \xFF\xFE " + Words(30, 30);
  const std::string bad = R"({"id":"bad","text":")" + text + R"("})";
  const std::string good = R"({"id":"good","text":")" + Words(0, 60) + "\"}";
  const std::string path = Input("feed.jsonl", bad + "\n" + good + "\n");

  const Outcome dedup = Dedup(path);
  EXPECT_EQ(dedup.status, 0) << dedup.err;
  const std::string warning = "neardup: warning: " + path +
                              ":1: invalid UTF-8 (4 bytes replaced by "
                              "U+FFFD)\n";
  EXPECT_TRUE(absl::StrContains(dedup.err, warning)) << dedup.err;
  EXPECT_TRUE(
      absl::StrContains(dedup.err, "neardup: 1 document held invalid UTF-8"))
      << dedup.err;
  // Kept lines are the input lines with the invalid bytes repaired, so
  // that kept.jsonl is valid UTF-8.
  const std::string fffd = "\xEF\xBF\xBD";
  const std::string repaired = R"({"id":"bad","text":")" + fffd + fffd +
                               " intro " + Words(0, 30) + " " + fffd + fffd +
                               " " + Words(30, 30) + R"("})";
  EXPECT_TRUE(absl::StartsWith(Output("kept.jsonl"), repaired + "\n"))
      << Output("kept.jsonl");

  // The passage's code point offsets are those of the same bytes read as a
  // text file; its byte offsets are into the text with U+FFFD (3 bytes) in
  // place of each invalid byte.
  const Outcome scan = Neardup("scan --format tsv " + path);
  EXPECT_EQ(scan.status, 0) << scan.err;
  EXPECT_TRUE(absl::StrContains(scan.err, warning)) << scan.err;
  const Outcome compare = Neardup("compare --format tsv " +
                                  Input("same.txt", text) + " " + GoodText());
  EXPECT_EQ(compare.status, 0) << compare.err;
  const std::vector<Strings> from_jsonl = Passages(scan.out);
  const std::vector<Strings> from_text = Passages(compare.out);
  ASSERT_EQ(from_jsonl.size(), 1u) << scan.out;
  ASSERT_EQ(from_text.size(), 1u) << compare.out;
  EXPECT_EQ(from_jsonl[0][0], "bad");
  EXPECT_EQ(Field(from_jsonl[0], kAStart), Field(from_text[0], kAStart) + 4);
  EXPECT_EQ(Field(from_jsonl[0], kAEnd), Field(from_text[0], kAEnd) + 8);
  for (int column : {kACharStart, kACharEnd, kScore}) {
    EXPECT_EQ(from_jsonl[0][column], from_text[0][column]) << column;
  }

  ExpectRejected(path, "--strict",
                 {path + ":1: invalid UTF-8 (4 bytes, the first at offset 20 "
                         "of the line)"});
  const Outcome skip = Dedup(path + " --strict --skip-bad");
  EXPECT_EQ(skip.status, 0) << skip.err;
  EXPECT_TRUE(absl::StrContains(
      skip.err, "neardup: warning: " + path + ":1: skipped: invalid UTF-8"))
      << skip.err;
  EXPECT_EQ(Output("kept.jsonl"), good + "\n");
}

TEST_F(BadInputTest, Utf16FileNamedExplicitly) {
  const std::string advice =
      ": UTF-16 text is not supported — convert it to UTF-8 (e.g. iconv -f "
      "UTF-16 -t UTF-8)";
  const std::string le =
      Input("le.txt", std::string("\xFF\xFEh\0e\0l\0l\0o\0", 12));
  ExpectRejected(le, "", {le + advice});
  const std::string be = Input(
      "be.jsonl", std::string("\xFE\xFF\0{\0\"\0t\0\"\0:\0\"\0}\0\n", 18));
  ExpectRejected(be, "", {be + advice});
}

TEST_F(BadInputTest, Utf8ByteOrderMarkShiftsOffsetsByThreeBytes) {
  const std::string text = ReadFile(SeedPath("000"));
  const std::vector<Strings> expected =
      PassagesWithSeed001(Input("plain.txt", text));
  const std::vector<Strings> actual =
      PassagesWithSeed001(Input("bom.txt", "\xEF\xBB\xBF" + text));
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(Field(actual[i], kAStart), Field(expected[i], kAStart) + 3);
    EXPECT_EQ(Field(actual[i], kAEnd), Field(expected[i], kAEnd) + 3);
    EXPECT_EQ(Field(actual[i], kACharStart),
              Field(expected[i], kACharStart) + 1);
    EXPECT_EQ(Field(actual[i], kACharEnd), Field(expected[i], kACharEnd) + 1);
    for (int column = kBStart; column <= kScore; ++column) {
      EXPECT_EQ(actual[i][column], expected[i][column]);
    }
  }
  // The mark is not part of the first word: a passage from the first word
  // starts after the mark.
  const std::string words = Words(0, 60);
  const Outcome self = Neardup("compare --format tsv " +
                               Input("words_bom.txt", "\xEF\xBB\xBF" + words) +
                               " " + Input("words.txt", words));
  ASSERT_EQ(self.status, 0) << self.err;
  const std::vector<Strings> whole = Passages(self.out);
  ASSERT_EQ(whole.size(), 1u) << self.out;
  EXPECT_EQ(Field(whole[0], kAStart), 3u);
  EXPECT_EQ(Field(whole[0], kAEnd), words.size() + 3);
  EXPECT_EQ(Field(whole[0], kACharStart), 1u);
  EXPECT_EQ(Field(whole[0], kBStart), 0u);

  // JSON Lines: a mark before the first record is allowed.
  const std::string jsonl = Input("bom.jsonl",
                                  "\xEF\xBB\xBF"
                                  R"({"id":"x","text":"one"})"
                                  "\n"
                                  R"({"id":"y","text":"two"})"
                                  "\n");
  const Outcome dedup = Dedup(jsonl);
  EXPECT_EQ(dedup.status, 0) << dedup.err;
  EXPECT_EQ(Lines(Output("clusters.jsonl")).size(), 2u);
}

TEST_F(BadInputTest, CrlfLineEndsFindTheSamePassages) {
  const std::string text = ReadFile(SeedPath("000"));
  std::string crlf_text;
  for (char c : text) {
    if (c == '\n') crlf_text += '\r';
    crlf_text += c;
  }
  ASSERT_NE(crlf_text.size(), text.size());
  const std::vector<Strings> expected =
      PassagesWithSeed001(Input("lf.txt", text));
  const std::vector<Strings> actual =
      PassagesWithSeed001(Input("crlf.txt", crlf_text));
  ASSERT_EQ(actual.size(), expected.size());
  // Lines ended before byte `offset` of the LF text: each moves a position
  // one byte and one code point in the CRLF text.
  const auto lines_before = [&](size_t offset) {
    return static_cast<size_t>(
        std::count(text.begin(), text.begin() + offset, '\n'));
  };
  for (size_t i = 0; i < actual.size(); ++i) {
    SCOPED_TRACE(i);
    const size_t start = Field(expected[i], kAStart);
    const size_t end = Field(expected[i], kAEnd);
    EXPECT_EQ(Field(actual[i], kAStart), start + lines_before(start));
    EXPECT_EQ(Field(actual[i], kAEnd), end + lines_before(end));
    EXPECT_EQ(Field(actual[i], kACharStart),
              Field(expected[i], kACharStart) + lines_before(start));
    EXPECT_EQ(Field(actual[i], kACharEnd),
              Field(expected[i], kACharEnd) + lines_before(end));
    for (int column = kBStart; column <= kScore; ++column) {
      EXPECT_EQ(actual[i][column], expected[i][column]);
    }
  }

  // JSON Lines with CRLF: the "\r" is not part of the record, and dedup
  // writes the line back byte for byte.
  const std::string line1 = R"({"id":"x","text":")" + Words(0, 40) + "\"}";
  const std::string line2 = R"({"id":"y","text":")" + Words(100, 40) + "\"}";
  const std::string jsonl =
      Input("crlf.jsonl", line1 + "\r\n" + line2 + "\r\n");
  const Outcome dedup = Dedup(jsonl);
  EXPECT_EQ(dedup.status, 0) << dedup.err;
  EXPECT_EQ(Output("kept.jsonl"), line1 + "\r\n" + line2 + "\r\n");
}

// The kinds of malformed JSON Lines record: a line that breaks the rule, the
// message it gets, and a second line of the same kind.
struct MalformedRecord {
  const char* name;
  const char* line;     // line 2 of the file
  const char* message;  // after "path:2: "
  const char* again;    // line 4
};

class MalformedJsonlTest
    : public BadInputTest,
      public ::testing::WithParamInterface<MalformedRecord> {};

TEST_P(MalformedJsonlTest, StopsTheRunOrIsSkippedWithSkipBad) {
  const MalformedRecord& kind = GetParam();
  const std::string line1 = R"({"id":"a","text":")" + Words(0, 40) + "\"}";
  const std::string line3 = R"({"id":"c","text":")" + Words(100, 40) + "\"}";
  const std::string path =
      Input("feed.jsonl", absl::StrCat(line1, "\n", kind.line, "\n", line3,
                                       "\n", kind.again, "\n"));
  ExpectRejected(path, "", {absl::StrCat(path, ":2: ", kind.message)});

  const Outcome dedup = Dedup(path + " --skip-bad");
  const Outcome scan = Neardup("scan " + path + " --skip-bad");
  EXPECT_EQ(dedup.status, 0) << dedup.err;
  EXPECT_EQ(scan.status, 1) << scan.err;  // lines 1 and 3 share nothing
  for (const Outcome& run : {dedup, scan}) {
    for (int line : {2, 4}) {
      EXPECT_TRUE(absl::StrContains(
          run.err,
          absl::StrCat("neardup: warning: ", path, ":", line, ": skipped: ")))
          << line << " in " << run.err;
    }
  }
  EXPECT_TRUE(absl::StrContains(dedup.err, "neardup: skipped 2 bad lines\n"))
      << dedup.err;
  EXPECT_EQ(Output("kept.jsonl"), line1 + "\n" + line3 + "\n");
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, MalformedJsonlTest,
    ::testing::Values(
        MalformedRecord{"NotJson", R"({"id":"b","text":"cut)",
                        "not valid JSON (", "not json at all"},
        MalformedRecord{"MissingTextField", R"({"id":"b","body":"t"})",
                        "no \"text\" field — use --text-field",
                        R"({"id":"d"})"},
        MalformedRecord{"TextNotAString", R"({"id":"b","text":7})",
                        "field \"text\" is not a string",
                        R"({"id":"d","text":["list"]})"},
        MalformedRecord{"IdNotAStringOrInteger", R"({"id":1.5,"text":"t"})",
                        "field \"id\" is not a string or an integer",
                        R"({"id":[1],"text":"and again"})"}),
    [](const ::testing::TestParamInfo<MalformedRecord>& info) {
      return std::string(info.param.name);
    });

// A JSONL file long enough to be read in several batches before the
// truncation is found.
std::string ManyRecords() {
  std::string jsonl;
  for (int i = 0; i < 4000; ++i) {
    absl::StrAppend(&jsonl, R"({"id":")", i, R"(","text":")", Words(i * 20, 20),
                    "\"}\n");
  }
  return jsonl;
}

class TruncatedTest : public BadInputTest,
                      public ::testing::WithParamInterface<const char*> {};

TEST_P(TruncatedTest, CompressedFileIsAnError) {
  const std::string compressor = GetParam();
  const std::string plain = Input("feed.jsonl", ManyRecords());
  const std::string full = plain + "." + (compressor == "gzip" ? "gz" : "zst");
  std::string ignored;
  ASSERT_EQ(RunCommand(compressor + " -q -c " + plain + " > " + full, &ignored),
            0);
  const std::string bytes = ReadFile(full);
  const std::string path = Input("cut_" + fs::path(full).filename().string(),
                                 bytes.substr(0, bytes.size() * 3 / 4));
  ExpectRejected(path, "", {path + ": truncated or corrupt "});
}

INSTANTIATE_TEST_SUITE_P(Compressors, TruncatedTest,
                         ::testing::Values("gzip", "zstd"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           return std::string(info.param);
                         });

TEST_F(BadInputTest, TwentyMegabyteLineWorks) {
  std::string text;
  for (int i = 0; text.size() < (size_t{20} << 20); ++i) {
    absl::StrAppend(&text, Word(i % 1000000), i % 50 == 0 ? "\\n" : " ");
  }
  const std::string big = R"({"id":"big","text":")" + text + "\"}";
  const std::string small = R"({"id":"small","text":")" + Words(0, 40) + "\"}";
  const std::string path = Input("big.jsonl", big + "\n" + small + "\n");
  const Outcome dedup = Dedup(path);
  EXPECT_EQ(dedup.status, 0) << dedup.err;
  EXPECT_TRUE(Output("kept.jsonl") == big + "\n" + small + "\n");
  EXPECT_EQ(Lines(Output("clusters.jsonl")).size(), 2u);
  // The small record is the big one's first 40 words.
  const Outcome scan = Neardup("scan --format tsv " + path);
  EXPECT_EQ(scan.status, 0) << scan.err;
  const std::vector<Strings> passages = Passages(scan.out);
  ASSERT_FALSE(passages.empty()) << scan.out;
  EXPECT_EQ(passages[0][kAId], "big");
  EXPECT_EQ(Field(passages[0], kAStart), 0u);
  EXPECT_EQ(passages[0][kBId], "small");
  EXPECT_EQ(Field(passages[0], kBEnd), Words(0, 40).size());
}

}  // namespace
}  // namespace neardup::testing
