// neardup::FeedIndex on LMDB: see neardup/feed_index.h.
//
// Named databases of the one environment (all integers native-endian):
//   meta     "format_version" -> u32; "params" -> "name=value\n" lines;
//            "next_document", "next_batch" -> u32
//   bands    (version 1)
//            u32 bucket -> u64 entry (DUPSORT, DUPFIXED, INTEGERDUP). The
//            64-bit key of band b is mixed with b; its top 16 bits are the
//            bucket, the next 32 bits the entry's high half, the document
//            its low half. 65,536 buckets of sorted 8-byte entries: LMDB
//            packs each bucket's entries in a tree of its own with no
//            per-entry header (about 12 bytes per entry at 1M documents,
//            where one key per entry would cost about 34). A lookup seeks
//            the first entry with its 32 bits (MDB_GET_BOTH_RANGE).
//   docs     u32 document -> u32 batch, u32 tokens, signature (num_hashes
//            bytes: the low byte of each MinHash value), id bytes
//   texts    u32 document -> zstd frame of the text (if params.store_texts)
//   ids      u64 XXH3 of the id -> u32 document (DUPSORT, DUPFIXED)
//   batches  u32 batch -> i64 added, u32 first, u32 end, u64 documents,
//            16-byte content hash, name bytes
//   runs     (version 2) u32 run -> a sorted run of band (or passage)
//            entries, see "Band runs" below; new entries go to runs, the
//            bands tree holds only what a version 1 index had
//   sigs     (version 2) u32 first document of a batch -> the first
//            8 + num_hashes bytes of each of its docs records, in order
//            (read with pread by queries)
//   idblocks (version 3) u32 first document of a batch -> u32 count,
//            u32 offsets[count + 1] (into the bytes that follow), the ids of
//            its documents, in order (read with pread by queries, for the
//            ids of matches)
//   textblocks (version 3, with texts) u32 first document of a batch ->
//            u32 count, u32 0, u64 offsets[count + 1] (into the bytes that
//            follow), the zstd frames of its documents' texts, in order
//            (read with pread); texts holds only what older versions wrote
// Documents and batches are numbered in the order added and never
// renumbered, so docs, texts, batches, runs, sigs and idblocks are appended
// (MDB_APPEND).
#include "neardup/feed_index.h"

#include <dirent.h>
#include <fcntl.h>
#include <lmdb.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>
#include <zstd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "analyze.h"
#include "bucket_sort.h"
#include "candidates.h"
#include "dedup_internal.h"
#include "file_io.h"
#include "minhash.h"
#include "neardup/options.h"
#include "parallel.h"
#include "set_overlap.h"
#include "shingle.h"

