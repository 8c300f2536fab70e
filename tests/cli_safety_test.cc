// The `neardup` program does not lose data, writes only valid JSON, keeps
// the terminal safe, names mistakes, and reads what users have (issue 13):
// one test per promise, each running the program.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "test_util.h"
#include "test_words.h"

namespace neardup::testing {
namespace {

namespace fs = std::filesystem;

// True if `bytes` is well-formed UTF-8.
bool IsUtf8(const std::string& bytes) {
  for (size_t i = 0; i < bytes.size();) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    const size_t length = c < 0x80                        ? 1
                          : (c >> 5) == 0x6 && c >= 0xC2  ? 2
                          : (c >> 4) == 0xE               ? 3
                          : (c >> 3) == 0x1E && c <= 0xF4 ? 4
                                                          : 0;
    if (length == 0 || i + length > bytes.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(bytes[i + k]) >> 6) != 0x2) return false;
    }
    i += length;
  }
  return true;
}

class CliSafetyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/cli_safety_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  std::string Input(const std::string& name, const std::string& bytes) {
    WriteFile(Path(name), bytes);
    return Path(name);
  }

  // Runs `neardup ARGS` in the test's directory; stderr is appended to
  // stdout in *out.
  int Run(const std::string& args, std::string* out) {
    return RunCommand(
        "cd " + dir_ + " && " + std::string(NEARDUP_CLI) + " " + args + " 2>&1",
        out);
  }

  // A JSON Lines record whose text shares 40 words with every other one.
  static std::string Record(const std::string& id) {
    return R"({"id":")" + id + R"(","text":")" + Words(0, 40) + "\"}\n";
  }

  std::string dir_;
};

TEST_F(CliSafetyTest, AnOutputThatIsAnInputIsRefusedAndTheInputUntouched) {
  const std::string feed = Input("x.jsonl", Record("a") + Record("b"));
  const std::string text = Input("a.txt", Words(0, 40));
  Input("b.txt", Words(0, 40));
  fs::create_symlink("x.jsonl", Path("alias.jsonl"));
  std::string out;
  const std::vector<std::string> runs = {
      "dedup x.jsonl --output x.jsonl --clusters c.jsonl",
      "dedup x.jsonl --output k.jsonl --clusters alias.jsonl",
      "dedup x.jsonl --output k.jsonl --clusters ./k.jsonl",
      "compare a.txt b.txt -o b.txt",
      "scan . -o a.txt",
      "scan - -o x.jsonl < x.jsonl",
  };
  for (const std::string& run : runs) {
    EXPECT_EQ(Run(run, &out), 2) << run;
    EXPECT_TRUE(absl::StartsWith(out, "neardup: ")) << out;
    EXPECT_TRUE(absl::StrContains(out, "input file") ||
                absl::StrContains(out, "same file"))
        << run << ": " << out;
    EXPECT_FALSE(absl::StrContains(out, "warning")) << "read before refusing";
  }
  EXPECT_EQ(ReadFile(feed), Record("a") + Record("b"));
  EXPECT_EQ(ReadFile(text), Words(0, 40));
  EXPECT_FALSE(fs::exists(Path("k.jsonl")));
}

// A FIFO (as /dev/null, a device) cannot be replaced by renaming a file
// over it: it is written in place and stays a FIFO. A directory is refused
// before any work.
// An empty value is mostly a shell variable that was not set: refused
// before any work, whichever flag it is, so that nothing is written and no
// index is made or changed.
TEST_F(CliSafetyTest, AnEmptyValueIsRefusedBeforeAnyWork) {
  Input("a.txt", Words(0, 60));
  Input("b.txt", Words(0, 60));
  const std::vector<std::pair<std::string, std::string>> runs = {
      {"dedup a.txt --output k.jsonl --clusters ''", "dedup --clusters"},
      {"dedup a.txt --output '' --clusters c.jsonl", "dedup --output"},
      {"dedup --index '' a.txt --output k.jsonl --clusters c.jsonl",
       "dedup --index"},
      {"dedup --index idx --batch '' a.txt --output k.jsonl --clusters "
       "c.jsonl",
       "dedup --batch"},
      {"index add --index idx --batch '' a.txt", "index add --batch"},
      {"scan a.txt '' -o s.jsonl", "scan PATH"},
      {"compare a.txt b.txt -o ''", "compare --output"},
      {"scan a.txt b.txt --text-field '' -o s.jsonl", "scan --text-field"},
  };
  std::string out;
  for (const auto& [run, said] : runs) {
    EXPECT_EQ(Run(run, &out), 2) << run << ": " << out;
    EXPECT_TRUE(absl::StrContains(out, "neardup: " + said + ": empty value"))
        << run << ": " << out;
  }
  // "-" is standard input as a PATH; dedup's outputs are files.
  EXPECT_EQ(Run("dedup a.txt --output - --clusters c.jsonl", &out), 2) << out;
  EXPECT_TRUE(absl::StrContains(out, "--output -: dedup writes files")) << out;
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/-"));
  for (const char* made : {"k.jsonl", "c.jsonl", "idx", "s.jsonl"}) {
    EXPECT_FALSE(std::filesystem::exists(dir_ + "/" + made)) << made;
  }
}

