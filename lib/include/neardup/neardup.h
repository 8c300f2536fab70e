// neardup: find duplicate and near-duplicate text and the passages it shares.
//
// The library never prints and never exits: every call returns data or an
// absl::Status. All spans point into the caller's original text.
#ifndef NEARDUP_NEARDUP_H_
#define NEARDUP_NEARDUP_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace neardup {

// How text is turned into comparable tokens. Every fold is on by default,
// because every fold absorbs a kind of variation seen between copies of the
// same news story.
struct AnalyzeOptions {
  // Unicode NFKC with case folding (ICU NFKC_Casefold). Default: true.
  bool fold_case = true;
  // Remove combining marks after canonical decomposition: Latin accents and
  // Arabic tashkeel (harakat, shadda, sukun). Default: true.
  bool strip_marks = true;
  // Arabic orthography: hamza/madda forms of alef (أ إ آ ٱ) -> ا, ؤ -> و,
  // ئ -> ي, ة -> ه, ى -> ي, tatweel removed. Default: true.
  bool fold_arabic = true;
  // Every decimal digit (Arabic-Indic, Persian, ...) -> ASCII 0-9.
  // Default: true.
  bool fold_digits = true;
  // For matching only: strip Arabic proclitics (و ف ب ل ك and the article ال)
  // and collapse runs of one repeated letter, so قاآني matches قآني and
  // والفصائل matches الفصائل. Default: true.
  bool match_variants = true;
};

// Which shared passages are reported.
struct AlignOptions {
  // A passage must contain at least this many words that match, in the same
  // order, on both sides (aligned anchors). The default, 20, is about twice
  // the length of the stock phrases (titles of officials, agency credits)
  // that articles of one outlet share, which are not worth reporting.
  int min_tokens = 20;
  // Minimum score (see Passage::score) of a reported passage. Default: 0.3.
  double min_score = 0.3;
  // Two matching words stay in one passage while at most this many tokens
  // separate them on either side. Default: 12.
  int max_gap = 12;
  // A word is an anchor only if f_a * f_b <= max_occurrences^2, where f_a and
  // f_b count it in each document: very frequent words (function words, a
  // token repeated a million times) would only add noise and work. They
  // still count in the score. Default: 8.
  int max_occurrences = 8;
};

// A half-open span [begin, end) of a document's original text, in UTF-8
// bytes and in Unicode code points. Invalid UTF-8 bytes count as one code
// point each (they are read as U+FFFD).
struct TextSpan {
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t char_begin = 0;
  uint32_t char_end = 0;
};

// One passage shared by two documents.
struct Passage {
  TextSpan a;
  TextSpan b;
  // Similarity of the two passages in [0, 1]: the Dice coefficient of their
  // token multisets after normalisation, 2 * |A ∩ B| / (|A| + |B|). 1 means
  // the same words (after normalisation), 0 nothing in common.
  double score = 0;
  uint32_t a_tokens = 0;  // tokens in a's span
  uint32_t b_tokens = 0;  // tokens in b's span
  uint32_t aligned = 0;   // words matched in order (anchors of the alignment)
  uint32_t matched = 0;   // |A ∩ B| as multisets
};

struct CompareOptions {
  AnalyzeOptions analyze;
  AlignOptions align;
};

// Returns every passage that `a` and `b` share, ordered by a.begin, then
// b.begin. Both texts are UTF-8; invalid bytes are tolerated.
absl::StatusOr<std::vector<Passage>> Compare(
    std::string_view a, std::string_view b, const CompareOptions& options = {});

// How `Scan` picks the document pairs it aligns: MinHash over overlapping
// windows of tokens, banded LSH over the window sketches.
struct WindowOptions {
  // Window length and stride, in tokens. Default: 48 and 24.
  int window_tokens = 48;
  int window_stride = 24;
  // Number of MinHash values per window. Default: 64.
  int num_hashes = 64;
  // Two windows whose Jaccard similarity (of their sets of token bigrams)
  // reaches this are likely to become candidates; the LSH bands and rows are
  // chosen from it (0.3 with 64 hashes: 21 bands of 3 rows, so a window pair
  // at 0.5 collides with probability 0.94, at 0.1 with 0.02). On the seed
  // corpus, windows of real shared passages reach 0.38 to 0.74, windows of
  // unrelated articles on the same story stay at or below 0.12. Default: 0.3.
  double threshold = 0.3;
  // LSH buckets holding more documents than this are treated as boilerplate:
  // only the documents' links to the bucket's first document are kept.
  // Default: 64.
  int max_bucket = 64;
  // Seed of the hash functions. Same seed, same result.
  uint64_t seed = 0x6e656172647570ULL;
};

struct Document {
  std::string id;
  std::string text;
};

// Where a running Scan is, for a progress display.
struct ScanProgress {
  // "analysing", "sketching", "finding candidates" or "aligning", in that
  // order.
  std::string_view stage;
  size_t done = 0;   // documents (or candidate pairs, when aligning) done
  size_t total = 0;  // documents (or candidate pairs) in this stage
};

struct ScanOptions {
  AnalyzeOptions analyze;
  AlignOptions align;
  WindowOptions windows;
  // A word pair found in more than this many documents of the collection is
  // boilerplate (titles of officials, bylines, footers, agency credits):
  // words matched inside runs of such pairs on both sides still join a
  // passage but do not count toward AlignOptions::min_tokens. On SaudiNewsNet
  // (31k articles) this removes pairs that share only a 20-word royal title.
  // Collections of at most this many documents are unaffected. 0 disables.
  // Default: 50.
  int boilerplate_documents = 50;
  // Worker threads; 0 means one per core. The result does not depend on it.
  int threads = 0;
  // If set, called on the thread that called Scan when a stage starts, about
  // every 0.1 s while it runs, and when it ends. Must not call Scan.
  std::function<void(const ScanProgress&)> progress;
  // If set, Scan checks *cancel between documents and candidate pairs, and
  // once it is true returns absl::CancelledError instead of a result. Set it
  // from any thread (or a signal handler: the atomic is lock-free).
  const std::atomic<bool>* cancel = nullptr;
};

// Two documents, by index into the input, with the passages they share.
struct DocumentPair {
  size_t a = 0;  // a < b
  size_t b = 0;
  std::vector<Passage> passages;
};

struct ScanStats {
  size_t documents = 0;
  size_t tokens = 0;
  size_t windows = 0;
  size_t candidate_pairs = 0;
  size_t reported_pairs = 0;
  size_t oversized_buckets = 0;
  // Distinct member sets of the oversized buckets (more than
  // WindowOptions::max_bucket documents): each was aligned only as a star
  // around its first member.
  size_t candidate_groups = 0;
  // Document pairs inside those groups that no other bucket made candidates,
  // so they were not aligned: what the bucket cap left out.
  size_t capped_pairs = 0;
  size_t boilerplate_bigrams = 0;
};

struct ScanResult {
  // Ordered by (a, b).
  std::vector<DocumentPair> pairs;
  ScanStats stats;
};

// Finds every pair of documents that share passages. Errors: a document of
// 4 GiB or more, or invalid window options (InvalidArgument); cancelled
// through ScanOptions::cancel (Cancelled).
absl::StatusOr<ScanResult> Scan(const std::vector<Document>& documents,
                                const ScanOptions& options = {});

}  // namespace neardup

#endif  // NEARDUP_NEARDUP_H_