namespace neardup {
namespace {

constexpr double kSimilarityEpsilon = 1e-9;
// With texts stored, a candidate whose signature has too few bytes equal to
// the query's is not verified exactly: so few that a pair at the threshold
// has as few with at most this probability (VerifyCut). At 0.8 with 128
// bytes that skips estimates below 0.62, five standard deviations under the
// threshold; LSH's 17 bands of 7 rows themselves miss 1.8 % of the pairs at
// 0.8 (DESIGN.md, "Which candidates are verified").
constexpr double kSkipChance = 1e-6;
// zstd level of the stored texts. Each text is its own frame of ~3 KB, where
// level 3 cost 219,000 instructions a document on the bench data, more than
// analysing and sketching it; level 1 costs 15 % less to compress and 13 %
// less to decompress, for frames 1.3 % larger (2 % on SaudiNewsNet
// articles); DESIGN.md, "The feed index".
constexpr int kZstdLevel = 1;

absl::Status LmdbError(const std::string& path, const char* what, int rc) {
  return absl::InternalError(
      absl::StrCat(path, ": ", what, ": ", mdb_strerror(rc)));
}

// A band key mixed with its band: the top 16 bits pick the LMDB key (so
// each LMDB key holds many entries, packed 8 bytes each in its sorted
// duplicate tree), the next 32 bits lead the entry, before the document.
// Passage keys go in the band tree, mixed with this "band" (bands are
// below 1024), so that pruning and stats treat them as band entries.
constexpr int kPassageBand = 4096;

// The winnowed keys of `hashes` (a document's shingle hashes, in order;
// Schleimer et al. 2003): the smallest hash of every window of
// kPassageWindow consecutive shingles (of all of them if fewer), sorted and
// distinct. The window's smallest is kept from one window to the next while
// it stays in it (found again only when it leaves), and a minimum repeated
// by consecutive windows is listed once before the sort.
void WinnowedKeys(absl::Span<const uint64_t> hashes,
                  std::vector<uint64_t>* out) {
  out->clear();
  const size_t n = hashes.size();
  if (n == 0) return;
  const size_t w = std::min<size_t>(kPassageWindow, n);
  size_t at = n;  // where the current window's smallest is
  for (size_t i = 0; i + w <= n; ++i) {
    if (at == n || at < i) {
      at = static_cast<size_t>(
          std::min_element(hashes.begin() + i, hashes.begin() + i + w) -
          hashes.begin());
    } else if (hashes[i + w - 1] < hashes[at]) {
      at = i + w - 1;
    }
    if (out->empty() || out->back() != hashes[at]) out->push_back(hashes[at]);
  }
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
}

// A band key mixed with its band number (kPassageBand for passage keys).
uint64_t MixBand(uint64_t key, int band) {
  uint64_t x = key ^ (static_cast<uint64_t>(band + 1) * 0x9E3779B97F4A7C15ULL);
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ULL;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBULL;
  x ^= x >> 31;
  return x;
}
uint32_t BandBucket(uint64_t mixed) {
  return static_cast<uint32_t>(mixed >> 48);
}
uint64_t BandEntry(uint64_t mixed, uint32_t doc) {
  return (((mixed >> 16) & 0xFFFFFFFFULL) << 32) | doc;
}

// "2026-11-30T18:02:11Z".
std::string UtcText(int64_t unix_seconds) {
  const auto t = static_cast<std::time_t>(unix_seconds);
  std::tm tm;
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

uint64_t IdHash(std::string_view id) {
  return XXH3_64bits(id.data(), id.size());
}

MDB_val Val(const void* data, size_t size) {
  return MDB_val{size, const_cast<void*>(data)};
}

template <typename T>
T Load(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

template <typename T>
void Append(T v, std::string* out) {
  out->append(reinterpret_cast<const char*>(&v), sizeof(T));
}

std::string ParamsText(const FeedIndexParams& p) {
  const AnalyzeOptions& a = p.analyze;
  return absl::StrCat(
      "shingle=", p.shingle, "\nnum_hashes=", p.num_hashes,
      "\nlsh_threshold=", p.lsh_threshold, "\nbands=", p.bands,
      "\nrows=", p.rows, "\nseed=", p.seed, "\nfold_case=", a.fold_case,
      "\nstrip_marks=", a.strip_marks, "\nfold_arabic=", a.fold_arabic,
      "\nfold_digits=", a.fold_digits, "\nmatch_variants=", a.match_variants,
      "\nstore_texts=", p.store_texts, "\npassage_keys=", p.passage_keys, "\n");
}

bool ParseParams(const std::string& text, FeedIndexParams* p) {
  int found = 0;
  for (absl::string_view piece :
       absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    const std::string line(piece);
    const size_t eq = line.find('=');
    if (eq == std::string::npos) return false;
    const std::string name = line.substr(0, eq);
    const std::string value = line.substr(eq + 1);
    bool ok = true;
    auto flag = [&](bool* b) {
      int v = 0;
      ok = absl::SimpleAtoi(value, &v);
      *b = v != 0;
    };
    if (name == "shingle") {
      ok = absl::SimpleAtoi(value, &p->shingle);
    } else if (name == "num_hashes") {
      ok = absl::SimpleAtoi(value, &p->num_hashes);
    } else if (name == "lsh_threshold") {
      ok = absl::SimpleAtod(value, &p->lsh_threshold);
    } else if (name == "bands") {
      ok = absl::SimpleAtoi(value, &p->bands);
    } else if (name == "rows") {
      ok = absl::SimpleAtoi(value, &p->rows);
    } else if (name == "seed") {
      ok = absl::SimpleAtoi(value, &p->seed);
    } else if (name == "fold_case") {
      flag(&p->analyze.fold_case);
    } else if (name == "strip_marks") {
      flag(&p->analyze.strip_marks);
    } else if (name == "fold_arabic") {
      flag(&p->analyze.fold_arabic);
    } else if (name == "fold_digits") {
      flag(&p->analyze.fold_digits);
    } else if (name == "match_variants") {
      flag(&p->analyze.match_variants);
    } else if (name == "store_texts") {
      flag(&p->store_texts);
    } else if (name == "passage_keys") {
      flag(&p->passage_keys);
      continue;  // not in indexes made before it: not counted
    } else {
      continue;  // a field this version does not know: ignored
    }
    if (!ok) return false;
    ++found;
  }
  return found >= 12;
}

// The LSH parameters and sketch options of an index.
SketchOptions SketchFor(const FeedIndexParams& p) {
  SketchOptions s;
  s.shingle = p.shingle;
  s.num_hashes = p.num_hashes;
  s.seed = p.seed;
  s.params = LshParams{p.bands, p.rows};
  return s;
}

absl::Status ValidateParams(const FeedIndexParams& p) {
  if (absl::Status s = ValidateAnalyzeOptions(p.analyze); !s.ok()) return s;
  if (p.shingle < 1 || p.shingle > 64) {
    return absl::InvalidArgumentError("FeedIndexParams::shingle must be 1..64");
  }
  if (p.num_hashes < 16 || p.num_hashes > 1024) {
    return absl::InvalidArgumentError(
        "FeedIndexParams::num_hashes must be 16..1024");
  }
  if (!(p.lsh_threshold > 0 && p.lsh_threshold < 1)) {
    return absl::InvalidArgumentError(
        "FeedIndexParams::lsh_threshold must be in (0, 1)");
  }
  return absl::OkStatus();
}

// Everything Query and AddBatch compute from one text.
struct Sketched {
  uint32_t tokens = 0;
  std::vector<uint64_t> band_keys;
  std::vector<uint64_t> passage_keys;  // sorted, distinct (if asked)
  std::vector<uint8_t> signature;
  std::vector<uint64_t> shingles;  // distinct (if asked)
};

struct Worker {
  Worker(const AnalyzeOptions& options, const SketchOptions& sketch,
         const MinHasher* hasher)
      : analyzer(options),
        sketcher(sketch, hasher),
        zstd_c(ZSTD_createCCtx()) {}
  Worker(Worker&& o) noexcept
      : analyzer(std::move(o.analyzer)),
        sketcher(std::move(o.sketcher)),
        zstd_c(std::exchange(o.zstd_c, nullptr)) {}
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  Worker& operator=(Worker&&) = delete;
  ~Worker() { ZSTD_freeCCtx(zstd_c); }
  Analyzer analyzer;
  AnalyzedText analyzed;
  BandSketcher sketcher;
  ZSTD_CCtx* zstd_c;  // (add only)
  HashedSet distinct;
};

double EstimateSimilarity(const uint8_t* a, const uint8_t* b, int k) {
  return EstimateFromEqualBytes(EqualBytes(a, b, k), k);
}

// A read or write transaction, aborted unless committed.
class Txn {
 public:
  Txn() = default;
  Txn(const Txn&) = delete;
  Txn& operator=(const Txn&) = delete;
  ~Txn() {
    if (txn_ != nullptr) mdb_txn_abort(txn_);
  }
  int Begin(MDB_env* env, unsigned flags) {
    return mdb_txn_begin(env, nullptr, flags, &txn_);
  }
  int Commit() {
    const int rc = mdb_txn_commit(txn_);
    txn_ = nullptr;
    return rc;
  }
  MDB_txn* get() const { return txn_; }

 private:
  MDB_txn* txn_ = nullptr;
};

class Cursor {
 public:
  Cursor() = default;
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;
  ~Cursor() {
    if (cursor_ != nullptr) mdb_cursor_close(cursor_);
  }
  int Open(MDB_txn* txn, MDB_dbi dbi) {
    return mdb_cursor_open(txn, dbi, &cursor_);
  }
  MDB_cursor* get() const { return cursor_; }
  // A write transaction's commit frees its cursors: close them before.
  void Close() {
    if (cursor_ != nullptr) mdb_cursor_close(cursor_);
    cursor_ = nullptr;
  }

 private:
  MDB_cursor* cursor_ = nullptr;
};

// Band runs (format version 2). The band and passage entries of each
// `add` are written as one sorted run, a single LMDB value in the `runs`
// database (contiguous overflow pages), instead of being inserted into a
// B-tree: an add appends pages and copies none on write. A run is
//   u32 kind, u32 first document, u32 end document, u32 0, u64 entries,
//   u32 offsets[kRunBuckets + 1] (entry index where each bucket starts),
//   u64 entries[] (per bucket, sorted: BandEntry, as in the v1 tree).
// Runs are read with pread(2) from data.mdb, not through the map: a query
// of a few thousand documents at 1M indexed documents needs entries from
// nearly every page of the runs, and on the shared (virtualised) machine a
// page fault costs some 20 µs, where pread copies a 256 KiB chunk in about
// 25 µs (DESIGN.md, "The feed index").
constexpr uint32_t kRunBuckets = 65536;
constexpr size_t kRunHeaderBytes = 24;
constexpr size_t kRunDirBytes = (size_t{kRunBuckets} + 1) * 4;
constexpr uint32_t kBandRun = 0;
constexpr uint32_t kPassageRun = 1;
// Entries read per chunk when a run is read through in order.
constexpr size_t kRunChunkEntries = size_t{32} << 10;
// The newest two runs of a kind (band keys, passage keys) are merged while
// the older holds at most kRunMergeRatio times the newer's entries or fewer
// than FeedIndexOptions::small_run_entries: 1, a binary counter, about
// log2(documents / batch) runs, each entry rewritten about as often. Band
// runs used to be merged while the older held up to twice the newer, for
// fewer runs to read; at 1M documents that rewrote twice the entries an
// add (simulated over the 20 adds after the bench's 1M build: 4.2 M
// entries an add against 2.2 M), and the bench's one add of 50k at 1M
// merged every band run (143 MB). A query reads all the band entries
// either way: with about 5 runs instead of 3 at 1M (by the simulation) it
// measured no slower (5k edited copies 0.245 against 0.260 s). Passage runs
// are 3.7 times the band runs with texts (63 entries a document against 17).
constexpr uint64_t kRunMergeRatio = 1;

struct RunInfo {
  uint32_t key = 0;
  uint32_t kind = 0;
  uint32_t first_document = 0;
  uint32_t end_document = 0;
  uint64_t entries = 0;
  MDB_val blob{0, nullptr};
};

// What AddBatch keeps of one part of a batch (a DocumentSource's unit) until
// its transaction, in arrays of their exact size: memory first touched costs
// a page fault per 4 KiB on the shared machine, so nothing is grown by
// doubling or allocated per document (DESIGN.md, "The feed index").
struct AddedPart {
  size_t count = 0;
  std::vector<uint32_t> tokens;
  std::vector<uint8_t> signatures;     // num_hashes bytes per document
  std::vector<uint64_t> band_keys;     // bands per document, MixBand()ed
  std::vector<uint64_t> passage_keys;  // MixBand()ed with kPassageBand
  std::vector<uint32_t> passage_ends;  // per document, into passage_keys
  std::string texts;                   // zstd frames, in document order
  std::vector<uint64_t> text_ends;     // per document, into texts
  std::vector<uint32_t> docs;          // number given, or kNotAdded
};
constexpr uint32_t kNotAdded = 0xFFFFFFFFu;

// A document's results of variable size until they are packed into its
// AddedPart; kept from one part to the next, so their memory is reused.
struct AddScratch {
  std::vector<uint64_t> passage_keys;
  std::string compressed;  // at least ZSTD_compressBound bytes
  size_t compressed_size = 0;
};

// A run about to be written: its bucket directory and its entries, sorted
// and distinct within each bucket (as the v1 tree held them).
struct RunContents {
  std::vector<uint32_t> dir;
  std::vector<uint64_t> entries;
};

// The run of `kind` (kBandRun with `bands` keys per document, or
// kPassageRun) of the documents of `parts` given a number: put in order of
// bucket by counting, then sorted and made distinct within each bucket.
void BuildRun(const std::vector<AddedPart>& parts, bool passages, int bands,
              RunContents* run) {
  auto for_each_entry = [&](const auto& fn) {
    for (const AddedPart& part : parts) {
      for (size_t j = 0; j < part.count; ++j) {
        const uint32_t doc = part.docs[j];
        if (doc == kNotAdded) continue;
        const uint64_t* begin =
            passages ? part.passage_keys.data() +
                           (j == 0 ? 0 : part.passage_ends[j - 1])
                     : part.band_keys.data() + j * bands;
        const uint64_t* end =
            passages ? part.passage_keys.data() + part.passage_ends[j]
                     : begin + bands;
        for (const uint64_t* key = begin; key != end; ++key) fn(*key, doc);
      }
    }
  };
  std::vector<uint32_t>& dir = run->dir;
  dir.assign(size_t{kRunBuckets} + 1, 0);
  for_each_entry(
      [&dir](uint64_t mixed, uint32_t) { ++dir[BandBucket(mixed) + 1]; });
  for (size_t b = 0; b < kRunBuckets; ++b) dir[b + 1] += dir[b];
  std::vector<uint64_t>& entries = run->entries;
  entries.resize(dir[kRunBuckets]);
  {
    std::vector<uint32_t> at(dir.begin(), dir.end() - 1);
    for_each_entry([&](uint64_t mixed, uint32_t doc) {
      entries[at[BandBucket(mixed)]++] = BandEntry(mixed, doc);
    });
  }
  uint32_t lo = 0;
  size_t w = 0;
  for (size_t b = 0; b < kRunBuckets; ++b) {
    const uint32_t hi = dir[b + 1];
    dir[b] = static_cast<uint32_t>(w);
    std::sort(entries.begin() + lo, entries.begin() + hi);
    for (uint32_t j = lo; j < hi; ++j) {
      if (j == lo || entries[j] != entries[j - 1]) entries[w++] = entries[j];
    }
    lo = hi;
  }
  dir[kRunBuckets] = static_cast<uint32_t>(w);
  entries.resize(w);
}

// Copies bytes of LMDB values: committed pages (inside the map) with
// pread from the data file, which leaves the map untouched (no page
// faults); pages this write transaction made (outside the map) with memcpy.
// A read transaction keeps its snapshot's pages from being reused, so both
// read what the snapshot holds.
class BlobReader {
 public:
  BlobReader(int fd, const char* map, size_t map_bytes)
      : fd_(fd), map_(map), map_bytes_(map_bytes) {}

  bool Read(const MDB_val& blob, size_t offset, size_t n, void* dst) const {
    if (offset > blob.mv_size || n > blob.mv_size - offset) return false;
    if (n == 0) return true;  // an empty value's mv_data may be null
    const char* p = static_cast<const char*>(blob.mv_data) + offset;
    if (p < map_ || p >= map_ + map_bytes_) {
      std::memcpy(dst, p, n);
      return true;
    }
    return ReadFullAt(fd_, dst, n, static_cast<off_t>(p - map_)) == 0;
  }

 private:
  int fd_;
  const char* map_;
  size_t map_bytes_;
};

// Readies memory about to be written in full (a run LMDB allocated for this
// transaction): 2 MiB pages and every page faulted in by one call, instead
// of one page fault per 4 KiB, which costs some 15 µs each on the shared
// virtualised machine (a 136 MB run: 0.5 s of faults; with this, 0.01 s).
// Only advice: errors (an older kernel) are ignored.
void PrepareForWriting(char* p, size_t n) {
#ifdef __linux__
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  const auto page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  const auto begin = reinterpret_cast<uintptr_t>(p);
  const uintptr_t end = begin + n;
  const uintptr_t huge_begin = (begin + kHuge - 1) & ~(kHuge - 1);
  const uintptr_t huge_end = end & ~(kHuge - 1);
  if (huge_end > huge_begin) {
    madvise(p + (huge_begin - begin), huge_end - huge_begin, MADV_HUGEPAGE);
  }
#ifndef MADV_POPULATE_WRITE
  constexpr int MADV_POPULATE_WRITE = 23;  // Linux 5.14
#endif
  const uintptr_t page_begin = (begin + page - 1) & ~(page - 1);
  const uintptr_t page_end = end & ~(page - 1);
  if (page_end > page_begin) {
    madvise(p + (page_begin - begin), page_end - page_begin,
            MADV_POPULATE_WRITE);
  }
#else
  (void)p;
  (void)n;
#endif
}

// Fills `n` bytes at `dst` on up to `workers` threads: fill(begin, end)
// writes bytes [begin, end) of them, for disjoint ranges that cover [0, n)
// (each cut on a 2 MiB boundary of the address, so that a huge page is
// readied by one thread). With `fresh` (memory LMDB allocated for this
// transaction), each thread readies its own range first: zeroing fresh
// pages is most of the cost of filling a large reserved value on this
// machine, and it is otherwise spent on one core while the other idles
// (DESIGN.md, "The feed index").
void FillInParallel(char* dst, size_t n, bool fresh, int workers,
                    const std::function<void(size_t, size_t)>& fill) {
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  std::vector<size_t> cuts = {0};
  const auto base = reinterpret_cast<uintptr_t>(dst);
  for (int w = 1; w < workers; ++w) {
    const uintptr_t at =
        (base + n / static_cast<size_t>(workers) * w) & ~(kHuge - 1);
    const size_t cut = at > base ? static_cast<size_t>(at - base) : 0;
    if (cut > cuts.back() && cut < n) cuts.push_back(cut);
  }
  cuts.push_back(n);
  ParallelFor(cuts.size() - 1, workers, 1, [&](size_t i, int) {
    const size_t begin = cuts[i], end = cuts[i + 1];
    if (fresh) PrepareForWriting(dst + begin, end - begin);
    fill(begin, end);
  });
}

bool ParseRun(uint32_t key, const MDB_val& v, RunInfo* run) {
  if (v.mv_size < kRunHeaderBytes + kRunDirBytes) return false;
  // The header sits in the value's first page, one page touched per run.
  const char* p = static_cast<const char*>(v.mv_data);
  run->key = key;
  run->kind = Load<uint32_t>(p);
  run->first_document = Load<uint32_t>(p + 4);
  run->end_document = Load<uint32_t>(p + 8);
  run->entries = Load<uint64_t>(p + 16);
  run->blob = v;
  return run->kind <= kPassageRun &&
         v.mv_size == kRunHeaderBytes + kRunDirBytes + run->entries * 8;
}

// A run's bucket offsets.
bool ReadRunDir(const BlobReader& reader, const RunInfo& run,
                std::vector<uint32_t>* dir) {
  dir->resize(size_t{kRunBuckets} + 1);
  return reader.Read(run.blob, kRunHeaderBytes, kRunDirBytes, dir->data()) &&
         dir->back() == run.entries;
}

// Reads a run's entries [begin, end) a chunk at a time, in order.
class RunStream {
 public:
  // Reads into `buffer` if given (one for several runs: memory first
  // touched costs a page fault per 4 KiB), else into its own.
  RunStream(const BlobReader& reader, const RunInfo& run,
            std::vector<uint64_t>* buffer = nullptr)
      : reader_(reader), run_(run), shared_(buffer) {}
  // Entries [begin, end) must be in the buffer; reads them (and up to
  // `ahead` more) if not. Returns a pointer to entry `begin`, or null.
  const uint64_t* Get(uint64_t begin, uint64_t end, size_t ahead) {
    std::vector<uint64_t>& buffer = shared_ != nullptr ? *shared_ : own_;
    if (begin < lo_ || end > hi_) {
      lo_ = begin;
      hi_ = std::min<uint64_t>(run_.entries, std::max(end, begin + ahead));
      buffer.resize(hi_ - lo_);
      if (!reader_.Read(run_.blob, kRunHeaderBytes + kRunDirBytes + lo_ * 8,
                        (hi_ - lo_) * 8, buffer.data())) {
        lo_ = hi_ = 0;
        return nullptr;
      }
    }
    return buffer.data() + (begin - lo_);
  }

 private:
  const BlobReader& reader_;
  const RunInfo& run_;
  std::vector<uint64_t>* shared_;
  std::vector<uint64_t> own_;
  uint64_t lo_ = 0, hi_ = 0;
};

// One piece of an LMDB value to copy out: `size` bytes at `offset`.
struct Piece {
  uint64_t offset;
  uint32_t size;
  char* dst;
};

// Pieces closer than this are read with one pread: a call costs about as
// much as copying 16 KiB on the shared machine (2.8 µs against some 6 GB/s),
// so reading the gap is cheaper than a second call.
constexpr uint64_t kPieceGap = uint64_t{16} << 10;
constexpr uint64_t kPieceSpan = uint64_t{256} << 10;

// Copies `pieces` (sorted by offset) of `blob`, neighbours with one pread of
// at most kPieceSpan bytes (a larger piece alone).
bool ReadPieces(const BlobReader& reader, const MDB_val& blob,
                absl::Span<const Piece> pieces, std::string* scratch) {
  size_t i = 0;
  while (i < pieces.size()) {
    const uint64_t begin = pieces[i].offset;
    uint64_t end = begin + pieces[i].size;
    size_t j = i + 1;
    while (j < pieces.size() && pieces[j].offset < end + kPieceGap &&
           pieces[j].offset + pieces[j].size - begin <= kPieceSpan) {
      end = std::max<uint64_t>(end, pieces[j].offset + pieces[j].size);
      ++j;
    }
    scratch->resize(end - begin);
    if (!reader.Read(blob, begin, end - begin, scratch->data())) return false;
    for (; i < j; ++i) {
      std::memcpy(pieces[i].dst, scratch->data() + (pieces[i].offset - begin),
                  pieces[i].size);
    }
  }
  return true;
}

// A batch's block (signatures or ids) in its database, keyed by the
// batch's first document.
struct Block {
  uint32_t first;
  MDB_val blob;
};

// The blocks of `dbi`, in document order.
int ReadBlocks(MDB_txn* txn, MDB_dbi dbi, std::vector<Block>* out) {
  out->clear();
  Cursor cursor;
  int rc = cursor.Open(txn, dbi);
  if (rc != 0) return rc;
  MDB_val k, v;
  for (rc = mdb_cursor_get(cursor.get(), &k, &v, MDB_FIRST); rc == 0;
       rc = mdb_cursor_get(cursor.get(), &k, &v, MDB_NEXT)) {
    if (k.mv_size == 4) {
      out->push_back({Load<uint32_t>(static_cast<char*>(k.mv_data)), v});
    }
  }
  return rc == MDB_NOTFOUND ? 0 : rc;
}

// The block that may hold document `d` (the last one starting at or
// before it), or null.
const Block* BlockOf(const std::vector<Block>& blocks, uint32_t d) {
  auto it =
      std::upper_bound(blocks.begin(), blocks.end(), d,
                       [](uint32_t x, const Block& b) { return x < b.first; });
  return it == blocks.begin() ? nullptr : &*(it - 1);
}

FeedBatchInfo ParseBatch(uint32_t number, const MDB_val& v) {
  FeedBatchInfo b;
  b.number = number;
  const char* p = static_cast<const char*>(v.mv_data);
  if (v.mv_size < 40) return b;
  b.added_unix_seconds = Load<int64_t>(p);
  b.first_document = Load<uint32_t>(p + 8);
  b.end_document = Load<uint32_t>(p + 12);
  b.documents = Load<uint64_t>(p + 16);
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 16; ++i) {
    const auto c = static_cast<unsigned char>(p[24 + i]);
    b.content_hash += kHex[c >> 4];
    b.content_hash += kHex[c & 15];
  }
  b.name.assign(p + 40, v.mv_size - 40);
  return b;
}

}  // namespace

struct FeedIndex::Rep {
  std::string path;
  FeedIndexOptions options;
  FeedIndexParams params;
  MDB_env* env = nullptr;
  MDB_dbi meta = 0, bands = 0, docs = 0, texts = 0, ids = 0, batches = 0;
  MDB_dbi runs = 0, sigs = 0, idblocks = 0, textblocks = 0;
  // Whether the runs database exists (not in a version 1 index opened
  // read-only, whose entries are all in the bands tree); likewise sigs
  // (version 2) and idblocks (version 3).
  bool has_runs = false;
  bool has_sigs = false;
  bool has_idblocks = false;
  bool has_textblocks = false;
  uint32_t format_version = kFeedIndexFormatVersion;
  int lock_fd = -1;
  int workers = 1;
  std::unique_ptr<MinHasher> hasher;
  SketchOptions sketch;

