// Benchmark contamination: seeds of the benchmark's items found in corpus
// documents, verified by alignment (copies in order) and by a bag-of-words
// window (reworded copies), or the classic exact n-gram overlap.
#include "neardup/contamination.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "align.h"
#include "analyze.h"
#include "utf8.h"

#define XXH_INLINE_ALL
#include "xxhash.h"

namespace neardup {
namespace {

constexpr uint64_t kNgramSeed = 0x636f6e74616dULL;
// Bits of the filter a token key or n-gram hash is checked against before
// the hash map: most corpus tokens are not seeds, and a miss in 512 KiB of
// bits (about 3 % set for 4,000 items) is cheaper than one in the map.
constexpr int kFilterBits = 22;

uint64_t FilterSlot(uint64_t hash) {
  return (hash * 0x9E3779B97F4A7C15ULL) >> (64 - kFilterBits);
}

// Keys are already XXH3 hashes: a multiply and a rotate mix two of them.
uint64_t BigramHash(uint64_t first, uint64_t second) {
  const uint64_t x = first * 0x9E3779B97F4A7C15ULL;
  return (x ^ ((second << 29) | (second >> 35))) * 0xBF58476D1CE4E5B9ULL;
}

struct Item {
  std::string id;
  std::string text;
  std::vector<uint32_t> field_begin;
  std::vector<uint32_t> field_end;
  AnalyzedText analysis;
  std::vector<float> weight;  // per token
  double total_weight = 0;    // of its distinct keys
  // Distinct keys, sorted, and the weight of each.
  std::vector<uint64_t> distinct;
  std::vector<float> distinct_weight;
  std::vector<uint32_t> distinct_count;  // occurrences in the item
  // Per token, the index of its key in `distinct`.
  std::vector<uint32_t> token_distinct;
  // Open addressing over `distinct`: 1 + the index of a key, 0 for an empty
  // slot; a power of two at least twice the distinct keys, so a document
  // key the item lacks (most of them) costs one or two probes.
  std::vector<uint32_t> slots;
  int slot_shift = 64;

  static constexpr uint32_t kNone = ~uint32_t{0};
  // The index of `key` in `distinct`, or kNone.
  uint32_t Find(uint64_t key) const {
    const size_t mask = slots.size() - 1;
    for (size_t s = (key * 0x9E3779B97F4A7C15ULL) >> slot_shift;;
         s = (s + 1) & mask) {
      const uint32_t slot = slots[s];
      if (slot == 0) return kNone;
      if (distinct[slot - 1] == key) return slot - 1;
    }
  }
  void BuildLookup() {
    int bits = 3;
    while ((size_t{1} << bits) < 2 * distinct.size()) ++bits;
    slots.assign(size_t{1} << bits, 0);
    slot_shift = 64 - bits;
    const size_t mask = slots.size() - 1;
    for (uint32_t d = 0; d < distinct.size(); ++d) {
      size_t s = (distinct[d] * 0x9E3779B97F4A7C15ULL) >> slot_shift;
      while (slots[s] != 0) s = (s + 1) & mask;
      slots[s] = d + 1;
    }
    token_distinct.clear();
    for (uint64_t key : analysis.keys) token_distinct.push_back(Find(key));
  }
};

// What the scans have found for one item.
struct ItemState {
  std::vector<uint8_t> covered;  // one flag per token
  std::vector<ContaminationMatch> best;
  size_t total = 0;
  uint32_t longest = 0;
};

// Best first: more item tokens, higher score, earlier document, earlier
// spans. A strict total order, so the kept matches do not depend on the
// order in which they were found.
bool BetterMatch(const ContaminationMatch& x, const ContaminationMatch& y) {
  if (x.item_tokens != y.item_tokens) return x.item_tokens > y.item_tokens;
  if (x.score != y.score) return x.score > y.score;
  if (x.document != y.document) return x.document < y.document;
  if (x.item.begin != y.item.begin) return x.item.begin < y.item.begin;
  if (x.doc.begin != y.doc.begin) return x.doc.begin < y.doc.begin;
  return x.reworded < y.reworded;
}

// Positions grouped by key with a counting sort: position(k) for each k,
// ordered by ids[k], the index of token k's key among `distinct` sorted
// keys, then by k. Leaves in (*counts)[d] the end of key d's group in
// *positions; it begins at (*counts)[d - 1], or 0 for d = 0.
template <typename Position>
void SortPositionsByKey(const std::vector<uint32_t>& ids, size_t distinct,
                        Position position, std::vector<uint32_t>* counts,
                        std::vector<uint32_t>* positions) {
  counts->assign(distinct + 1, 0);
  for (uint32_t d : ids) ++(*counts)[d + 1];
  for (size_t d = 1; d <= distinct; ++d) (*counts)[d] += (*counts)[d - 1];
  positions->resize(ids.size());
  for (size_t k = 0; k < ids.size(); ++k) {
    (*positions)[(*counts)[ids[k]]++] = position(k);
  }
}

struct Hit {
  uint32_t item;
  uint32_t doc_pos;
  uint32_t item_pos;  // kNgram only
  bool operator<(const Hit& o) const {
    if (item != o.item) return item < o.item;
    if (doc_pos != o.doc_pos) return doc_pos < o.doc_pos;
    return item_pos < o.item_pos;
  }
};

}  // namespace

struct ContaminationIndex::Rep {
  ContaminationOptions options;
  std::vector<Item> items;
  float unit_weight = 1;  // weight of a word found in one item only
  // Seed (a bigram in kAligned, an n-gram hash in kNgram) -> its postings:
  // in kAligned the item itself when the seed has one (so that the common
  // seed of one item needs no second memory access), or
  // seed_items[first, first + count); in kNgram postings[first, first +
  // count). 16 bytes a slot: the map of 4,000 items' seeds is 8 MiB.
  struct SeedPostings {
    uint32_t count = 0;
    uint32_t first = 0;
  };
  absl::flat_hash_map<uint64_t, SeedPostings> seeds;
  // Per item, packed for the scan's cache: tokens, and seeds (kAligned).
  std::vector<uint32_t> item_tokens;
  std::vector<uint32_t> item_seeds;
  std::vector<Hit> postings;         // kNgram: item, item_pos
  std::vector<uint32_t> seed_items;  // kAligned: items
  std::vector<uint64_t> filter =
      std::vector<uint64_t>((1u << kFilterBits) / 64);

