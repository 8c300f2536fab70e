// Very large inputs, through the `neardup` program as a user runs it: a
// single 200 MB line, a 1 GB file, documents of one repeated token.
//
// Each test writes its data to a temporary directory with a deterministic
// generator (fixed seeds; streamed to disk, never held in memory), runs the
// real program as a child process, and checks its exit status, its output,
// and its peak resident memory (the child's ru_maxrss) against a bound
// linear in the input, so that a regression to quadratic work or to a
// per-token structure with a large constant fails. The constants are the
// measured peaks (noted beside each) with about 20 % to spare. Time is
// bounded by the TIMEOUT of the `large` ctest label (tests/CMakeLists.txt),
// never by an assertion. On the project's 2-core machine, Release build:
// 135 s of test time, 80 s of wall time within `ctest -j 2`; the 1 GB test
// needs about 5 GB free in $TMPDIR (input, kept copy, dedup's spool and
// shingle files).
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "test_util.h"

namespace neardup {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kMiB = uint64_t{1} << 20;

// A directory under $TMPDIR, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (fs::temp_directory_path() / "neardup-large-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    if (!path_.empty()) fs::remove_all(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  bool ok() const { return !path_.empty(); }
  std::string Path(const std::string& name) const {
    return (fs::path(path_) / name).string();
  }

 private:
  std::string path_;
};

struct ChildResult {
  int exit_status = -1;   // 128 + signal if it was killed
  uint64_t peak_rss = 0;  // bytes
};

// Runs the neardup program with `args`, its stdout and stderr going to the
// named files. Peak memory is the child's ru_maxrss from wait4(). A forked
// child starts with the parent's pages mapped, and Linux keeps that in the
// child's maximum across exec, so the test process itself stays small: the
// generators stream to disk and the checks stream from it.
ChildResult RunNeardup(const std::vector<std::string>& args,
                       const std::string& stdout_path,
                       const std::string& stderr_path) {
  ChildResult result;
  const int out =
      open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const int err =
      open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const pid_t pid =
      out >= 0 && err >= 0 ? testing::StartNeardup(args, out, err) : -1;
  if (out >= 0) close(out);
  if (err >= 0) close(err);
  if (pid < 0) return result;
  int status = 0;
  rusage usage{};
  pid_t waited;
  do {
    waited = wait4(pid, &status, 0, &usage);
  } while (waited < 0 && errno == EINTR);
  if (waited != pid) return result;
  result.exit_status = WIFEXITED(status)     ? WEXITSTATUS(status)
                       : WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                                             : -1;
  result.peak_rss = static_cast<uint64_t>(usage.ru_maxrss) * 1024;
  return result;
}

std::string Describe(const ChildResult& run, const std::string& stderr_path) {
  return absl::StrCat("exit ", run.exit_status, ", peak RSS ",
                      run.peak_rss / kMiB,
                      " MiB, stderr: ", testing::ReadFile(stderr_path));
}

// Prints the peak memory of a run per byte of its input: the figures the
// bounds below were set from (shown by ctest -V).
void PrintPeak(const std::string& what, const ChildResult& run,
               uint64_t input_bytes) {
  std::printf(
      "[ measured ] %s: peak RSS %.1f MiB, %.2f bytes per input byte\n",
      what.c_str(), static_cast<double>(run.peak_rss) / kMiB,
      static_cast<double>(run.peak_rss) / static_cast<double>(input_bytes));
}

// Buffered writes to a file, checked at the end.
class Output {
 public:
  explicit Output(const std::string& path)
      : file_(std::fopen(path.c_str(), "wb")) {
    buffer_.reserve(kBufferBytes + 4096);
  }
  ~Output() { Close(); }
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  void Write(std::string_view bytes) {
    buffer_.append(bytes);
    bytes_ += bytes.size();
    if (buffer_.size() >= kBufferBytes) Flush();
  }
  uint64_t bytes() const { return bytes_; }
  // Returns false if anything failed to reach the file.
  bool Close() {
    if (file_ == nullptr) return ok_;
    Flush();
    ok_ = std::fclose(file_) == 0 && ok_;
    file_ = nullptr;
    return ok_;
  }