  ~Rep() {
    if (env != nullptr) mdb_env_close(env);
    if (lock_fd >= 0) close(lock_fd);
  }

  absl::Status Error(const char* what, int rc) const {
    return LmdbError(path, what, rc);
  }

  std::vector<Worker> MakeWorkers() const {
    std::vector<Worker> w;
    w.reserve(workers);
    for (int i = 0; i < workers; ++i) {
      w.emplace_back(params.analyze, sketch, hasher.get());
    }
    return w;
  }

  // Analyses and sketches texts[i] into out[i] on all workers.
  void SketchAll(absl::Span<const std::string_view> texts, bool keep_shingles,
                 bool passages, std::vector<Worker>* workers,
                 std::vector<Sketched>* out) const {
    out->resize(texts.size());
    const int bands_n = params.bands;
    const int k = params.num_hashes;
    ParallelFor(texts.size(), workers->size(), 16, [&](size_t i, int w) {
      Worker& worker = (*workers)[w];
      Sketched& s = (*out)[i];
      worker.analyzer.AnalyzeKeys(texts[i], &worker.analyzed.keys);
      s.tokens = static_cast<uint32_t>(worker.analyzed.size());
      s.band_keys.resize(bands_n);
      worker.sketcher.Sketch(worker.analyzed.keys, s.band_keys.data());
      if (passages) {
        WinnowedKeys(worker.sketcher.shingles(), &s.passage_keys);
      }
      const std::vector<uint32_t>& sketch = worker.sketcher.sketch();
      s.signature.resize(k);
      for (int h = 0; h < k; ++h) s.signature[h] = sketch[h] & 0xFF;
      if (keep_shingles) {
        worker.distinct.Assign(worker.sketcher.shingles());
        worker.distinct.Values(&s.shingles);
      }
    });
  }

  // Analyses, sketches and (with texts) compresses the texts of one part of
  // a batch into *part, on all workers. The passage keys are winnowed from
  // the shingles the sketch was made of.
  void SketchPart(absl::Span<const std::string_view> texts,
                  std::vector<Worker>* workers,
                  std::vector<AddScratch>* scratch, AddedPart* part) const {
    const size_t n = texts.size();
    const size_t bands_n = static_cast<size_t>(params.bands);
    const size_t k = static_cast<size_t>(params.num_hashes);
    part->count = n;
    part->tokens.resize(n);
    part->signatures.resize(n * k);
    part->band_keys.resize(n * bands_n);
    if (scratch->size() < n) scratch->resize(n);
    ParallelFor(n, static_cast<int>(workers->size()), 16, [&](size_t i, int w) {
      Worker& worker = (*workers)[w];
      AddScratch& out = (*scratch)[i];
      worker.analyzer.AnalyzeKeys(texts[i], &worker.analyzed.keys);
      part->tokens[i] = static_cast<uint32_t>(worker.analyzed.size());
      uint64_t* band_keys = part->band_keys.data() + i * bands_n;
      worker.sketcher.Sketch(worker.analyzed.keys, band_keys);
      for (size_t b = 0; b < bands_n; ++b) {
        band_keys[b] = MixBand(band_keys[b], static_cast<int>(b));
      }
      const std::vector<uint32_t>& sketch = worker.sketcher.sketch();
      uint8_t* signature = part->signatures.data() + i * k;
      for (size_t h = 0; h < k; ++h) signature[h] = sketch[h] & 0xFF;
      if (params.passage_keys) {
        WinnowedKeys(worker.sketcher.shingles(), &out.passage_keys);
        for (uint64_t& key : out.passage_keys) {
          key = MixBand(key, kPassageBand);
        }
      }
      if (params.store_texts) {
        const size_t bound = ZSTD_compressBound(texts[i].size());
        if (out.compressed.size() < bound) out.compressed.resize(bound);
        const size_t size = ZSTD_compressCCtx(
            worker.zstd_c, out.compressed.data(), out.compressed.size(),
            texts[i].data(), texts[i].size(), kZstdLevel);
        out.compressed_size = ZSTD_isError(size) ? 0 : size;
      }
    });
    if (params.passage_keys) {
      size_t total = 0;
      for (size_t i = 0; i < n; ++i) total += (*scratch)[i].passage_keys.size();
      part->passage_keys.reserve(total);
      part->passage_ends.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        const std::vector<uint64_t>& keys = (*scratch)[i].passage_keys;
        part->passage_keys.insert(part->passage_keys.end(), keys.begin(),
                                  keys.end());
        part->passage_ends.push_back(
            static_cast<uint32_t>(part->passage_keys.size()));
      }
    }
    if (params.store_texts) {
      size_t total = 0;
      for (size_t i = 0; i < n; ++i) total += (*scratch)[i].compressed_size;
      part->texts.reserve(total);
      part->text_ends.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        part->texts.append((*scratch)[i].compressed.data(),
                           (*scratch)[i].compressed_size);
        part->text_ends.push_back(part->texts.size());
      }
    }
  }

  absl::StatusOr<std::vector<FeedBatchInfo>> ReadBatches(MDB_txn* txn) const {
    std::vector<FeedBatchInfo> out;
    Cursor cursor;
    if (int rc = cursor.Open(txn, batches); rc != 0) {
      return Error("cannot read the batches", rc);
    }
    MDB_val k, v;
    for (int rc = mdb_cursor_get(cursor.get(), &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cursor.get(), &k, &v, MDB_NEXT)) {
      out.push_back(
          ParseBatch(Load<uint32_t>(static_cast<char*>(k.mv_data)), v));
    }
    return out;
  }

