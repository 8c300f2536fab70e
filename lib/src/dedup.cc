// neardup::Deduplicator: see neardup/dedup.h for the clustering rule.
//
// Memory while documents stream in: the LSH band keys (8 bytes per band) and
// the end offset of the document's shingles in the temporary file (8 bytes)
// and its token count (4 bytes). The shingles themselves go to the temporary
// file as they come, in order of position, repeats included. Only documents
// with a candidate are ever verified (a quarter of SaudiNewsNet's), so only
// theirs are sorted into sets of distinct values, in Finish(), on all worker
// threads (or, for Finish(decided), as the greedy rule reaches them, with a
// helper thread going ahead): into memory while they fit a fixed budget,
// else in place in the file, read back with pread() one at a time as they
// are verified.
#include "neardup/dedup.h"

#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <numeric>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "analyze.h"
#include "bucket_sort.h"
#include "candidates.h"
#include "cluster.h"
#include "dedup_internal.h"
#include "file_io.h"
#include "lsh.h"
#include "minhash.h"
#include "neardup/options.h"
#include "parallel.h"

namespace neardup {

size_t SortedIntersectionSize(absl::Span<const uint64_t> a,
                              absl::Span<const uint64_t> b) {
  size_t i = 0, j = 0, common = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  return common;
}

double SetSimilarity(absl::Span<const uint64_t> a, absl::Span<const uint64_t> b,
                     DedupMode mode) {
  if (a.empty() || b.empty()) return a.empty() && b.empty() ? 1.0 : 0.0;
  const size_t common = SortedIntersectionSize(a, b);
  const size_t denominator = mode == DedupMode::kContainment
                                 ? std::min(a.size(), b.size())
                                 : a.size() + b.size() - common;
  return static_cast<double>(common) / static_cast<double>(denominator);
}

LshParams DedupLshParams(const DedupOptions& options) {
  double target = options.lsh_threshold;
  if (target <= 0) {
    target = options.mode == DedupMode::kContainment ? options.threshold / 2
                                                     : options.threshold;
  }
  return LshParamsFor(target, options.num_hashes, 0.02, 0.98);
}

namespace {

absl::Status CancelledError() {
  return absl::CancelledError("de-duplication was cancelled");
}

absl::Status ErrnoError(const std::string& what) {
  return absl::InternalError(what + ": " + std::strerror(errno));
}

// Per-worker scratch space, reused across documents.
struct Worker {
  Worker(const AnalyzeOptions& options, const SketchOptions& sketch_options,
         const MinHasher* hasher)
      : analyzer(options), sketcher(sketch_options, hasher) {}
  Analyzer analyzer;
  std::vector<uint64_t> keys;
  BandSketcher sketcher;
};

}  // namespace

struct Deduplicator::Rep {
  DedupOptions options;
  MinHasher hasher;
  SketchOptions sketch_options;
  LshParams params;
  int workers = 1;
  std::vector<Worker> scratch;
  std::string temp_dir;
  int fd = -1;
  bool finished = false;

  bool Cancelled() const {
    return options.cancel != nullptr && options.cancel->load();
  }

  // Per document: params.bands keys; the end of its shingles in the file
  // (in values; they begin where the previous document's end); its tokens.
  std::vector<uint64_t> band_keys;
  std::vector<uint64_t> set_end;
  std::vector<uint32_t> tokens;

  // Each document's shingles in the batch being added; the buffers are
  // reused from batch to batch.
  std::vector<std::vector<uint64_t>> batch_sets;

  // Values written to the file.
  uint64_t written = 0;
  std::vector<iovec> vectors;  // for WriteSets

  explicit Rep(const DedupOptions& o)
      : options(o), hasher(MinHashOptions{o.num_hashes, o.seed}) {}
  ~Rep() {
    if (fd >= 0) close(fd);
  }