 private:
  static constexpr size_t kBufferBytes = size_t{1} << 20;
  void Flush() {
    if (file_ == nullptr || std::fwrite(buffer_.data(), 1, buffer_.size(),
                                        file_) != buffer_.size()) {
      ok_ = false;
    }
    buffer_.clear();
  }
  std::FILE* file_;
  std::string buffer_;
  uint64_t bytes_ = 0;
  bool ok_ = true;
};

// Words like those of running text: half are drawn from a 5,000-word
// vocabulary by a Zipf-like law (the frequent ones are function words, not
// alignment anchors), half are random strings of 5 to 9 letters, nearly all
// distinct (the anchors). Deterministic: a seed gives the same words on
// every run (the raw 64-bit Mersenne Twister, which the standard fixes, and
// no distribution objects, which it does not).
class WordSource {
 public:
  explicit WordSource(uint64_t seed) : rng_(seed) {}

  std::string Next() {
    const uint64_t r = rng_();
    if (r & 1) return Letters(rng_(), 5 + (r >> 1) % 5);
    return Vocabulary().words[Vocabulary().zipf[r >> 48]];
  }

  // A word that Next() never returns: the replacement in an edited copy.
  static std::string Edit(int64_t n) { return absl::StrCat("edit", n); }

 private:
  static constexpr size_t kWords = 5000;

  // `length` (at most 13) letters from the base-26 digits of `bits`.
  static std::string Letters(uint64_t bits, size_t length) {
    std::string word(length, 'a');
    for (char& c : word) {
      c = static_cast<char>('a' + bits % 26);
      bits /= 26;
    }
    return word;
  }

  struct Table {
    std::vector<std::string> words;
    // zipf[t] for a uniform 16-bit t is a word index k with
    // P(index < k) = log(k + 1) / log(kWords).
    std::vector<uint16_t> zipf;
  };
  static const Table& Vocabulary() {
    static const Table* const table = [] {
      auto* t = new Table;
      std::mt19937_64 rng(20240611);
      for (size_t k = 0; k < kWords; ++k) {
        t->words.push_back(Letters(rng(), 2 + k % 6));
      }
      for (int u = 0; u < 65536; ++u) {
        const double x = std::pow(static_cast<double>(kWords), u / 65536.0);
        t->zipf.push_back(static_cast<uint16_t>(
            std::min<size_t>(static_cast<size_t>(x) - 1, kWords - 1)));
      }
      return t;
    }();
    return *table;
  }

  std::mt19937_64 rng_;
};

// One document's text: words from `seed` until at least `bytes` long. Every
// `edit_every`-th word (0: none) is replaced by an edit.
std::string DocumentText(uint64_t seed, size_t bytes, int edit_every) {
  WordSource words(seed);
  std::string text;
  for (int k = 1; text.size() < bytes; ++k) {
    if (!text.empty()) text += ' ';
    const std::string word = words.Next();
    text += edit_every > 0 && k % edit_every == 0 ? WordSource::Edit(k) : word;
  }
  return text;
}

// The integer after `key` at or after `from` in `line`, or -1.
int64_t IntAfter(std::string_view line, std::string_view key, size_t from = 0) {
  const size_t at = line.find(key, from);
  if (at == std::string_view::npos) return -1;
  size_t p = at + key.size();
  if (p == line.size() || line[p] < '0' || line[p] > '9') return -1;
  int64_t value = 0;
  for (; p < line.size() && line[p] >= '0' && line[p] <= '9'; ++p) {
    value = 10 * value + (line[p] - '0');
  }
  return value;
}

struct Span {
  int64_t start = -1, end = -1, char_start = -1, char_end = -1;
};

struct ReportedPassage {
  Span a, b;
  std::string line;
};

