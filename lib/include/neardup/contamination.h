// neardup contamination: how much of each benchmark item occurs in a corpus,
// and where.
//
// Build a ContaminationIndex once from the benchmark's items, stream the
// corpus's documents into it (from many threads, each with its own
// ContaminationIndex::Scanner), then call Report() for one record per item in
// benchmark order. Memory is bounded by the benchmark: a document is
// forgotten once it has been scanned, except for the matches kept per item.
#ifndef NEARDUP_CONTAMINATION_H_
#define NEARDUP_CONTAMINATION_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "neardup/neardup.h"

namespace neardup {

// One benchmark item: its fields (e.g. question and answer), whose texts are
// joined in order with a blank line ("\n\n") between them to make the item's
// text. Offsets reported for an item are into that joined text.
struct BenchmarkItem {
  std::string id;
  std::vector<std::string> fields;
};

enum class ContaminationMode {
  // Seeds (item tokens rare among the benchmark's items) found in a
  // document, extended into aligned spans (as `Compare` aligns passages),
  // plus a bag-of-words test on a window of the document for reordered and
  // reworded copies. Finds copies with other case, punctuation, spacing,
  // spelling variants, line breaks, a few changed words, and many
  // rephrasings that keep names, numbers and content words.
  kAligned,
  // The classic exact overlap: an item token is contaminated when it lies
  // in an n-gram (of ContaminationOptions::ngram tokens) that also occurs in
  // a document. Items shorter than n tokens are never matched.
  kNgram,
};

struct ContaminationOptions {
  AnalyzeOptions analyze;
  ContaminationMode mode = ContaminationMode::kAligned;
  // kNgram: n-gram length in tokens. Default: 13 (GPT-3, lm-eval-harness).
  int ngram = 13;
  // Status thresholds on the contaminated fraction (Llama 2's): at least
  // contaminated_at is "contaminated", at least partial_at "partial", below
  // is "clean". Defaults: 0.8 and 0.2.
  double contaminated_at = 0.8;
  double partial_at = 0.2;
  // Matches kept per item, best first (by covered tokens, then score, then
  // document order); the others are only counted. Default: 10.
  int max_matches = 10;
  // kAligned: an aligned span counts when it matches at least this many
  // item tokens in order, or (for short items and half copies) at least half
  // of the item's tokens and at least min_short_tokens. Defaults: 8 and 5.
  int min_match_tokens = 8;
  int min_short_tokens = 5;
  // kAligned: a span must also hold at least this share of the weight of
  // informative tokens an 8-token span of words unique to the item would
  // have (weights are inverse item frequencies), or half of the item's
  // weight: phrases common to many items ("Which of the following") weigh
  // little and never count alone. Default: 0.5.
  double min_weight_share = 0.5;
  // kAligned: a window of a document (twice the item's length) whose
  // distinct words carry at least this share of the item's weight is a
  // reworded copy. Default: 0.55.
  double bag_threshold = 0.55;
  // kAligned: seeds are pairs of consecutive item words; a pair found in
  // more than this share of the items (and in more than 2) is not a seed.
  // Default: 0.005 (20 of 4,000 items).
  double max_seed_item_share = 0.005;
};

// A matched span of one item and one document.
struct ContaminationMatch {
  size_t document = 0;  // the document's number, as given to Scan()
  std::string document_id;
  TextSpan item;             // into the item's joined text
  TextSpan doc;              // into the document's text
  std::string doc_text;      // the document's text in `doc`, for display
  uint32_t item_tokens = 0;  // item tokens covered by this match
  // Aligned spans: the Dice coefficient of the two spans' token multisets;
  // reworded (bag-of-words) matches: the share of the item's weight found.
  double score = 0;
  bool reworded = false;  // found by the bag-of-words test, not aligned
  // Bit f set: the match covers tokens of field f (the first 64 fields).
  uint64_t fields = 0;
};

enum class ContaminationStatus { kClean, kPartial, kContaminated };

struct ItemReport {
  std::string id;
  ContaminationStatus status = ContaminationStatus::kClean;
  uint32_t tokens = 0;   // tokens of the item
  uint32_t covered = 0;  // of them, covered by a match in any document
  double contaminated_fraction = 0;  // covered / tokens (0 for no tokens)
  uint32_t longest_match = 0;        // item tokens of its longest match
  // The best max_matches matches, best first; total_matches counts all.
  std::vector<ContaminationMatch> matches;
  size_t total_matches = 0;
  // Field boundaries in the joined text: field f is
  // [field_begin[f], field_end[f]).
  std::vector<uint32_t> field_begin;
  std::vector<uint32_t> field_end;
};

struct ContaminationStats {
  size_t items = 0;
  size_t clean = 0;
  size_t partial = 0;
  size_t contaminated = 0;
  // Items without a word (empty, or only punctuation and emoji): counted in
  // `clean`, though nothing can match them.
  size_t empty_items = 0;
  size_t documents = 0;   // documents scanned
  size_t bytes = 0;       // bytes of document text scanned
  size_t seeds = 0;       // distinct seed words (kAligned) or n-grams
  size_t candidates = 0;  // (item, document) pairs verified
};

// What an index has gathered from the documents it scanned, to be merged
// into another index built from the same items and options: so that
// processes that each scan part of one corpus (neardup-mpi) can report as
// one index that scanned it all. See ContaminationIndex::TakePartial.
struct ContaminationPartial {
  struct Item {
    uint32_t item = 0;  // its position in the benchmark
    // Item token ranges [first, second) covered by a match: sorted, disjoint
    // and not adjacent.
    std::vector<std::pair<uint32_t, uint32_t>> covered;
    // The best max_matches matches, best first. Their item spans' code point
    // offsets (item.char_begin, item.char_end) are left to Report.
    std::vector<ContaminationMatch> matches;
    size_t total_matches = 0;
    uint32_t longest_match = 0;
  };
  std::vector<Item> items;  // items with a match only, in benchmark order
  size_t documents = 0;
  size_t bytes = 0;
  size_t candidates = 0;
};

// Holds the benchmark's analysis and index, and gathers matches.
// Scan() may be called from many threads at once, each through its own
// Scanner; Report() after the last Scan. The report does not depend on the
// number of threads or the order in which documents are scanned.
class ContaminationIndex {
 public:
  // Errors: an item of 4 GiB or more, an item id repeated, invalid options
  // (InvalidArgument naming the field).
  static absl::StatusOr<std::unique_ptr<ContaminationIndex>> Create(
      std::vector<BenchmarkItem> items, const ContaminationOptions& options);