TEST_F(CliSafetyTest, AnOutputThatIsAFifoIsWrittenInPlaceADirectoryRefused) {
  Input("a.txt", Words(0, 40));
  Input("b.txt", Words(0, 40));
  ASSERT_EQ(mkfifo(Path("out.fifo").c_str(), 0600), 0);
  std::string out;
  ASSERT_EQ(RunCommand("cd " + dir_ +
                           " && { timeout 30 cat out.fifo > got.txt & } ; " +
                           std::string(NEARDUP_CLI) +
                           " compare a.txt b.txt --format jsonl -o out.fifo "
                           "2>&1; status=$?; wait; exit $status",
                       &out),
            0)
      << out;
  struct stat st;
  ASSERT_EQ(lstat(Path("out.fifo").c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  EXPECT_TRUE(absl::StrContains(ReadFile(Path("got.txt")),
                                R"({"type":"summary","command":"compare")"));
  fs::create_directories(Path("outdir"));
  EXPECT_EQ(Run("compare a.txt b.txt -o outdir", &out), 2);
  EXPECT_EQ(out,
            "neardup: outdir is a directory; give the path of a file to "
            "write\n");
}

// Inputs named by other flags than the paths: a phrase file, a lexicon
// directory (its files, through a link too), a benchmark file.
TEST_F(CliSafetyTest, AnOutputThatIsAnInputOfAnotherFlagIsRefused) {
  Input("a.txt", Words(0, 40));
  Input("b.txt", Words(0, 40));
  const std::string phrases = Input("phrases.txt", "one phrase\n");
  fs::create_directories(Path("lex"));
  const std::string index = Input("lex/freedict-ara-eng.index", "x\n");
  fs::create_symlink("lex", Path("lexlink"));
  const std::string bench = Input("bench.jsonl", Record("q"));
  std::string out;
  const std::vector<std::pair<std::string, std::string>> runs = {
      {"scan a.txt b.txt --boilerplate phrases.txt -o phrases.txt",
       "the --boilerplate input"},
      {"scan a.txt b.txt --boilerplate phrases.txt -o ./phrases.txt",
       "the --boilerplate input"},
      {"compare a.txt b.txt --cross-lingual --lexicon lex "
       "-o lex/freedict-ara-eng.index",
       "inside the --lexicon input"},
      {"compare a.txt b.txt --cross-lingual --lexicon lexlink "
       "-o lex/freedict-ara-eng.index",
       "inside the --lexicon input"},
      {"contamination --benchmark bench.jsonl --benchmark-field text a.txt "
       "-o bench.jsonl",
       "input file"},
  };
  for (const auto& [run, why] : runs) {
    EXPECT_EQ(Run(run, &out), 2) << run;
    EXPECT_TRUE(absl::StartsWith(out, "neardup: --output ")) << run << out;
    EXPECT_TRUE(absl::StrContains(out, why)) << run << ": " << out;
  }
  EXPECT_EQ(ReadFile(phrases), "one phrase\n");
  EXPECT_EQ(ReadFile(index), "x\n");
  EXPECT_EQ(ReadFile(bench), Record("q"));
  // An output beside the input, not in it, is fine.
  EXPECT_EQ(
      Run("scan a.txt b.txt --boilerplate phrases.txt -o out.txt -q", &out), 0)
      << out;
}

TEST_F(CliSafetyTest, AnOutputThatIsASymlinkIsWrittenThrough) {
  Input("x.jsonl", Record("a") + Record("b"));
  fs::create_directories(Path("real"));
  Input("real/kept.jsonl", "old\n");
  chmod(Path("real/kept.jsonl").c_str(), 0640);
  fs::create_symlink("real/kept.jsonl", Path("kept.jsonl"));
  fs::create_symlink("real/new.jsonl", Path("clusters.jsonl"));  // dangling
  std::string out;
  ASSERT_EQ(
      Run("dedup x.jsonl --output kept.jsonl --clusters clusters.jsonl -q",
          &out),
      0)
      << out;
  EXPECT_TRUE(fs::is_symlink(Path("kept.jsonl")));
  EXPECT_TRUE(fs::is_symlink(Path("clusters.jsonl")));
  EXPECT_EQ(ReadFile(Path("real/kept.jsonl")), Record("a"));
  EXPECT_EQ(Lines(ReadFile(Path("real/new.jsonl"))).size(), 2u);
  struct stat st;
  ASSERT_EQ(stat(Path("real/kept.jsonl").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);  // the target keeps its permissions
}

TEST_F(CliSafetyTest, EverythingWrittenAsJsonIsValidUtf8) {
  fs::create_directories(Path("d"));
  Input("d/latin\xE9.txt", "caf\xE9 " + Words(0, 40) + Words(100, 40));
  Input("d/b.txt", Words(0, 40));
  std::string out;
  ASSERT_EQ(Run("dedup d --output kept.jsonl --clusters clusters.jsonl", &out),
            0)
      << out;
  EXPECT_TRUE(absl::StrContains(out, "the file name is not valid UTF-8"))
      << out;
  const std::string kept = ReadFile(Path("kept.jsonl"));
  EXPECT_TRUE(IsUtf8(kept)) << kept;
  EXPECT_TRUE(absl::StrContains(kept, "caf\xEF\xBF\xBD ")) << kept;
  EXPECT_TRUE(IsUtf8(ReadFile(Path("clusters.jsonl"))));
  ASSERT_EQ(Run("scan d --format jsonl -q", &out), 0) << out;
  EXPECT_TRUE(IsUtf8(out)) << out;
  EXPECT_TRUE(absl::StrContains(out, "latin\xEF\xBF\xBD.txt")) << out;
  // --strict refuses what it would have had to repair.
  EXPECT_EQ(
      Run("dedup d/latin\xE9.txt --strict --output k2 --clusters c2", &out), 2);
  EXPECT_TRUE(absl::StrContains(out, "not valid UTF-8")) << out;
}

TEST_F(CliSafetyTest, ControlCharactersNeverReachTheTerminalRaw) {
  const std::string evil = Words(0, 20) + " \x1B]0;PWNED\x07 \x1B[2J " +
                           "\xC2\x9B"
                           "31m " +
                           Words(20, 20);
  Input("a.txt", evil);
  Input("b.txt", Words(0, 40));
  Input("ids.jsonl", R"({"id":"line\nbreak\u001b[2J","text":")" + Words(0, 40) +
                         "\"}\n" + Record("plain"));
  std::string out;
  for (const std::string& run :
       {std::string("compare a.txt b.txt"),
        std::string("compare a.txt b.txt --format tsv"),
        std::string("scan ids.jsonl"),
        std::string("scan ids.jsonl --format tsv")}) {
    ASSERT_EQ(Run(run, &out), 0) << run << out;
    EXPECT_EQ(out.find('\x1B'), std::string::npos) << run << ": " << out;
    EXPECT_EQ(out.find('\x07'), std::string::npos) << run;
    EXPECT_EQ(out.find("\xC2\x9B"), std::string::npos) << run;
  }
  // contamination's table: ids and the excerpts of both sides.
  Input("bench.jsonl",
        R"({"id":"item\u001b]0;x\u0007\u009b","q":")" + Words(0, 40) + "\"}\n");
  Input("corpus.jsonl", R"({"id":"doc\u001b[2J\u009b","text":")" +
                            Words(0, 20) + R"( \u001b[31m \u009b )" +
                            Words(20, 20) + "\"}\n");
  ASSERT_EQ(Run("contamination --benchmark bench.jsonl --benchmark-field q "
                "corpus.jsonl --format text -q",
                &out),
            0)
      << out;
  EXPECT_EQ(out.find('\x1B'), std::string::npos) << out;
  EXPECT_EQ(out.find('\x07'), std::string::npos) << out;
  EXPECT_EQ(out.find("\xC2\x9B"), std::string::npos) << out;
  EXPECT_TRUE(absl::StrContains(out, "item\\x1b]0;x\\x07\\u009b")) << out;
  EXPECT_TRUE(absl::StrContains(out, "doc\\x1b[2J\\u009b")) << out;
  EXPECT_TRUE(absl::StrContains(out, " \\x1b[31m \\u009b ")) << out;
  // TSV too: a newline in an id is shown, not turned into a space.
  ASSERT_EQ(Run("scan ids.jsonl --format tsv", &out), 0);
  EXPECT_TRUE(absl::StrContains(out, "line\\x0abreak\\x1b[2J\t")) << out;
  ASSERT_EQ(Run("scan ids.jsonl", &out), 0);
  EXPECT_TRUE(absl::StrContains(out, "line\\x0abreak\\x1b[2J  <->  plain"))
      << out;
  ASSERT_EQ(Run("compare a.txt b.txt --format jsonl", &out), 0);
  EXPECT_TRUE(absl::StrContains(out, "\\u001b]0;PWNED\\u0007") ||
              !absl::StrContains(out, "PWNED"))
      << out;
  EXPECT_EQ(out.find('\x1B'), std::string::npos);
}

// Output that cannot be written (a full disk: /dev/full) is an error in
// every format, whether a write fails as it goes (line-buffered text) or
// at the end.
TEST_F(CliSafetyTest, AFullStandardOutputIsAnError) {
  if (!std::filesystem::exists("/dev/full")) {
    GTEST_SKIP() << "no /dev/full here";
  }
  Input("a.txt", Words(0, 60));
  Input("b.txt", Words(0, 60));
  std::string out;
  for (const char* format : {"text", "html", "tsv", "jsonl"}) {
    for (const std::string& command : {std::string("compare a.txt b.txt"),
                                       std::string("scan a.txt b.txt")}) {
      const std::string run = command + " --format " + format;
      EXPECT_EQ(Run(run + " >/dev/full 2>err; s=$?; cat err; exit $s", &out), 2)
          << run << ": " << out;
      EXPECT_TRUE(absl::StrContains(out, "cannot write the standard output"))
          << run << ": " << out;
    }
  }
}

TEST_F(CliSafetyTest, MistakesAreNamedNotGuessed) {
  Input("x.jsonl", Record("a") + Record("b"));
  std::string out;
  EXPECT_EQ(Run("scan x.jsonl --id-field nope", &out), 2);
  EXPECT_TRUE(absl::StrContains(out, "x.jsonl:1: no \"nope\" field")) << out;
  EXPECT_TRUE(absl::StrContains(out, "--skip-bad")) << out;
  EXPECT_FALSE(absl::StrContains(out, "InputOptions")) << out;
  for (const char* flag : {"--min-score nan", "--min-score inf",
                           "--window-threshold nan", "--min-score 1.5"}) {
    EXPECT_EQ(Run(absl::StrCat("scan x.jsonl ", flag), &out), 2) << flag;
    EXPECT_TRUE(absl::StrContains(out, "is not a number in [")) << out;
  }
  for (const char* flag :
       {"--lsh-threshold nan", "--lsh-threshold 1e-9", "--threshold -inf"}) {
    EXPECT_EQ(
        Run(absl::StrCat("dedup x.jsonl --output k --clusters c ", flag), &out),
        2)
        << flag;
    EXPECT_TRUE(absl::StrContains(out, "is not a number in ")) << out;
  }
  EXPECT_EQ(Run("dedup --treshold 0.5 x.jsonl", &out), 2);
  EXPECT_TRUE(absl::StartsWith(
      out, "neardup: dedup unknown flag --treshold, did you mean --threshold?"))
      << out;
  EXPECT_EQ(Run("compare x.jsonl", &out), 2);
  EXPECT_TRUE(absl::StartsWith(out, "neardup: compare missing B (")) << out;
  EXPECT_EQ(Run("compare - - < x.jsonl", &out), 2);
  EXPECT_TRUE(absl::StrContains(out, "standard input (-) is named twice"))
      << out;
  EXPECT_EQ(Run("scan --help", &out), 0);
  EXPECT_FALSE(absl::StrContains(out, "{false}")) << out;
}

TEST_F(CliSafetyTest, RepeatedIdsAreReadCountedAndTraceable) {
  Input("feed.jsonl", Record("same") + Record("same") + Record("other"));
  std::string out;
  ASSERT_EQ(
      Run("dedup feed.jsonl --output kept.jsonl --clusters clusters.jsonl",
          &out),
      0)
      << out;
  EXPECT_TRUE(absl::StrContains(out, "feed.jsonl:2: id \"same\" repeats"))
      << out;
  EXPECT_TRUE(absl::StrContains(
      out, "neardup: 1 record repeated an earlier record's id"))
      << out;
  const std::vector<std::string> clusters =
      Lines(ReadFile(Path("clusters.jsonl")));
  ASSERT_EQ(clusters.size(), 3u);
  EXPECT_TRUE(
      absl::StrContains(clusters[1], R"("id":"same","source":"feed.jsonl:2")"))
      << clusters[1];
  EXPECT_TRUE(
      absl::StrContains(clusters[1], R"("cluster_source":"feed.jsonl:1")"))
      << clusters[1];
  // scan pairs the records, not the ids: the two "same" records pair.
  ASSERT_EQ(Run("scan feed.jsonl --format tsv -q", &out), 0) << out;
  EXPECT_TRUE(absl::StrContains(out, "same\t")) << out;
  // scan and compare name each record's source, as clusters.jsonl does.
  ASSERT_EQ(Run("scan feed.jsonl --format jsonl -q", &out), 0) << out;
  EXPECT_TRUE(absl::StrContains(
      out, R"("a_source":"feed.jsonl:1","b_source":"feed.jsonl:2"})"))
      << out;
  EXPECT_TRUE(
      absl::StrContains(out, R"("source":"feed.jsonl:1"},"b":{"id":"same",)"))
      << out;
  Input("a.txt", Words(0, 40));
  ASSERT_EQ(Run("compare a.txt - --format jsonl -q < feed.jsonl", &out), 2)
      << out;  // three records: compare takes one a side
  Input("one.jsonl", Record("same"));
  ASSERT_EQ(Run("compare a.txt one.jsonl --format jsonl -q", &out), 0) << out;
  EXPECT_TRUE(absl::StrContains(out, R"("source":"one.jsonl:1"},"score")"))
      << out;
  EXPECT_TRUE(
      absl::StrContains(out, R"("a_source":"a.txt","b_source":"one.jsonl:1"})"))
      << out;
}

// Colour only on a terminal, and not with TERM=dumb or NO_COLOR set. The
// terminal is a pseudo-terminal made by script(1).
TEST_F(CliSafetyTest, ColourOnlyOnATerminalThatTakesIt) {
  std::string out;
  if (RunCommand("script --version >/dev/null 2>&1", &out) != 0) {
    GTEST_SKIP() << "script(1) (util-linux) is not installed: no "
                    "pseudo-terminal to test colour on";
  }
  Input("a.txt", Words(0, 40));
  Input("b.txt", Words(0, 40));
  const auto on_terminal = [&](const std::string& env) {
    std::string shown;
    RunCommand("cd " + dir_ + " && env -u NO_COLOR " + env + " script -qec '" +
                   std::string(NEARDUP_CLI) + " compare a.txt b.txt' /dev/null",
               &shown);
    return shown;
  };
  out = on_terminal("TERM=xterm");
  ASSERT_TRUE(absl::StrContains(out, "shared passage")) << out;
  EXPECT_TRUE(absl::StrContains(out, "\x1B[1m")) << out;
  for (const std::string env : {"TERM=dumb", "TERM=xterm NO_COLOR=1"}) {
    out = on_terminal(env);
    ASSERT_TRUE(absl::StrContains(out, "shared passage")) << env << out;
    EXPECT_EQ(out.find('\x1B'), std::string::npos) << env << ": " << out;
  }
  ASSERT_EQ(Run("compare a.txt b.txt", &out), 0);  // a pipe, not a terminal
  EXPECT_EQ(out.find('\x1B'), std::string::npos) << out;
}

TEST_F(CliSafetyTest, StandardInputFormatAndCompression) {
  const std::string jsonl = Record("a") + Record("b");
  Input("feed.jsonl", jsonl);
  std::string out;
  // Text that starts with "{" can be said to be text.
  ASSERT_EQ(Run("scan - feed.jsonl --input-format text < feed.jsonl", &out),
            1);  // feed.jsonl is standard input: read once, one document
  EXPECT_TRUE(absl::StrContains(out, "already read")) << out;
  Input("copy.txt", jsonl);
  ASSERT_EQ(Run("scan - copy.txt --input-format text --format jsonl -q "
                "< feed.jsonl",
                &out),
            0)
      << out;
  EXPECT_TRUE(absl::StrContains(out, R"("documents":2)")) << out;
  // zstd and gzip data on standard input are recognised by their bytes.
  for (const std::string compress : {"zstd -q -c", "gzip -c"}) {
    ASSERT_EQ(RunCommand(compress + " " + Path("feed.jsonl") + " > " +
                             Path("feed.bin"),
                         &out),
              0);
    ASSERT_EQ(Run("scan - --format jsonl -q < feed.bin", &out), 0)
        << compress << ": " << out;
    EXPECT_TRUE(absl::StrContains(out, R"("documents":2)")) << out;
  }
}

TEST_F(CliSafetyTest, DirectoriesSkipWhatCannotBeReadAndReadEachFileOnce) {
  fs::create_directories(Path("d/sub"));
  Input("d/a.txt", Words(0, 40));
  Input("d/sub/b.txt", Words(0, 40));
  fs::create_symlink("a.txt", Path("d/link.txt"));
  fs::create_symlink("nowhere", Path("d/dangling.txt"));
  ASSERT_EQ(mkfifo(Path("d/fifo").c_str(), 0600), 0);
  std::string out;
  ASSERT_EQ(Run("scan d d/a.txt --format jsonl", &out), 0) << out;
  EXPECT_TRUE(absl::StrContains(out, "d/dangling.txt: skipped: a link to"))
      << out;
  EXPECT_TRUE(absl::StrContains(out, "d/fifo: skipped: a FIFO")) << out;
  EXPECT_TRUE(absl::StrContains(out, "d/link.txt: already read")) << out;
  EXPECT_TRUE(absl::StrContains(
      out, R"("documents":2,"candidate_pairs":1,"aligned_pairs":1,"pairs":1,)"))
      << out;
  EXPECT_TRUE(absl::StrContains(out, R"("skipped_files":2,)")) << out;
  EXPECT_TRUE(absl::StrContains(out, R"("repeated_files":2,)")) << out;
}

TEST_F(CliSafetyTest, OneSummaryRecordAndTheExitStatusesTheReadmeStates) {
  Input("a.txt", Words(0, 40));
  Input("b.txt", Words(100, 40));
  Input("x.jsonl",
        Record("a") + R"({"id":"z","text":")" + Words(200, 40) + "\"}\n");
  std::string out;
  EXPECT_EQ(Run("compare a.txt b.txt", &out), 1);
  EXPECT_TRUE(absl::StrContains(out, "neardup: no shared passage")) << out;
  EXPECT_EQ(Run("compare a.txt b.txt --format jsonl", &out), 1);
  EXPECT_TRUE(absl::StrContains(
      out, R"({"type":"summary","command":"compare","documents":2,)"))
      << out;
  EXPECT_EQ(Run("scan a.txt b.txt --format jsonl", &out), 1);
  EXPECT_TRUE(absl::StrContains(
      out, R"({"type":"summary","command":"scan","documents":2,)"))
      << out;
  // dedup: 0 when its outputs are written, even with nothing dropped.
  EXPECT_EQ(Run("dedup x.jsonl --output k --clusters c --format jsonl", &out),
            0);
  EXPECT_TRUE(absl::StrContains(
      out, R"({"type":"summary","command":"dedup","documents":2,)"))
      << out;
  EXPECT_TRUE(absl::StrContains(out, R"("dropped":0,)")) << out;
  for (const char* key : {"\"skipped_files\":", "\"skipped_lines\":",
                          "\"repeated_ids\":", "\"seconds\":"}) {
    EXPECT_TRUE(absl::StrContains(out, key)) << key;
  }
  EXPECT_EQ(Run("scan a.txt --format text", &out), 1);
  EXPECT_TRUE(absl::StrContains(out, "neardup: 1 document,")) << out;
}

}  // namespace
}  // namespace neardup::testing
