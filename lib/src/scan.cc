// neardup::Scan: every pair of documents that share passages.
//
//   analyse every document (parallel)
//   -> cut it into overlapping token windows, sketch each window's set of
//      token bigrams with MinHash (parallel)
//   -> set aside near-identical copies of another document (copies.h)
//   -> banded LSH over all windows: candidate document pairs
//   -> align every candidate pair (parallel) and keep verified passages
//   -> carry each representative's passages over to its copies.
//
// Memory: only token keys stay from the analysis. Texts are read from a
// TextStore, once to analyse them and again (re-analysed) only for the
// pairs and boilerplate whose offsets are reported, so a Scanner's texts can
// wait in a temporary file. The many pairs carried over to copies are
// located document by document (LocateByDocument), each text read once.
//
// Windows make candidates passage-level: one shared paragraph in two long,
// otherwise different articles still puts a pair of windows in one bucket,
// while whole-document sketches would see a low similarity.
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "align.h"
#include "analyze.h"
#include "boilerplate.h"
#include "candidates.h"
#include "copies.h"
#include "locate.h"
#include "neardup/neardup.h"
#include "neardup/options.h"
#include "parallel.h"
#include "reuse_clusters.h"
#include "scan_internal.h"
#include "shingle.h"
#include "text_store.h"

namespace neardup {
namespace {

// Reports a stage's progress to the caller, and builds the LoopControl that
// watches one parallel loop of it.
class StageReporter {
 public:
  explicit StageReporter(const ScanOptions& options) : options_(options) {}

  void Report(std::string_view stage, size_t done, size_t total) const {
    if (options_.progress) options_.progress({stage, done, total});
  }

  LoopControl Control(std::string_view stage, size_t total) const {
    LoopControl control;
    control.cancel = options_.cancel;
    if (options_.progress) {
      control.progress = [this, stage, total](size_t done) {
        Report(stage, done, total);
      };
    }
    return control;
  }

  // Runs body over [0, n) as one stage, with its progress reported.
  // Returns false if cancelled.
  bool Run(std::string_view stage, size_t n, int workers, size_t grain,
           const std::function<void(size_t, int)>& body) const {
    Report(stage, 0, n);
    if (!ParallelFor(n, workers, grain, body, Control(stage, n))) return false;
    Report(stage, n, n);
    return true;
  }

  bool Cancelled() const {
    return options_.cancel != nullptr && options_.cancel->load();
  }

 private:
  const ScanOptions& options_;
};

// The first error of a parallel loop (reading a text back can fail).
class FirstError {
 public:
  void Set(absl::Status status) {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (status_.ok()) status_ = std::move(status);
  }
  // Returns the error and forgets it (the loop can be run again).
  absl::Status Take() {
    const std::lock_guard<std::mutex> lock(mutex_);
    absl::Status taken = status_;
    status_ = absl::OkStatus();
    return taken;
  }

 private:
  std::mutex mutex_;
  absl::Status status_;
};

// A worker's means to read a text back and analyse it again, with the token
// offsets that Scan does not keep between stages.
struct Reanalysis {
  explicit Reanalysis(const AnalyzeOptions& options) : analyzer(options) {}

  // Reads and analyses text `d` into text / analyzed (slot 0 or 1), unless
  // the slot holds it already (consecutive pairs often share a document).
  absl::Status Load(const TextStore& texts, size_t d, int slot) {
    if (loaded[slot] == d) return absl::OkStatus();
    loaded[slot] = kNone;
    absl::StatusOr<std::string_view> read = texts.Read(d, &buffer[slot]);
    if (!read.ok()) return read.status();
    text[slot] = *read;
    analyzer.Analyze(text[slot], &analyzed[slot]);
    loaded[slot] = d;
    return absl::OkStatus();
  }