  absl::StatusOr<uint32_t> ReadCounter(MDB_txn* txn, const char* name) const {
    MDB_val k = Val(name, std::strlen(name)), v;
    const int rc = mdb_get(txn, meta, &k, &v);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc != 0 || v.mv_size != 4) return Error("cannot read a counter", rc);
    return Load<uint32_t>(static_cast<char*>(v.mv_data));
  }

  int WriteCounter(MDB_txn* txn, const char* name, uint32_t value) const {
    MDB_val k = Val(name, std::strlen(name)), v = Val(&value, 4);
    return mdb_put(txn, meta, &k, &v, 0);
  }

  // Sets the id of each match (sorted by document).
  absl::Status ReadIds(MDB_txn* txn,
                       absl::Span<FeedMatch* const> matches) const {
    std::vector<Block> blocks;
    if (has_idblocks) {
      if (int rc = ReadBlocks(txn, idblocks, &blocks); rc != 0) {
        return Error("cannot read the ids", rc);
      }
    }
    const BlobReader reader = Reader();
    const size_t head_bytes = 8 + static_cast<size_t>(params.num_hashes);
    std::string scratch;
    size_t i = 0;
    while (i < matches.size()) {
      const Block* block = BlockOf(blocks, matches[i]->document);
      uint32_t count = 0;
      if (block != nullptr &&
          !reader.Read(block->blob, 0, 4, reinterpret_cast<char*>(&count))) {
        return SignaturesDamaged();
      }
      size_t j = i;
      while (j < matches.size() && block != nullptr &&
             matches[j]->document - block->first < count) {
        ++j;
      }
      if (j == i) {  // not in a block: from the docs record
        FeedMatch& m = *matches[i++];
        MDB_val dk = Val(&m.document, 4), dv;
        if (mdb_get(txn, docs, &dk, &dv) == 0 && dv.mv_size >= head_bytes) {
          m.id.assign(static_cast<char*>(dv.mv_data) + head_bytes,
                      dv.mv_size - head_bytes);
        }
        continue;
      }
      // Matches [i, j) are in `block`: their offsets, then their bytes.
      const uint64_t bytes_at = 4 + (uint64_t{count} + 1) * 4;
      std::vector<uint32_t> offsets((j - i) * 2);
      std::vector<Piece> pieces;
      for (size_t m = i; m < j; ++m) {
        pieces.push_back({4 + uint64_t{matches[m]->document - block->first} * 4,
                          8, reinterpret_cast<char*>(&offsets[(m - i) * 2])});
      }
      if (!ReadPieces(reader, block->blob, pieces, &scratch)) {
        return SignaturesDamaged();
      }
      pieces.clear();
      for (size_t m = i; m < j; ++m) {
        const uint32_t lo = offsets[(m - i) * 2], hi = offsets[(m - i) * 2 + 1];
        if (hi < lo || bytes_at + hi > block->blob.mv_size) {
          return SignaturesDamaged();
        }
        matches[m]->id.resize(hi - lo);
        pieces.push_back({bytes_at + lo, hi - lo, matches[m]->id.data()});
      }
      if (!ReadPieces(reader, block->blob, pieces, &scratch)) {
        return SignaturesDamaged();
      }
      i = j;
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<FeedBatchInfo>> Prune(
      const std::function<bool(const FeedBatchInfo&)>& selected);

  // Where LMDB mapped data.mdb (null if not known: runs are then read
  // through the map), and how much.
  const char* map = nullptr;
  size_t map_bytes = 0;

  // A run whose header or directory does not add up, or that could not be
  // read.
  absl::Status RunDamaged() const {
    return absl::DataLossError(
        absl::StrCat(path, ": a run of band keys is damaged or unreadable"));
  }

  absl::Status SignaturesDamaged() const {
    return absl::DataLossError(absl::StrCat(
        path,
        ": a block of signatures, ids or texts is damaged or unreadable"));
  }

  BlobReader Reader() const {
    int fd = -1;
    mdb_env_get_fd(env, &fd);
    return BlobReader(fd, map, map_bytes);
  }

  // mdb_env_info() names the map's address only for MDB_FIXEDMAP: found
  // from a committed page instead, the one holding the main tree's record
  // of "meta" (its header starts with its page number), and checked
  // against meta page 0 (page number 0, LMDB's magic number after the
  // 16-byte header).
  void FindMap() {
    MDB_envinfo info;
    mdb_env_info(env, &info);
    MDB_stat st;
    mdb_env_stat(env, &st);
    const auto psize = static_cast<uintptr_t>(st.ms_psize);
    if (psize != static_cast<uintptr_t>(sysconf(_SC_PAGESIZE))) return;
    Txn txn;
    if (txn.Begin(env, MDB_RDONLY) != 0) return;
    MDB_val k = Val("meta", 4), v;
    if (mdb_get(txn.get(), 1, &k, &v) != 0) return;  // 1: the main tree
    const char* p = static_cast<const char*>(v.mv_data);
    const char* page = p - (reinterpret_cast<uintptr_t>(p) & (psize - 1));
    const uint64_t pgno = Load<uint64_t>(page);
    if (pgno > info.me_last_pgno) return;
    const char* base = page - pgno * psize;
    if (Load<uint64_t>(base) != 0 || Load<uint32_t>(base + 16) != 0xBEEFC0DE) {
      return;
    }
    map = base;
    map_bytes = info.me_mapsize;
  }

  // The runs, by kind and then document order.
  absl::StatusOr<std::vector<RunInfo>> ReadRuns(MDB_txn* txn) const {
    std::vector<RunInfo> out;
    if (!has_runs) return out;
    Cursor cursor;
    if (int rc = cursor.Open(txn, runs); rc != 0) {
      return Error("cannot read the runs", rc);
    }
    MDB_val k, v;
    int rc;
    for (rc = mdb_cursor_get(cursor.get(), &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cursor.get(), &k, &v, MDB_NEXT)) {
      RunInfo run;
      if (k.mv_size != 4 ||
          !ParseRun(Load<uint32_t>(static_cast<char*>(k.mv_data)), v, &run)) {
        return RunDamaged();
      }
      out.push_back(run);
    }
    if (rc != MDB_NOTFOUND) return Error("cannot read the runs", rc);
    std::sort(out.begin(), out.end(), [](const RunInfo& a, const RunInfo& b) {
      return a.kind != b.kind ? a.kind < b.kind
                              : a.first_document < b.first_document;
    });
    return out;
  }

  // Whether `p` (a value this write transaction holds) is memory LMDB
  // allocated for it, not yet touched, rather than a page of the map.
  // False when the map is not known.
  bool Fresh(const char* p) const {
    return map != nullptr && (p < map || p >= map + map_bytes);
  }

  // Reserves `bytes` for the value of `key`, which sorts after every key of
  // `dbi`, to be filled in place: *out is where (valid until the next write
  // to the transaction; see Fresh() and FillInParallel()). Returns LMDB's
  // error code, or 0.
  int ReserveValue(MDB_txn* txn, MDB_dbi dbi, MDB_val* key, size_t bytes,
                   char** out) const {
    MDB_val v{bytes, nullptr};
    if (int rc = mdb_put(txn, dbi, key, &v, MDB_RESERVE | MDB_APPEND);
        rc != 0) {
      return rc;
    }
    *out = static_cast<char*>(v.mv_data);
    return 0;
  }

  // Reserves a run of `entries` entries under a new key; returns where its
  // bytes go (valid until the next write to the transaction).
  absl::StatusOr<char*> ReserveRun(MDB_txn* txn, uint32_t kind, uint32_t first,
                                   uint32_t end, uint64_t entries,
                                   absl::Span<const uint32_t> dir) const {
    auto key = ReadCounter(txn, "next_run");
    if (!key.ok()) return key.status();
    uint32_t run_key = *key;
    int rc = WriteCounter(txn, "next_run", run_key + 1);
    if (rc != 0) return Error("cannot store a run of band keys", rc);
    MDB_val k = Val(&run_key, 4);
    char* p = nullptr;
    // The last write before the caller fills the bytes in.
    rc = ReserveValue(txn, runs, &k,
                      kRunHeaderBytes + kRunDirBytes + entries * 8, &p);
    if (rc != 0) return Error("cannot store a run of band keys", rc);
    std::memcpy(p, &kind, 4);
    std::memcpy(p + 4, &first, 4);
    std::memcpy(p + 8, &end, 4);
    std::memset(p + 12, 0, 4);
    std::memcpy(p + 16, &entries, 8);
    std::memcpy(p + kRunHeaderBytes, dir.data(), kRunDirBytes);
    return p;
  }

  // A new run of `kind` of documents [first, end).
  absl::Status WriteRun(MDB_txn* txn, uint32_t kind, uint32_t first,
                        uint32_t end, const RunContents& run) const {
    if (run.entries.empty()) return absl::OkStatus();
    auto p = ReserveRun(txn, kind, first, end, run.entries.size(), run.dir);
    if (!p.ok()) return p.status();
    char* dst = *p + kRunHeaderBytes + kRunDirBytes;
    const char* src = reinterpret_cast<const char*>(run.entries.data());
    FillInParallel(dst, run.entries.size() * 8, Fresh(dst), workers,
                   [&](size_t begin, size_t end_byte) {
                     std::memcpy(dst + begin, src + begin, end_byte - begin);
                   });
    return absl::OkStatus();
  }

  // Replaces `inputs` (runs of one kind, in document order) and `newest`
  // (if given: a run not yet stored, of documents after theirs, up to
  // `newest_end`) by one run of their entries whose document `keep`
  // accepts (all if null; called from several threads). The output is
  // written in pieces of buckets on `workers` threads.
  absl::Status RewriteRuns(MDB_txn* txn, const std::vector<RunInfo>& inputs,
                           const std::function<bool(uint32_t)>& keep,
                           const RunContents* newest = nullptr,
                           uint32_t newest_end = 0) const {
    const BlobReader reader = Reader();
    std::vector<std::vector<uint32_t>> dirs(inputs.size());
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (!ReadRunDir(reader, inputs[i], &dirs[i])) return RunDamaged();
    }
    if (newest != nullptr) dirs.push_back(newest->dir);
    const size_t sources = dirs.size();
    std::vector<uint32_t> out_dir(size_t{kRunBuckets} + 1, 0);
    uint64_t total = 0;
    {
      std::vector<RunStream> streams;
      streams.reserve(inputs.size());
      for (const RunInfo& run : inputs) streams.emplace_back(reader, run);
      for (size_t b = 0; b < kRunBuckets; ++b) {
        out_dir[b] = static_cast<uint32_t>(total);
        for (size_t i = 0; i < sources; ++i) {
          const uint64_t lo = dirs[i][b], hi = dirs[i][b + 1];
          if (!keep) {
            total += hi - lo;
            continue;
          }
          const uint64_t* e = i < inputs.size()
                                  ? streams[i].Get(lo, hi, kRunChunkEntries)
                                  : newest->entries.data() + lo;
          if (e == nullptr && hi > lo) return RunDamaged();
          for (uint64_t j = 0; j < hi - lo; ++j) {
            total += keep(static_cast<uint32_t>(e[j])) ? 1 : 0;
          }
        }
        if (total > 0xFFFFFFFFu) {
          return absl::ResourceExhaustedError(
              absl::StrCat(path, ": a run of band keys would be too large"));
        }
      }
      out_dir[kRunBuckets] = static_cast<uint32_t>(total);
    }
    if (total == 0) return DeleteRuns(txn, inputs);
    // (`inputs` is not empty: callers pass the runs they replace.)
    const uint32_t end =
        newest != nullptr ? newest_end : inputs.back().end_document;
    auto out = ReserveRun(txn, inputs.front().kind,
                          inputs.front().first_document, end, total, out_dir);
    if (!out.ok()) return out.status();
    char* const w = *out + kRunHeaderBytes + kRunDirBytes;
    // The reservation may have moved pages this transaction wrote (LMDB
    // spills dirty pages of large transactions): find the inputs again.
    std::vector<RunInfo> in = inputs;
    for (RunInfo& run : in) {
      MDB_val k = Val(&run.key, 4);
      if (int rc = mdb_get(txn, runs, &k, &run.blob); rc != 0) {
        return Error("cannot read a run of band keys", rc);
      }
    }
    // Pieces of buckets of about equal size, one per worker, each with its
    // own streams; every bucket's place in the output is known from
    // out_dir, so the bytes are the same on any number of threads.
    const size_t pieces = std::max<size_t>(1, static_cast<size_t>(workers));
    std::vector<size_t> cuts = {0};
    for (size_t p = 1; p < pieces; ++p) {
      const auto at = static_cast<uint32_t>(total * p / pieces);
      cuts.push_back(static_cast<size_t>(
          std::lower_bound(out_dir.begin(), out_dir.end() - 1, at) -
          out_dir.begin()));
    }
    cuts.push_back(kRunBuckets);
    const bool fresh = Fresh(w);
    std::atomic<bool> damaged{false};
    ParallelFor(pieces, workers, 1, [&](size_t piece, int) {
      const size_t first_bucket = cuts[piece], end_bucket = cuts[piece + 1];
      if (end_bucket <= first_bucket) return;
      char* at = w + uint64_t{out_dir[first_bucket]} * 8;
      if (fresh) {
        PrepareForWriting(
            at, uint64_t{out_dir[end_bucket] - out_dir[first_bucket]} * 8);
      }
      std::vector<RunStream> streams;
      streams.reserve(in.size());
      for (const RunInfo& run : in) streams.emplace_back(reader, run);
      std::vector<uint64_t> bucket;
      for (size_t b = first_bucket; b < end_bucket; ++b) {
        bucket.clear();
        for (size_t i = 0; i < sources; ++i) {
          const uint64_t lo = dirs[i][b], hi = dirs[i][b + 1];
          const uint64_t* e = i < in.size()
                                  ? streams[i].Get(lo, hi, kRunChunkEntries)
                                  : newest->entries.data() + lo;
          if (e == nullptr && hi > lo) {
            damaged = true;
            return;
          }
          const size_t mid = bucket.size();
          for (uint64_t j = 0; j < hi - lo; ++j) {
            if (!keep || keep(static_cast<uint32_t>(e[j]))) {
              bucket.push_back(e[j]);
            }
          }
          std::inplace_merge(bucket.begin(), bucket.begin() + mid,
                             bucket.end());
        }
        if (!bucket.empty()) {  // an empty vector's data() may be null
          std::memcpy(at, bucket.data(), bucket.size() * 8);
          at += bucket.size() * 8;
        }
      }
    });
    if (damaged) return RunDamaged();
    return DeleteRuns(txn, inputs);
  }

  absl::Status DeleteRuns(MDB_txn* txn,
                          const std::vector<RunInfo>& inputs) const {
    for (const RunInfo& run : inputs) {
      uint32_t key = run.key;
      MDB_val k = Val(&key, 4);
      if (int rc = mdb_del(txn, runs, &k, nullptr); rc != 0) {
        return Error("cannot remove a run of band keys", rc);
      }
    }
    return absl::OkStatus();
  }

  // Stores `newest`, the run of `kind` of a batch's documents [first, end),
  // merged with the newest stored runs of `kind` while the older of the
  // last two holds at most kRunMergeRatio times the newer's entries, or is
  // small: the runs that pairwise merging would take, merged in one pass (a
  // cascade of pairwise merges would write the newest entries once per
  // step), and `newest` merged from memory, never stored on its own.
  absl::Status StoreRun(MDB_txn* txn, uint32_t kind, uint32_t first,
                        uint32_t end, const RunContents& newest) const {
    if (newest.entries.empty()) return absl::OkStatus();
    auto all = ReadRuns(txn);
    if (!all.ok()) return all.status();
    std::vector<RunInfo> of_kind;
    for (const RunInfo& r : *all) {
      if (r.kind == kind) of_kind.push_back(r);
    }
    uint64_t merged = newest.entries.size();
    size_t from = of_kind.size();
    while (from > 0) {
      const RunInfo& older = of_kind[from - 1];
      if (older.entries > kRunMergeRatio * merged &&
          older.entries >= options.small_run_entries) {
        break;
      }
      if (older.entries + merged > 0xFFFFFFFFu) break;
      merged += older.entries;
      --from;
    }
    if (from == of_kind.size()) return WriteRun(txn, kind, first, end, newest);
    return RewriteRuns(txn, {of_kind.begin() + from, of_kind.end()}, nullptr,
                       &newest, end);
  }
};