  // Counts, added to by every Scan without the mutex.
  mutable std::atomic<size_t> documents{0};
  mutable std::atomic<size_t> bytes{0};
  mutable std::atomic<size_t> candidates{0};
  mutable std::mutex mutex;  // guards `states`; taken by a Scan that matched
  mutable std::vector<ItemState> states;

  bool InFilter(uint64_t hash) const {
    const uint64_t slot = FilterSlot(hash);
    return ((filter[slot >> 6] >> (slot & 63)) & 1) != 0;
  }

  // Weight a counted aligned span must carry.
  double MinSpanWeight(const Item& item) const {
    return std::min(
        options.min_weight_share * options.min_match_tokens * unit_weight,
        0.5 * item.total_weight);
  }

  void BuildAligned();
  void BuildNgram();
};

void ContaminationIndex::Rep::BuildAligned() {
  // Seeds are the item's token bigrams found in few items: a pair of words
  // is far more selective than a word, and a reworded copy still keeps many
  // of its pairs (names, numbers with their units, phrases). Every item's
  // bigrams, as (bigram, item) sorted: a bigram's run is its items, each as
  // often as the item holds it. Bigrams are hashes, so a counting sort on
  // their top bits leaves groups of two to four entries on average, each
  // then sorted alone: the whole sort costs a fraction of std::sort's, and
  // the entries are one allocation of their final size.
  size_t total = 0;
  for (const Item& item : items) {
    const size_t keys = item.analysis.keys.size();
    total += keys > 1 ? keys - 1 : 0;
  }
  int bits = 1;
  while (bits < 24 && (size_t{1} << (bits + 2)) < total) ++bits;
  const int shift = 64 - bits;
  std::vector<uint32_t> ends((size_t{1} << bits) + 1, 0);
  const auto for_each_bigram = [this](auto visit) {
    for (uint32_t i = 0; i < items.size(); ++i) {
      const std::vector<uint64_t>& keys = items[i].analysis.keys;
      for (size_t p = 0; p + 1 < keys.size(); ++p) {
        visit(BigramHash(keys[p], keys[p + 1]), i);
      }
    }
  };
  for_each_bigram(
      [&](uint64_t bigram, uint32_t) { ++ends[(bigram >> shift) + 1]; });
  for (size_t g = 1; g < ends.size(); ++g) ends[g] += ends[g - 1];
  std::vector<std::pair<uint64_t, uint32_t>> entries(total);  // bigram, item
  for_each_bigram([&](uint64_t bigram, uint32_t i) {
    entries[ends[bigram >> shift]++] = {bigram, i};
  });
  // ends[g] is now the end of group g, and ends[g - 1] its beginning; the
  // items of a group are in order, so insertion sort moves few entries.
  for (size_t g = 0, begin = 0; g + 1 < ends.size(); begin = ends[g++]) {
    for (size_t k = begin + 1; k < ends[g]; ++k) {
      const std::pair<uint64_t, uint32_t> entry = entries[k];
      size_t m = k;
      for (; m > begin && entry < entries[m - 1]; --m) {
        entries[m] = entries[m - 1];
      }
      entries[m] = entry;
    }
  }
  const double max_df = std::max(
      2.0, options.max_seed_item_share * static_cast<double>(items.size()));
  // The end of bigram run e, and the number of distinct items in it.
  const auto run_end = [&entries](size_t e, size_t* df) {
    size_t f = e + 1;
    *df = 1;
    for (; f < entries.size() && entries[f].first == entries[e].first; ++f) {
      if (entries[f].second != entries[f - 1].second) ++*df;
    }
    return f;
  };
  size_t seed_count = 0;
  size_t df = 0;
  for (size_t e = 0, f; e < entries.size(); e = f) {
    f = run_end(e, &df);
    if (static_cast<double>(df) <= max_df) ++seed_count;
  }
  seeds.reserve(seed_count);
  item_seeds.assign(items.size(), 0);
  for (size_t e = 0, f; e < entries.size(); e = f) {
    f = run_end(e, &df);
    if (static_cast<double>(df) > max_df) continue;
    const uint32_t begin = static_cast<uint32_t>(seed_items.size());
    for (size_t k = e; k < f; ++k) {
      if (k > e && entries[k].second == entries[k - 1].second) continue;
      if (df > 1) seed_items.push_back(entries[k].second);
      ++item_seeds[entries[k].second];
    }
    seeds.try_emplace(entries[e].first,
                      SeedPostings{static_cast<uint32_t>(df),
                                   df > 1 ? begin : entries[e].second});
    const uint64_t slot = FilterSlot(entries[e].first);
    filter[slot >> 6] |= uint64_t{1} << (slot & 63);
  }
}

void ContaminationIndex::Rep::BuildNgram() {
  const size_t n = static_cast<size_t>(options.ngram);
  std::vector<std::pair<uint64_t, Hit>> entries;
  for (uint32_t i = 0; i < items.size(); ++i) {
    const std::vector<uint64_t>& keys = items[i].analysis.keys;
    for (size_t p = 0; p + n <= keys.size(); ++p) {
      entries.push_back({XXH3_64bits_withSeed(keys.data() + p,
                                              n * sizeof(uint64_t), kNgramSeed),
                         Hit{i, 0, static_cast<uint32_t>(p)}});
    }
  }
  std::sort(entries.begin(), entries.end(), [](const auto& x, const auto& y) {
    if (x.first != y.first) return x.first < y.first;
    return x.second < y.second ||
           (!(y.second < x.second) && x.second.item_pos < y.second.item_pos);
  });
  postings.reserve(entries.size());
  for (size_t e = 0; e < entries.size();) {
    size_t f = e;
    const uint32_t begin = static_cast<uint32_t>(postings.size());
    while (f < entries.size() && entries[f].first == entries[e].first) {
      postings.push_back(entries[f].second);
      ++f;
    }
    seeds[entries[e].first] = {static_cast<uint32_t>(postings.size()) - begin,
                               begin};
    const uint64_t slot = FilterSlot(entries[e].first);
    filter[slot >> 6] |= uint64_t{1} << (slot & 63);
    e = f;
  }
}

struct ContaminationIndex::Scanner::Rep {
  const ContaminationIndex::Rep* index = nullptr;
  Analyzer analyzer;
  AnalyzedText doc;
  std::vector<Hit> hits;          // kNgram
  std::vector<uint64_t> bigrams;  // of the document's tokens
  std::vector<uint32_t> passing;  // positions of bigrams in the filter
  struct SeedHit {
    uint32_t j;  // the bigram's position
    ContaminationIndex::Rep::SeedPostings seed;
  };
  std::vector<SeedHit> seed_hits;  // the seeds among them
  // kAligned: per item, the cluster of seed hits being gathered as the
  // document's bigrams are read in order (hits of one item no farther apart
  // than its length plus the alignment's gap), and the items with one open.
  struct Cluster {
    uint32_t first = 0;   // doc position of its first hit
    uint32_t last = 0;    // ... and of its last
    uint32_t count = 0;   // hits; 0: no cluster open
    uint32_t reach = 0;   // item tokens + 12: the farthest the next hit may be
    uint32_t needed = 0;  // hits a cluster needs to be verified
  };
  std::vector<Cluster> clusters;
  std::vector<uint32_t> open;
  struct Candidate {
    uint32_t item;
    uint32_t first;  // doc positions of the cluster's first and last hits
    uint32_t last;
    bool operator<(const Candidate& o) const {
      return item != o.item ? item < o.item : first < o.first;
    }
  };
  std::vector<Candidate> to_verify;
  std::vector<ContaminationMatch> found;
  // Per found match: the item tokens it covers, or empty for all of its
  // token range.
  std::vector<std::vector<uint32_t>> found_cover;
  // Verify's buffers, reused: the window's tokens whose key the item has
  // (doc positions, in order) and that key's index in Item::distinct; their
  // positions in the window grouped by key; counts per distinct item key;
  // marks per distinct item key (all zero between uses); the anchors.
  std::vector<uint32_t> window_tokens;
  std::vector<uint32_t> window_keys;
  std::vector<uint32_t> grouped;
  std::vector<uint32_t> counts;
  std::vector<uint8_t> marks;
  std::vector<uint32_t> cover;
  std::vector<AlignAnchor> align_anchors;
  std::vector<uint32_t> tally;  // per distinct item key, zero between uses
  size_t candidates = 0;

