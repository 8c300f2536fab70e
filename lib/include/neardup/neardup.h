// neardup: find duplicate and near-duplicate text and the passages it shares.
//
// The library never prints and never exits: every call returns data or an
// absl::Status. All spans point into the caller's original text.
//
// Thread-safety, as a rule: a function of this API may be called from many
// threads at once; it reads its arguments and writes only what it returns.
// An object (Scanner, Deduplicator, InputReader) is safe to share between
// threads only where its class says so. A call that takes a `threads` option
// starts at most that many threads (the calling thread included) and has
// joined them all when it returns; every other call runs on the calling
// thread only. Callbacks (progress) are called on the calling thread.
//
// Options are checked at every entry point (neardup/options.h): a bad value
// is an InvalidArgument error naming the field, never undefined behaviour.
#ifndef NEARDUP_NEARDUP_H_
#define NEARDUP_NEARDUP_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "neardup/version.h"

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
  // The short-text rule. A passage with fewer than min_tokens matching
  // words is still reported when it spans at least short_text_share of the
  // shorter text's tokens on both sides and has at least
  // short_text_min_tokens matching words, provided the shorter text has
  // fewer than 2 * min_tokens tokens. So two identical 19-word posts, or a
  // 12-word headline copied into an article, are a pair, while a 10-word
  // title shared by two long articles is not. A passage covering this share
  // also counts when its matches are collection-level boilerplate (see
  // ScanOptions::boilerplate_documents), whatever the texts' length.
  // short_text_share in [0, 1] (above 1 turns the rule off; 0 would report
  // any chain of short_text_min_tokens between short texts); default 0.8.
  double short_text_share = 0.8;
  // At least 1; a value above min_tokens acts as min_tokens. Default: 8, a
  // little shorter than a headline.
  int short_text_min_tokens = 8;
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
// bytes and in Unicode code points. In text that is not valid UTF-8, each
// maximal ill-formed subpart (Unicode section 3.9: e.g. a truncated 3-byte
// sequence E2 82, or one stray byte) counts as one code point: the text reads
// as if each were one U+FFFD, as Python's bytes.decode("utf-8", "replace"),
// ICU and browsers decode it. So char offsets index the decoded string.
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

// Where a running Compare or Scan is, for a progress display.
struct Progress {
  // The stage's name; see CompareOptions::progress and ScanOptions::progress.
  std::string_view stage;
  size_t done = 0;   // units of work done in this stage
  size_t total = 0;  // units of work in this stage
};

struct CompareOptions {
  AnalyzeOptions analyze;
  AlignOptions align;
  // If set, called on the thread that called Compare as each stage starts
  // and ends: "analysing" (done, total: texts analysed, of 2), then
  // "aligning" (0 or 1, of 1). Must not call Compare.
  std::function<void(const Progress&)> progress;
  // If set, Compare checks *cancel between stages and, once it is true,
  // returns absl::CancelledError instead of a result. Set it from any thread
  // or a signal handler (the atomic is lock-free).
  const std::atomic<bool>* cancel = nullptr;
};

// Returns every passage that `a` and `b` share, ordered by a.begin, then
// b.begin. Both texts are UTF-8; invalid bytes are tolerated. Errors: bad
// options or a text of 4 GiB or more (InvalidArgument); cancelled through
// CompareOptions::cancel (Cancelled).
// Thread-safe; runs on the calling thread only (call it from several threads
// to compare several pairs at once).
absl::StatusOr<std::vector<Passage>> Compare(
    std::string_view a, std::string_view b, const CompareOptions& options = {});

