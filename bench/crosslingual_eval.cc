// Measures compare --cross-lingual on a list of English/Arabic pairs (made by
// bench/crosslingual_eval.py): how many translated pairs are found, how many
// unrelated pairs are reported, the precision and recall of the located
// Arabic spans, and the time taken, against the same-language Compare on the
// same pairs.
//
//   crosslingual_eval LEXICON_DIR PAIRS.tsv
//
// Each line of PAIRS.tsv: kind (pair, unrelated or embedded), the English
// file, the Arabic file, and the byte range of the Arabic file that
// translates the English one (embedded only), tab-separated. Odd lines are
// compared Arabic first.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "neardup/crosslingual.h"
#include "neardup/neardup.h"

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since)
      .count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::fprintf(
        stderr,
        "usage: crosslingual_eval LEXICON_DIR PAIRS.tsv [MIN_CHAIN_SCORE]\n");
    return 2;
  }
  auto start = std::chrono::steady_clock::now();
  auto lexicon = neardup::Lexicon::Load(argv[1]);
  if (!lexicon.ok()) {
    std::fprintf(stderr, "%s\n",
                 std::string(lexicon.status().message()).c_str());
    return 2;
  }
  const double load_seconds = Seconds(start);
  neardup::CrossLingualOptions options;
  if (argc == 4) options.min_chain_score = std::stod(argv[3]);
  std::ifstream list(argv[2]);
  std::string line;
  size_t pairs = 0, found = 0, unrelated = 0, reported = 0, embedded = 0,
         embedded_found = 0, line_number = 0;
  double overlap = 0, reported_bytes = 0, true_bytes = 0, bytes = 0;
  double cross_seconds = 0, compare_seconds = 0;
  std::vector<std::string> misses;
  while (std::getline(list, line)) {
    const std::vector<std::string> fields = absl::StrSplit(line, '\t');
    if (fields.size() < 3) continue;
    const std::string english = ReadFile(fields[1]);
    const std::string arabic = ReadFile(fields[2]);
    const bool arabic_first = line_number++ % 2 == 1;
    const std::string& a = arabic_first ? arabic : english;
    const std::string& b = arabic_first ? english : arabic;
    bytes += static_cast<double>(a.size() + b.size());
    start = std::chrono::steady_clock::now();
    auto passages = neardup::CompareCrossLingual(**lexicon, a, b, options);
    cross_seconds += Seconds(start);
    start = std::chrono::steady_clock::now();
    auto same_language = neardup::Compare(a, b);
    compare_seconds += Seconds(start);
    if (!passages.ok()) {
      std::fprintf(stderr, "%s: %s\n", line.c_str(),
                   std::string(passages.status().message()).c_str());
      return 2;
    }
    const bool any = !passages->empty();
    if (fields[0] == "pair") {
      ++pairs;
      found += any;
      if (!any) misses.push_back("missed: " + fields[1] + " " + fields[2]);
    } else if (fields[0] == "unrelated") {
      ++unrelated;
      reported += any;
      if (any) misses.push_back("reported: " + fields[1] + " " + fields[2]);
    } else if (fields[0] == "embedded" && fields.size() >= 5) {
      ++embedded;
      embedded_found += any;
      const double begin = std::stod(fields[3]), end = std::stod(fields[4]);
      true_bytes += end - begin;
      for (const neardup::Passage& passage : *passages) {
        const neardup::TextSpan& span = arabic_first ? passage.a : passage.b;
        reported_bytes += span.end - span.begin;
        overlap += std::max(0.0, std::min<double>(end, span.end) -
                                     std::max<double>(begin, span.begin));
      }
    }
  }
  std::printf("lexicon: %zu Arabic keys, %zu English stems, loaded in %.2f s\n",
              (*lexicon)->arabic_keys(), (*lexicon)->english_stems(),
              load_seconds);
  std::printf("translated pairs found: %zu / %zu (%.1f %%)\n", found, pairs,
              pairs ? 100.0 * found / pairs : 0.0);
  std::printf("unrelated pairs reported: %zu / %zu (%.2f %%)\n", reported,
              unrelated, unrelated ? 100.0 * reported / unrelated : 0.0);
  std::printf(
      "embedded passages found: %zu / %zu; Arabic span precision %.3f, "
      "recall %.3f\n",
      embedded_found, embedded,
      reported_bytes > 0 ? overlap / reported_bytes : 0.0,
      true_bytes > 0 ? overlap / true_bytes : 0.0);
  std::printf(
      "time: cross-lingual %.3f s, same-language compare %.3f s on the same "
      "%zu pairs (%.1f MB)\n",
      cross_seconds, compare_seconds, line_number, bytes / 1e6);
  for (const std::string& miss : misses)
    std::printf("missed: %s\n", miss.c_str());
  return 0;
}
