// neardup::FeedIndex on LMDB: see neardup/feed_index.h.
//
// Named databases of the one environment (all integers native-endian):
//   meta     "format_version" -> u32; "params" -> "name=value\n" lines;
//            "next_document", "next_batch" -> u32
//   bands    u32 bucket -> u64 entry (DUPSORT, DUPFIXED, INTEGERDUP). The
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
// Documents and batches are numbered in the order added and never
// renumbered, so docs, texts and batches are appended (MDB_APPEND).
#include "neardup/feed_index.h"

#include <dirent.h>
#include <fcntl.h>
#include <lmdb.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <functional>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "analyze.h"
#include "candidates.h"
#include "dedup_internal.h"
#include "minhash.h"
#include "neardup/options.h"
#include "parallel.h"
#include "shingle.h"

namespace neardup {
namespace {

constexpr double kSimilarityEpsilon = 1e-9;
// With texts stored, a candidate whose estimated similarity is this far
// below the threshold is not verified exactly (six standard deviations of
// the 128-byte estimate at 0.8).
constexpr double kEstimateMargin = 0.25;
constexpr int kZstdLevel = 3;

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

// The winnowed shingle hashes of `keys` (Schleimer et al. 2003): the
// smallest hash of every window of kPassageWindow consecutive shingles (of
// all of them if fewer), sorted and distinct.
void PassageKeys(absl::Span<const uint64_t> keys, int shingle,
                 std::vector<uint64_t>* hashes, std::vector<uint64_t>* out) {
  out->clear();
  if (keys.empty()) return;
  ShingleHashes(keys, shingle, hashes);
  const size_t n = hashes->size();
  const size_t w = std::min<size_t>(kPassageWindow, n);
  for (size_t i = 0; i + w <= n; ++i) {
    out->push_back(
        *std::min_element(hashes->begin() + i, hashes->begin() + i + w));
  }
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
}

// Not a document number (numbers are below the count of documents): marks a
// bucket cut at FeedQueryOptions::max_bucket in a query's lookups.
constexpr uint32_t kCappedMark = 0xFFFFFFFF;

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
  std::vector<uint64_t> shingles;  // sorted, distinct (query only)
  std::string compressed;          // (add only)
};

struct Worker {
  Worker(const AnalyzeOptions& options, const SketchOptions& sketch,
         const MinHasher* hasher)
      : analyzer(options),
        sketcher(sketch, hasher),
        zstd(ZSTD_createDCtx()),
        zstd_c(ZSTD_createCCtx()) {}
  Worker(Worker&& o) noexcept
      : analyzer(std::move(o.analyzer)),
        sketcher(std::move(o.sketcher)),
        zstd(std::exchange(o.zstd, nullptr)),
        zstd_c(std::exchange(o.zstd_c, nullptr)) {}
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  Worker& operator=(Worker&&) = delete;
  ~Worker() {
    ZSTD_freeDCtx(zstd);
    ZSTD_freeCCtx(zstd_c);
  }
  Analyzer analyzer;
  AnalyzedText analyzed;
  BandSketcher sketcher;
  ZSTD_DCtx* zstd;
  ZSTD_CCtx* zstd_c;
  std::string text;
  std::vector<uint64_t> shingles;
};

double EstimateSimilarity(const uint8_t* a, const uint8_t* b, int k) {
  int same = 0;
  for (int i = 0; i < k; ++i) same += a[i] == b[i];
  const double p = static_cast<double>(same) / k;
  const double chance = 1.0 / 256;
  return std::clamp((p - chance) / (1 - chance), 0.0, 1.0);
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
                 bool compress, bool passages, std::vector<Worker>* workers,
                 std::vector<Sketched>* out) const {
    out->resize(texts.size());
    const int bands_n = params.bands;
    const int k = params.num_hashes;
    ParallelFor(texts.size(), workers->size(), 16, [&](size_t i, int w) {
      Worker& worker = (*workers)[w];
      Sketched& s = (*out)[i];
      worker.analyzer.Analyze(texts[i], &worker.analyzed);
      s.tokens = static_cast<uint32_t>(worker.analyzed.size());
      s.band_keys.resize(bands_n);
      worker.sketcher.Sketch(worker.analyzed.keys, s.band_keys.data());
      if (passages) {
        PassageKeys(worker.analyzed.keys, params.shingle, &worker.shingles,
                    &s.passage_keys);
      }
      const std::vector<uint32_t>& sketch = worker.sketcher.sketch();
      s.signature.resize(k);
      for (int h = 0; h < k; ++h) s.signature[h] = sketch[h] & 0xFF;
      if (keep_shingles) {
        s.shingles = worker.sketcher.shingles();
        std::sort(s.shingles.begin(), s.shingles.end());
        s.shingles.erase(std::unique(s.shingles.begin(), s.shingles.end()),
                         s.shingles.end());
      }
      if (compress) {
        s.compressed.resize(ZSTD_compressBound(texts[i].size()));
        const size_t n = ZSTD_compressCCtx(worker.zstd_c, s.compressed.data(),
                                           s.compressed.size(), texts[i].data(),
                                           texts[i].size(), kZstdLevel);
        s.compressed.resize(ZSTD_isError(n) ? 0 : n);
      }
    });
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

  absl::StatusOr<std::vector<FeedBatchInfo>> Prune(
      const std::function<bool(const FeedBatchInfo&)>& selected);
};

FeedIndex::FeedIndex(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
FeedIndex::~FeedIndex() = default;

const FeedIndexParams& FeedIndex::params() const { return rep_->params; }

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
    if (!create) {
      return absl::FailedPreconditionError(
          absl::StrCat(path, ": not a neardup index (no data.mdb)"));
    }
    // Refuse to turn a directory holding other files into an index.
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
  mdb_env_set_maxdbs(rep->env, 8);
  mdb_env_set_mapsize(rep->env, options.map_bytes);
  if (!exists && !create) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": not a neardup index"));
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
  };
  for (const auto& db : dbs) {
    if ((rc = mdb_dbi_open(txn.get(), db.name, db.flags | create_flag,
                           db.dbi)) != 0) {
      return absl::FailedPreconditionError(
          absl::StrCat(path, ": not a neardup index (database ", db.name, ": ",
                       mdb_strerror(rc), ")"));
    }
  }
  if ((rc = txn.Commit()) != 0) return rep->Error("cannot commit", rc);

  rep->hasher = std::make_unique<MinHasher>(
      MinHashOptions{rep->params.num_hashes, rep->params.seed});
  rep->sketch = SketchFor(rep->params);
  return std::unique_ptr<FeedIndex>(new FeedIndex(std::move(rep)));
}