  explicit Rep(const ContaminationIndex::Rep* index_rep)
      : index(index_rep), analyzer(index_rep->options.analyze) {
    if (index->options.mode != ContaminationMode::kAligned) return;
    clusters.resize(index->items.size());
    for (size_t i = 0; i < clusters.size(); ++i) {
      const uint32_t length = index->item_tokens[i];
      // Cheap test first: a copy holds several of the item's seeds. A
      // verbatim copy holds all of them, a reworded one about half, an
      // 8-word fragment of a long item 7.
      clusters[i].reach = length + 12;
      clusters[i].needed = static_cast<uint32_t>(
          std::max<size_t>(std::min<size_t>(3, (length + 2) / 4),
                           std::min<size_t>(7, index->item_seeds[i] / 5)));
    }
  }

  void FindAligned();
  void FindNgram();
  // Verifies item `item` against doc positions [from, to).
  void Verify(uint32_t item, uint32_t from, uint32_t to);
  // Records a match of item tokens [ib, ie) and doc tokens [db, de).
  void Add(uint32_t item, uint32_t ib, uint32_t ie, uint32_t db, uint32_t de,
           uint32_t tokens, double score, bool reworded);
  // Sets marks[d] to `value` for the distinct item key d of every window
  // token in doc positions [from, to).
  void Mark(uint32_t from, uint32_t to, uint8_t value);
};

void ContaminationIndex::Scanner::Rep::Add(uint32_t item, uint32_t ib,
                                           uint32_t ie, uint32_t db,
                                           uint32_t de, uint32_t tokens,
                                           double score, bool reworded) {
  const Item& it = index->items[item];
  ContaminationMatch match;
  match.item.begin = it.analysis.begin[ib];
  match.item.end = it.analysis.end[ie - 1];
  match.doc.begin = doc.begin[db];
  match.doc.end = doc.end[de - 1];
  match.item_tokens = tokens;
  match.score = score;
  match.reworded = reworded;
  for (size_t f = 0; f < it.field_begin.size() && f < 64; ++f) {
    if (match.item.begin < it.field_end[f] &&
        it.field_begin[f] < match.item.end) {
      match.fields |= uint64_t{1} << f;
    }
  }
  // Item token range, kept in char_begin/char_end until it is recorded.
  match.item.char_begin = ib;
  match.item.char_end = ie;
  match.document = item;  // the item, until it is recorded
  found.push_back(match);
  found_cover.emplace_back();
}

void ContaminationIndex::Scanner::Rep::Mark(uint32_t from, uint32_t to,
                                            uint8_t value) {
  auto k = std::lower_bound(window_tokens.begin(), window_tokens.end(), from);
  for (; k != window_tokens.end() && *k < to; ++k) {
    marks[window_keys[k - window_tokens.begin()]] = value;
  }
}

void ContaminationIndex::Scanner::Rep::Verify(uint32_t item, uint32_t from,
                                              uint32_t to) {
  ++candidates;
  const Item& it = index->items[item];
  const ContaminationOptions& options = index->options;
  const uint32_t length = static_cast<uint32_t>(it.analysis.size());
  const absl::Span<const uint64_t> item_keys(it.analysis.keys);
  const absl::Span<const uint64_t> doc_keys =
      absl::MakeConstSpan(doc.keys).subspan(from, to - from);
  const size_t distinct = it.distinct.size();

  // The window's tokens whose key the item has: the only ones alignment can
  // anchor and the bag-of-words test can count. The weight of the item's
  // distinct words the whole window holds bounds both tests: an aligned span
  // counts the distinct words its two sides share, the bag-of-words test
  // those of a part of the window. A window below both thresholds (by more
  // than rounding: the sums add the same float weights in other orders) is
  // dropped here, as the tests would drop it; 43 % of the bench's
  // candidates are.
  if (marks.size() < distinct) marks.resize(distinct, 0);
  window_tokens.clear();
  window_keys.clear();
  double window_weight = 0;
  for (uint32_t j = from; j < to; ++j) {
    const uint32_t d = it.Find(doc.keys[j]);
    if (d == Item::kNone) continue;
    window_tokens.push_back(j);
    window_keys.push_back(d);
    if (marks[d] != 0) continue;
    marks[d] = 1;
    window_weight += it.distinct_weight[d];
  }
  for (uint32_t d : window_keys) marks[d] = 0;
  const double min_weight = index->MinSpanWeight(it);
  const bool may_align = window_weight + 1e-6 >= min_weight;
  const bool may_bag =
      window_weight + 1e-6 >= options.bag_threshold * it.total_weight;
  if (!may_align && !may_bag) return;

  // Copies in order: aligned spans. The window's tokens whose key the item
  // has are grouped by that key with a counting sort over the item's
  // distinct keys (sorted), in order of position within a group: the
  // anchors are then listed row by row, item token by item token, already
  // in AlignPassages' order (align.h), instead of merging two key indexes
  // and sorting the pairs.
  uint32_t aligned_tokens = 0;
  if (may_align) {
    SortPositionsByKey(
        window_keys, distinct,
        [&](size_t k) { return window_tokens[k] - from; }, &counts, &grouped);
    AlignOptions align;
    align.min_tokens = std::max(
        1, std::min(options.min_short_tokens, options.min_match_tokens));
    align.min_score = 0.3;
    const uint64_t max_product =
        AnchorProductLimit(std::max(1, align.max_occurrences));
    align_anchors.clear();
    for (uint32_t i = 0; i < length; ++i) {
      const uint32_t d = it.token_distinct[i];
      // counts[d] is now the end of key d's group, counts[d - 1] its start.
      const uint32_t begin = d == 0 ? 0 : counts[d - 1];
      const uint32_t end = counts[d];
      if (begin == end) continue;
      const uint64_t product =
          static_cast<uint64_t>(it.distinct_count[d]) * (end - begin);
      if (product > max_product) continue;
      const float weight = AnchorWeight(product);
      for (uint32_t g = begin; g < end; ++g) {
        align_anchors.push_back({i, grouped[g], weight, 1});
      }
    }
    // MeasurePassage's multiset intersection, counted per distinct item
    // key: window tokens whose key the item lacks match nothing.
    const auto measure = [&](TokenRange x, TokenRange y) {
      PassageSimilarity result;
      if (x.size() + y.size() == 0) return result;
      for (uint32_t i = x.begin; i < x.end; ++i) {
        ++tally[it.token_distinct[i]];
      }
      auto k = std::lower_bound(window_tokens.begin(), window_tokens.end(),
                                from + y.begin);
      for (; k != window_tokens.end() && *k < from + y.end; ++k) {
        uint32_t& left = tally[window_keys[k - window_tokens.begin()]];
        if (left != 0) {
          --left;
          ++result.matched;
        }
      }
      for (uint32_t i = x.begin; i < x.end; ++i) {
        tally[it.token_distinct[i]] = 0;
      }
      result.dice =
          2.0 * result.matched / static_cast<double>(x.size() + y.size());
      return result;
    };
    if (tally.size() < distinct) tally.resize(distinct, 0);
    const std::vector<AlignedPassage> passages = AlignPassagesOfAnchors(
        item_keys, doc_keys, align_anchors, measure, align);
    for (const AlignedPassage& p : passages) {
      const uint32_t anchors = p.anchors;
      const bool long_enough =
          anchors >= static_cast<uint32_t>(options.min_match_tokens) ||
          (2 * anchors >= length &&
           anchors >= static_cast<uint32_t>(options.min_short_tokens));
      if (!long_enough) continue;
      // The distinct words both spans hold: a span chained over repeats of a
      // few common words weighs what those words weigh once.
      Mark(from + p.b.begin, from + p.b.end, 1);
      double weight = 0;
      for (uint32_t i = p.a.begin; i < p.a.end; ++i) {
        uint8_t& mark = marks[it.token_distinct[i]];
        if (mark != 0) {
          weight += it.weight[i];
          mark = 0;
        }
      }
      Mark(from + p.b.begin, from + p.b.end, 0);
      if (weight + 1e-9 < min_weight) continue;
      aligned_tokens += p.a.size();
      Add(item, p.a.begin, p.a.end, from + p.b.begin, from + p.b.end,
          p.a.size(), p.score, false);
    }
  }
  // What aligns is reported as aligned; the bag-of-words test is for copies
  // whose order changed too much to align.
  if (aligned_tokens > 0 || !may_bag) return;

  // Reworded copies: the window of the document, twice the item's length,
  // whose distinct words carry the most of the item's weight.
  const uint32_t width = std::max<uint32_t>(2 * length, length + 10);
  counts.assign(distinct, 0);
  double weight = 0;
  double best = 0;
  size_t best_first = 0;
  size_t best_last = 0;
  for (size_t first = 0, last = 0; last < window_tokens.size(); ++last) {
    if (counts[window_keys[last]]++ == 0) {
      weight += it.distinct_weight[window_keys[last]];
    }
    while (window_tokens[last] - window_tokens[first] >= width) {
      if (--counts[window_keys[first]] == 0) {
        weight -= it.distinct_weight[window_keys[first]];
      }
      ++first;
    }
    if (weight > best + 1e-9) {
      best = weight;
      best_first = first;
      best_last = last;
    }
  }
  const double share = it.total_weight > 0 ? best / it.total_weight : 0;
  if (window_tokens.empty() || share < options.bag_threshold) return;
  for (size_t k = best_first; k <= best_last; ++k) marks[window_keys[k]] = 1;
  cover.clear();
  for (uint32_t i = 0; i < length; ++i) {
    if (marks[it.token_distinct[i]] != 0) cover.push_back(i);
  }
  for (size_t k = best_first; k <= best_last; ++k) marks[window_keys[k]] = 0;
  if (cover.size() <= aligned_tokens) return;
  Add(item, cover.front(), cover.back() + 1, window_tokens[best_first],
      window_tokens[best_last] + 1, static_cast<uint32_t>(cover.size()), share,
      true);
  // A reworded match covers only the item's words the window holds.
  found_cover.back() = cover;
}

void ContaminationIndex::Scanner::Rep::FindAligned() {
  const std::vector<uint64_t>& keys = doc.keys;
  // Most of this stage's time was cache misses (perf annotate): on the
  // filter's word, then on the seed map's slot. Both are prefetched a few
  // bigrams ahead: first the filter words, then the slots of the bigrams
  // that pass the filter.
  constexpr size_t kAhead = 8;
  const size_t count = keys.size() < 2 ? 0 : keys.size() - 1;
  bigrams.resize(count);
  for (size_t j = 0; j < count; ++j) {
    bigrams[j] = BigramHash(keys[j], keys[j + 1]);
  }
  passing.clear();
  for (size_t j = 0; j < count; ++j) {
    if (j + kAhead < count) {
      __builtin_prefetch(&index->filter[FilterSlot(bigrams[j + kAhead]) >> 6]);
    }
    if (index->InFilter(bigrams[j])) {
      passing.push_back(static_cast<uint32_t>(j));
    }
  }
  // Hits are read in document order and gathered per item into clusters
  // (no list of hits to sort): a hit farther than the item's reach from the
  // last one closes the item's cluster, which is kept for verification when
  // it has the hits it needs.
  to_verify.clear();
  const auto hit = [this](uint32_t item, uint32_t j) {
    Cluster& c = clusters[item];
    if (c.count == 0) {
      open.push_back(item);
    } else if (j - c.last <= c.reach) {
      c.last = j;
      ++c.count;
      return;
    } else if (c.count >= c.needed) {
      to_verify.push_back({item, c.first, c.last});
    }
    c.first = c.last = j;
    c.count = 1;
  };
  // The seeds among them, their slots prefetched; then their hits, with
  // the items of the seeds ahead prefetched (the first of a seed's items is
  // a cache miss otherwise: a third of this stage's time), and the cluster
  // of a seed of one item.
  seed_hits.clear();
  for (size_t k = 0; k < passing.size(); ++k) {
    if (k + kAhead < passing.size()) {
      index->seeds.prefetch(bigrams[passing[k + kAhead]]);
    }
    const uint32_t j = passing[k];
    auto it = index->seeds.find(bigrams[j]);
    if (it == index->seeds.end()) continue;
    seed_hits.push_back({j, it->second});
  }
  for (size_t k = 0; k < seed_hits.size(); ++k) {
    if (k + kAhead < seed_hits.size()) {
      const ContaminationIndex::Rep::SeedPostings& ahead =
          seed_hits[k + kAhead].seed;
      if (ahead.count == 1) {
        __builtin_prefetch(&clusters[ahead.first]);
      } else {
        __builtin_prefetch(&index->seed_items[ahead.first]);
      }
    }
    const uint32_t j = seed_hits[k].j;
    const ContaminationIndex::Rep::SeedPostings& seed = seed_hits[k].seed;
    if (seed.count == 1) {
      hit(seed.first, j);
      continue;
    }
    for (uint32_t p = seed.first; p < seed.first + seed.count; ++p) {
      hit(index->seed_items[p], j);
    }
  }
  for (uint32_t item : open) {
    Cluster& c = clusters[item];
    if (c.count >= c.needed) to_verify.push_back({item, c.first, c.last});
    c.count = 0;
  }
  open.clear();
  // Verified in order of item, then position: the order of `found`.
  std::sort(to_verify.begin(), to_verify.end());
  for (const Candidate& c : to_verify) {
    const uint32_t length = index->item_tokens[c.item];
    const uint32_t from = c.first > length ? c.first - length : 0;
    const uint32_t to = static_cast<uint32_t>(
        std::min<size_t>(keys.size(), size_t{c.last} + length + 2));
    Verify(c.item, from, to);
  }
}

void ContaminationIndex::Scanner::Rep::FindNgram() {
  hits.clear();
  const size_t n = static_cast<size_t>(index->options.ngram);
  const std::vector<uint64_t>& keys = doc.keys;
  for (size_t j = 0; j + n <= keys.size(); ++j) {
    const uint64_t hash =
        XXH3_64bits_withSeed(keys.data() + j, n * sizeof(uint64_t), kNgramSeed);
    if (!index->InFilter(hash)) continue;
    auto it = index->seeds.find(hash);
    if (it == index->seeds.end()) continue;
    const uint32_t end = it->second.first + it->second.count;
    for (uint32_t p = it->second.first; p < end; ++p) {
      const Hit& posting = index->postings[p];
      const std::vector<uint64_t>& item_keys =
          index->items[posting.item].analysis.keys;
      if (!std::equal(keys.begin() + static_cast<ptrdiff_t>(j),
                      keys.begin() + static_cast<ptrdiff_t>(j + n),
                      item_keys.begin() + posting.item_pos)) {
        continue;  // a hash collision
      }
      hits.push_back(
          {posting.item, static_cast<uint32_t>(j), posting.item_pos});
    }
  }
  // Sorted by item, then diagonal, then position: runs of consecutive
  // n-grams on one diagonal are one match.
  std::sort(hits.begin(), hits.end(), [](const Hit& x, const Hit& y) {
    if (x.item != y.item) return x.item < y.item;
    const int64_t dx = int64_t{x.doc_pos} - x.item_pos;
    const int64_t dy = int64_t{y.doc_pos} - y.item_pos;
    if (dx != dy) return dx < dy;
    return x.item_pos < y.item_pos;
  });
  const uint32_t n32 = static_cast<uint32_t>(n);
  for (size_t h = 0; h < hits.size();) {
    size_t e = h + 1;
    while (e < hits.size() && hits[e].item == hits[h].item &&
           hits[e].doc_pos == hits[e - 1].doc_pos + 1 &&
           hits[e].item_pos == hits[e - 1].item_pos + 1) {
      ++e;
    }
    if (h == 0 || hits[h].item != hits[h - 1].item) ++candidates;
    const uint32_t ib = hits[h].item_pos;
    const uint32_t ie = hits[e - 1].item_pos + n32;
    Add(hits[h].item, ib, ie, hits[h].doc_pos, hits[e - 1].doc_pos + n32,
        ie - ib, 1.0, false);
    h = e;
  }
}

ContaminationIndex::Scanner::Scanner(std::unique_ptr<Rep> rep)
    : rep_(std::move(rep)) {}
ContaminationIndex::Scanner::~Scanner() = default;

absl::Status ContaminationIndex::Scanner::Scan(size_t document,
                                               std::string_view id,
                                               std::string_view text) {
  if (text.size() >= kMaxTextBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(absl::string_view(id.data(), id.size()),
                     ": a document must be shorter than 4 GiB"));
  }
  Rep& r = *rep_;
  r.found.clear();
  r.found_cover.clear();
  r.candidates = 0;
  r.analyzer.Analyze(text, &r.doc);
  if (r.index->options.mode == ContaminationMode::kNgram) {
    r.FindNgram();
  } else {
    r.FindAligned();
  }
  if (!r.found.empty()) {
    std::vector<uint32_t*> offsets;
    for (ContaminationMatch& match : r.found) {
      match.doc.char_begin = match.doc.begin;
      match.doc.char_end = match.doc.end;
      offsets.push_back(&match.doc.char_begin);
      offsets.push_back(&match.doc.char_end);
      match.doc_text =
          text.substr(match.doc.begin, match.doc.end - match.doc.begin);
    }
    ByteToCodePointOffsets(text, offsets);
  }
  const ContaminationIndex::Rep& index = *r.index;
  index.documents.fetch_add(1, std::memory_order_relaxed);
  index.bytes.fetch_add(text.size(), std::memory_order_relaxed);
  index.candidates.fetch_add(r.candidates, std::memory_order_relaxed);
  if (r.found.empty()) return absl::OkStatus();
  std::lock_guard<std::mutex> lock(index.mutex);
  for (size_t m = 0; m < r.found.size(); ++m) {
    ContaminationMatch& match = r.found[m];
    const size_t item = match.document;
    ItemState& state = index.states[item];
    if (r.found_cover[m].empty()) {
      for (uint32_t i = match.item.char_begin; i < match.item.char_end; ++i) {
        state.covered[i] = 1;
      }
    } else {
      for (uint32_t i : r.found_cover[m]) state.covered[i] = 1;
    }
    match.document = document;
    match.document_id = std::string(id);
    ++state.total;
    state.longest = std::max(state.longest, match.item_tokens);
    const size_t max_matches =
        static_cast<size_t>(std::max(0, index.options.max_matches));
    auto at = std::lower_bound(state.best.begin(), state.best.end(), match,
                               BetterMatch);
    if (static_cast<size_t>(at - state.best.begin()) >= max_matches) continue;
    state.best.insert(at, std::move(match));
    if (state.best.size() > max_matches) state.best.pop_back();
  }
  return absl::OkStatus();
}

