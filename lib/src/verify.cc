#include "verify.h"

#include <algorithm>
#include <vector>

namespace neardup {

PassageSimilarity MeasurePassage(absl::Span<const uint64_t> a,
                                 absl::Span<const uint64_t> b) {
  PassageSimilarity result;
  if (a.empty() && b.empty()) return result;
  std::vector<uint64_t> x(a.begin(), a.end());
  std::vector<uint64_t> y(b.begin(), b.end());
  std::sort(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  size_t i = 0, j = 0;
  while (i < x.size() && j < y.size()) {
    if (x[i] < y[j]) {
      ++i;
    } else if (y[j] < x[i]) {
      ++j;
    } else {
      ++result.matched;
      ++i;
      ++j;
    }
  }
  result.dice = 2.0 * result.matched / static_cast<double>(x.size() + y.size());
  return result;
}

}  // namespace neardup
