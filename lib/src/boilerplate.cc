#include "boilerplate.h"

#include <algorithm>

#include "shingle.h"

namespace neardup {

absl::flat_hash_set<uint64_t> FrequentBigrams(
    const std::vector<AnalyzedText>& documents, int max_documents) {
  absl::flat_hash_set<uint64_t> frequent;
  if (documents.size() <= static_cast<size_t>(std::max(0, max_documents))) {
    return frequent;  // no bigram can be in more documents than there are
  }
  // Every document's distinct bigrams in one array; sorted, a bigram's run
  // length is its document frequency. Reserved at its largest possible size
  // (8 bytes a token), so that it is not reallocated, briefly 3 times that,
  // as it grows; reserved pages never written are not resident.
  std::vector<uint64_t> all, bigrams;
  size_t most = 0;
  for (const AnalyzedText& document : documents) {
    most += document.size() > 1 ? document.size() - 1 : 0;
  }
  all.reserve(most);
  for (const AnalyzedText& document : documents) {
    if (document.size() < 2) continue;
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

void MarkBoilerplate(absl::Span<const uint64_t> keys,
                     const absl::flat_hash_set<uint64_t>& frequent,
                     std::vector<uint8_t>* boilerplate) {
  boilerplate->assign(keys.size(), 0);
  if (keys.size() < 2 || frequent.empty()) return;
  std::vector<uint64_t> bigrams;
  ShingleHashes(keys, 2, &bigrams);  // bigrams[i] covers tokens i and i + 1
  std::vector<uint8_t> common(bigrams.size());
  for (size_t i = 0; i < bigrams.size(); ++i) {
    common[i] = frequent.contains(bigrams[i]) ? 1 : 0;
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    const bool left = i == 0 || common[i - 1];
    const bool right = i + 1 == keys.size() || common[i];
    (*boilerplate)[i] = left && right ? 1 : 0;
  }
}

}  // namespace neardup