// The "passage" lines of `neardup --format jsonl` output, in order.
std::vector<ReportedPassage> ReadPassages(const std::string& path) {
  std::vector<ReportedPassage> passages;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (!absl::StartsWith(line, "{\"type\":\"passage\"")) continue;
    ReportedPassage& p = passages.emplace_back();
    const size_t b_at = line.find(",\"b\":{");
    for (auto [span, from] : {std::pair{&p.a, size_t{0}}, {&p.b, b_at}}) {
      span->start = IntAfter(line, "\"start\":", from);
      span->end = IntAfter(line, "\"end\":", from);
      span->char_start = IntAfter(line, "\"char_start\":", from);
      span->char_end = IntAfter(line, "\"char_end\":", from);
    }
    p.line = std::move(line);
  }
  return passages;
}

// `neardup compare PATH PATH --format jsonl`, with stdout in dir/out.jsonl
// and stderr in dir/err.txt; the passages it reported go to *passages.
ChildResult CompareWithItself(const TempDir& dir, const std::string& path,
                              std::vector<ReportedPassage>* passages) {
  const std::string out = dir.Path("out.jsonl");
  const ChildResult run = RunNeardup(
      {"compare", path, path, "--format", "jsonl"}, out, dir.Path("err.txt"));
  *passages = ReadPassages(out);
  return run;
}

// --- A single 200 MB line --------------------------------------------------

constexpr size_t kLongLineBytes = 200'000'000;

TEST(LargeInputTest, CompareOfA200MbLineWithItselfIsOnePassageCoveringIt) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir.Path("line.txt");
  {
    Output out(path);
    WordSource words(1);
    for (bool first = true; out.bytes() < kLongLineBytes; first = false) {
      if (!first) out.Write(" ");
      out.Write(words.Next());
    }
    out.Write("\n");
    ASSERT_TRUE(out.Close());
  }
  const int64_t size = static_cast<int64_t>(fs::file_size(path));
  const std::string err = dir.Path("err.txt");
  std::vector<ReportedPassage> passages;
  const ChildResult run = CompareWithItself(dir, path, &passages);
  ASSERT_EQ(run.exit_status, 0) << Describe(run, err);
  // One passage: the whole line but its "\n" on both sides. (Chains break
  // wherever more than max_gap frequent words separate two anchors; each
  // chain used to be extended over the whole identical text and reported
  // on its own, in time quadratic in its length.)
  ASSERT_EQ(passages.size(), 1u);
  for (const Span& span : {passages[0].a, passages[0].b}) {
    EXPECT_EQ(span.start, 0);
    EXPECT_EQ(span.end, size - 1);
    EXPECT_EQ(span.char_start, 0);
    EXPECT_EQ(span.char_end, size - 1);
  }
  EXPECT_TRUE(absl::StrContains(passages[0].line, "\"score\":1.0000"))
      << passages[0].line;
  // compare holds both texts (the file is read twice) and, per token of
  // each (one per 6.3 bytes here), its key and offsets (16 bytes) and key
  // index (4, and 16 while it is sorted), then 16 to 36 bytes per anchor
  // (0.4 per token here): measured 2.0 GiB, 5.3 to 5.5 bytes per input
  // byte. It was 12 before the analyzer worked in chunks and the stages
  // freed their buffers early.
  const uint64_t input = 2 * static_cast<uint64_t>(size);
  PrintPeak("compare, 200 MB line with itself", run, input);
  EXPECT_LE(run.peak_rss, 13 * input / 2 + 64 * kMiB) << Describe(run, err);
}