  static constexpr size_t kNone = ~size_t{0};
  Analyzer analyzer;
  size_t loaded[2] = {kNone, kNone};
  std::string buffer[2];
  std::string_view text[2];
  AnalyzedText analyzed[2];
};

// Collection-level boilerplate (boilerplate.h), so that shared titles and
// footers do not count as shared passages: one flag per token of each
// document, and in result->boilerplate what was flagged.
absl::StatusOr<std::vector<std::vector<uint8_t>>> FindBoilerplate(
    const TextStore& texts, const std::vector<AnalyzedText>& analyzed,
    const Copies& copies, const ScanOptions& options, int workers,
    ScanResult* result) {
  const size_t n = texts.size();
  std::vector<std::vector<uint8_t>> boilerplate(n);
  absl::flat_hash_set<uint64_t> frequent;
  if (options.boilerplate_documents > 0) {
    // A text stored k times is one document here: its own phrases do not
    // become boilerplate by being copied.
    std::vector<uint8_t> is_copy;
    if (copies.copies() > 0) {
      is_copy.resize(n);
      for (size_t d = 0; d < n; ++d) is_copy[d] = copies.is_copy(d);
    }
    frequent =
        FrequentBigrams(analyzed, options.boilerplate_documents, is_copy);
    result->stats.boilerplate_bigrams = frequent.size();
  }
  std::vector<std::vector<uint64_t>> phrases;
  {
    Analyzer analyzer(options.analyze);
    AnalyzedText phrase;
    for (const std::string& text : options.boilerplate_phrases) {
      analyzer.Analyze(text, &phrase);
      phrases.push_back(std::move(phrase.keys));
    }
  }
  const PhraseMatcher matcher(std::move(phrases));
  // Without frequent bigrams or phrases no token is boilerplate: no flags.
  if (frequent.empty() && matcher.empty()) return boilerplate;
  std::vector<std::vector<BoilerplateRun>> runs(n);
  ParallelFor(n, workers, 64, [&](size_t d, int) {
    MarkBoilerplate(analyzed[d].keys, frequent, options.boilerplate_max_tokens,
                    &boilerplate[d], &runs[d]);
    matcher.Mark(analyzed[d].keys, &boilerplate[d], &runs[d]);
  });
  // One record per distinct run of keys: where it first occurs, and in how
  // many documents.
  struct Seen {
    uint32_t document;
    TokenRange tokens;
    size_t documents;
    bool user_phrase;
  };
  absl::flat_hash_map<uint64_t, Seen> seen;
  std::vector<uint64_t> order;  // hashes in order of first occurrence
  for (size_t d = 0; d < n; ++d) {
    for (const uint8_t flag : boilerplate[d]) {
      result->stats.boilerplate_tokens += flag;
    }
    for (const BoilerplateRun& run : runs[d]) {
      auto [at, inserted] = seen.try_emplace(
          run.hash,
          Seen{static_cast<uint32_t>(d), run.tokens, 0, run.user_phrase});
      if (inserted) order.push_back(run.hash);
    }
  }
  // Each run's documents, counted once per document it occurs in.
  absl::flat_hash_set<uint64_t> in_document;
  for (size_t d = 0; d < n; ++d) {
    in_document.clear();
    for (const BoilerplateRun& run : runs[d]) {
      if (in_document.insert(run.hash).second) ++seen[run.hash].documents;
    }
  }
  std::vector<const Seen*> reported;
  for (const uint64_t hash : order) {
    const Seen& entry = seen[hash];
    // A run in one document only (each of its word pairs is frequent, the
    // run as a whole is not) counts in boilerplate_tokens, not as a text.
    if (entry.documents < 2 && !entry.user_phrase) continue;
    reported.push_back(&entry);
  }
  // Offsets come from the documents analysed again, each document once.
  std::vector<size_t> by_document(reported.size());
  for (size_t r = 0; r < reported.size(); ++r) by_document[r] = r;
  std::stable_sort(by_document.begin(), by_document.end(),
                   [&](size_t x, size_t y) {
                     return reported[x]->document < reported[y]->document;
                   });
  std::vector<size_t> starts;  // into by_document, where a document begins
  for (size_t k = 0; k < by_document.size(); ++k) {
    if (k == 0 || reported[by_document[k]]->document !=
                      reported[by_document[k - 1]]->document) {
      starts.push_back(k);
    }
  }
  starts.push_back(by_document.size());
  std::vector<TextSpan> spans(reported.size());
  std::vector<Reanalysis> scratch(workers, Reanalysis(options.analyze));
  FirstError error;
  ParallelFor(starts.size() - 1, workers, 16, [&](size_t s, int worker) {
    Reanalysis& again = scratch[worker];
    const uint32_t d = reported[by_document[starts[s]]]->document;
    if (absl::Status status = again.Load(texts, d, 0); !status.ok()) {
      error.Set(std::move(status));
      return;
    }
    std::vector<TokenRange> ranges;
    std::vector<TextSpan*> located;
    for (size_t k = starts[s]; k < starts[s + 1]; ++k) {
      ranges.push_back(reported[by_document[k]]->tokens);
      located.push_back(&spans[by_document[k]]);
    }
    LocateSpans(again.text[0], again.analyzed[0], ranges, located);
  });
  if (absl::Status status = error.Take(); !status.ok()) return status;
  for (size_t r = 0; r < reported.size(); ++r) {
    result->boilerplate.push_back({reported[r]->document, spans[r],
                                   reported[r]->documents,
                                   reported[r]->user_phrase});
  }
  std::stable_sort(result->boilerplate.begin(), result->boilerplate.end(),
                   [](const BoilerplateText& x, const BoilerplateText& y) {
                     return x.documents > y.documents;
                   });
  result->stats.boilerplate_texts = result->boilerplate.size();
  return boilerplate;
}

absl::Status CancelledError() {
  return absl::CancelledError("the scan was cancelled");
}

// Band and row choice for window sketches: false negatives weigh more
// (24 bands of 2 rows at 0.3), since a missed pair is lost while an extra
// candidate pair mostly costs one ChainFilter check (docs/DESIGN.md,
// "Candidates for scan").
constexpr double kWindowFalsePositiveWeight = 0.2;
constexpr double kWindowFalseNegativeWeight = 0.8;

// Sketches find most pairs, not all: in a collection this small every pair
// of non-empty documents is aligned instead, so that two documents scanned
// alone are reported exactly when `compare` reports them. Bounded so that
// the alignments cost at most about (documents - 1) x tokens token visits.
bool AlignEveryPair(size_t documents, size_t tokens) {
  constexpr size_t kMaxDocuments = 64;
  constexpr size_t kMaxTokenVisits = size_t{1} << 26;
  return documents <= kMaxDocuments &&
         (documents == 0 || tokens * (documents - 1) <= kMaxTokenVisits);
}

// The passages of `pairs` in the texts' own offsets, each document read and
// analysed once however many pairs it is in. Passages carried over to
// copies need this: a copy is in a pair with its representative and with
// each of the representative's partners, and locating them pair by pair read
// and analysed both texts again for each.
absl::StatusOr<std::vector<std::vector<Passage>>> LocateByDocument(
    const TextStore& texts, const std::vector<TokenPair>& pairs,
    const AnalyzeOptions& analyze, int workers, const StageReporter& stages) {
  std::vector<std::vector<Passage>> found(pairs.size());
  for (size_t c = 0; c < pairs.size(); ++c) {
    found[c].reserve(pairs[c].passages.size());
    for (const AlignedPassage& passage : pairs[c].passages) {
      found[c].push_back(UnlocatedPassage(passage));
    }
  }
  // The pairs each document is in: as a, a_pairs[a_first[d], a_first[d +
  // 1]); as b, b_pairs[b_first[d], b_first[d + 1]).
  const size_t n = texts.size();
  std::vector<size_t> a_first(n + 1, 0), b_first(n + 1, 0);
  for (const TokenPair& pair : pairs) {
    ++a_first[pair.documents.first + 1];
    ++b_first[pair.documents.second + 1];
  }
  for (size_t d = 0; d < n; ++d) {
    a_first[d + 1] += a_first[d];
    b_first[d + 1] += b_first[d];
  }
  std::vector<size_t> a_pairs(pairs.size()), b_pairs(pairs.size());
  {
    std::vector<size_t> a_filled(a_first.begin(), a_first.end() - 1);
    std::vector<size_t> b_filled(b_first.begin(), b_first.end() - 1);
    for (size_t c = 0; c < pairs.size(); ++c) {
      a_pairs[a_filled[pairs[c].documents.first]++] = c;
      b_pairs[b_filled[pairs[c].documents.second]++] = c;
    }
  }
  std::vector<uint32_t> located;  // the documents in some pair, in order
  for (size_t d = 0; d < n; ++d) {
    if (a_first[d + 1] > a_first[d] || b_first[d + 1] > b_first[d]) {
      located.push_back(static_cast<uint32_t>(d));
    }
  }
  struct Worker {
    explicit Worker(const AnalyzeOptions& options) : again(options) {}
    Reanalysis again;
    std::vector<TokenRange> ranges;
    std::vector<TextSpan*> spans;
  };
  std::vector<Worker> scratch(workers, Worker(analyze));
  FirstError error;
  // Progress counts pairs, as for the pairs aligned: a document's sides are
  // half a pair each.
  LoopControl control = stages.Control("aligning", pairs.size());
  if (control.progress) {
    control.progress = [&](size_t done) {
      const size_t d = done == 0 ? 0 : located[done - 1] + 1;
      const size_t sides_done = a_first[d] + b_first[d];
      stages.Report("aligning", sides_done / 2, pairs.size());
    };
  }
  stages.Report("aligning", 0, pairs.size());
  if (!ParallelFor(
          located.size(), workers, 4,
          [&](size_t l, int worker) {
            Worker& work = scratch[worker];
            const uint32_t d = located[l];
            if (absl::Status status = work.again.Load(texts, d, 0);
                !status.ok()) {
              error.Set(std::move(status));
              return;
            }
            work.ranges.clear();
            work.spans.clear();
            const auto add = [&](size_t c, bool is_b) {
              for (size_t p = 0; p < found[c].size(); ++p) {
                const AlignedPassage& passage = pairs[c].passages[p];
                work.ranges.push_back(is_b ? passage.b : passage.a);
                work.spans.push_back(is_b ? &found[c][p].b : &found[c][p].a);
              }
            };
            for (size_t k = a_first[d]; k < a_first[d + 1]; ++k) {
              add(a_pairs[k], false);
            }
            for (size_t k = b_first[d]; k < b_first[d + 1]; ++k) {
              add(b_pairs[k], true);
            }
            LocateSpans(work.again.text[0], work.again.analyzed[0], work.ranges,
                        work.spans);
          },
          control)) {
    return CancelledError();
  }
  if (absl::Status status = error.Take(); !status.ok()) return status;
  stages.Report("aligning", pairs.size(), pairs.size());
  return found;
}

}  // namespace

absl::StatusOr<ScanResult> Scan(const std::vector<Document>& documents,
                                const ScanOptions& options) {
  if (absl::Status status = ValidateScanOptions(options); !status.ok()) {
    return status;
  }
  for (const Document& document : documents) {
    if (document.text.size() >= kMaxTextBytes) {
      return absl::InvalidArgumentError("document " + document.id +
                                        " is 4 GiB or more");
    }
  }
  if (documents.size() >= 0xFFFFFFFFu) {
    return absl::InvalidArgumentError("too many documents");
  }
  return ScanTexts(DocumentTexts(&documents), options);
}

absl::StatusOr<ScanResult> ScanTexts(const TextStore& texts,
                                     const ScanOptions& options) {
  if (absl::Status status = ValidateScanOptions(options); !status.ok()) {
    return status;
  }
  const WindowOptions& window_options = options.windows;
  SketchOptions sketch_options;
  sketch_options.shingle = 2;
  sketch_options.num_hashes = window_options.num_hashes;
  sketch_options.seed = window_options.seed;
  if (window_options.num_hashes >= 1 && window_options.num_hashes <= 65536) {
    sketch_options.params =
        LshParamsFor(window_options.threshold, window_options.num_hashes,
                     kWindowFalsePositiveWeight, kWindowFalseNegativeWeight);
  }
  if (absl::Status status = ValidateSketchOptions(sketch_options);
      !status.ok()) {
    return status;
  }
  const int workers = ResolveThreads(options.threads);
  const size_t n = texts.size();
  const StageReporter stages(options);
  ScanResult result;
  result.stats.documents = n;

  // Only the keys are kept (begin and end stay empty): offsets are found
  // again for what is reported (Reanalysis).
  std::vector<AnalyzedText> analyzed(n);
  {
    std::vector<Reanalysis> scratch(workers, Reanalysis(options.analyze));
    FirstError error;
    if (!stages.Run("analysing", n, workers, 16, [&](size_t d, int worker) {
          Reanalysis& first = scratch[worker];
          if (absl::Status status = first.Load(texts, d, 0); !status.ok()) {
            error.Set(std::move(status));
            return;
          }
          const std::vector<uint64_t>& keys = first.analyzed[0].keys;
          analyzed[d].keys.assign(keys.begin(), keys.end());
          analyzed[d].invalid_utf8 = first.analyzed[0].invalid_utf8;
        })) {
      return CancelledError();
    }
    if (absl::Status status = error.Take(); !status.ok()) return status;
  }

  // Copies are aligned with their representative only (they get no
  // windows), and count once toward boilerplate.
  const Copies copies =
      options.collapse_copies ? Copies(analyzed) : Copies::None(n);
  result.stats.copies = copies.copies();

  absl::StatusOr<std::vector<std::vector<uint8_t>>> found_boilerplate =
      FindBoilerplate(texts, analyzed, copies, options, workers, &result);
  if (!found_boilerplate.ok()) return found_boilerplate.status();
  const std::vector<std::vector<uint8_t>> boilerplate =
      *std::move(found_boilerplate);

  // Window layout first (cheap, sequential), so band keys land in fixed
  // slots.
  std::vector<std::vector<TokenRange>> windows(n);
  std::vector<size_t> first_window(n + 1, 0);
  size_t copy_tokens = 0;
  for (size_t d = 0; d < n; ++d) {
    result.stats.tokens += analyzed[d].size();
    if (copies.is_copy(d)) {
      copy_tokens += analyzed[d].size();
    } else {
      windows[d] = Windows(analyzed[d].size(), window_options.window_tokens,
                           window_options.window_stride);
    }
    first_window[d + 1] = first_window[d] + windows[d].size();
  }
  const size_t total_windows = first_window[n];
  if (total_windows >= 0xFFFFFFFFu) {
    return absl::InvalidArgumentError("too many windows (2^32 or more)");
  }
  result.stats.windows = total_windows;
  LshOptions lsh;
  lsh.params = sketch_options.params;
  lsh.max_bucket = static_cast<size_t>(std::max(2, window_options.max_bucket));
  lsh.threads = workers;
  // Only a window's band keys are kept (8 bytes a band), not its sketch.
  const int bands = lsh.params.bands;
  std::vector<uint64_t> band_keys(total_windows * bands);
  std::vector<uint32_t> owner(total_windows);
  {
    const MinHasher hasher(
        MinHashOptions{sketch_options.num_hashes, sketch_options.seed});
    std::vector<BandSketcher> sketchers(workers,
                                        BandSketcher(sketch_options, &hasher));
    if (!stages.Run("sketching", n, workers, 16, [&](size_t d, int worker) {
          const absl::Span<const uint64_t> keys(analyzed[d].keys);
          for (size_t w = 0; w < windows[d].size(); ++w) {
            const TokenRange range = windows[d][w];
            const size_t slot = first_window[d] + w;
            sketchers[worker].Sketch(keys.subspan(range.begin, range.size()),
                                     &band_keys[slot * bands]);
            owner[slot] = static_cast<uint32_t>(d);
          }
        })) {
      return CancelledError();
    }
  }

  stages.Report("finding candidates", 0, n);
  Candidates found_candidates = FindCandidates(band_keys, owner, lsh);
  if (AlignEveryPair(n - copies.copies(), result.stats.tokens - copy_tokens)) {
    // A small collection: aligning every pair costs less than one miss.
    found_candidates.pairs.clear();
    for (uint32_t a = 0; a < n; ++a) {
      if (windows[a].empty()) continue;
      for (uint32_t b = a + 1; b < n; ++b) {
        if (!windows[b].empty()) found_candidates.pairs.emplace_back(a, b);
      }
    }
    found_candidates.capped_pairs = 0;
  }
  result.stats.candidate_pairs = found_candidates.pairs.size();
  result.stats.oversized_buckets = found_candidates.stats.oversized_buckets;
  result.stats.candidate_groups = found_candidates.groups.size();
  result.stats.capped_pairs = found_candidates.capped_pairs;
  band_keys = {};
  owner = {};
  windows = {};
  stages.Report("finding candidates", n, n);
  if (stages.Cancelled()) return CancelledError();

  // Key indexes only now that the band keys are gone: the peak of memory is
  // the candidate search, and these 4 bytes a token are not part of it.
  std::vector<KeyIndex> key_indexes(n);
  {
    LoopControl control;
    control.cancel = options.cancel;
    if (!ParallelFor(
            n, workers, 64,
            [&](size_t d, int) {
              key_indexes[d] = IndexKeys(analyzed[d].keys);
            },
            control)) {
      return CancelledError();
    }
  }

  // (*may)[c]: whether the documents of pairs[c] may share a chain long
  // enough for a passage (ChainFilter), the tokens flagged in `masked` (one
  // mask per document; none if null) left out. False if cancelled.
  std::vector<ChainFilter> filters(workers);
  const auto may_chain = [&](const std::vector<IndexPair>& pairs,
                             const std::vector<std::vector<uint8_t>>* masked,
                             std::vector<uint8_t>* may) {
    may->assign(pairs.size(), 0);
    LoopControl control;
    control.cancel = options.cancel;
    return ParallelFor(
        pairs.size(), workers, 128,
        [&](size_t c, int worker) {
          const auto [a, b] = pairs[c];
          absl::Span<const uint8_t> mask_a, mask_b;
          if (masked != nullptr) {
            mask_a = (*masked)[a];
            mask_b = (*masked)[b];
          }
          (*may)[c] = filters[worker].MayShareChain(
              {analyzed[a].keys, &key_indexes[a], mask_a},
              {analyzed[b].keys, &key_indexes[b], mask_b}, options.align);
        },
        control);
  };
  // Candidate pairs that cannot hold a chain long enough for a passage are
  // dropped before they are aligned, or link groups.
  // Filtered in place, and the rest of the search's result (its groups)
  // freed: memory peaks in the alignment that follows (DESIGN.md, "Memory
  // of scan").
  std::vector<std::pair<uint32_t, uint32_t>> candidates =
      std::move(found_candidates.pairs);
  found_candidates = {};
  {
    std::vector<uint8_t> keep;
    if (!may_chain(candidates, nullptr, &keep)) return CancelledError();
    size_t kept = 0;
    for (size_t c = 0; c < candidates.size(); ++c) {
      if (keep[c]) candidates[kept++] = candidates[c];
    }
    candidates.resize(kept);
    candidates.shrink_to_fit();
  }
  // Each copy with its representative (a candidate pair too).
  result.stats.candidate_pairs += copies.copies();
  if (copies.copies() > 0) {
    for (uint32_t d = 0; d < n; ++d) {
      if (!copies.is_copy(d)) continue;
      const uint32_t r = copies.representative(d);
      candidates.emplace_back(std::min(d, r), std::max(d, r));
    }
    std::sort(candidates.begin(), candidates.end());
  }

  // Alignment: pair by pair in small groups, along a spanning tree in large
  // ones (reuse_clusters.h).
  ClusterPlan plan(n, candidates, options.cluster_documents);
  result.stats.clustered_documents = plan.clustered_documents();
  std::vector<Reanalysis> scratch(workers, Reanalysis(options.analyze));
  FirstError error;
  // Token passages of the pairs whose passages copies share, for
  // DeriveCopyPassages.
  const auto has_copies = [&copies](uint32_t d) {
    return !copies.copies_of(copies.representative(d)).empty();
  };
  std::vector<TokenPair> copied;
  // Byte offsets of the token passages of pair (a, b), from the texts read
  // and analysed again.
  const auto locate = [&](uint32_t a, uint32_t b,
                          const std::vector<AlignedPassage>& passages,
                          int worker, std::vector<Passage>* out) {
    Reanalysis& again = scratch[worker];
    absl::Status status = again.Load(texts, a, 0);
    if (status.ok()) status = again.Load(texts, b, 1);
    if (!status.ok()) {
      error.Set(std::move(status));
      return;
    }
    *out = LocatePassages(passages, again.text[0], again.analyzed[0],
                          again.text[1], again.analyzed[1]);
  };
  // The token ranges of every passage found so far, per document, and
  // every pair aligned (for the last pass below).
  std::vector<std::vector<TokenRange>> known(n);
  std::vector<IndexPair> tried;
  const auto align = [&](const std::vector<IndexPair>& todo,
                         std::vector<DocumentPair>* out) {
    std::vector<std::vector<Passage>> found(todo.size());
    std::vector<std::vector<AlignedPassage>> kept(todo.size());
    std::vector<std::vector<std::pair<TokenRange, TokenRange>>> ranges(
        todo.size());
    if (!stages.Run("aligning", todo.size(), workers, 8,
                    [&](size_t c, int worker) {
                      const auto [a, b] = todo[c];
                      std::vector<AlignedPassage> aligned = AlignPassages(
                          {analyzed[a].keys, &key_indexes[a], boilerplate[a]},
                          {analyzed[b].keys, &key_indexes[b], boilerplate[b]},
                          options.align);
                      if (aligned.empty()) return;
                      for (const AlignedPassage& p : aligned) {
                        ranges[c].emplace_back(p.a, p.b);
                      }
                      locate(a, b, aligned, worker, &found[c]);
                      if (has_copies(a) || has_copies(b))
                        kept[c] = std::move(aligned);
                    })) {
      return CancelledError();
    }
    if (absl::Status status = error.Take(); !status.ok()) return status;
    result.stats.aligned_pairs += todo.size();
    tried.insert(tried.end(), todo.begin(), todo.end());
    for (size_t c = 0; c < todo.size(); ++c) {
      for (const auto& [range_a, range_b] : ranges[c]) {
        known[todo[c].first].push_back(range_a);
        known[todo[c].second].push_back(range_b);
      }
      if (!kept[c].empty()) copied.push_back({todo[c], std::move(kept[c])});
      if (found[c].empty()) continue;
      DocumentPair& pair = out->emplace_back();
      pair.a = todo[c].first;
      pair.b = todo[c].second;
      pair.passages = std::move(found[c]);
    }
    return absl::OkStatus();
  };
  std::vector<DocumentPair> aligned;
  if (absl::Status status = align(plan.first_round(), &aligned); !status.ok()) {
    return status;
  }
  // Then, round by round, the candidate pairs the passages found so far do
  // not link (ClusterPlan::NextRound).
  for (std::vector<IndexPair> round = plan.NextRound(aligned); !round.empty();
       round = plan.NextRound(aligned)) {
    if (absl::Status status = align(round, &aligned); !status.ok()) {
      return status;
    }
    std::sort(aligned.begin(), aligned.end(),
              [](const DocumentPair& x, const DocumentPair& y) {
                return std::tie(x.a, x.b) < std::tie(y.a, y.b);
              });
  }
  // Last, the candidate pairs of large groups the rounds left out because
  // passages already linked their documents: two of the outlets that
  // carried one wire story may share a second story besides. Those whose
  // shared words could still chain outside every passage found so far in
  // both documents are aligned, along a spanning forest of them at a time
  // (so a second story carried by many of them costs about one alignment
  // a document too), until none is left.
  if (plan.clustered_documents() > 0) {
    std::sort(tried.begin(), tried.end());
    std::vector<IndexPair> left;  // neither aligned nor found linked-only
    for (const auto& pair : candidates) {
      const auto [a, b] = pair;
      if (!plan.clustered(a) || copies.is_copy(a) || copies.is_copy(b) ||
          std::binary_search(tried.begin(), tried.end(), pair)) {
        continue;
      }
      left.push_back(pair);
    }
    std::vector<std::vector<uint8_t>> outside(n);  // 1: inside a passage
    std::vector<uint32_t> documents;               // those of `left`
    std::vector<uint8_t> may;
    std::vector<IndexPair> forest, later;
    while (!left.empty()) {
      documents.clear();
      for (const auto& [a, b] : left) {
        documents.push_back(a);
        documents.push_back(b);
      }
      std::sort(documents.begin(), documents.end());
      documents.erase(std::unique(documents.begin(), documents.end()),
                      documents.end());
      for (const uint32_t d : documents) {
        std::vector<uint8_t>& mask = outside[d];
        mask.assign(analyzed[d].keys.size(), 0);
        for (const TokenRange& range : known[d]) {
          std::fill(mask.begin() + range.begin, mask.begin() + range.end, 1);
        }
      }
      if (!may_chain(left, &outside, &may)) return CancelledError();
      // A pair that cannot chain outside the passages now never will (they
      // only grow). Of the rest, a spanning forest, in order, this time.
      SplitSpanningForest(n, left, may, &forest, &later);
      if (forest.empty()) break;
      if (absl::Status status = align(forest, &aligned); !status.ok()) {
        return status;
      }
      left.swap(later);
    }
    std::sort(aligned.begin(), aligned.end(),
              [](const DocumentPair& x, const DocumentPair& y) {
                return std::tie(x.a, x.b) < std::tie(y.a, y.b);
              });
  }
  // The copies' passages, carried over from their representatives': as
  // pairs in small groups, as cluster members in large ones.
  std::vector<DocumentPair> carried;
  if (copies.copies() > 0) {
    std::sort(copied.begin(), copied.end(),
              [](const TokenPair& x, const TokenPair& y) {
                return x.documents < y.documents;
              });
    CopyPassages derived = DeriveCopyPassages(copies, plan, copied);
    copied = {};
    result.stats.derived_pairs = derived.derived_pairs;
    // Both located in one pass over the documents: pairs first.
    const size_t derived_pairs = derived.pairs.size();
    std::vector<TokenPair>& moved = derived.pairs;
    moved.insert(moved.end(), std::make_move_iterator(derived.carried.begin()),
                 std::make_move_iterator(derived.carried.end()));
    derived.carried = {};
    absl::StatusOr<std::vector<std::vector<Passage>>> located =
        LocateByDocument(texts, moved, options.analyze, workers, stages);
    if (!located.ok()) return located.status();
    std::vector<std::vector<Passage>>& found = *located;
    aligned.reserve(aligned.size() + derived_pairs);
    carried.reserve(moved.size() - derived_pairs);
    for (size_t c = 0; c < moved.size(); ++c) {
      DocumentPair& pair =
          (c < derived_pairs ? aligned : carried).emplace_back();
      pair.a = moved[c].documents.first;
      pair.b = moved[c].documents.second;
      pair.passages = std::move(found[c]);
    }
    std::sort(aligned.begin(), aligned.end(),
              [](const DocumentPair& x, const DocumentPair& y) {
                return std::tie(x.a, x.b) < std::tie(y.a, y.b);
              });
  }
  GroupIntoClusters(std::move(aligned), carried, plan, &result.pairs,
                    &result.clusters);
  result.stats.reported_pairs = result.pairs.size();
  result.stats.clusters = result.clusters.size();
  for (const ReuseCluster& cluster : result.clusters) {
    result.stats.cluster_members += cluster.members.size();
  }
  return result;
}

}  // namespace neardup
