// Candidate recall of `Scan`: every pair of documents of a (small) input is
// aligned directly, as `compare` does, and the pairs that have a passage are
// checked against what `Scan` reports with the same passage settings and
// boilerplate off. Prints the recall, and for each missed pair the token
// counts and the best window Jaccard, to show why the sketches missed it.
//
// Usage: scan_recall FILE [--min-tokens N] [--threads N] [--show N]
//        [--window N] [--stride N] [--hashes N] [--threshold X]
// (run through bench/scan_recall.sh). Quadratic: 1,000 documents are about
// 500k alignments, some seconds on 2 cores.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "align.h"
#include "analyze.h"
#include "neardup/input.h"
#include "neardup/neardup.h"
#include "parallel.h"
#include "shingle.h"

namespace {

using neardup::AlignedPassage;
using neardup::AlignInput;
using neardup::AnalyzedText;
using neardup::Document;
using neardup::KeyIndex;

// Exact best Jaccard of token-bigram sets over all pairs of windows of the
// two documents (the windows Scan sketches), for diagnosis.
double BestWindowJaccard(absl::Span<const uint64_t> a,
                         absl::Span<const uint64_t> b, size_t length,
                         size_t stride) {
  auto windows = [&](size_t n) {
    std::vector<std::pair<size_t, size_t>> out;
    if (n <= length) {
      out.emplace_back(0, n);
      return out;
    }
    for (size_t s = 0;; s += stride) {
      const size_t e = std::min(n, s + length);
      out.emplace_back(s, e);
      if (e == n) break;
    }
    return out;
  };
  double best = 0;
  std::vector<uint64_t> x, y;
  for (auto [sa, ea] : windows(a.size())) {
    neardup::ShingleHashes(a.subspan(sa, ea - sa), 2, &x);
    for (auto [sb, eb] : windows(b.size())) {
      neardup::ShingleHashes(b.subspan(sb, eb - sb), 2, &y);
      best = std::max(best, neardup::ExactJaccard(x, y));
    }
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: scan_recall FILE [--min-tokens N] [--threads N] "
                 "[--show N]\n");
    return 2;
  }
  neardup::ScanOptions scan_options;
  scan_options.boilerplate_documents = 0;
  int show = 20;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--min-tokens") == 0) {
      scan_options.align.min_tokens = std::atoi(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--threads") == 0) {
      scan_options.threads = std::atoi(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--window") == 0) {
      scan_options.windows.window_tokens = std::atoi(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--stride") == 0) {
      scan_options.windows.window_stride = std::atoi(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--hashes") == 0) {
      scan_options.windows.num_hashes = std::atoi(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--threshold") == 0) {
      scan_options.windows.threshold = std::atof(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--show") == 0) {
      show = std::atoi(argv[i + 1]);
    }
  }
  auto reader = neardup::InputReader::Open({argv[1]});
  if (!reader.ok()) {
    std::fprintf(stderr, "%s\n", reader.status().ToString().c_str());
    return 2;
  }
  std::vector<Document> documents;
  neardup::InputRecord record;
  while (true) {
    auto more = (*reader)->Next(&record);
    if (!more.ok()) {
      std::fprintf(stderr, "%s\n", more.status().ToString().c_str());
      return 2;
    }
    if (!*more) break;
    documents.push_back({record.id, record.text});
  }
  const size_t n = documents.size();
  const int workers = neardup::ResolveThreads(scan_options.threads);

  // Brute force: what Compare reports, pair by pair.
  std::vector<AnalyzedText> analyzed(n);
  std::vector<KeyIndex> index(n);
  {
    std::vector<neardup::Analyzer> analyzers(
        workers, neardup::Analyzer(scan_options.analyze));
    neardup::ParallelFor(n, workers, 16, [&](size_t d, int w) {
      analyzers[w].Analyze(documents[d].text, &analyzed[d]);
      index[d] = neardup::IndexKeys(analyzed[d].keys);
    });
  }
  std::vector<std::vector<uint8_t>> has_passage(n, std::vector<uint8_t>(n));
  neardup::ParallelFor(n, workers, 4, [&](size_t a, int) {
    for (size_t b = a + 1; b < n; ++b) {
      const std::vector<AlignedPassage> aligned = neardup::AlignPassages(
          AlignInput{analyzed[a].keys, &index[a], {}},
          AlignInput{analyzed[b].keys, &index[b], {}}, scan_options.align);
      has_passage[a][b] = !aligned.empty();
    }
  });

  auto result = neardup::Scan(documents, scan_options);
  if (!result.ok()) {
    std::fprintf(stderr, "%s\n", result.status().ToString().c_str());
    return 2;
  }
  std::set<std::pair<size_t, size_t>> reported;
  for (const auto& pair : result->pairs) reported.insert({pair.a, pair.b});
  // Two documents in one reuse cluster are reported together too.
  for (const auto& cluster : result->clusters) {
    for (size_t x = 0; x < cluster.members.size(); ++x) {
      for (size_t y = x + 1; y < cluster.members.size(); ++y) {
        const size_t a = cluster.members[x].document;
        const size_t b = cluster.members[y].document;
        if (a != b) reported.insert({std::min(a, b), std::max(a, b)});
      }
    }
  }

  size_t truth = 0, found = 0, extra = 0;
  std::vector<std::pair<size_t, size_t>> missed;
  for (size_t a = 0; a < n; ++a) {
    for (size_t b = a + 1; b < n; ++b) {
      const bool in_scan = reported.count({a, b}) > 0;
      if (has_passage[a][b]) {
        ++truth;
        if (in_scan) {
          ++found;
        } else {
          missed.emplace_back(a, b);
        }
      } else if (in_scan) {
        ++extra;
      }
    }
  }
  std::printf(
      "documents %zu, windows %zu, candidate pairs %zu (%zu aligned)\n"
      "pairs with a passage (brute force): %zu\n"
      "reported by scan: %zu of them (recall %.2f %%), %zu others\n",
      n, result->stats.windows, result->stats.candidate_pairs,
      result->stats.aligned_pairs, truth, found,
      truth == 0 ? 100.0 : 100.0 * static_cast<double>(found) / truth, extra);
  const neardup::WindowOptions& w = scan_options.windows;
  for (size_t i = 0; i < missed.size() && static_cast<int>(i) < show; ++i) {
    const auto [a, b] = missed[i];
    const std::vector<AlignedPassage> aligned = neardup::AlignPassages(
        AlignInput{analyzed[a].keys, &index[a], {}},
        AlignInput{analyzed[b].keys, &index[b], {}}, scan_options.align);
    for (const AlignedPassage& p : aligned) {
      std::vector<uint64_t> x, y;
      neardup::ShingleHashes(absl::Span<const uint64_t>(analyzed[a].keys)
                                 .subspan(p.a.begin, p.a.size()),
                             2, &x);
      neardup::ShingleHashes(absl::Span<const uint64_t>(analyzed[b].keys)
                                 .subspan(p.b.begin, p.b.size()),
                             2, &y);
      absl::flat_hash_set<uint64_t> sx(x.begin(), x.end());
      size_t common = 0;
      absl::flat_hash_set<uint64_t> sy(y.begin(), y.end());
      for (uint64_t v : sy) common += sx.count(v);
      std::printf(
          "  passage a %u+%u b %u+%u anchors %u matched %u score %.2f shared "
          "bigrams %zu\n",
          p.a.begin, p.a.size(), p.b.begin, p.b.size(), p.anchors, p.matched,
          p.score, common);
    }
    std::printf(
        "missed %s (%zu tokens) / %s (%zu tokens): best window "
        "bigram Jaccard %.3f\n",
        documents[a].id.c_str(), analyzed[a].size(), documents[b].id.c_str(),
        analyzed[b].size(),
        BestWindowJaccard(analyzed[a].keys, analyzed[b].keys,
                          static_cast<size_t>(w.window_tokens),
                          static_cast<size_t>(w.window_stride)));
  }
  return 0;
}