ContaminationIndex::ContaminationIndex(std::unique_ptr<Rep> rep)
    : rep_(std::move(rep)) {}
ContaminationIndex::~ContaminationIndex() = default;

absl::StatusOr<std::unique_ptr<ContaminationIndex>> ContaminationIndex::Create(
    std::vector<BenchmarkItem> items, const ContaminationOptions& options) {
  if (options.ngram < 1 || options.ngram > 1000) {
    return absl::InvalidArgumentError("ngram must be in [1, 1000]");
  }
  if (!(options.partial_at > 0 &&
        options.partial_at <= options.contaminated_at &&
        options.contaminated_at <= 1)) {
    return absl::InvalidArgumentError(
        "need 0 < partial_at <= contaminated_at <= 1");
  }
  if (options.max_matches < 0) {
    return absl::InvalidArgumentError("max_matches must be >= 0");
  }
  if (options.min_match_tokens < 1 || options.min_short_tokens < 1) {
    return absl::InvalidArgumentError(
        "min_match_tokens and min_short_tokens must be >= 1");
  }
  if (!(options.bag_threshold > 0 && options.bag_threshold <= 1.0) ||
      !(options.min_weight_share >= 0) ||
      !(options.max_seed_item_share >= 0 && options.max_seed_item_share <= 1)) {
    return absl::InvalidArgumentError(
        "bag_threshold must be in (0, 1], min_weight_share >= 0, "
        "max_seed_item_share in [0, 1]");
  }
  auto rep = std::make_unique<Rep>();
  rep->options = options;
  absl::flat_hash_set<std::string> ids;
  Analyzer analyzer(options.analyze);
  // Per key: the items that hold it, then its weight.
  struct KeyStats {
    uint32_t items = 0;
    float weight = 0;
  };
  absl::flat_hash_map<uint64_t, KeyStats> key_stats;
  rep->items.reserve(items.size());
  for (BenchmarkItem& source : items) {
    if (!ids.insert(source.id).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("benchmark item id \"", source.id, "\" is repeated"));
    }
    Item item;
    item.id = std::move(source.id);
    for (size_t f = 0; f < source.fields.size(); ++f) {
      if (f > 0) item.text += "\n\n";
      item.field_begin.push_back(static_cast<uint32_t>(item.text.size()));
      item.text += source.fields[f];
      item.field_end.push_back(static_cast<uint32_t>(item.text.size()));
      if (item.text.size() >= kMaxTextBytes) {
        return absl::InvalidArgumentError(absl::StrCat(
            "benchmark item ", item.id, " must be shorter than 4 GiB"));
      }
    }
    analyzer.Analyze(item.text, &item.analysis);
    item.distinct = item.analysis.keys;
    std::sort(item.distinct.begin(), item.distinct.end());
    item.distinct.erase(std::unique(item.distinct.begin(), item.distinct.end()),
                        item.distinct.end());
    item.BuildLookup();
    item.distinct_count.assign(item.distinct.size(), 0);
    for (uint32_t d : item.token_distinct) ++item.distinct_count[d];
    for (uint64_t key : item.distinct) ++key_stats[key].items;
    rep->items.push_back(std::move(item));
  }
  const double n = static_cast<double>(rep->items.size());
  rep->unit_weight = static_cast<float>(std::log1p(n));
  for (auto& [key, stats] : key_stats) {
    stats.weight =
        static_cast<float>(std::log1p(n / static_cast<double>(stats.items)));
  }
  for (Item& item : rep->items) {
    item.distinct_weight.resize(item.distinct.size());
    for (size_t d = 0; d < item.distinct.size(); ++d) {
      item.distinct_weight[d] = key_stats.find(item.distinct[d])->second.weight;
      item.total_weight += item.distinct_weight[d];
    }
    item.weight.resize(item.token_distinct.size());
    for (size_t t = 0; t < item.token_distinct.size(); ++t) {
      item.weight[t] = item.distinct_weight[item.token_distinct[t]];
    }
  }
  if (options.mode == ContaminationMode::kNgram) {
    rep->BuildNgram();
  } else {
    rep->BuildAligned();
  }
  for (const Item& item : rep->items) {
    rep->item_tokens.push_back(static_cast<uint32_t>(item.analysis.size()));
  }
  rep->states.resize(rep->items.size());
  for (size_t i = 0; i < rep->items.size(); ++i) {
    rep->states[i].covered.assign(rep->items[i].analysis.size(), 0);
  }
  return std::unique_ptr<ContaminationIndex>(
      new ContaminationIndex(std::move(rep)));
}

