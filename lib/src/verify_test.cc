#include "verify.h"

#include <vector>

#include "gtest/gtest.h"

namespace neardup {
namespace {

TEST(MeasurePassageTest, CountsMultisetIntersection) {
  const std::vector<uint64_t> a = {1, 2, 2, 3, 4};
  const std::vector<uint64_t> b = {2, 4, 2, 2, 9, 1};
  const PassageSimilarity s = MeasurePassage(a, b);
  EXPECT_EQ(s.matched, 4u);  // 1, 2, 2, 4
  EXPECT_DOUBLE_EQ(s.dice, 8.0 / 11.0);
}

TEST(MeasurePassageTest, OrderDoesNotMatter) {
  const std::vector<uint64_t> a = {1, 2, 3}, b = {3, 1, 2};
  EXPECT_DOUBLE_EQ(MeasurePassage(a, b).dice, 1.0);
}

TEST(MeasurePassageTest, EmptyAndDisjoint) {
  const std::vector<uint64_t> empty, a = {1, 2}, b = {3};
  EXPECT_DOUBLE_EQ(MeasurePassage(empty, empty).dice, 0.0);
  EXPECT_DOUBLE_EQ(MeasurePassage(a, b).dice, 0.0);
  EXPECT_EQ(MeasurePassage(a, empty).matched, 0u);
}

}  // namespace
}  // namespace neardup