  ContaminationIndex(const ContaminationIndex&) = delete;
  ContaminationIndex& operator=(const ContaminationIndex&) = delete;
  ~ContaminationIndex();

  // Per-thread state (analysis buffers). Not thread-safe itself: one per
  // thread; many Scanners of one index may run at once.
  class Scanner {
   public:
    ~Scanner();
    // Finds the items that occur in `text` and records the matches.
    // `document` is the document's number, which orders matches of equal
    // quality (give each document a distinct number, e.g. its input
    // position). Errors: a text of 4 GiB or more.
    absl::Status Scan(size_t document, std::string_view id,
                      std::string_view text);

   private:
    friend class ContaminationIndex;
    struct Rep;
    explicit Scanner(std::unique_ptr<Rep> rep);
    std::unique_ptr<Rep> rep_;
  };
  std::unique_ptr<Scanner> NewScanner() const;

  size_t size() const;  // items
  // The item's joined text.
  std::string_view ItemText(size_t item) const;

  // One report per item, in benchmark order, and the totals. Call after
  // every Scan has returned.
  std::vector<ItemReport> Report(ContaminationStats* stats) const;

  // Moves out what the scans have gathered, leaving the index as if it had
  // scanned nothing, with `document_offset` added to every match's document
  // number (e.g. the number of corpus documents before the part this index
  // scanned). Call after every Scan has returned.
  ContaminationPartial TakePartial(size_t document_offset);
  // Adds what another index (of the same items and options) gathered, as if
  // this one had scanned its documents too: covered tokens are united,
  // match counts added, the best max_matches matches of both kept. The
  // report is the same whatever the order of merges, provided every
  // document has one number across all of them. Errors: an item or token
  // range that this index does not have (InvalidArgument); nothing is
  // merged then. Not to be called while a Scan runs.
  absl::Status MergePartial(ContaminationPartial partial);

 private:
  struct Rep;
  explicit ContaminationIndex(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

std::string_view ContaminationStatusName(ContaminationStatus status);

}  // namespace neardup

#endif  // NEARDUP_CONTAMINATION_H_