// How `Scan` picks the document pairs it aligns: MinHash over overlapping
// windows of tokens, banded LSH over the window sketches.
struct WindowOptions {
  // Window length and stride, in tokens. Default: 48 and 24. (32 and 16
  // find slightly more loosely reworded passages, 99.4 % of compare's pairs
  // on SaudiNewsNet's sample-1k against 97.3 %, at 1.4 times the time and
  // twice the candidates on the whole collection: docs/DESIGN.md.)
  int window_tokens = 48;
  int window_stride = 24;
  // Number of MinHash values per window. Default: 64.
  int num_hashes = 64;
  // Two windows whose Jaccard similarity (of their sets of token bigrams)
  // reaches this are likely to become candidates; the LSH bands and rows are
  // chosen from it, weighing missed pairs 4 times more than extra ones
  // (0.3 with 64 hashes: 24 bands of 2 rows, so a window pair at 0.3
  // collides with probability 0.90, at 0.1 with 0.21). Candidate pairs that
  // cannot hold a passage of min_tokens words are dropped before alignment
  // at little cost. Default: 0.3.
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

// A document the caller owns, for Scanner::Add.
struct DocumentView {
  std::string_view id;
  std::string_view text;
  // True when `id` only says where the text was read (InputRecord::origin:
  // a text file's path, or "path:line" for a JSON Lines record without an
  // id), not which document it is. The feed index adds such a document even
  // when another batch has the same id: tomorrow's "-:1" is not today's.
  bool id_is_origin = false;
};

// Scan's stages are "analysing", "sketching", "finding candidates" and
// "aligning", in that order; done and total count documents (candidate
// pairs, when aligning).
using ScanProgress = Progress;

struct ScanOptions {
  AnalyzeOptions analyze;
  AlignOptions align;
  WindowOptions windows;
  // Collection-level boilerplate (titles of officials, bylines, footers,
  // agency credits): words matched inside it on both sides still join a
  // passage but do not count toward AlignOptions::min_tokens. Text is
  // boilerplate when it is a run of consecutive word pairs each found in more
  // than `boilerplate_documents` documents, and the run is shorter than
  // `boilerplate_max_tokens` words: a longer run that many documents carry
  // is a syndicated passage, which is reuse and is reported. On SaudiNewsNet
  // (31k articles) this removes pairs that share only a royal title.
  // Collections of at most `boilerplate_documents` documents have no
  // frequent word pairs. 0 disables the rule. Default: 50.
  int boilerplate_documents = 50;
  // Runs of frequent word pairs covering at least this many words are not
  // boilerplate. 0: runs of any length are. Default: 40 (twice the default
  // min_tokens; the longest stock phrases of SaudiNewsNet are shorter).
  int boilerplate_max_tokens = 40;
  // The user's own boilerplate: every occurrence of one of these phrases
  // (compared after analysis, like passages) is boilerplate, whatever its
  // length or frequency. Phrases without words are ignored. Default: none.
  std::vector<std::string> boilerplate_phrases;
  // Documents that candidate pairs link, directly or through each other,
  // into a group of more than this many are aligned along a spanning tree of
  // their candidate pairs (about one alignment per document instead of one
  // per pair), and the passages they share are reported as ReuseClusters.
  // Smaller groups are aligned pair by pair. At least 2. Default: 4.
  int cluster_documents = 4;
  // A document that holds another's whole text with at most a few words
  // added (at most 8, and 1 for every 8 of the other's) is aligned with that
  // document only, and reported with its passages, located in its own text:
  // k copies of an article cost k alignments, not k^2 / 2, and count once
  // toward boilerplate. Off: every copy is sketched and aligned like any
  // other document. Default: on.
  bool collapse_copies = true;
  // Worker threads, the calling thread included; 0 means one per core. At
  // most kMaxThreads (neardup/options.h). The result does not depend on it.
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

// One document's part in a ReuseCluster.
struct ClusterMember {
  size_t document = 0;  // index into the input
  TextSpan span;        // the shared text in that document
};

// A passage shared by three or more documents, reported once (as passim
// reports reprints) instead of as a pair for every two of them. Built from
// the alignments of a group's spanning tree: passages that overlap by at
// least half of the longer in some document are one cluster.
struct ReuseCluster {
  // Ordered by (document, span.begin). A document holding two separate
  // stretches of the cluster's text appears twice.
  std::vector<ClusterMember> members;
  size_t documents = 0;  // distinct documents among the members, >= 3
};

// Text treated as boilerplate, once per distinct run of token keys found in
// two or more documents (or matching a user's phrase).
struct BoilerplateText {
  size_t document = 0;       // the first document it occurs in
  TextSpan span;             // where, in that document's original text
  size_t documents = 0;      // how many documents it occurs in
  bool user_phrase = false;  // one of ScanOptions::boilerplate_phrases
};

struct ScanStats {
  size_t documents = 0;
  size_t tokens = 0;
  size_t windows = 0;
  size_t candidate_pairs = 0;
  size_t aligned_pairs = 0;  // candidate pairs actually aligned
  size_t reported_pairs = 0;
  size_t clusters = 0;
  size_t cluster_members = 0;
  // Documents of clustered groups (see ScanOptions::cluster_documents);
  // their candidate pairs not on the spanning tree are only aligned for a
  // document the tree's alignments did not place in any passage.
  size_t clustered_documents = 0;
  size_t oversized_buckets = 0;
  // Distinct member sets of the oversized buckets (more than
  // WindowOptions::max_bucket documents): each was aligned only as a star
  // around its first member.
  size_t candidate_groups = 0;
  // Document pairs inside those groups that no other bucket made candidates,
  // so they were not aligned: what the bucket cap left out.
  size_t capped_pairs = 0;
  size_t boilerplate_bigrams = 0;
  size_t boilerplate_texts = 0;   // == ScanResult::boilerplate.size()
  size_t boilerplate_tokens = 0;  // tokens flagged, over all documents
  // Documents that hold another's whole text with at most a few words added
  // (copies.h): each was aligned only with that document, and its passages
  // with others are that document's, located in its own text.
  size_t copies = 0;
  // Pairs whose passages were so carried over to a copy, not aligned.
  size_t derived_pairs = 0;
};

struct ScanResult {
  // Ordered by (a, b). Every pair of documents of a small group (see
  // ScanOptions::cluster_documents) that shares a passage, and in larger
  // groups the passages that only two documents share.
  std::vector<DocumentPair> pairs;
  // Passages shared by three or more documents of a large group, ordered by
  // their first member.
  std::vector<ReuseCluster> clusters;
  // What was treated as boilerplate, most frequent first.
  std::vector<BoilerplateText> boilerplate;
  ScanStats stats;
};

// Finds every document that shares passages with another: as pairs, and as
// clusters where many documents share one passage. Every document that
// shares a passage found by alignment is in some pair or cluster. Errors: a
// document of 4 GiB or more, or invalid window options (InvalidArgument);
// cancelled through ScanOptions::cancel (Cancelled). Bad options are
// InvalidArgument too. Thread-safe; uses ScanOptions::threads threads.
absl::StatusOr<ScanResult> Scan(const std::vector<Document>& documents,
                                const ScanOptions& options = {});

class SpilledTexts;

// Scan, fed a document or a batch at a time, e.g. as they are read:
//
//   auto scanner = Scanner::Create(options);
//   if (!scanner.ok()) ...
//   for (...) status = (*scanner)->Add(id, text);
//   absl::StatusOr<ScanResult> result = (*scanner)->Finish();
//
// Its result is Scan's on the documents in the order they were added. The
// Scanner keeps the texts in a temporary file (unlinked when it is created,
// so nothing is left on disk however the process ends), and in memory only
// the ids and, in Finish, what Scan keeps per token (docs/DESIGN.md,
// "Memory of scan"): memory does not grow with the texts.
//
// Not thread-safe: call one Scanner from one thread at a time (Finish uses
// ScanOptions::threads threads inside). Distinct Scanners are independent.
class Scanner {
 public:
  // Checks the options (neardup/options.h) and creates the temporary file
  // in `temp_dir` (empty: $TMPDIR, or /tmp). Errors: bad options
  // (InvalidArgument); the file cannot be created (Internal).
  static absl::StatusOr<std::unique_ptr<Scanner>> Create(
      const ScanOptions& options = {}, const std::string& temp_dir = "");

  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;
  ~Scanner();