TEST(LargeInputTest, CompareOfA200MbJsonlRecordWithAnEditedCopyCoversBoth) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string a_path = dir.Path("a.jsonl"), b_path = dir.Path("b.jsonl");
  // One record each; b's text has every 10,000th word replaced.
  constexpr int kEditEvery = 10'000;
  int64_t a_text = 0, b_text = 0, edits = 0;
  {
    Output a(a_path), b(b_path);
    a.Write(R"({"id":"a","text":")");
    b.Write(R"({"id":"b","text":")");
    WordSource words(2);
    for (int64_t k = 1; a_text < static_cast<int64_t>(kLongLineBytes); ++k) {
      const std::string word = words.Next();
      const std::string edited =
          k % kEditEvery == 0 ? WordSource::Edit(++edits) : word;
      const std::string_view space = k == 1 ? "" : " ";
      a.Write(space);
      a.Write(word);
      b.Write(space);
      b.Write(edited);
      a_text += static_cast<int64_t>(space.size() + word.size());
      b_text += static_cast<int64_t>(space.size() + edited.size());
    }
    a.Write("\"}\n");
    b.Write("\"}\n");
    ASSERT_TRUE(a.Close() && b.Close());
  }
  const std::string out = dir.Path("out.jsonl"), err = dir.Path("err.txt");
  const ChildResult run =
      RunNeardup({"compare", a_path, b_path, "--format", "jsonl"}, out, err);
  ASSERT_EQ(run.exit_status, 0) << Describe(run, err);
  // The passages stop at some edits (where one falls among frequent words
  // and the chain breaks) and tile both texts, in order.
  const std::vector<ReportedPassage> passages = ReadPassages(out);
  ASSERT_FALSE(passages.empty());
  EXPECT_LE(static_cast<int64_t>(passages.size()), edits + 1);
  int64_t a_covered = 0, b_covered = 0, a_last = 0, b_last = 0;
  for (const ReportedPassage& p : passages) {
    ASSERT_GE(p.a.start, a_last) << p.line;
    ASSERT_GE(p.b.start, b_last) << p.line;
    ASSERT_LE(p.a.end, a_text) << p.line;
    ASSERT_LE(p.b.end, b_text) << p.line;
    a_covered += p.a.end - p.a.start;
    b_covered += p.b.end - p.b.start;
    a_last = p.a.end;
    b_last = p.b.end;
    EXPECT_TRUE(absl::StrContains(p.line, "\"score\":0.99") ||
                absl::StrContains(p.line, "\"score\":1.0000"))
        << p.line;
  }
  EXPECT_GE(a_covered, a_text * 999 / 1000);
  EXPECT_GE(b_covered, b_text * 999 / 1000);
  // As above (the JSON reader's buffers are gone before the alignment):
  // measured 2.0 GiB, 5.3 to 5.5 bytes per input byte.
  const uint64_t input = fs::file_size(a_path) + fs::file_size(b_path);
  PrintPeak("compare, 200 MB JSONL record with an edited copy", run, input);
  EXPECT_LE(run.peak_rss, 13 * input / 2 + 64 * kMiB) << Describe(run, err);
}

// --- A 1 GB file ------------------------------------------------------------

// A collection of `documents` JSONL records of about 3,400 bytes of text
// (like news articles). Every 100th document from the 100th on is a planted
// near-duplicate of one of the 98 before it, alternately an exact copy and a
// copy with every 150th word replaced (5-gram Jaccard about 0.95). Sources
// are never planted themselves, and each is copied at most once.
class Collection {
 public:
  static constexpr size_t kDocumentBytes = 3'400;

  explicit Collection(int documents) : documents_(documents) {}

  int documents() const { return documents_; }
  static std::string Id(int d) { return absl::StrCat("d", d); }
  // The document d is a copy of, or -1.
  static int SourceOf(int d) {
    if (d < 100 || d % 100 != 0) return -1;
    return d - 1 - static_cast<int>(std::mt19937_64(d)() % 98);
  }
  int planted() const { return documents_ > 100 ? (documents_ - 1) / 100 : 0; }

  // Writes the collection; returns false if the file could not be written.
  bool Write(const std::string& path) const {
    Output out(path);
    for (int d = 0; d < documents_; ++d) {
      const int source = SourceOf(d);
      const std::string text = source < 0
                                   ? DocumentText(1000 + d, kDocumentBytes, 0)
                                   : DocumentText(1000 + source, kDocumentBytes,
                                                  (d / 100) % 2 == 0 ? 0 : 150);
      out.Write(
          absl::StrCat(R"({"id":")", Id(d), R"(","text":")", text, "\"}\n"));
    }
    return out.Close();
  }

 private:
  int documents_;
};

// The value of the string field `key` ("\"id\":\"") in a JSONL line.
std::string_view StringAfter(std::string_view line, std::string_view key) {
  const size_t at = line.find(key);
  if (at == std::string_view::npos) return {};
  const size_t begin = at + key.size();
  return line.substr(begin, line.find('"', begin) - begin);
}