FeedIndex::FeedIndex(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
FeedIndex::~FeedIndex() = default;

const FeedIndexParams& FeedIndex::params() const { return rep_->params; }

namespace {

// LMDB reads data.mdb's pages through a memory map: a file cut short (a
// full disk, a partial copy) would end the process with SIGBUS at the first
// page read past its end. The meta page says how far the pages reach.
absl::Status CheckNotCutShort(MDB_env* env, const std::string& path) {
  MDB_envinfo info;
  MDB_stat stat;
  mdb_filehandle_t fd;
  struct stat file;
  if (mdb_env_info(env, &info) != 0 || mdb_env_stat(env, &stat) != 0 ||
      mdb_env_get_fd(env, &fd) != 0 || fstat(fd, &file) != 0) {
    return absl::InternalError(
        absl::StrCat(path, ": cannot read the size of data.mdb"));
  }
  const uint64_t reach =
      (static_cast<uint64_t>(info.me_last_pgno) + 1) * stat.ms_psize;
  if (static_cast<uint64_t>(file.st_size) < reach) {
    return absl::DataLossError(
        absl::StrCat(path, ": the index is damaged: data.mdb is ", file.st_size,
                     " bytes, but its pages reach to byte ", reach,
                     " (cut short: a full disk or a partial copy?)"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<FeedIndex>> FeedIndex::Open(
    const std::string& path, const FeedIndexOptions& options) {
  auto rep = std::make_unique<Rep>();
  rep->path = path;
  rep->options = options;
  rep->workers = ResolveThreads(options.threads);
  const bool create = options.create_if_missing && options.writable;
  if (create) {
    FeedIndexParams p = options.params;
    if (absl::Status s = ValidateParams(p); !s.ok()) return s;
  }

  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    if (!create) {
      return absl::NotFoundError(absl::StrCat(
          path, ": no index there (neardup index add creates one)"));
    }
    if (mkdir(path.c_str(), 0755) != 0) {
      return absl::InternalError(absl::StrCat(
          path, ": cannot create the index directory: ", std::strerror(errno)));
    }
  } else if (!S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": not a neardup index (not a directory)"));
  }
  const std::string data_path = path + "/data.mdb";
  const bool exists = stat(data_path.c_str(), &st) == 0;
  if (!exists) {
    // Empty but for the lock files an interrupted creation may leave.
    bool empty = true;
    if (DIR* dir = opendir(path.c_str()); dir != nullptr) {
      while (dirent* e = readdir(dir)) {
        const std::string_view name = e->d_name;
        if (name != "." && name != ".." && name != "writer.lock" &&
            name != "lock.mdb") {
          empty = false;
        }
      }
      closedir(dir);
    }
    if (!create) {
      // An empty directory (made ready for the index) holds no index yet,
      // as a missing one: dedup --index then creates it when it adds.
      if (empty) {
        return absl::NotFoundError(absl::StrCat(
            path,
            ": no index there yet (an empty directory; neardup index "
            "add creates one)"));
      }
      return absl::FailedPreconditionError(
          absl::StrCat(path, ": not a neardup index (no data.mdb)"));
    }
    // Refuse to turn a directory holding other files into an index.
    if (!empty) {
      return absl::FailedPreconditionError(absl::StrCat(
          path,
          ": not a neardup index, and not empty: refusing to create an "
          "index there"));
    }
  }

  if (options.writable) {
    const std::string lock_path = path + "/writer.lock";
    rep->lock_fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (rep->lock_fd < 0) {
      return absl::InternalError(
          absl::StrCat(lock_path, ": cannot open: ", std::strerror(errno)));
    }
    if (flock(rep->lock_fd, LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK || !options.wait_for_writer) {
        return absl::UnavailableError(absl::StrCat(
            path,
            ": another process is writing to this index; try again when it "
            "has finished (or wait for it)"));
      }
      while (flock(rep->lock_fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
          return absl::InternalError(
              absl::StrCat(lock_path, ": cannot lock: ", std::strerror(errno)));
        }
      }
    }
  }

  if (int rc = mdb_env_create(&rep->env); rc != 0) {
    return rep->Error("cannot create the LMDB environment", rc);
  }
  mdb_env_set_maxdbs(rep->env, 16);
  mdb_env_set_mapsize(rep->env, options.map_bytes);
  if (!exists && !create) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": not a neardup index"));
  }
  if (exists && st.st_size == 0 && !options.writable) {
    // (Opened to write, an empty data.mdb is an index whose creation was
    // interrupted, made again below.)
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": not a neardup index (data.mdb is empty)"));
  }
  unsigned env_flags = MDB_NOTLS;
  if (!options.writable) env_flags |= MDB_RDONLY;
  if (int rc = mdb_env_open(rep->env, path.c_str(), env_flags, 0644); rc != 0) {
    if (rc == MDB_INVALID || rc == MDB_VERSION_MISMATCH) {
      return absl::FailedPreconditionError(absl::StrCat(
          path, ": not a neardup index (data.mdb is not an LMDB file: ",
          mdb_strerror(rc), ")"));
    }
    return rep->Error("cannot open the index", rc);
  }
  if (absl::Status s = CheckNotCutShort(rep->env, path); !s.ok()) return s;

  Txn txn;
  if (int rc = txn.Begin(rep->env, options.writable ? 0 : MDB_RDONLY);
      rc != 0) {
    return rep->Error("cannot begin a transaction", rc);
  }
  const unsigned create_flag = options.writable ? MDB_CREATE : 0;
  int rc = mdb_dbi_open(txn.get(), "meta", create_flag, &rep->meta);
  if (rc == MDB_NOTFOUND) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": not a neardup index (no meta database)"));
  }
  if (rc != 0) return rep->Error("cannot open the meta database", rc);
  MDB_val key = Val("format_version", 14), value;
  rc = mdb_get(txn.get(), rep->meta, &key, &value);
  if (rc == MDB_NOTFOUND) {
    if (!create || exists) {
      // An LMDB file someone else made, or an index whose creation was
      // interrupted before its first commit (then data.mdb holds nothing).
      MDB_stat stat;
      mdb_stat(txn.get(), rep->meta, &stat);
      if (!create || stat.ms_entries != 0) {
        return absl::FailedPreconditionError(
            absl::StrCat(path, ": not a neardup index (no format version)"));
      }
    }
    FeedIndexParams p = options.params;
    const LshParams lsh =
        LshParamsFor(p.lsh_threshold, p.num_hashes, 0.02, 0.98);
    p.bands = lsh.bands;
    p.rows = lsh.rows;
    p.passage_keys = p.store_texts;
    const std::string text = ParamsText(p);
    uint32_t version = kFeedIndexFormatVersion;
    MDB_val v = Val(&version, 4);
    MDB_val pk = Val("params", 6), pv = Val(text.data(), text.size());
    if ((rc = mdb_put(txn.get(), rep->meta, &key, &v, 0)) != 0 ||
        (rc = mdb_put(txn.get(), rep->meta, &pk, &pv, 0)) != 0) {
      return rep->Error("cannot write the index parameters", rc);
    }
  } else if (rc != 0) {
    return rep->Error("cannot read the format version", rc);
  } else {
    const uint32_t version =
        value.mv_size == 4 ? Load<uint32_t>(static_cast<char*>(value.mv_data))
                           : 0;
    rep->format_version = version;
    if (version == 0 || version > kFeedIndexFormatVersion) {
      return absl::FailedPreconditionError(absl::StrCat(
          path, ": index format version ", version, "; this neardup reads ",
          "version ", kFeedIndexFormatVersion,
          " and older (a newer neardup made it)"));
    }
  }
  MDB_val pk = Val("params", 6), pv;
  if (mdb_get(txn.get(), rep->meta, &pk, &pv) != 0 ||
      !ParseParams(std::string(static_cast<char*>(pv.mv_data), pv.mv_size),
                   &rep->params) ||
      !ValidateParams(rep->params).ok() || rep->params.bands < 1 ||
      rep->params.rows < 1 ||
      rep->params.bands * rep->params.rows > rep->params.num_hashes) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": the index parameters are missing or damaged"));
  }
  struct {
    const char* name;
    MDB_dbi* dbi;
    unsigned flags;
  } const dbs[] = {
      {"bands", &rep->bands,
       MDB_INTEGERKEY | MDB_DUPSORT | MDB_DUPFIXED | MDB_INTEGERDUP},
      {"docs", &rep->docs, MDB_INTEGERKEY},
      {"texts", &rep->texts, MDB_INTEGERKEY},
      {"ids", &rep->ids,
       MDB_INTEGERKEY | MDB_DUPSORT | MDB_DUPFIXED | MDB_INTEGERDUP},
      {"batches", &rep->batches, MDB_INTEGERKEY},
      {"runs", &rep->runs, MDB_INTEGERKEY},
      {"sigs", &rep->sigs, MDB_INTEGERKEY},
      {"idblocks", &rep->idblocks, MDB_INTEGERKEY},
      {"textblocks", &rep->textblocks, MDB_INTEGERKEY},
  };
  for (const auto& db : dbs) {
    rc = mdb_dbi_open(txn.get(), db.name, db.flags | create_flag, db.dbi);
    bool* has = db.dbi == &rep->runs         ? &rep->has_runs
                : db.dbi == &rep->sigs       ? &rep->has_sigs
                : db.dbi == &rep->idblocks   ? &rep->has_idblocks
                : db.dbi == &rep->textblocks ? &rep->has_textblocks
                                             : nullptr;
    if (has != nullptr) {
      // Absent from an older index opened read-only.
      *has = rc == 0;
      if (rc == MDB_NOTFOUND) continue;
    }
    if (rc != 0) {
      return absl::FailedPreconditionError(
          absl::StrCat(path, ": not a neardup index (database ", db.name, ": ",
                       mdb_strerror(rc), ")"));
    }
  }
  if (options.writable) {
    // Adds write runs, which an older neardup would not see.
    uint32_t version = rep->format_version = kFeedIndexFormatVersion;
    MDB_val v = Val(&version, 4);
    if ((rc = mdb_put(txn.get(), rep->meta, &key, &v, 0)) != 0) {
      return rep->Error("cannot write the format version", rc);
    }
  }
  if ((rc = txn.Commit()) != 0) return rep->Error("cannot commit", rc);

  rep->FindMap();
  rep->hasher = std::make_unique<MinHasher>(
      MinHashOptions{rep->params.num_hashes, rep->params.seed});
  rep->sketch = SketchFor(rep->params);
  return std::unique_ptr<FeedIndex>(new FeedIndex(std::move(rep)));
}

absl::StatusOr<FeedAddResult> FeedIndex::AddBatch(
    std::string_view name, absl::Span<const DocumentView> documents) {
  bool given = false;
  return AddBatch(name,
                  [&]() -> absl::StatusOr<absl::Span<const DocumentView>> {
                    if (given) return absl::Span<const DocumentView>();
                    given = true;
                    return documents;
                  });
}

absl::StatusOr<FeedAddResult> FeedIndex::AddBatch(std::string_view name,
                                                  const DocumentSource& next) {
  Rep& rep = *rep_;
  if (!rep.options.writable) {
    return absl::FailedPreconditionError("AddBatch() on a read-only index");
  }
  if (name.empty()) return absl::InvalidArgumentError("empty batch name");
  FeedAddResult result;
  // Each part as it comes: the content hash (every id and text, with their
  // lengths), the ids, and each text sketched and compressed (outside the
  // write transaction); the texts themselves are not kept.
  std::unique_ptr<XXH3_state_t, XXH_errorcode (*)(XXH3_state_t*)> state(
      XXH3_createState(), XXH3_freeState);
  XXH3_128bits_reset(state.get());
  std::string ids;
  std::vector<size_t> id_ends;
  std::vector<bool> id_is_origin;
  std::vector<Worker> workers = rep.MakeWorkers();
  std::vector<AddScratch> scratch;
  std::vector<AddedPart> parts;
  std::vector<std::string_view> texts;
  for (;;) {
    auto part = next();
    if (!part.ok()) return part.status();
    if (part->empty()) break;
    texts.clear();
    for (const DocumentView& d : *part) {
      if (d.text.size() >= kMaxTextBytes) {
        return absl::InvalidArgumentError(
            absl::StrCat("document ", std::string(d.id), " is 4 GiB or more"));
      }
      const uint64_t sizes[2] = {d.id.size(), d.text.size()};
      XXH3_128bits_update(state.get(), sizes, sizeof(sizes));
      XXH3_128bits_update(state.get(), d.id.data(), d.id.size());
      XXH3_128bits_update(state.get(), d.text.data(), d.text.size());
      ids.append(d.id);
      id_ends.push_back(ids.size());
      id_is_origin.push_back(d.id_is_origin);
      texts.push_back(d.text);
    }
    parts.emplace_back();
    rep.SketchPart(texts, &workers, &scratch, &parts.back());
  }
  scratch = {};
  XXH128_canonical_t hash;
  XXH128_canonicalFromHash(&hash, XXH3_128bits_digest(state.get()));
  const size_t count = id_ends.size();
  auto id_of = [&ids, &id_ends](size_t i) {
    const size_t begin = i == 0 ? 0 : id_ends[i - 1];
    return std::string_view(ids).substr(begin, id_ends[i] - begin);
  };

  Txn txn;
  int rc = txn.Begin(rep.env, 0);
  if (rc != 0) return rep.Error("cannot begin a write transaction", rc);
  auto batches = rep.ReadBatches(txn.get());
  if (!batches.ok()) return batches.status();
  std::string hex;
  {
    static constexpr char kHex[] = "0123456789abcdef";
    for (unsigned char c : hash.digest) {
      hex += kHex[c >> 4];
      hex += kHex[c & 15];
    }
  }
  for (const FeedBatchInfo& b : *batches) {
    if (b.content_hash == hex) {
      result.already_added = true;
      result.batch = b;
      return result;
    }
  }
  for (const FeedBatchInfo& b : *batches) {
    if (b.name == name) {
      return absl::InvalidArgumentError(absl::StrCat(
          "a batch named ", std::string(name),
          " with other content is already in ", rep.path, " (added ",
          UtcText(b.added_unix_seconds), "); name it otherwise"));
    }
  }
  auto next_doc = rep.ReadCounter(txn.get(), "next_document");
  auto next_batch = rep.ReadCounter(txn.get(), "next_batch");
  if (!next_doc.ok()) return next_doc.status();
  if (!next_batch.ok()) return next_batch.status();
  uint32_t doc = *next_doc;
  const uint32_t batch = *next_batch;
  if (uint64_t{doc} + count >= 0xFFFFFFFFu) {
    return absl::ResourceExhaustedError(
        absl::StrCat(rep.path, ": the index is full (2^32 documents added)"));
  }

  absl::flat_hash_set<std::string_view> batch_ids;
  std::string sig_block;  // the added documents' batch, tokens, signature
  std::vector<uint32_t> id_offsets = {0};  // the added documents' ids
  std::string id_bytes;
  std::string record;
  const uint32_t first = doc;
  const size_t k = rep.params.num_hashes;
  Cursor ids_cursor;
  if ((rc = ids_cursor.Open(txn.get(), rep.ids)) != 0) {
    return rep.Error("cannot open a cursor", rc);
  }
  // Which documents are added (not those whose id is in the index or
  // earlier in the batch), found before anything is written: the runs
  // need only their numbers, so they are built on other threads while this
  // one stores the documents (DESIGN.md, "The feed index"). Reading first
  // finds what reading between the writes found: the writes add only ids
  // of this batch, which batch_ids catches.
  auto indexed = [&](std::string_view id) {
    uint64_t id_hash = IdHash(id);
    MDB_val hk = Val(&id_hash, 8), hv;
    for (int got = mdb_cursor_get(ids_cursor.get(), &hk, &hv, MDB_SET_KEY);
         got == 0;
         got = mdb_cursor_get(ids_cursor.get(), &hk, &hv, MDB_NEXT_DUP)) {
      MDB_val dk = Val(hv.mv_data, 4), dv;
      if (mdb_get(txn.get(), rep.docs, &dk, &dv) == 0 && dv.mv_size >= 8 + k &&
          std::string_view(static_cast<char*>(dv.mv_data) + 8 + k,
                           dv.mv_size - 8 - k) == id) {
        return true;
      }
    }
    return false;
  };
  uint64_t text_bytes = 0;
  size_t i = 0;
  for (AddedPart& part : parts) {
    part.docs.assign(part.count, kNotAdded);
    for (size_t j = 0; j < part.count; ++j, ++i) {
      const std::string_view id = id_of(i);
      // An id that names a place, not a document, is no reason to leave a
      // document out (DocumentView::id_is_origin).
      const bool first_in_batch = batch_ids.insert(id).second;
      if (!id_is_origin[i] && (!first_in_batch || indexed(id))) {
        ++result.existing_ids;
        continue;
      }
      if (rep.params.store_texts) {
        text_bytes += part.text_ends[j] - (j == 0 ? 0 : part.text_ends[j - 1]);
      }
      part.docs[j] = doc;
      ++doc;
      ++result.added;
    }
  }
  // One sorted run per kind (band and passage runs on two threads), built
  // while the documents are stored; written and merged after.
  RunContents runs[2];
  auto build_runs = [&]() {
    ParallelFor(2, std::min(2, static_cast<int>(workers.size())), 1,
                [&](size_t kind, int) {
                  if (kind == kPassageRun && !rep.params.passage_keys) return;
                  BuildRun(parts, kind == kPassageRun, rep.params.bands,
                           &runs[kind]);
                });
  };
  std::thread builder;
  struct Joiner {
    std::thread* t;
    ~Joiner() {
      if (t->joinable()) t->join();
    }
  } joiner{&builder};
  if (workers.size() > 1) builder = std::thread(build_runs);
  i = 0;
  for (const AddedPart& part : parts) {
    for (size_t j = 0; j < part.count; ++j, ++i) {
      if (part.docs[j] == kNotAdded) continue;
      uint32_t d = part.docs[j];
      const std::string_view id = id_of(i);
      record.clear();
      Append<uint32_t>(batch, &record);
      Append<uint32_t>(part.tokens[j], &record);
      record.append(
          reinterpret_cast<const char*>(part.signatures.data() + j * k), k);
      sig_block.append(record);
      record.append(id);
      id_bytes.append(id);
      if (id_bytes.size() > 0xFFFFFFFFu) {
        return absl::ResourceExhaustedError(
            absl::StrCat(rep.path, ": the ids of batch ", std::string(name),
                         " take 4 GiB or more; split it"));
      }
      id_offsets.push_back(static_cast<uint32_t>(id_bytes.size()));
      MDB_val dk = Val(&d, 4), dv = Val(record.data(), record.size());
      if ((rc = mdb_put(txn.get(), rep.docs, &dk, &dv, MDB_APPEND)) != 0) {
        return rep.Error("cannot store a document", rc);
      }
      uint64_t id_hash = IdHash(id);
      MDB_val hk = Val(&id_hash, 8), iv = Val(&d, 4);
      if ((rc = mdb_put(txn.get(), rep.ids, &hk, &iv, 0)) != 0) {
        return rep.Error("cannot store an id", rc);
      }
    }
  }
  if (!sig_block.empty()) {
    uint32_t key = first;
    MDB_val sk = Val(&key, 4), sv = Val(sig_block.data(), sig_block.size());
    if ((rc = mdb_put(txn.get(), rep.sigs, &sk, &sv, MDB_APPEND)) != 0) {
      return rep.Error("cannot store the signatures", rc);
    }
    std::string id_block;
    Append<uint32_t>(static_cast<uint32_t>(id_offsets.size() - 1), &id_block);
    id_block.append(reinterpret_cast<const char*>(id_offsets.data()),
                    id_offsets.size() * 4);
    id_block.append(id_bytes);
    MDB_val iv = Val(id_block.data(), id_block.size());
    if ((rc = mdb_put(txn.get(), rep.idblocks, &sk, &iv, MDB_APPEND)) != 0) {
      return rep.Error("cannot store the ids", rc);
    }
    if (rep.params.store_texts) {
      // Reserved and filled in place from the parts' frames.
      const size_t n = result.added;
      const uint64_t bytes_at = 8 + (uint64_t{n} + 1) * 8;
      char* p = nullptr;
      if ((rc = rep.ReserveValue(txn.get(), rep.textblocks, &sk,
                                 bytes_at + text_bytes, &p)) != 0) {
        return rep.Error("cannot store the texts", rc);
      }
      const auto count32 = static_cast<uint32_t>(n);
      const uint32_t zero = 0;
      std::memcpy(p, &count32, 4);
      std::memcpy(p + 4, &zero, 4);
      // The offsets, and the frames as spans of consecutive added
      // documents (one per part unless ids were left out), copied on all
      // workers.
      struct Span {
        uint64_t at;  // in the frames
        const char* bytes;
        uint64_t size;
      };
      std::vector<Span> spans;
      uint64_t offset = 0;
      char* offsets = p + 8;
      std::memcpy(offsets, &offset, 8);
      for (const AddedPart& part : parts) {
        for (size_t j = 0; j < part.count; ++j) {
          if (part.docs[j] == kNotAdded) continue;
          const uint64_t begin = j == 0 ? 0 : part.text_ends[j - 1];
          const uint64_t size = part.text_ends[j] - begin;
          if (!spans.empty() && spans.back().bytes + spans.back().size ==
                                    part.texts.data() + begin) {
            spans.back().size += size;
          } else if (size > 0) {
            spans.push_back({offset, part.texts.data() + begin, size});
          }
          offset += size;
          offsets += 8;
          std::memcpy(offsets, &offset, 8);
        }
      }
      char* bytes = p + bytes_at;
      FillInParallel(
          bytes, text_bytes, rep.Fresh(p), rep.workers,
          [&](size_t begin, size_t end) {
            auto it = std::upper_bound(
                spans.begin(), spans.end(), begin,
                [](uint64_t at, const Span& s) { return at < s.at; });
            if (it != spans.begin()) --it;
            for (; it != spans.end() && it->at < end; ++it) {
              const uint64_t lo = std::max<uint64_t>(it->at, begin);
              const uint64_t hi = std::min<uint64_t>(it->at + it->size, end);
              if (hi > lo) {
                std::memcpy(bytes + lo, it->bytes + (lo - it->at), hi - lo);
              }
            }
          });
    }
  }
  if (builder.joinable()) {
    builder.join();
  } else {
    build_runs();
  }
  parts = {};
  for (const uint32_t kind : {kBandRun, kPassageRun}) {
    if (absl::Status s = rep.StoreRun(txn.get(), kind, first, doc, runs[kind]);
        !s.ok()) {
      return s;
    }
    runs[kind] = {};
  }
  FeedBatchInfo& info = result.batch;
  info.number = batch;
  info.name = std::string(name);
  info.added_unix_seconds = static_cast<int64_t>(std::time(nullptr));
  info.content_hash = hex;
  info.documents = result.added;
  info.first_document = first;
  info.end_document = doc;
  record.clear();
  Append<int64_t>(info.added_unix_seconds, &record);
  Append<uint32_t>(first, &record);
  Append<uint32_t>(doc, &record);
  Append<uint64_t>(info.documents, &record);
  record.append(reinterpret_cast<const char*>(hash.digest), 16);
  record.append(name);
  uint32_t batch_key = batch;
  MDB_val bk = Val(&batch_key, 4), bv = Val(record.data(), record.size());
  if ((rc = mdb_put(txn.get(), rep.batches, &bk, &bv, MDB_APPEND)) != 0 ||
      (rc = rep.WriteCounter(txn.get(), "next_document", doc)) != 0 ||
      (rc = rep.WriteCounter(txn.get(), "next_batch", batch + 1)) != 0) {
    return rep.Error("cannot store the batch", rc);
  }
  ids_cursor.Close();
  if ((rc = txn.Commit()) != 0) return rep.Error("cannot commit the batch", rc);
  return result;
}