  // Adds one document; its index in the result is the number of documents
  // added before it. Errors: a text of 4 GiB or more, 2^32 documents
  // (InvalidArgument); Add after Finish (FailedPrecondition); the temporary
  // file cannot be written, e.g. the disk is full (Internal).
  absl::Status Add(std::string_view id, std::string_view text);
  absl::Status Add(const Document& document);
  // Adds a batch, in order; on an error none of the batch is added.
  absl::Status Add(absl::Span<const DocumentView> batch);

  // Number of documents added so far.
  size_t size() const;

  // The id and the text of the document at `index` (the result's indices),
  // for writing what Finish found; the text is read back from the temporary
  // file. REQUIRES for id: index < size(). Errors of text: index out of
  // range (OutOfRange); a failed read (Internal).
  const std::string& id(size_t index) const;
  absl::StatusOr<std::string> text(size_t index) const;

  // Scans the documents added. Call at most once; a cancelled Finish can
  // not be resumed.
  absl::StatusOr<ScanResult> Finish();

 private:
  Scanner(const ScanOptions& options, std::unique_ptr<SpilledTexts> texts);

  ScanOptions options_;
  std::vector<std::string> ids_;
  std::unique_ptr<SpilledTexts> texts_;  // lib/src/text_store.h
  bool finished_ = false;
};

}  // namespace neardup

#endif  // NEARDUP_NEARDUP_H_