std::unique_ptr<ContaminationIndex::Scanner> ContaminationIndex::NewScanner()
    const {
  return std::unique_ptr<Scanner>(
      new Scanner(std::make_unique<Scanner::Rep>(rep_.get())));
}

size_t ContaminationIndex::size() const { return rep_->items.size(); }

std::string_view ContaminationIndex::ItemText(size_t item) const {
  return rep_->items[item].text;
}

std::vector<ItemReport> ContaminationIndex::Report(
    ContaminationStats* stats) const {
  const Rep& r = *rep_;
  std::lock_guard<std::mutex> lock(r.mutex);
  ContaminationStats totals;
  totals.items = r.items.size();
  totals.documents = r.documents;
  totals.bytes = r.bytes;
  totals.seeds = r.seeds.size();
  totals.candidates = r.candidates;
  std::vector<ItemReport> reports;
  reports.reserve(r.items.size());
  for (size_t i = 0; i < r.items.size(); ++i) {
    const Item& item = r.items[i];
    const ItemState& state = r.states[i];
    ItemReport report;
    report.id = item.id;
    report.tokens = static_cast<uint32_t>(item.analysis.size());
    report.covered = static_cast<uint32_t>(
        std::count(state.covered.begin(), state.covered.end(), 1));
    report.contaminated_fraction =
        report.tokens == 0
            ? 0
            : static_cast<double>(report.covered) / report.tokens;
    if (report.tokens > 0 &&
        report.contaminated_fraction >= r.options.contaminated_at) {
      report.status = ContaminationStatus::kContaminated;
      ++totals.contaminated;
    } else if (report.tokens > 0 &&
               report.contaminated_fraction >= r.options.partial_at) {
      report.status = ContaminationStatus::kPartial;
      ++totals.partial;
    } else {
      ++totals.clean;
      if (report.tokens == 0) ++totals.empty_items;
    }
    report.longest_match = state.longest;
    report.matches = state.best;
    report.total_matches = state.total;
    report.field_begin = item.field_begin;
    report.field_end = item.field_end;
    std::vector<uint32_t*> offsets;
    for (ContaminationMatch& match : report.matches) {
      match.item.char_begin = match.item.begin;
      match.item.char_end = match.item.end;
      offsets.push_back(&match.item.char_begin);
      offsets.push_back(&match.item.char_end);
    }
    ByteToCodePointOffsets(item.text, offsets);
    reports.push_back(std::move(report));
  }
  if (stats != nullptr) *stats = totals;
  return reports;
}