namespace {

// One verifying thread's scratch space: a candidate's text is read,
// decompressed, analysed (keys only) and shingled here, and its distinct
// shingles put in `set`.
struct Verifier {
  explicit Verifier(const AnalyzeOptions& options)
      : analyzer(options), zstd(ZSTD_createDCtx()) {}
  Verifier(Verifier&& o) noexcept
      : analyzer(std::move(o.analyzer)), zstd(std::exchange(o.zstd, nullptr)) {}
  Verifier(const Verifier&) = delete;
  Verifier& operator=(const Verifier&) = delete;
  Verifier& operator=(Verifier&&) = delete;
  ~Verifier() { ZSTD_freeDCtx(zstd); }

  // Decompresses the zstd frame in `compressed` into `text`; false if it
  // is damaged.
  bool Decompress() {
    const unsigned long long size =
        ZSTD_getFrameContentSize(compressed.data(), compressed.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
      return false;
    }
    text.resize(size);
    const size_t n = ZSTD_decompressDCtx(zstd, text.data(), size,
                                         compressed.data(), compressed.size());
    return !ZSTD_isError(n) && n == size;
  }

  Analyzer analyzer;
  ZSTD_DCtx* zstd;
  std::string compressed;
  std::string text;
  std::vector<uint64_t> keys;
  std::vector<uint64_t> shingles;
  HashedSet set;
};

}  // namespace

