#include "boilerplate.h"

#include <algorithm>

#include "shingle.h"

// Inline XXH3, as shingle.cc does: run hashes cover a few dozen keys.
#define XXH_INLINE_ALL
#include "xxhash.h"

namespace neardup {

absl::flat_hash_set<uint64_t> FrequentBigrams(
    const std::vector<AnalyzedText>& documents, int max_documents,
    absl::Span<const uint8_t> skip) {
  absl::flat_hash_set<uint64_t> frequent;
  const auto skipped = [&skip](size_t d) { return !skip.empty() && skip[d]; };
  size_t counted = 0;
  for (size_t d = 0; d < documents.size(); ++d) counted += !skipped(d);
  if (counted <= static_cast<size_t>(std::max(0, max_documents))) {
    return frequent;  // no bigram can be in more documents than there are
  }
  // Every document's distinct bigrams in one array; sorted, a bigram's run
  // length is its document frequency. Reserved at its largest possible size
  // (8 bytes a token), so that it is not reallocated, briefly 3 times that,
  // as it grows; reserved pages never written are not resident.
  std::vector<uint64_t> all, bigrams;
  size_t most = 0;
  for (size_t d = 0; d < documents.size(); ++d) {
    if (skipped(d)) continue;
    most += documents[d].size() > 1 ? documents[d].size() - 1 : 0;
  }
  all.reserve(most);
  for (size_t d = 0; d < documents.size(); ++d) {
    const AnalyzedText& document = documents[d];
    if (skipped(d) || document.size() < 2) continue;
    ShingleHashes(document.keys, 2, &bigrams);
    std::sort(bigrams.begin(), bigrams.end());
    bigrams.erase(std::unique(bigrams.begin(), bigrams.end()), bigrams.end());
    all.insert(all.end(), bigrams.begin(), bigrams.end());
  }
  std::sort(all.begin(), all.end());
  for (size_t k = 0; k < all.size();) {
    size_t end = k + 1;
    while (end < all.size() && all[end] == all[k]) ++end;
    if (end - k > static_cast<size_t>(max_documents)) frequent.insert(all[k]);
    k = end;
  }
  return frequent;
}

uint64_t KeySequenceHash(absl::Span<const uint64_t> keys) {
  return XXH3_64bits(keys.data(), keys.size() * sizeof(uint64_t));
}

void MarkBoilerplate(absl::Span<const uint64_t> keys,
                     const absl::flat_hash_set<uint64_t>& frequent,
                     int max_run_tokens, std::vector<uint8_t>* boilerplate,
                     std::vector<BoilerplateRun>* runs) {
  boilerplate->assign(keys.size(), 0);
  if (keys.size() < 2 || frequent.empty()) return;
  std::vector<uint64_t> bigrams;
  ShingleHashes(keys, 2, &bigrams);  // bigrams[i] covers tokens i and i + 1
  const size_t longest = max_run_tokens > 0
                             ? static_cast<size_t>(max_run_tokens)
                             : keys.size() + 1;
  for (size_t i = 0; i < bigrams.size();) {
    if (!frequent.contains(bigrams[i])) {
      ++i;
      continue;
    }
    size_t j = i + 1;  // bigrams [i, j) are frequent: tokens [i, j + 1)
    while (j < bigrams.size() && frequent.contains(bigrams[j])) ++j;
    const TokenRange covered{static_cast<uint32_t>(i),
                             static_cast<uint32_t>(j + 1)};
    // A run that is the whole text is that text, not boilerplate in it.
    if (covered.size() < longest && covered.size() < keys.size()) {
      // Interior tokens, and the run's ends where they are the text's ends.
      const size_t first = i == 0 ? 0 : i + 1;
      const size_t last = j == bigrams.size() ? j + 1 : j;
      for (size_t t = first; t < last; ++t) (*boilerplate)[t] = 1;
      if (runs != nullptr && last > first) {
        runs->push_back(
            {covered, KeySequenceHash(keys.subspan(i, covered.size())), false});
      }
    }
    i = j;
  }
}

PhraseMatcher::PhraseMatcher(std::vector<std::vector<uint64_t>> phrases) {
  for (std::vector<uint64_t>& phrase : phrases) {
    if (phrase.empty()) continue;
    by_first_key_[phrase[0]].push_back(static_cast<uint32_t>(phrases_.size()));
    hashes_.push_back(KeySequenceHash(phrase));
    phrases_.push_back(std::move(phrase));
  }
}

void PhraseMatcher::Mark(absl::Span<const uint64_t> keys,
                         std::vector<uint8_t>* boilerplate,
                         std::vector<BoilerplateRun>* runs) const {
  if (boilerplate->size() != keys.size()) boilerplate->assign(keys.size(), 0);
  for (size_t i = 0; i < keys.size(); ++i) {
    const auto found = by_first_key_.find(keys[i]);
    if (found == by_first_key_.end()) continue;
    for (const uint32_t p : found->second) {
      const std::vector<uint64_t>& phrase = phrases_[p];
      if (keys.size() - i < phrase.size() ||
          !std::equal(phrase.begin(), phrase.end(), keys.begin() + i)) {
        continue;
      }
      std::fill_n(boilerplate->begin() + i, phrase.size(), 1);
      runs->push_back(
          {{static_cast<uint32_t>(i), static_cast<uint32_t>(i + phrase.size())},
           hashes_[p],
           true});
    }
  }
}

}  // namespace neardup