  // Appends `sets` to the file with pwritev() straight from their buffers,
  // and their ends to set_end.
  absl::Status WriteSets(absl::Span<const std::vector<uint64_t>> sets) {
    vectors.clear();
    uint64_t end = written;
    for (const std::vector<uint64_t>& set : sets) {
      if (!set.empty()) {
        vectors.push_back(
            {const_cast<uint64_t*>(set.data()), set.size() * sizeof(uint64_t)});
      }
      end += set.size();
      set_end.push_back(end);
    }
    if (const int error =
            WriteVectors(fd, vectors.data(), vectors.size(),
                         static_cast<off_t>(written * sizeof(uint64_t)));
        error != 0) {
      errno = error;
      return ErrnoError("cannot write the temporary shingle file in " +
                        temp_dir + " (set TMPDIR to a directory with space)");
    }
    written = end;
    return absl::OkStatus();
  }

  uint64_t SetBegin(uint32_t doc) const {
    return doc == 0 ? 0 : set_end[doc - 1];
  }

  // Reads `count` values of document doc's region of the file.
  absl::Status ReadValues(uint32_t doc, uint64_t count,
                          std::vector<uint64_t>* out) const {
    out->resize(count);
    return ReadValues(doc, count, out->data());
  }
  absl::Status ReadValues(uint32_t doc, uint64_t count, uint64_t* out) const {
    if (const int error =
            ReadFullAt(fd, out, count * sizeof(uint64_t),
                       static_cast<off_t>(SetBegin(doc) * sizeof(uint64_t)));
        error != 0) {
      errno = error;
      return ErrnoError("cannot read the temporary shingle file");
    }
    return absl::OkStatus();
  }

  // A worker's buffers for sorting sets.
  struct SortScratch {
    std::vector<uint64_t> read;    // a document's values as read
    std::vector<uint64_t> sorted;  // ... sorted (sets sorted in the file)
    std::vector<uint64_t> values;  // SortHashes' scratch
  };

  // Sorts document doc's shingles into its set of distinct values at
  // `out`, which has room for all of them; sets *size to the set's size.
  absl::Status SortSetInMemory(uint32_t doc, uint64_t* out, uint32_t* size,
                               SortScratch* scratch) const {
    const uint64_t count = set_end[doc] - SetBegin(doc);
    // SortHashes needs two more arrays of the set's size: a huge document
    // (a 200 MB line has ~35 M shingles) is sorted in place instead.
    constexpr uint64_t kMaxCountingSort = uint64_t{1} << 20;
    if (count > kMaxCountingSort) {
      if (absl::Status s = ReadValues(doc, count, out); !s.ok()) return s;
      std::sort(out, out + count);
    } else {
      if (absl::Status s = ReadValues(doc, count, &scratch->read); !s.ok()) {
        return s;
      }
      SortHashes(scratch->read.data(), count, out, &scratch->values);
    }
    *size = static_cast<uint32_t>(std::unique(out, out + count) - out);
    return absl::OkStatus();
  }