ContaminationPartial ContaminationIndex::TakePartial(size_t document_offset) {
  Rep& r = *rep_;
  std::lock_guard<std::mutex> lock(r.mutex);
  ContaminationPartial partial;
  partial.documents = r.documents.exchange(0);
  partial.bytes = r.bytes.exchange(0);
  partial.candidates = r.candidates.exchange(0);
  for (size_t i = 0; i < r.items.size(); ++i) {
    ItemState& state = r.states[i];
    if (state.total == 0) continue;
    ContaminationPartial::Item item;
    item.item = static_cast<uint32_t>(i);
    for (uint32_t t = 0; t < state.covered.size(); ++t) {
      if (state.covered[t] == 0) continue;
      if (!item.covered.empty() && item.covered.back().second == t) {
        ++item.covered.back().second;
      } else {
        item.covered.emplace_back(t, t + 1);
      }
      state.covered[t] = 0;
    }
    item.matches = std::move(state.best);
    state.best.clear();
    for (ContaminationMatch& match : item.matches) {
      match.document += document_offset;
      match.item.char_begin = match.item.char_end = 0;
    }
    item.total_matches = state.total;
    item.longest_match = state.longest;
    state.total = 0;
    state.longest = 0;
    partial.items.push_back(std::move(item));
  }
  return partial;
}

