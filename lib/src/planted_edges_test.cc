#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "neardup/neardup.h"
#include "planted_text.h"

namespace neardup {
namespace {

using testing::MeasureSpans;
using testing::PlantedLanguages;
using testing::PlantedPair;
using testing::PlantPassage;

// A passage starts at its first and ends at its last token matched on both
// sides: shared function words in the unrelated text around it must not pull
// its edges outward (they used to, by 12 words in English and 90-120 bytes
// in Hindi and emoji text; Chinese passages began inside unrelated
// sentences).
TEST(CompareEdgesTest, PlantedPassageIsReportedWithExactEdgesInEveryScript) {
  for (const testing::Language& language : PlantedLanguages()) {
    for (uint32_t seed = 1; seed <= 8; ++seed) {
      const PlantedPair pair = PlantPassage(language, 60, 60, seed);
      const auto passages = Compare(pair.a, pair.b);
      ASSERT_TRUE(passages.ok()) << passages.status();
      std::vector<std::pair<size_t, size_t>> a_spans, b_spans;
      for (const Passage& passage : *passages) {
        a_spans.emplace_back(passage.a.begin, passage.a.end);
        b_spans.emplace_back(passage.b.begin, passage.b.end);
      }
      const auto a = MeasureSpans(a_spans, pair.a_begin, pair.a_end);
      const auto b = MeasureSpans(b_spans, pair.b_begin, pair.b_end);
      SCOPED_TRACE(language.name + ", seed " + std::to_string(seed));
      EXPECT_GE(a.precision, 0.95) << pair.a;
      EXPECT_GE(a.recall, 0.95) << pair.a;
      EXPECT_GE(b.precision, 0.95) << pair.b;
      EXPECT_GE(b.recall, 0.95) << pair.b;
    }
  }
}

}  // namespace
}  // namespace neardup