absl::StatusOr<std::vector<std::vector<FeedMatch>>> FeedIndex::Query(
    absl::Span<const std::string_view> texts, const FeedQueryOptions& options,
    FeedQueryStats* stats) {
  Rep& rep = *rep_;
  if (!(options.threshold > 0 && options.threshold <= 1)) {
    return absl::InvalidArgumentError(
        "FeedQueryOptions::threshold must be in (0, 1]");
  }
  FeedQueryStats local;
  FeedQueryStats& st = stats != nullptr ? *stats : local;
  st.documents += texts.size();
  std::vector<Worker> workers = rep.MakeWorkers();
  std::vector<Sketched> sketched;
  const bool exact = rep.params.store_texts;
  const bool passages = options.all_candidates && rep.params.passage_keys;
  rep.SketchAll(texts, exact, passages, &workers, &sketched);
  if (options.cancel != nullptr && options.cancel->load()) {
    return absl::CancelledError("query was cancelled");
  }

  Txn txn;
  int rc = txn.Begin(rep.env, MDB_RDONLY);
  if (rc != 0) return rep.Error("cannot begin a read transaction", rc);
  // Every (query, band) lookup, in key order: each run (and each page of a
  // version 1 band tree) is then read once per batch, in order. Kept small:
  // memory first touched costs a page fault per 4 KiB.
  struct Lookup {
    uint32_t bucket;
    uint32_t lead;  // the entries' high half
    uint32_t passage;
    uint32_t query;
    bool operator<(const Lookup& o) const {
      return bucket != o.bucket     ? bucket < o.bucket
             : lead != o.lead       ? lead < o.lead
             : passage != o.passage ? passage < o.passage
                                    : query < o.query;
    }
    bool SameKey(const Lookup& o) const {
      return bucket == o.bucket && lead == o.lead && passage == o.passage;
    }
  };
  // Sorted by counting on the bucket as they are made (twice: to count,
  // then to place): a std::sort of them was a serial phase (85,000 lookups
  // for 5,000 documents, about 5 % of the query's time), and an array of
  // them unsorted cost as much again in page faults.
  std::vector<Lookup> lookups;
  SortByBucket(
      kRunBuckets, [](const Lookup& l) { return l.bucket; },
      [&](const auto& fn) {
        for (size_t q = 0; q < texts.size(); ++q) {
          const auto query = static_cast<uint32_t>(q);
          for (int b = 0; b < rep.params.bands; ++b) {
            const uint64_t mixed = MixBand(sketched[q].band_keys[b], b);
            fn(Lookup{BandBucket(mixed),
                      static_cast<uint32_t>(BandEntry(mixed, 0) >> 32), 0,
                      query});
          }
          for (const uint64_t key : sketched[q].passage_keys) {
            const uint64_t mixed = MixBand(key, kPassageBand);
            fn(Lookup{BandBucket(mixed),
                      static_cast<uint32_t>(BandEntry(mixed, 0) >> 32), 1,
                      query});
          }
        }
      },
      &lookups);
  // The distinct keys looked up (in lookup order), and the documents found
  // under each: the first max_bucket in document order (the v1 tree's
  // documents, older, then each run's in document order), then whether
  // there were more. Documents go to `hits` as found, then are put in
  // order of key.
  struct Group {
    uint32_t bucket;
    uint32_t lead;
    uint16_t passage;
    uint16_t capped;
    uint32_t count;
    uint64_t Lead() const { return uint64_t{lead} << 32; }
  };
  std::vector<Group> groups;
  groups.reserve(lookups.size());  // not grown by copying
  for (size_t i = 0; i < lookups.size(); ++i) {
    const Lookup& l = lookups[i];
    if (i == 0 || !l.SameKey(lookups[i - 1])) {
      groups.push_back(
          Group{l.bucket, l.lead, static_cast<uint16_t>(l.passage), 0, 0});
    }
  }
  using Hits = std::vector<std::pair<uint32_t, uint32_t>>;  // (group, doc)
  Hits hits;
  auto add = [&groups, &options](size_t g, uint32_t d, Hits* out) {
    Group& group = groups[g];
    if (group.capped != 0) return false;
    if (group.count == options.max_bucket) {
      group.capped = 1;
      return false;
    }
    ++group.count;
    out->emplace_back(static_cast<uint32_t>(g), d);
    return true;
  };
  {
    // A version 1 index's band tree (empty in a version 2 one).
    Cursor cursor;
    if ((rc = cursor.Open(txn.get(), rep.bands)) != 0) {
      return rep.Error("cannot open a cursor", rc);
    }
    MDB_stat tree;
    mdb_stat(txn.get(), rep.bands, &tree);
    for (size_t g = 0; tree.ms_entries > 0 && g < groups.size(); ++g) {
      uint32_t key = groups[g].bucket;
      const uint64_t lead = groups[g].Lead();
      uint64_t first = lead;
      MDB_val bk = Val(&key, 4), bv = Val(&first, 8);
      for (rc = mdb_cursor_get(cursor.get(), &bk, &bv, MDB_GET_BOTH_RANGE);
           rc == 0; rc = mdb_cursor_get(cursor.get(), &bk, &bv, MDB_NEXT_DUP)) {
        const uint64_t entry = Load<uint64_t>(static_cast<char*>(bv.mv_data));
        if ((entry & 0xFFFFFFFF00000000ULL) != lead) break;
        if (!add(g, static_cast<uint32_t>(entry), &hits)) break;
      }
    }
  }
  auto runs = rep.ReadRuns(txn.get());
  if (!runs.ok()) return runs.status();
  {
    const BlobReader reader = rep.Reader();
    // The runs holding keys of a kind looked up, and their bucket offsets.
    size_t wanted_of_kind[2] = {0, 0};
    for (const Group& g : groups) ++wanted_of_kind[g.passage];
    std::vector<const RunInfo*> to_read;
    std::vector<std::vector<uint32_t>> dirs;
    for (const RunInfo& run : *runs) {
      if (wanted_of_kind[run.kind == kPassageRun ? 1 : 0] == 0) continue;
      dirs.emplace_back();
      if (!ReadRunDir(reader, run, &dirs.back())) return rep.RunDamaged();
      to_read.push_back(&run);
    }
    // The groups (in key order) are cut into slices read on all workers,
    // each slice from every run in turn: a group's documents are found in
    // the same order as by one thread (runs in order), and a group is only
    // ever touched by its slice. Several slices a worker, so that a worker
    // the machine stalls leaves less undone.
    const size_t slices = std::min(groups.size(), workers.size() * size_t{4});
    std::vector<Hits> slice_hits(slices);
    std::vector<std::vector<uint64_t>> buffers(workers.size());
    std::vector<char> damaged(slices, 0);
    ParallelFor(
        slices, static_cast<int>(workers.size()), 1, [&](size_t s, int w) {
          const size_t first = groups.size() * s / slices;
          const size_t last = groups.size() * (s + 1) / slices;
          for (size_t r = 0; r < to_read.size(); ++r) {
            const RunInfo& run = *to_read[r];
            const bool passage = run.kind == kPassageRun;
            const size_t wanted = wanted_of_kind[passage ? 1 : 0];
            const std::vector<uint32_t>& dir = dirs[r];
            // Lookups close together (a bucket or so apart): read
            // the run through in chunks; far apart: only each
            // lookup's bucket.
            const size_t ahead = run.entries / wanted < kRunChunkEntries / 8
                                     ? kRunChunkEntries
                                     : 0;
            RunStream stream(reader, run, &buffers[w]);
            for (size_t gi = first; gi < last; ++gi) {
              const Group& g = groups[gi];
              if ((g.passage != 0) != passage || g.capped != 0) {
                continue;
              }
              const uint64_t lo = dir[g.bucket];
              const uint64_t hi = dir[g.bucket + 1];
              if (lo == hi) continue;
              const uint64_t* e = stream.Get(lo, hi, ahead);
              if (e == nullptr) {
                damaged[s] = 1;
                return;
              }
              const uint64_t* end = e + (hi - lo);
              const uint64_t lead = g.Lead();
              for (e = std::lower_bound(e, end, lead);
                   e != end && (*e & 0xFFFFFFFF00000000ULL) == lead; ++e) {
                if (!add(gi, static_cast<uint32_t>(*e), &slice_hits[s])) {
                  break;
                }
              }
            }
          }
        });
    for (size_t s = 0; s < slices; ++s) {
      if (damaged[s] != 0) return rep.RunDamaged();
      hits.insert(hits.end(), slice_hits[s].begin(), slice_hits[s].end());
    }
  }
  // The hits by group, each group's in the order found.
  std::vector<uint32_t> group_begin(groups.size() + 1, 0);
  for (size_t g = 0; g < groups.size(); ++g) {
    group_begin[g + 1] = group_begin[g] + groups[g].count;
  }
  std::vector<uint32_t> documents(hits.size());
  {
    std::vector<uint32_t> at(group_begin.begin(), group_begin.end() - 1);
    for (const auto& [g, d] : hits) documents[at[g]++] = d;
    hits = {};
  }
  std::vector<std::vector<uint32_t>> found(texts.size());
  // Documents met under a passage key, once per key: a candidate if met
  // under two.
  std::vector<std::vector<uint32_t>> passage_found(passages ? texts.size() : 0);
  for (size_t i = 0, gi = 0; i < lookups.size(); ++i) {
    const Lookup& l = lookups[i];
    if (i > 0 && !l.SameKey(lookups[i - 1])) ++gi;
    const Group& g = groups[gi];
    const auto begin = documents.begin() + group_begin[gi];
    const auto end = documents.begin() + group_begin[gi + 1];
    if (l.passage != 0) {
      if (g.capped != 0) {
        ++st.capped_passage_keys;  // a stock phrase: finds nothing
      } else {
        passage_found[l.query].insert(passage_found[l.query].end(), begin, end);
      }
      continue;
    }
    found[l.query].insert(found[l.query].end(), begin, end);
    if (g.capped != 0) ++st.capped_buckets;
  }
  groups = {};
  lookups = {};
  documents = {};
  for (size_t q = 0; q < passage_found.size(); ++q) {
    std::vector<uint32_t>& met = passage_found[q];
    std::sort(met.begin(), met.end());
    for (size_t i = 1; i < met.size(); ++i) {
      if (met[i] == met[i - 1] && (i < 2 || met[i - 2] != met[i])) {
        found[q].push_back(met[i]);
      }
    }
    met = {};
  }
  const int k = rep.params.num_hashes;
  const size_t head_bytes = 8 + static_cast<size_t>(k);
  // The candidates' batch, tokens and signature ("head"), each distinct
  // candidate once: read with pread from their batch's block of
  // signatures (candidates are spread over the whole index, a page fault
  // each through the map), neighbours with one call; for batches a
  // version 1 index holds, from their docs record.
  std::vector<uint32_t> distinct;
  for (std::vector<uint32_t>& f : found) {
    std::sort(f.begin(), f.end());
    f.erase(std::unique(f.begin(), f.end()), f.end());
    distinct.insert(distinct.end(), f.begin(), f.end());
  }
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  std::vector<char> heads(distinct.size() * head_bytes);
  std::vector<bool> have_head(distinct.size(), false);
  {
    std::vector<Block> blocks;
    if (rep.has_sigs && (rc = ReadBlocks(txn.get(), rep.sigs, &blocks)) != 0) {
      return rep.Error("cannot read the signatures", rc);
    }
    // The distinct candidates [begin, end) whose head is in `block`
    // (consecutive: both are in document order), read on all workers, a
    // block each.
    struct InBlock {
      const Block* block;
      size_t begin, end;
    };
    std::vector<InBlock> in_block;
    for (size_t i = 0; i < distinct.size(); ++i) {
      const uint32_t d = distinct[i];
      const Block* b = BlockOf(blocks, d);
      if (b != nullptr && size_t{d - b->first} * head_bytes < b->blob.mv_size) {
        if (in_block.empty() || in_block.back().block != b ||
            in_block.back().end != i) {
          in_block.push_back({b, i, i});
        }
        in_block.back().end = i + 1;
        have_head[i] = true;
        continue;
      }
      MDB_val dk = Val(&d, 4), dv;
      if (mdb_get(txn.get(), rep.docs, &dk, &dv) == 0 &&
          dv.mv_size >= head_bytes) {
        std::memcpy(heads.data() + i * head_bytes, dv.mv_data, head_bytes);
        have_head[i] = true;
      }  // else pruned meanwhile: cannot happen inside one snapshot
    }
    const BlobReader reader = rep.Reader();
    std::vector<std::string> scratch(workers.size());
    std::vector<std::vector<Piece>> pieces(workers.size());
    std::vector<char> damaged(in_block.size(), 0);
    ParallelFor(
        in_block.size(), static_cast<int>(workers.size()), 1,
        [&](size_t r, int w) {
          const InBlock& span = in_block[r];
          pieces[w].clear();
          for (size_t i = span.begin; i < span.end; ++i) {
            pieces[w].push_back(
                {uint64_t{distinct[i] - span.block->first} * head_bytes,
                 static_cast<uint32_t>(head_bytes),
                 heads.data() + i * head_bytes});
          }
          if (!ReadPieces(reader, span.block->blob, pieces[w], &scratch[w])) {
            damaged[r] = 1;
          }
        });
    for (const char d : damaged) {
      if (d != 0) return rep.SignaturesDamaged();
    }
  }
  struct Candidate {
    uint32_t document;
    const char* head;  // batch, tokens, signature (the record's start)
    // Its compressed text, if to be read: `text` (a value of the texts
    // tree, for older batches) or, if text_block is set, text.mv_size
    // bytes at text_offset of that text block.
    MDB_val text;
    const MDB_val* text_block;
    uint64_t text_offset;
    uint32_t verified;  // its entry in `verified` below, if its text is read
  };
  constexpr uint32_t kNotVerified = 0xFFFFFFFFu;
  VerifyCut verify_cut(options.threshold, k, kSkipChance);
  const int shingle = rep.params.shingle;
  std::vector<Block> text_blocks;
  if (exact && rep.has_textblocks &&
      (rc = ReadBlocks(txn.get(), rep.textblocks, &text_blocks)) != 0) {
    return rep.Error("cannot read the texts", rc);
  }
  // Candidates whose text is in a text block, placed below: (document,
  // query, candidate).
  std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> in_blocks;
  std::vector<std::vector<Candidate>> candidates(texts.size());
  for (size_t q = 0; q < texts.size(); ++q) {
    candidates[q].reserve(found[q].size());  // one allocation
    for (uint32_t d : found[q]) {
      const size_t i = static_cast<size_t>(
          std::lower_bound(distinct.begin(), distinct.end(), d) -
          distinct.begin());
      if (!have_head[i]) continue;
      Candidate c{
          d,           heads.data() + i * head_bytes, {0, nullptr}, nullptr, 0,
          kNotVerified};
      // The stored text, for the candidates the verification below reads
      // it for (each lookup costs a page fault in the texts tree at 1M).
      const char* head = c.head;
      const uint32_t tokens = Load<uint32_t>(head + 4);
      const auto likely_enough = [&] {
        // The smaller set's distinct shingles, at most: the stored side's
        // are bounded by its shingle count, so a text of many repeated
        // shingles counts as more than it has (DESIGN.md).
        const size_t shingles = std::min<size_t>(
            sketched[q].shingles.size(),
            tokens >= static_cast<uint32_t>(shingle) ? tokens - shingle + 1
                                                     : 1);
        return verify_cut.Verify(
            EqualBytes(sketched[q].signature.data(),
                       reinterpret_cast<const uint8_t*>(head + 8), k),
            shingles);
      };
      const bool verify =
          exact && (options.want_texts || options.all_candidates ||
                    tokens == 0 || sketched[q].tokens == 0 || likely_enough());
      if (verify && BlockOf(text_blocks, d) != nullptr) {
        in_blocks.emplace_back(d, static_cast<uint32_t>(q),
                               static_cast<uint32_t>(candidates[q].size()));
      } else if (verify) {
        MDB_val dk = Val(&d, 4);
        if (mdb_get(txn.get(), rep.texts, &dk, &c.text) != 0) {
          c.text = MDB_val{0, nullptr};
        }
      }
      candidates[q].push_back(c);
    }
    found[q] = {};
    st.candidates += candidates[q].size();
  }
  // Where each text in a block is: its two offsets, read with pread by
  // block, neighbours with one call.
  std::sort(in_blocks.begin(), in_blocks.end());
  {
    const BlobReader reader = rep.Reader();
    std::string scratch;
    std::vector<uint64_t> offsets;
    std::vector<Piece> pieces;
    size_t i = 0;
    while (i < in_blocks.size()) {
      const Block* block = BlockOf(text_blocks, std::get<0>(in_blocks[i]));
      uint32_t count = 0;
      if (!reader.Read(block->blob, 0, 4, &count)) {
        return rep.SignaturesDamaged();
      }
      size_t j = i;
      while (j < in_blocks.size() &&
             std::get<0>(in_blocks[j]) - block->first < count) {
        ++j;
      }
      if (j == i) {  // not in the block: from the texts tree
        const auto [d, q, c] = in_blocks[i++];
        uint32_t key = d;
        MDB_val dk = Val(&key, 4);
        Candidate& candidate = candidates[q][c];
        if (mdb_get(txn.get(), rep.texts, &dk, &candidate.text) != 0) {
          candidate.text = MDB_val{0, nullptr};
        }
        continue;
      }
      offsets.resize((j - i) * 2);
      pieces.clear();
      for (size_t m = i; m < j; ++m) {
        pieces.push_back(
            {8 + uint64_t{std::get<0>(in_blocks[m]) - block->first} * 8, 16,
             reinterpret_cast<char*>(&offsets[(m - i) * 2])});
      }
      if (!ReadPieces(reader, block->blob, pieces, &scratch)) {
        return rep.SignaturesDamaged();
      }
      const uint64_t bytes_at = 8 + (uint64_t{count} + 1) * 8;
      for (size_t m = i; m < j; ++m) {
        const uint64_t lo = offsets[(m - i) * 2], hi = offsets[(m - i) * 2 + 1];
        if (hi < lo || bytes_at + hi > block->blob.mv_size) {
          return rep.SignaturesDamaged();
        }
        Candidate& c =
            candidates[std::get<1>(in_blocks[m])][std::get<2>(in_blocks[m])];
        c.text_block = &block->blob;
        c.text_offset = bytes_at + lo;
        c.text.mv_size = hi - lo;
      }
      i = j;
    }
  }

  // Verification of the candidates whose text is read, on all workers,
  // by candidate: each distinct candidate is read (pread, into the
  // worker's buffer: a text on overflow pages would cost a page fault per
  // page through the map), decompressed, analysed and shingled once, its
  // distinct shingles put in a hash set, then counted against the
  // distinct shingles of each query document that found it. Reads only this
  // snapshot's unchanging pages (pread is safe on any thread).
  struct Verified {
    uint32_t document;
    uint32_t query;
    uint32_t candidate;
    bool have_text;  // read and decompressed
    bool exact;      // similarity is the exact one
    double similarity;
  };
  std::vector<Verified> verified;
  for (size_t q = 0; q < candidates.size(); ++q) {
    for (size_t c = 0; c < candidates[q].size(); ++c) {
      const Candidate& candidate = candidates[q][c];
      if (candidate.text_block != nullptr ||
          candidate.text.mv_data != nullptr) {
        verified.push_back({candidate.document, static_cast<uint32_t>(q),
                            static_cast<uint32_t>(c), false, false, 0});
      }
    }
  }
  std::sort(verified.begin(), verified.end(),
            [](const Verified& a, const Verified& b) {
              return std::tie(a.document, a.query, a.candidate) <
                     std::tie(b.document, b.query, b.candidate);
            });
  std::vector<size_t> verify_groups;  // where each document's entries begin
  for (size_t i = 0; i < verified.size(); ++i) {
    const Verified& v = verified[i];
    candidates[v.query][v.candidate].verified = static_cast<uint32_t>(i);
    if (i == 0 || v.document != verified[i - 1].document) {
      verify_groups.push_back(i);
    }
  }
  verify_groups.push_back(verified.size());
  std::vector<std::string> verified_texts(options.want_texts ? verified.size()
                                                             : 0);
  const double threshold = options.threshold - kSimilarityEpsilon;
  // The first document (by number) whose stored text could not be read or
  // decompressed: the index is damaged, which is an error, not a match
  // quietly left to its estimate.
  std::mutex damaged_mu;
  uint64_t damaged_text = std::numeric_limits<uint64_t>::max();
  {
    std::vector<Verifier> verifiers;
    verifiers.reserve(workers.size());
    for (size_t w = 0; w < workers.size(); ++w) {
      verifiers.emplace_back(rep.params.analyze);
    }
    const BlobReader text_reader = rep.Reader();
    ParallelFor(
        verify_groups.size() - 1, verifiers.size(), 8, [&](size_t g, int w) {
          Verifier& v = verifiers[w];
          const size_t begin = verify_groups[g];
          const size_t end = verify_groups[g + 1];
          const Candidate& c =
              candidates[verified[begin].query][verified[begin].candidate];
          v.compressed.resize(c.text.mv_size);
          const bool read =
              c.text_block != nullptr
                  ? text_reader.Read(*c.text_block, c.text_offset,
                                     c.text.mv_size, v.compressed.data())
                  : text_reader.Read(c.text, 0, c.text.mv_size,
                                     v.compressed.data());
          if (!read || !v.Decompress()) {
            const std::lock_guard<std::mutex> lock(damaged_mu);
            damaged_text = std::min<uint64_t>(damaged_text, c.document);
            return;
          }
          const uint32_t tokens = Load<uint32_t>(c.head + 4);
          bool shingled = false;
          for (size_t i = begin; i < end; ++i) {
            Verified& r = verified[i];
            r.have_text = true;
            if (options.want_texts) verified_texts[i] = v.text;
            const Sketched& s = sketched[r.query];
            // Empty texts are decided by their token counts.
            if (tokens == 0 || s.tokens == 0) continue;
            if (!shingled) {
              v.analyzer.AnalyzeKeys(v.text, &v.keys);
              ShingleHashes(v.keys, shingle, &v.shingles);
              v.set.Assign(v.shingles);
              shingled = true;
            }
            // Unless every candidate is returned, counting stops once the
            // pair cannot reach the threshold: its similarity is then
            // below it (not the exact one) and the pair is dropped below.
            const size_t needed = options.all_candidates
                                      ? 0
                                      : LeastCommonFor(s.shingles.size(),
                                                       v.set.size(), threshold);
            r.similarity =
                JaccardOfCounts(s.shingles.size(), v.set.size(),
                                v.set.CountCommonIfAtLeast(s.shingles, needed));
            r.exact = true;
          }
        });
  }
  if (damaged_text != std::numeric_limits<uint64_t>::max()) {
    return absl::DataLossError(absl::StrCat(
        rep.path, ": the index is damaged: the stored text of document ",
        damaged_text, " cannot be read or decompressed"));
  }

  // The matches of each query document, best first.
  std::vector<std::vector<FeedMatch>> results(texts.size());
  ParallelFor(texts.size(), workers.size(), 16, [&](size_t q, int) {
    const Sketched& s = sketched[q];
    for (const Candidate& c : candidates[q]) {
      const char* rec = c.head;
      const uint32_t tokens = Load<uint32_t>(rec + 4);
      const auto* sig = reinterpret_cast<const uint8_t*>(rec + 8);
      bool is_exact = false;
      double similarity;
      if (tokens == 0 || s.tokens == 0) {
        similarity = tokens == 0 && s.tokens == 0 ? 1.0 : 0.0;
        is_exact = true;
      } else {
        similarity = EstimateSimilarity(s.signature.data(), sig, k);
      }
      bool have_text = false;
      if (c.verified != kNotVerified) {
        const Verified& r = verified[c.verified];
        have_text = r.have_text;
        if (r.exact) {
          similarity = r.similarity;
          is_exact = true;
        }
      }
      if (similarity < threshold && !options.all_candidates) continue;
      FeedMatch m;
      m.document = c.document;
      m.similarity = similarity;
      m.exact = is_exact;
      m.batch = std::to_string(Load<uint32_t>(rec));
      if (options.want_texts && have_text) {
        m.text = std::move(verified_texts[c.verified]);
      }
      results[q].push_back(std::move(m));
    }
    std::sort(results[q].begin(), results[q].end(),
              [](const FeedMatch& a, const FeedMatch& b) {
                if (a.similarity != b.similarity) {
                  return a.similarity > b.similarity;
                }
                return a.document < b.document;
              });
  });
  // Ids, for the returned matches only: from their batch's block of ids
  // with pread (neighbours with one call), or, for batches an older index
  // holds, from their docs record (a page fault each). Batch numbers ->
  // names.
  std::vector<FeedMatch*> by_document;
  for (auto& matches : results) {
    for (FeedMatch& m : matches) by_document.push_back(&m);
  }
  std::sort(by_document.begin(), by_document.end(),
            [](const FeedMatch* a, const FeedMatch* b) {
              return a->document < b->document;
            });
  if (absl::Status s = rep.ReadIds(txn.get(), by_document); !s.ok()) return s;
  auto batches = rep.ReadBatches(txn.get());
  if (!batches.ok()) return batches.status();
  for (auto& matches : results) {
    for (FeedMatch& m : matches) {
      uint32_t number = 0;
      if (absl::SimpleAtoi(m.batch, &number)) {
        for (const FeedBatchInfo& b : *batches) {
          if (b.number == number) m.batch = b.name;
        }
      }
      if (m.similarity >= threshold) ++st.matches;
    }
  }
  return results;
}