absl::Status ContaminationIndex::MergePartial(ContaminationPartial partial) {
  Rep& r = *rep_;
  std::lock_guard<std::mutex> lock(r.mutex);
  for (const ContaminationPartial::Item& item : partial.items) {
    if (item.item >= r.items.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "partial results name item ", item.item, " of ", r.items.size()));
    }
    const size_t tokens = r.states[item.item].covered.size();
    for (const auto& [first, end] : item.covered) {
      if (first >= end || end > tokens) {
        return absl::InvalidArgumentError(
            absl::StrCat("partial results cover tokens [", first, ", ", end,
                         ") of item ", item.item, ", which has ", tokens));
      }
    }
  }
  r.documents += partial.documents;
  r.bytes += partial.bytes;
  r.candidates += partial.candidates;
  const size_t max_matches =
      static_cast<size_t>(std::max(0, r.options.max_matches));
  std::vector<ContaminationMatch> merged;
  for (ContaminationPartial::Item& item : partial.items) {
    ItemState& state = r.states[item.item];
    for (const auto& [first, end] : item.covered) {
      std::fill(state.covered.begin() + first, state.covered.begin() + end, 1);
    }
    state.total += item.total_matches;
    state.longest = std::max(state.longest, item.longest_match);
    // Both lists are each one's best; the best of the union are among
    // them. Equal matches come from one document, so from one list, whose
    // order std::merge keeps.
    std::stable_sort(item.matches.begin(), item.matches.end(), BetterMatch);
    merged.clear();
    std::merge(std::make_move_iterator(state.best.begin()),
               std::make_move_iterator(state.best.end()),
               std::make_move_iterator(item.matches.begin()),
               std::make_move_iterator(item.matches.end()),
               std::back_inserter(merged), BetterMatch);
    if (merged.size() > max_matches) merged.resize(max_matches);
    state.best.swap(merged);
  }
  return absl::OkStatus();
}

std::string_view ContaminationStatusName(ContaminationStatus status) {
  switch (status) {
    case ContaminationStatus::kContaminated:
      return "contaminated";
    case ContaminationStatus::kPartial:
      return "partial";
    case ContaminationStatus::kClean:
      break;
  }
  return "clean";
}

}  // namespace neardup