absl::StatusOr<FeedAddResult> FeedIndex::AddBatch(
    std::string_view name, absl::Span<const DocumentView> documents) {
  Rep& rep = *rep_;
  if (!rep.options.writable) {
    return absl::FailedPreconditionError("AddBatch() on a read-only index");
  }
  if (name.empty()) return absl::InvalidArgumentError("empty batch name");
  for (const DocumentView& d : documents) {
    if (d.text.size() >= kMaxTextBytes) {
      return absl::InvalidArgumentError(
          absl::StrCat("document ", std::string(d.id), " is 4 GiB or more"));
    }
  }
  FeedAddResult result;
  // The content hash: every id and text, with their lengths.
  XXH3_state_t* state = XXH3_createState();
  XXH3_128bits_reset(state);
  for (const DocumentView& d : documents) {
    const uint64_t sizes[2] = {d.id.size(), d.text.size()};
    XXH3_128bits_update(state, sizes, sizeof(sizes));
    XXH3_128bits_update(state, d.id.data(), d.id.size());
    XXH3_128bits_update(state, d.text.data(), d.text.size());
  }
  XXH128_canonical_t hash;
  XXH128_canonicalFromHash(&hash, XXH3_128bits_digest(state));
  XXH3_freeState(state);

  // Sketch and compress outside the write transaction.
  std::vector<std::string_view> texts;
  texts.reserve(documents.size());
  for (const DocumentView& d : documents) texts.push_back(d.text);
  std::vector<Worker> workers = rep.MakeWorkers();
  std::vector<Sketched> sketched;
  rep.SketchAll(texts, false, rep.params.store_texts, rep.params.passage_keys,
                &workers, &sketched);

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
          b.added_unix_seconds, "); name it otherwise"));
    }
  }
  auto next_doc = rep.ReadCounter(txn.get(), "next_document");
  auto next_batch = rep.ReadCounter(txn.get(), "next_batch");
  if (!next_doc.ok()) return next_doc.status();
  if (!next_batch.ok()) return next_batch.status();
  uint32_t doc = *next_doc;
  const uint32_t batch = *next_batch;
  if (uint64_t{doc} + documents.size() >= 0xFFFFFFFFu) {
    return absl::ResourceExhaustedError(
        absl::StrCat(rep.path, ": the index is full (2^32 documents added)"));
  }

  absl::flat_hash_set<std::string_view> batch_ids;
  std::vector<std::pair<uint32_t, uint64_t>> band_entries;
  std::string record;
  const uint32_t first = doc;
  const size_t k = rep.params.num_hashes;
  Cursor ids_cursor;
  if ((rc = ids_cursor.Open(txn.get(), rep.ids)) != 0) {
    return rep.Error("cannot open a cursor", rc);
  }
  for (size_t i = 0; i < documents.size(); ++i) {
    const DocumentView& d = documents[i];
    if (!batch_ids.insert(d.id).second) {
      ++result.existing_ids;
      continue;
    }
    uint64_t id_hash = IdHash(d.id);
    bool known = false;
    MDB_val hk = Val(&id_hash, 8), hv;
    for (rc = mdb_cursor_get(ids_cursor.get(), &hk, &hv, MDB_SET_KEY);
         rc == 0 && !known;
         rc = mdb_cursor_get(ids_cursor.get(), &hk, &hv, MDB_NEXT_DUP)) {
      MDB_val dk = Val(hv.mv_data, 4), dv;
      if (mdb_get(txn.get(), rep.docs, &dk, &dv) == 0 && dv.mv_size >= 8 + k) {
        const std::string_view stored(static_cast<char*>(dv.mv_data) + 8 + k,
                                      dv.mv_size - 8 - k);
        known = stored == d.id;
      }
    }
    if (known) {
      ++result.existing_ids;
      continue;
    }
    const Sketched& s = sketched[i];
    record.clear();
    Append<uint32_t>(batch, &record);
    Append<uint32_t>(s.tokens, &record);
    record.append(reinterpret_cast<const char*>(s.signature.data()), k);
    record.append(d.id);
    MDB_val dk = Val(&doc, 4), dv = Val(record.data(), record.size());
    if ((rc = mdb_put(txn.get(), rep.docs, &dk, &dv, MDB_APPEND)) != 0) {
      return rep.Error("cannot store a document", rc);
    }
    if (rep.params.store_texts) {
      MDB_val tv = Val(s.compressed.data(), s.compressed.size());
      if ((rc = mdb_put(txn.get(), rep.texts, &dk, &tv, MDB_APPEND)) != 0) {
        return rep.Error("cannot store a text", rc);
      }
    }
    hk = Val(&id_hash, 8);
    MDB_val iv = Val(&doc, 4);
    if ((rc = mdb_put(txn.get(), rep.ids, &hk, &iv, 0)) != 0) {
      return rep.Error("cannot store an id", rc);
    }
    for (int b = 0; b < rep.params.bands; ++b) {
      const uint64_t mixed = MixBand(s.band_keys[b], b);
      band_entries.push_back({BandBucket(mixed), BandEntry(mixed, doc)});
    }
    for (const uint64_t key : s.passage_keys) {
      const uint64_t mixed = MixBand(key, kPassageBand);
      band_entries.push_back({BandBucket(mixed), BandEntry(mixed, doc)});
    }
    ++doc;
    ++result.added;
  }
  // In key order, so that each page of the band tree is visited once.
  std::sort(band_entries.begin(), band_entries.end());
  {
    Cursor cursor;
    if ((rc = cursor.Open(txn.get(), rep.bands)) != 0) {
      return rep.Error("cannot open a cursor", rc);
    }
    for (auto& [key, value] : band_entries) {
      MDB_val bk = Val(&key, 4), bv = Val(&value, 8);
      rc = mdb_cursor_put(cursor.get(), &bk, &bv, MDB_NODUPDATA);
      if (rc != 0 && rc != MDB_KEYEXIST) {
        return rep.Error("cannot store a band key", rc);
      }
    }
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
  rep.SketchAll(texts, exact, false, passages, &workers, &sketched);
  if (options.cancel != nullptr && options.cancel->load()) {
    return absl::CancelledError("query was cancelled");
  }

  Txn txn;
  int rc = txn.Begin(rep.env, MDB_RDONLY);
  if (rc != 0) return rep.Error("cannot begin a read transaction", rc);
  Cursor cursor;
  if ((rc = cursor.Open(txn.get(), rep.bands)) != 0) {
    return rep.Error("cannot open a cursor", rc);
  }
  struct Candidate {
    uint32_t document;
    MDB_val record;
    MDB_val text;
    double similarity;
  };
  // Every (query, band) lookup, in key order: each page of the band tree
  // is then visited once per batch and in file order, where lookups in
  // query order touched a random page per lookup (at 1M documents, most of
  // the query time went to faulting and missing on those pages).
  struct Lookup {
    uint32_t bucket;
    uint64_t lead;
    uint32_t query;
    bool passage;
    bool operator<(const Lookup& o) const {
      return bucket != o.bucket ? bucket < o.bucket
             : lead != o.lead   ? lead < o.lead
             : query != o.query ? query < o.query
                                : passage < o.passage;
    }
  };
  std::vector<Lookup> lookups;
  lookups.reserve(texts.size() * rep.params.bands);
  for (size_t q = 0; q < texts.size(); ++q) {
    const auto query = static_cast<uint32_t>(q);
    for (int b = 0; b < rep.params.bands; ++b) {
      const uint64_t mixed = MixBand(sketched[q].band_keys[b], b);
      lookups.push_back({BandBucket(mixed), BandEntry(mixed, 0), query, false});
    }
    for (const uint64_t key : sketched[q].passage_keys) {
      const uint64_t mixed = MixBand(key, kPassageBand);
      lookups.push_back({BandBucket(mixed), BandEntry(mixed, 0), query, true});
    }
  }
  std::sort(lookups.begin(), lookups.end());
  std::vector<std::vector<uint32_t>> found(texts.size());
  // Documents met under a passage key, once per key: a candidate if met
  // under two.
  std::vector<std::vector<uint32_t>> passage_found(passages ? texts.size() : 0);
  std::vector<uint32_t> bucket;  // the documents of the last lookup
  for (size_t i = 0; i < lookups.size(); ++i) {
    const Lookup& l = lookups[i];
    if (i == 0 || l.bucket != lookups[i - 1].bucket ||
        l.lead != lookups[i - 1].lead) {
      bucket.clear();
      uint32_t key = l.bucket;
      uint64_t first = l.lead;
      MDB_val bk = Val(&key, 4), bv = Val(&first, 8);
      size_t n = 0;
      for (rc = mdb_cursor_get(cursor.get(), &bk, &bv, MDB_GET_BOTH_RANGE);
           rc == 0; rc = mdb_cursor_get(cursor.get(), &bk, &bv, MDB_NEXT_DUP)) {
        const uint64_t entry = Load<uint64_t>(static_cast<char*>(bv.mv_data));
        if ((entry & 0xFFFFFFFF00000000ULL) != l.lead) break;
        if (n++ == options.max_bucket) {
          bucket.push_back(kCappedMark);
          break;
        }
        bucket.push_back(static_cast<uint32_t>(entry));
      }
    }
    if (l.passage) {
      if (!bucket.empty() && bucket.back() == kCappedMark) {
        ++st.capped_passage_keys;  // a stock phrase: finds nothing
      } else {
        passage_found[l.query].insert(passage_found[l.query].end(),
                                      bucket.begin(), bucket.end());
      }
      continue;
    }
    for (const uint32_t d : bucket) {
      if (d == kCappedMark) {
        ++st.capped_buckets;
      } else {
        found[l.query].push_back(d);
      }
    }
  }
  lookups = {};
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
  std::vector<std::vector<Candidate>> candidates(texts.size());
  for (size_t q = 0; q < texts.size(); ++q) {
    std::sort(found[q].begin(), found[q].end());
    found[q].erase(std::unique(found[q].begin(), found[q].end()),
                   found[q].end());
    for (uint32_t d : found[q]) {
      Candidate c{d, {}, {}, 0};
      MDB_val dk = Val(&d, 4);
      if (mdb_get(txn.get(), rep.docs, &dk, &c.record) != 0 ||
          c.record.mv_size < 8 + static_cast<size_t>(k)) {
        continue;  // pruned meanwhile: cannot happen inside one snapshot
      }
      if (exact && mdb_get(txn.get(), rep.texts, &dk, &c.text) != 0) {
        c.text = MDB_val{0, nullptr};
      }
      candidates[q].push_back(c);
    }
    found[q] = {};
    st.candidates += candidates[q].size();
  }

  // Verification, on all workers; reads only the mapped, unchanging pages
  // of this snapshot.
  std::vector<std::vector<FeedMatch>> results(texts.size());
  const double threshold = options.threshold - kSimilarityEpsilon;
  ParallelFor(texts.size(), workers.size(), 4, [&](size_t q, int w) {
    Worker& worker = workers[w];
    const Sketched& s = sketched[q];
    for (Candidate& c : candidates[q]) {
      const char* rec = static_cast<const char*>(c.record.mv_data);
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
      const bool worth_text = options.want_texts || options.all_candidates ||
                              similarity >= options.threshold - kEstimateMargin;
      if (c.text.mv_data != nullptr && (worth_text || is_exact)) {
        const unsigned long long size =
            ZSTD_getFrameContentSize(c.text.mv_data, c.text.mv_size);
        if (size != ZSTD_CONTENTSIZE_ERROR &&
            size != ZSTD_CONTENTSIZE_UNKNOWN) {
          worker.text.resize(size);
          const size_t n =
              ZSTD_decompressDCtx(worker.zstd, worker.text.data(), size,
                                  c.text.mv_data, c.text.mv_size);
          if (!ZSTD_isError(n) && n == size) {
            if (!is_exact) {
              worker.analyzer.Analyze(worker.text, &worker.analyzed);
              ShingleHashes(worker.analyzed.keys, rep.params.shingle,
                            &worker.shingles);
              std::sort(worker.shingles.begin(), worker.shingles.end());
              worker.shingles.erase(
                  std::unique(worker.shingles.begin(), worker.shingles.end()),
                  worker.shingles.end());
              similarity = SetSimilarity(s.shingles, worker.shingles,
                                         DedupMode::kJaccard);
              is_exact = true;
            }
          }
        }
      }
      if (similarity < threshold && !options.all_candidates) continue;
      FeedMatch m;
      m.document = c.document;
      m.similarity = similarity;
      m.exact = is_exact;
      m.id.assign(rec + 8 + k, c.record.mv_size - 8 - k);
      m.batch = std::to_string(Load<uint32_t>(rec));
      if (options.want_texts && c.text.mv_data != nullptr) m.text = worker.text;
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
  // Batch numbers -> names.
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
  out.format_version = kFeedIndexFormatVersion;
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
    const uint64_t bytes =
        (s.ms_branch_pages + s.ms_leaf_pages + s.ms_overflow_pages) *
        uint64_t{s.ms_psize};
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
    uint32_t number = b.number;
    MDB_val bk = Val(&number, 4);
    if ((rc = mdb_del(txn.get(), batches, &bk, nullptr)) != 0) {
      return Error("cannot remove a batch", rc);
    }
  }
  // Band entries of the removed documents: one pass over the band tree.
  {
    Cursor cursor;
    if ((rc = cursor.Open(txn.get(), bands)) != 0) {
      return Error("cannot open a cursor", rc);
    }
    MDB_val key, value;
    rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_FIRST);
    while (rc == 0) {
      const auto d = static_cast<uint32_t>(
          Load<uint64_t>(static_cast<char*>(value.mv_data)));
      bool gone = false;
      for (const FeedBatchInfo& b : removed) {
        gone = gone || (d >= b.first_document && d < b.end_document);
      }
      if (gone) {
        if ((rc = mdb_cursor_del(cursor.get(), 0)) != 0) {
          return Error("cannot remove a band key", rc);
        }
        // After a delete the cursor points at the next entry.
        rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_GET_CURRENT);
        if (rc == 0) continue;
        rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_NEXT);
      } else {
        rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_NEXT);
      }
    }
    if (rc != MDB_NOTFOUND) return Error("cannot scan the band keys", rc);
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