  // Sorts document doc's shingles into its set of distinct values, written
  // back over the start of its region; sets *size to the set's size.
  absl::Status SortSet(uint32_t doc, uint32_t* size,
                       SortScratch* scratch) const {
    std::vector<uint64_t>* buffer = &scratch->sorted;
    buffer->resize(set_end[doc] - SetBegin(doc));
    if (absl::Status s = SortSetInMemory(doc, buffer->data(), size, scratch);
        !s.ok()) {
      return s;
    }
    iovec set = {buffer->data(), size_t{*size} * sizeof(uint64_t)};
    if (const int error = WriteVectors(
            fd, &set, 1, static_cast<off_t>(SetBegin(doc) * sizeof(uint64_t)));
        error != 0) {
      errno = error;
      return ErrnoError("cannot write the temporary shingle file in " +
                        temp_dir);
    }
    return absl::OkStatus();
  }
};

Deduplicator::Deduplicator(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
Deduplicator::~Deduplicator() = default;

absl::StatusOr<std::unique_ptr<Deduplicator>> Deduplicator::Create(
    const DedupOptions& options) {
  if (absl::Status status = ValidateDedupOptions(options); !status.ok()) {
    return status;
  }
  SketchOptions sketch_options;
  sketch_options.shingle = options.shingle;
  sketch_options.num_hashes = options.num_hashes;
  sketch_options.seed = options.seed;
  if (options.num_hashes >= 1 && options.num_hashes <= 65536) {
    sketch_options.params = DedupLshParams(options);
  }
  if (absl::Status status = ValidateSketchOptions(sketch_options);
      !status.ok()) {
    return status;
  }
  auto rep = std::make_unique<Rep>(options);
  rep->sketch_options = sketch_options;
  rep->params = sketch_options.params;
  rep->workers = ResolveThreads(options.threads);
  rep->scratch.reserve(rep->workers);
  for (int w = 0; w < rep->workers; ++w) {
    rep->scratch.emplace_back(options.analyze, sketch_options, &rep->hasher);
  }
  rep->temp_dir = options.temp_dir;
  if (rep->temp_dir.empty()) {
    const char* tmpdir = std::getenv("TMPDIR");
    rep->temp_dir = tmpdir != nullptr && tmpdir[0] != '\0' ? tmpdir : "/tmp";
  }
  std::string path = rep->temp_dir + "/neardup-shingles-XXXXXX";
  rep->fd = mkstemp(path.data());
  if (rep->fd < 0) {
    return ErrnoError("cannot create a temporary file in " + rep->temp_dir +
                      " (set TMPDIR to a writable directory)");
  }
  // Unlinked at once: the file lives exactly as long as the descriptor.
  unlink(path.c_str());
  return std::unique_ptr<Deduplicator>(new Deduplicator(std::move(rep)));
}

size_t Deduplicator::size() const { return rep_->tokens.size(); }

absl::Status Deduplicator::Add(absl::Span<const std::string_view> texts) {
  Rep& rep = *rep_;
  if (rep.finished) {
    return absl::FailedPreconditionError("Add() after Finish()");
  }
  if (rep.Cancelled()) return CancelledError();
  const size_t base = rep.tokens.size();
  if (base + texts.size() >= 0xFFFFFFFFu) {
    return absl::InvalidArgumentError("too many documents (2^32 or more)");
  }
  for (std::string_view text : texts) {
    if (text.size() >= 0xFFFFFFFFu) {
      return absl::InvalidArgumentError("a document is 4 GiB or more");
    }
  }
  const int bands = rep.params.bands;
  rep.band_keys.resize((base + texts.size()) * bands);
  rep.tokens.resize(base + texts.size());
  std::vector<std::vector<uint64_t>>& sets = rep.batch_sets;
  if (sets.size() < texts.size()) sets.resize(texts.size());
  ParallelFor(texts.size(), rep.workers, 16, [&](size_t i, int w) {
    Worker& worker = rep.scratch[w];
    worker.analyzer.AnalyzeKeys(texts[i], &worker.keys);
    rep.tokens[base + i] = static_cast<uint32_t>(worker.keys.size());
    worker.sketcher.Sketch(worker.keys, &rep.band_keys[(base + i) * bands]);
    sets[i].swap(*worker.sketcher.mutable_shingles());
  });
  if (absl::Status status =
          rep.WriteSets(absl::MakeConstSpan(sets.data(), texts.size()));
      !status.ok()) {
    // None of the batch is added, so a caller may retry it (the file is
    // written again from `written`).
    rep.tokens.resize(base);
    rep.band_keys.resize(base * bands);
    rep.set_end.resize(base);
    return status;
  }
  // Keep the buffers for the next batch unless unusually large (1 MiB).
  for (std::vector<uint64_t>& set : sets) {
    if (set.capacity() > (size_t{1} << 17)) std::vector<uint64_t>().swap(set);
  }
  return absl::OkStatus();
}

namespace {

// Sorts documents' shingle sets on demand, for Finish(decided): Sorted(d)
// returns once d's set is sorted, sorting it on the calling thread unless
// the helper thread StartAhead() starts (which sorts the documents it is
// given, in order, ahead of the caller) has done it or is doing it.
template <typename Scratch>
class OnDemandSorter {
 public:
  using SortFn = std::function<absl::Status(uint32_t doc, Scratch* scratch)>;

  OnDemandSorter(uint32_t documents, SortFn sort)
      : state_(documents), sort_(std::move(sort)) {}
  OnDemandSorter(const OnDemandSorter&) = delete;
  OnDemandSorter& operator=(const OnDemandSorter&) = delete;
  ~OnDemandSorter() {
    stop_.store(true, std::memory_order_relaxed);
    if (helper_.joinable()) helper_.join();
  }

  // REQUIRES: `order` outlives this.
  void StartAhead(const std::vector<uint32_t>& order) {
    helper_ = std::thread([this, &order] {
      Scratch scratch;
      for (const uint32_t d : order) {
        if (stop_.load(std::memory_order_relaxed)) return;
        uint8_t expected = kUnsorted;
        if (!state_[d].compare_exchange_strong(expected, kSorting,
                                               std::memory_order_acq_rel)) {
          continue;  // the caller got there first
        }
        absl::Status status = sort_(d, &scratch);
        const bool ok = status.ok();
        if (!ok) helper_error_ = std::move(status);
        state_[d].store(ok ? kSorted : kFailed, std::memory_order_release);
        state_[d].notify_all();
        if (!ok) return;
      }
    });
  }

  absl::Status Sorted(uint32_t d) {
    uint8_t state = state_[d].load(std::memory_order_acquire);
    if (state == kUnsorted && state_[d].compare_exchange_strong(
                                  state, kSorting, std::memory_order_acq_rel)) {
      absl::Status status = sort_(d, &scratch_);
      // Nobody waits: the helper skips what it did not claim.
      state_[d].store(status.ok() ? kSorted : kFailed,
                      std::memory_order_release);
      return status;
    }
    while (state == kSorting) {
      state_[d].wait(kSorting, std::memory_order_acquire);
      state = state_[d].load(std::memory_order_acquire);
    }
    // kFailed is the helper's (a failure of ours was returned): its error
    // was written before the store that published kFailed.
    return state == kFailed ? helper_error_ : absl::OkStatus();
  }

 private:
  enum : uint8_t { kUnsorted, kSorting, kSorted, kFailed };

  std::vector<std::atomic<uint8_t>> state_;
  const SortFn sort_;
  Scratch scratch_;  // the caller's
  std::atomic<bool> stop_{false};
  absl::Status helper_error_;
  std::thread helper_;
};

}  // namespace

absl::StatusOr<DedupResult> Deduplicator::Finish() { return Finish(nullptr); }

absl::StatusOr<DedupResult> Deduplicator::Finish(const DecidedFn& decided) {
  Rep& rep = *rep_;
  if (rep.finished) return absl::FailedPreconditionError("Finish() twice");
  rep.finished = true;
  std::vector<std::vector<uint64_t>>().swap(rep.batch_sets);
  std::vector<iovec>().swap(rep.vectors);

  const uint32_t n = static_cast<uint32_t>(rep.tokens.size());
  DedupResult result;
  DedupStats& stats = result.stats;
  stats.documents = n;
  stats.bands = rep.params.bands;
  stats.rows = rep.params.rows;
  stats.shingle_file_bytes = rep.written * sizeof(uint64_t);
  stats.bytes_per_document =
      rep.params.bands * sizeof(uint64_t) + sizeof(uint64_t) + sizeof(uint32_t);
  for (uint32_t t : rep.tokens) stats.tokens += t;

  // Candidate pairs (a < b), then as adjacency lists.
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  {
    std::vector<uint32_t> group(n);
    std::iota(group.begin(), group.end(), 0u);
    LshOptions lsh;
    lsh.params = rep.params;
    lsh.max_bucket = rep.options.max_bucket;
    lsh.threads = rep.workers;
    Candidates candidates = FindCandidates(rep.band_keys, group, lsh);
    pairs = std::move(candidates.pairs);
    stats.candidate_pairs = candidates.stats.pairs;
    stats.oversized_buckets = candidates.stats.oversized_buckets;
    stats.capped_pairs = candidates.capped_pairs;
  }
  std::vector<uint64_t>().swap(rep.band_keys);
  const CandidateGraph graph = CandidateGraph::FromPairs(n, pairs);
  std::vector<std::pair<uint32_t, uint32_t>>().swap(pairs);

  // Only documents with a candidate are ever read back (a representative
  // read as a candidate's is itself a candidate of the document it kept
  // out): sort just theirs.
  std::vector<uint32_t> to_sort;
  for (uint32_t d = 0; d < n; ++d) {
    if (graph.HasCandidate(d)) to_sort.push_back(d);
  }
  // The sets are kept in memory, in input order, while the shingles of
  // their documents (a bound on their sizes) add up to at most
  // dedup_sorted_in_memory_values; the rest are sorted in place in the file and
  // read back from it as they are verified. On SaudiNewsNet all fit (1.5 M
  // values for the 7,064 documents with a candidate, of the 8.7 M in the
  // file): 7,064 fewer pwrite() and 10,000 fewer pread() calls.
  const uint64_t budget = dedup_sorted_in_memory_values;
  constexpr uint64_t kInFile = ~uint64_t{0};
  std::vector<uint64_t> memory_begin(n, kInFile);
  uint64_t in_memory = 0;
  for (uint32_t d : to_sort) {
    const uint64_t count = rep.set_end[d] - rep.SetBegin(d);
    if (in_memory + count > budget) continue;
    memory_begin[d] = in_memory;
    in_memory += count;
  }
  // Not zeroed: every value is written by SortSetInMemory before it is read.
  const std::unique_ptr<uint64_t[]> sorted =
      std::make_unique_for_overwrite<uint64_t[]>(in_memory);
  std::vector<uint32_t> set_size(n, 0);
  const auto sort_set = [&](uint32_t d, Rep::SortScratch* scratch) {
    return memory_begin[d] != kInFile
               ? rep.SortSetInMemory(d, sorted.get() + memory_begin[d],
                                     &set_size[d], scratch)
               : rep.SortSet(d, &set_size[d], scratch);
  };
  // With a caller waiting for decisions in input order, the greedy rule
  // starts at once, and the sets are sorted by a helper thread going ahead
  // of it in input order, or by the rule itself when it reaches one first,
  // so that decisions come from the start (the caller writes the kept
  // documents meanwhile); else all of them first, on all workers, which
  // ends the clustering soonest.
  const bool lazy = decided != nullptr && rep.options.keep == DedupKeep::kFirst;
  OnDemandSorter<Rep::SortScratch> on_demand(lazy ? n : 0, sort_set);
  if (lazy && rep.workers > 1) on_demand.StartAhead(to_sort);
  if (!lazy) {
    std::vector<Deduplicator::Rep::SortScratch> scratch(rep.workers);
    std::vector<absl::Status> errors(rep.workers);
    LoopControl control;
    control.cancel = rep.options.cancel;
    const bool done = ParallelFor(
        to_sort.size(), rep.workers, 16,
        [&](size_t i, int w) {
          if (!errors[w].ok()) return;
          errors[w] = sort_set(to_sort[i], &scratch[w]);
        },
        control);
    for (const absl::Status& error : errors) {
      if (!error.ok()) return error;
    }
    if (!done) return CancelledError();
  }

  if (absl::Status status = ClusterGreedy(
          graph, rep.tokens, rep.options,
          [&](uint32_t doc, std::vector<uint64_t>* buffer)
              -> absl::StatusOr<absl::Span<const uint64_t>> {
            if (lazy) {
              if (absl::Status s = on_demand.Sorted(doc); !s.ok()) return s;
            }
            if (memory_begin[doc] != kInFile) {
              return absl::MakeConstSpan(sorted.get() + memory_begin[doc],
                                         set_size[doc]);
            }
            if (absl::Status s = rep.ReadValues(doc, set_size[doc], buffer);
                !s.ok()) {
              return s;
            }
            return absl::MakeConstSpan(*buffer);
          },
          &result.decisions, &stats.verified_pairs,
          [&](uint32_t done) {
            if (decided != nullptr) {
              decided(absl::MakeConstSpan(result.decisions.data(), done));
            }
          });
      !status.ok()) {
    return status;
  }
  for (const DedupDecision& decision : result.decisions) {
    if (decision.kept) {
      ++stats.kept;
    } else {
      ++stats.dropped;
    }
  }
  stats.duplicate_clusters = DuplicateClusters(result.decisions);
  return result;
}

}  // namespace neardup