absl::StatusOr<FeedIndexStats> FeedIndex::Stats() {
  Rep& rep = *rep_;
  FeedIndexStats out;
  out.format_version = rep.format_version;
  out.params = rep.params;
  Txn txn;
  int rc = txn.Begin(rep.env, MDB_RDONLY);
  if (rc != 0) return rep.Error("cannot begin a read transaction", rc);
  auto batches = rep.ReadBatches(txn.get());
  if (!batches.ok()) return batches.status();
  out.batches = std::move(*batches);
  MDB_stat s;
  mdb_stat(txn.get(), rep.docs, &s);
  out.documents = s.ms_entries;
  out.page_bytes = s.ms_psize;
  for (const auto& [name, dbi] :
       {std::pair<const char*, MDB_dbi>{"bands", rep.bands},
        {"docs", rep.docs},
        {"texts", rep.texts},
        {"ids", rep.ids},
        {"batches", rep.batches},
        {"meta", rep.meta}}) {
    mdb_stat(txn.get(), dbi, &s);
    uint64_t bytes =
        (s.ms_branch_pages + s.ms_leaf_pages + s.ms_overflow_pages) *
        uint64_t{s.ms_psize};
    // Runs count as bands; signature and id blocks as docs; text blocks as
    // texts.
    for (const auto& [of, has, extra] :
         {std::tuple{rep.bands, rep.has_runs, rep.runs},
          std::tuple{rep.docs, rep.has_sigs, rep.sigs},
          std::tuple{rep.docs, rep.has_idblocks, rep.idblocks},
          std::tuple{rep.texts, rep.has_textblocks, rep.textblocks}}) {
      if (dbi != of || !has) continue;
      mdb_stat(txn.get(), extra, &s);
      bytes += (s.ms_branch_pages + s.ms_leaf_pages + s.ms_overflow_pages) *
               uint64_t{s.ms_psize};
    }
    out.database_bytes.emplace_back(name, bytes);
    if (dbi == rep.texts) out.text_bytes = bytes;
  }
  MDB_envinfo info;
  mdb_env_info(rep.env, &info);
  // Free pages: the free list is database 0; each record is a list of page
  // numbers led by its length.
  {
    Cursor cursor;
    if (cursor.Open(txn.get(), 0) == 0) {
      MDB_val k, v;
      for (rc = mdb_cursor_get(cursor.get(), &k, &v, MDB_FIRST); rc == 0;
           rc = mdb_cursor_get(cursor.get(), &k, &v, MDB_NEXT)) {
        if (v.mv_size >= sizeof(size_t)) {
          out.free_pages += Load<size_t>(static_cast<char*>(v.mv_data));
        }
      }
    }
  }
  out.used_pages = info.me_last_pgno + 1 - out.free_pages;
  struct stat st;
  if (stat((rep.path + "/data.mdb").c_str(), &st) == 0) {
    out.file_bytes = static_cast<uint64_t>(st.st_size);
  }
  return out;
}

absl::StatusOr<std::vector<FeedBatchInfo>> FeedIndex::Rep::Prune(
    const std::function<bool(const FeedBatchInfo&)>& selected) {
  if (!options.writable) {
    return absl::FailedPreconditionError("Prune() on a read-only index");
  }
  Txn txn;
  int rc = txn.Begin(env, 0);
  if (rc != 0) return Error("cannot begin a write transaction", rc);
  auto all = ReadBatches(txn.get());
  if (!all.ok()) return all.status();
  std::vector<FeedBatchInfo> removed;
  for (const FeedBatchInfo& b : *all) {
    if (selected(b)) removed.push_back(b);
  }
  if (removed.empty()) return removed;
  const int k = params.num_hashes;
  for (const FeedBatchInfo& b : removed) {
    for (uint32_t d = b.first_document; d < b.end_document; ++d) {
      MDB_val dk = Val(&d, 4), dv;
      if (mdb_get(txn.get(), docs, &dk, &dv) != 0) continue;
      if (dv.mv_size >= 8 + static_cast<size_t>(k)) {
        uint64_t h = IdHash(std::string_view(
            static_cast<char*>(dv.mv_data) + 8 + k, dv.mv_size - 8 - k));
        MDB_val hk = Val(&h, 8), hv = Val(&d, 4);
        mdb_del(txn.get(), ids, &hk, &hv);
      }
      if ((rc = mdb_del(txn.get(), docs, &dk, nullptr)) != 0) {
        return Error("cannot remove a document", rc);
      }
      mdb_del(txn.get(), texts, &dk, nullptr);
    }
    uint32_t first = b.first_document;
    MDB_val sk = Val(&first, 4);
    if ((rc = mdb_del(txn.get(), sigs, &sk, nullptr)) != 0 &&
        rc != MDB_NOTFOUND) {
      return Error("cannot remove the signatures", rc);
    }
    if ((rc = mdb_del(txn.get(), idblocks, &sk, nullptr)) != 0 &&
        rc != MDB_NOTFOUND) {
      return Error("cannot remove the ids", rc);
    }
    if ((rc = mdb_del(txn.get(), textblocks, &sk, nullptr)) != 0 &&
        rc != MDB_NOTFOUND) {
      return Error("cannot remove the texts", rc);
    }
    uint32_t number = b.number;
    MDB_val bk = Val(&number, 4);
    if ((rc = mdb_del(txn.get(), batches, &bk, nullptr)) != 0) {
      return Error("cannot remove a batch", rc);
    }
  }
  // Band entries of the removed documents in a version 1 tree: found in
  // one read pass, then deleted one by one (deleting while walking with
  // the cursor, as before, lost entries of other documents: after the
  // delete of a bucket's last entries the cursor skipped ahead).
  {
    std::vector<std::pair<uint32_t, uint64_t>> doomed;
    {
      Cursor cursor;
      if ((rc = cursor.Open(txn.get(), bands)) != 0) {
        return Error("cannot open a cursor", rc);
      }
      MDB_val key, value;
      for (rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_FIRST); rc == 0;
           rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_NEXT)) {
        const uint64_t entry =
            Load<uint64_t>(static_cast<char*>(value.mv_data));
        const auto d = static_cast<uint32_t>(entry);
        for (const FeedBatchInfo& b : removed) {
          if (d >= b.first_document && d < b.end_document) {
            doomed.emplace_back(Load<uint32_t>(static_cast<char*>(key.mv_data)),
                                entry);
            break;
          }
        }
      }
      if (rc != MDB_NOTFOUND) return Error("cannot scan the band keys", rc);
    }
    for (auto& [bucket, entry] : doomed) {
      MDB_val key = Val(&bucket, 4), value = Val(&entry, 8);
      if ((rc = mdb_del(txn.get(), bands, &key, &value)) != 0) {
        return Error("cannot remove a band key", rc);
      }
    }
  }
  // Runs holding removed documents are written again without them.
  auto gone = [&removed](uint32_t d) {
    for (const FeedBatchInfo& b : removed) {
      if (d >= b.first_document && d < b.end_document) return true;
    }
    return false;
  };
  auto all_runs = ReadRuns(txn.get());
  if (!all_runs.ok()) return all_runs.status();
  std::vector<uint32_t> touched;
  for (const RunInfo& run : *all_runs) {
    for (const FeedBatchInfo& b : removed) {
      if (run.first_document < b.end_document &&
          b.first_document < run.end_document) {
        touched.push_back(run.key);
        break;
      }
    }
  }
  for (const uint32_t key : touched) {
    auto now = ReadRuns(txn.get());
    if (!now.ok()) return now.status();
    for (const RunInfo& run : *now) {
      if (run.key != key) continue;
      if (absl::Status s = RewriteRuns(
              txn.get(), {run}, [&gone](uint32_t d) { return !gone(d); });
          !s.ok()) {
        return s;
      }
    }
  }
  if ((rc = txn.Commit()) != 0) return Error("cannot commit the prune", rc);
  return removed;
}

absl::StatusOr<std::vector<FeedBatchInfo>> FeedIndex::PruneOlderThan(
    int64_t unix_seconds) {
  return rep_->Prune([unix_seconds](const FeedBatchInfo& b) {
    return b.added_unix_seconds < unix_seconds;
  });
}

absl::StatusOr<std::vector<FeedBatchInfo>> FeedIndex::PruneBatch(
    std::string_view name) {
  return rep_->Prune([name](const FeedBatchInfo& b) { return b.name == name; });
}

absl::Status CheckFeedIndexParams(const FeedIndexParams& stored,
                                  const FeedIndexParams& wanted,
                                  absl::Span<const std::string> given) {
  std::string differ;
  auto check = [&](const char* name, auto a, auto b) {
    if (a == b) return;
    if (std::find(given.begin(), given.end(), name) == given.end()) return;
    absl::StrAppend(&differ, differ.empty() ? "" : "; ", name, ": index ", a,
                    ", asked ", b);
  };
  check("shingle", stored.shingle, wanted.shingle);
  check("num_hashes", stored.num_hashes, wanted.num_hashes);
  check("lsh_threshold", stored.lsh_threshold, wanted.lsh_threshold);
  check("seed", stored.seed, wanted.seed);
  check("fold_case", stored.analyze.fold_case, wanted.analyze.fold_case);
  check("strip_marks", stored.analyze.strip_marks, wanted.analyze.strip_marks);
  check("fold_arabic", stored.analyze.fold_arabic, wanted.analyze.fold_arabic);
  check("fold_digits", stored.analyze.fold_digits, wanted.analyze.fold_digits);
  check("match_variants", stored.analyze.match_variants,
        wanted.analyze.match_variants);
  check("store_texts", stored.store_texts, wanted.store_texts);
  if (differ.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      "the index was built with other parameters: " + differ);
}

}  // namespace neardup