TEST(LargeInputTest, DedupOfA1GbFileDropsExactlyThePlantedDuplicates) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const Collection collection(300'000);
  const std::string input = dir.Path("big.jsonl");
  ASSERT_TRUE(collection.Write(input));
  ASSERT_GE(fs::file_size(input), 1'000'000'000u);
  const std::string kept = dir.Path("kept.jsonl");
  const std::string clusters = dir.Path("clusters.jsonl");
  const std::string out = dir.Path("out.txt"), err = dir.Path("err.txt");
  const ChildResult run = RunNeardup(
      {"dedup", input, "--output", kept, "--clusters", clusters}, out, err);
  ASSERT_EQ(run.exit_status, 0) << Describe(run, err);
  const int documents = collection.documents();
  const int planted = collection.planted();
  EXPECT_TRUE(absl::StrContains(
      testing::ReadFile(err),
      absl::StrCat(documents, " documents read, ", documents - planted,
                   " kept, ", planted, " dropped")))
      << testing::ReadFile(err);

  // One cluster line per document, in input order: every planted copy is
  // dropped as a duplicate of its source, every other document is kept.
  {
    std::ifstream in(clusters);
    std::string line;
    int d = 0, dropped = 0;
    for (; std::getline(in, line); ++d) {
      ASSERT_LT(d, documents);
      ASSERT_EQ(StringAfter(line, R"("id":")"), Collection::Id(d)) << line;
      const int source = Collection::SourceOf(d);
      if (source < 0) {
        ASSERT_TRUE(absl::StrContains(line, R"("kept":true)")) << line;
      } else {
        ASSERT_TRUE(absl::StrContains(line, R"("kept":false)")) << line;
        ASSERT_EQ(StringAfter(line, R"("duplicate_of":")"),
                  Collection::Id(source))
            << line;
        ++dropped;
      }
    }
    EXPECT_EQ(d, documents);
    EXPECT_EQ(dropped, planted);
  }
  // The kept file is the input without the planted lines, byte for byte.
  {
    std::ifstream in(input), kept_in(kept);
    std::string line, kept_line;
    for (int d = 0; std::getline(in, line); ++d) {
      if (Collection::SourceOf(d) >= 0) continue;
      ASSERT_TRUE(std::getline(kept_in, kept_line)) << "document " << d;
      ASSERT_EQ(kept_line, line) << "document " << d;
    }
    EXPECT_FALSE(std::getline(kept_in, kept_line));
  }
  PrintPeak("dedup, 1 GB JSONL", run, fs::file_size(input));
  // dedup streams: it holds about 330 bytes per document (docs/DEDUP.md)
  // and two batches of texts (4 MiB each), never the whole input. Measured
  // 146 to 172 MiB (it depends on how far reading runs ahead), 0.17 bytes
  // per input byte.
  EXPECT_LE(run.peak_rss, 64 * kMiB + 640 * static_cast<uint64_t>(documents))
      << Describe(run, err);
}

// `scan` of the 1 GB collection above took 95 s and 6.5 GB when it held
// every document (8.3 GB before this test was written), too much for CI, so
// the 1 GB file goes through dedup (above) and scan gets a tenth of it.
TEST(LargeInputTest, ScanOfA100MbCollectionFindsExactlyThePlantedPairs) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const Collection collection(30'000);
  const std::string input = dir.Path("collection.jsonl");
  ASSERT_TRUE(collection.Write(input));
  const std::string out = dir.Path("out.jsonl"), err = dir.Path("err.txt");
  const ChildResult run =
      RunNeardup({"scan", input, "--format", "jsonl"}, out, err);
  ASSERT_EQ(run.exit_status, 0) << Describe(run, err);
  std::set<std::pair<std::string, std::string>> expected, reported;
  for (int d = 0; d < collection.documents(); ++d) {
    const int source = Collection::SourceOf(d);
    if (source >= 0) {
      expected.emplace(Collection::Id(source), Collection::Id(d));
    }
  }
  std::ifstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (!absl::StartsWith(line, R"({"type":"pair")")) continue;
    reported.emplace(StringAfter(line, R"("a":")"),
                     StringAfter(line, R"("b":")"));
  }
  EXPECT_EQ(reported, expected);
  const uint64_t input_bytes = fs::file_size(input);
  PrintPeak("scan, 100 MB JSONL", run, input_bytes);
  // Per token (one per 6.3 bytes) its key (8 bytes), boilerplate flag (1),
  // a share of its windows' LSH band keys (7) and of the LSH sort (3); the
  // texts wait in a temporary file: measured 344 MiB, 3.5 bytes per input
  // byte (576 MiB, 5.9 bytes, when scan held the texts, their offsets and
  // key indexes).
  EXPECT_LE(run.peak_rss, 4 * input_bytes + 64 * kMiB) << Describe(run, err);
}

// --- Memory of scan per input byte -----------------------------------------

// The line of SaudiNewsNet's sample `line`, as copy `copy` (> 0) of it:
// {"id":"<id>#<copy>","text":...} with the same two Arabic letters (chosen by
// the copy) after every run of letters, digits and other non-ASCII bytes, so
// that copies share no word while each copy has the sample's own reuse (as
// bench/scan_memory.sh builds its input). Empty if the line has no id or
// text.
std::string ArabicCopy(std::string_view line, int copy) {
  static constexpr std::string_view kLetters[] = {
      "ب", "ت", "ث", "ج", "ح", "خ", "د", "ذ", "ر", "ز", "س", "ش", "ص",
      "ض", "ط", "ظ", "ع", "غ", "ف", "ق", "ك", "ل", "م", "ن", "و"};
  constexpr int kCount = sizeof(kLetters) / sizeof(kLetters[0]);
  const std::string suffix = std::string(kLetters[copy % kCount]) +
                             std::string(kLetters[copy / kCount % kCount]);
  const std::string_view id = StringAfter(line, R"("id":")");
  const size_t at = line.find(R"("text":")");
  if (id.empty() || at == std::string_view::npos) return {};
  std::string out = R"({"id":")" + std::string(id) + "#" +
                    std::to_string(copy) + R"(","text":")";
  const auto is_word = [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x80 || (std::isalnum(byte) != 0);
  };
  for (size_t k = at + 8; k < line.size() && line[k] != '"';) {
    if (line[k] == '\\') {  // an escape, kept whole
      const size_t length = k + 1 < line.size() && line[k + 1] == 'u' ? 6 : 2;
      out.append(line.substr(k, length));
      k += length;
    } else if (is_word(line[k])) {
      const size_t begin = k;
      while (k < line.size() && is_word(line[k])) ++k;
      out.append(line.substr(begin, k - begin));
      out += suffix;
    } else {
      out.push_back(line[k++]);
    }
  }
  out += "\"}\n";
  return out;
}

// scan keeps token keys and the windows' band keys, not texts (they wait in
// an unlinked temporary file): at most 2 bytes of peak memory per byte of
// Arabic news JSONL (docs/DESIGN.md, "Memory of scan").
TEST(LargeInputTest, ScanOfArabicNewsTakesAtMostTwoBytesPerInputByte) {
  std::ifstream sample(std::string(NEARDUP_SOURCE_DIR) +
                       "/../shared/datasets/saudinewsnet/sample-1k.jsonl");
  std::vector<std::string> lines;
  for (std::string line; std::getline(sample, line);) lines.push_back(line);
  if (lines.empty()) {
    // CI always has ../shared beside the clone; a bare clone may not.
    if (std::getenv("CI") != nullptr) FAIL() << "SaudiNewsNet sample missing";
    GTEST_SKIP() << "SaudiNewsNet sample not available";
  }
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string input = dir.Path("arabic.jsonl");
  constexpr int kCopies = 30;  // about 90 MB
  {
    Output out(input);
    for (const std::string& line : lines) out.Write(line + "\n");
    for (int copy = 1; copy < kCopies; ++copy) {
      for (const std::string& line : lines) out.Write(ArabicCopy(line, copy));
    }
    ASSERT_TRUE(out.Close());
  }
  const std::string out = dir.Path("out.jsonl"), err = dir.Path("err.txt");
  const ChildResult run = RunNeardup(
      {"scan", input, "--format", "jsonl", "--threads", "2"}, out, err);
  ASSERT_EQ(run.exit_status, 0) << Describe(run, err);
  // Each copy has reuse of its own (which pairs the window sketches find
  // depends on the words' hashes, so not exactly the same in every copy).
  size_t pairs = 0;
  {
    std::ifstream in(out);
    for (std::string line; std::getline(in, line);) {
      pairs += absl::StartsWith(line, R"({"type":"pair")");
    }
  }
  EXPECT_GE(pairs, static_cast<size_t>(kCopies));
  const uint64_t input_bytes = fs::file_size(input);
  PrintPeak("scan, Arabic news JSONL", run, input_bytes);
  EXPECT_LE(run.peak_rss, 2 * input_bytes) << Describe(run, err);
}

// --- Documents of one repeated token, and other low-entropy text ---------

// Writes `unit` repeated until the file has at least `bytes`; returns how
// many times it was written, or 0 if the file could not be written.
uint64_t WriteRepeated(const std::string& path, std::string_view unit,
                       size_t bytes) {
  Output out(path);
  uint64_t units = 0;
  for (; out.bytes() < bytes; ++units) out.Write(unit);
  return out.Close() ? units : 0;
}

// Writes words drawn uniformly from five until the file has at least
// `bytes`; returns how many, or 0 if the file could not be written.
uint64_t WriteFiveWords(const std::string& path, size_t bytes) {
  static constexpr std::string_view kWords[] = {"alpha ", "beta ", "gamma ",
                                                "delta ", "epsilon "};
  std::mt19937_64 rng(5);
  Output out(path);
  uint64_t words = 0;
  for (; out.bytes() < bytes; ++words) out.Write(kWords[rng() % 5]);
  return out.Close() ? words : 0;
}

TEST(LargeInputTest, DocumentsOfOneRepeatedTokenAreBoundedWork) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  constexpr size_t kBytes = 20'000'000;
  const std::string low = dir.Path("low");
  ASSERT_TRUE(fs::create_directory(low));
  const std::string the1 = dir.Path("low/the1.txt");
  const std::string the2 = dir.Path("low/the2.txt");
  const std::string ab = dir.Path("low/ab.txt");
  const std::string five = dir.Path("low/five.txt");
  const uint64_t the_tokens = WriteRepeated(the1, "the ", kBytes);
  ASSERT_EQ(WriteRepeated(the2, "the ", kBytes), the_tokens);
  const uint64_t ab_tokens = 2 * WriteRepeated(ab, "a b ", kBytes);
  const uint64_t five_tokens = WriteFiveWords(five, kBytes);
  ASSERT_GT(the_tokens * ab_tokens * five_tokens, 0u);
  const std::string out = dir.Path("out.txt"), err = dir.Path("err.txt");

  // No word of these texts can be an alignment anchor (each occurs more
  // than max_occurrences times), so compare and scan report nothing, by
  // design: a passage needs min_tokens words rare enough to pin it. The
  // work must still be linear in the text: no anchor, chain or LSH bucket
  // may grow with its square. Memory is per token (5 million in a "the"
  // file, 10 million in "a b", 3.2 million in "five"): the text, the key and
  // offsets (16 bytes), the key index (4, and 16 while it is sorted):
  // measured 31 to 38 bytes per token.
  struct Case {
    std::string a, b;
    uint64_t tokens;  // of a and b together
  };
  for (const Case& c :
       {Case{the1, the2, 2 * the_tokens}, Case{ab, ab, 2 * ab_tokens},
        Case{five, five, 2 * five_tokens}}) {
    SCOPED_TRACE(c.a);
    const ChildResult run = RunNeardup({"compare", c.a, c.b}, out, err);
    EXPECT_EQ(run.exit_status, 1) << Describe(run, err);
    EXPECT_EQ(fs::file_size(out), 0u);
    PrintPeak("compare " + c.a + " " + c.b, run, 2 * kBytes);
    EXPECT_LE(run.peak_rss, 40 * c.tokens + 64 * kMiB) << Describe(run, err);
  }

  // scan: every window of a "the" file has the same band keys, so LSH
  // buckets hold all of its windows; a bucket counts documents, not
  // windows, and yields a pair per two documents.
  const uint64_t all_tokens = 2 * the_tokens + ab_tokens + five_tokens;
  ChildResult run = RunNeardup({"scan", low, "--format", "jsonl"}, out, err);
  EXPECT_EQ(run.exit_status, 1) << Describe(run, err);
  EXPECT_TRUE(absl::StrContains(testing::ReadFile(out), R"("documents":4,)"))
      << testing::ReadFile(out);
  PrintPeak("scan, four low-entropy documents", run, 4 * kBytes);
  // As compare, plus the windows' LSH band keys and sort (10 bytes a
  // token): measured 34 bytes per token.
  EXPECT_LE(run.peak_rss, 40 * all_tokens + 64 * kMiB) << Describe(run, err);

  // dedup compares whole shingle sets, so it does find the two "the" files
  // to be the same text.
  const std::string kept = dir.Path("kept.jsonl");
  const std::string clusters = dir.Path("clusters.jsonl");
  run = RunNeardup({"dedup", low, "--output", kept, "--clusters", clusters},
                   out, err);
  ASSERT_EQ(run.exit_status, 0) << Describe(run, err);
  const std::string lines = testing::ReadFile(clusters);
  EXPECT_TRUE(absl::StrContains(
      lines, absl::StrCat(R"({"id":")", the2, R"(","source":")", the2,
                          R"(","cluster":")", the1, R"(","cluster_source":")",
                          the1, R"(","kept":false)")))
      << lines;
  EXPECT_TRUE(absl::StrContains(testing::ReadFile(err),
                                "4 documents read, 3 kept, 1 dropped"))
      << testing::ReadFile(err);
  PrintPeak("dedup, four low-entropy documents", run, 4 * kBytes);
  // dedup holds the documents being read and analysed (here each batch is
  // one document) with, per token, its key and offsets (16 bytes) and
  // shingle (8): measured 15 bytes per token of the input.
  EXPECT_LE(run.peak_rss, 20 * all_tokens + 64 * kMiB) << Describe(run, err);
}

TEST(LargeInputTest, TheMostAnchorsPerTokenStayLinear) {
  // Every word occurs exactly 8 times: max_occurrences, so in a compare of
  // the text with itself each token has 8 anchors, the most the frequency
  // cap allows. Blocks of 1,024 distinct words, each written 8 times in
  // different orders.
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir.Path("dense.txt");
  {
    Output out(path);
    std::mt19937_64 rng(8);
    WordSource words(8);
    std::vector<std::string> block;
    for (int b = 0; out.bytes() < 20'000'000; ++b) {
      block.clear();
      for (int k = 0; k < 1024; ++k) {
        block.push_back(absl::StrCat(words.Next(), "x", b, "y", k));
      }
      for (int copy = 0; copy < 8; ++copy) {
        std::shuffle(block.begin(), block.end(), rng);
        for (const std::string& word : block) out.Write(word + " ");
      }
    }
    ASSERT_TRUE(out.Close());
  }
  const int64_t size = static_cast<int64_t>(fs::file_size(path));
  const std::string err = dir.Path("err.txt");
  std::vector<ReportedPassage> passages;
  const ChildResult run = CompareWithItself(dir, path, &passages);
  ASSERT_EQ(run.exit_status, 0) << Describe(run, err);
  ASSERT_EQ(passages.size(), 1u);
  EXPECT_EQ(passages[0].a.start, 0);
  EXPECT_EQ(passages[0].a.end, size - 1);
  PrintPeak("compare, every word 8 times", run,
            2 * static_cast<uint64_t>(size));
  // Per anchor, 16 bytes, then 20 more for its chain state, order and
  // owner: measured 486 MiB, 12.7 bytes per input byte (one token per 14
  // bytes).
  EXPECT_LE(run.peak_rss, 15 * 2 * static_cast<uint64_t>(size) + 64 * kMiB)
      << Describe(run, err);
}

}  // namespace
}  // namespace neardup
