#include "neardup/contamination.h"

#include <string>
#include <thread>
#include <vector>

#include "analyze.h"
#include "gtest/gtest.h"

namespace neardup {
namespace {

// Unrelated quiz items: the benchmark the tests plant copies of.
const std::vector<std::string>& Questions() {
  static const auto* questions = new std::vector<std::string>{
      "Which of the following elements has the chemical symbol Fe and is the "
      "main component of steel?",
      "In what year did the Berlin Wall fall, reuniting East and West Germany "
      "after nearly three decades?",
      "Which of the following planets has the Great Red Spot, a storm larger "
      "than the Earth?",
      "The Nile flows northward through eleven countries before it empties "
      "into the Mediterranean Sea near Alexandria.",
      "What is the value of x if 3x plus 7 equals 22?",
      "Which of the following composers wrote the Moonlight Sonata while "
      "gradually losing his hearing?",
      "Photosynthesis converts carbon dioxide and water into glucose and "
      "oxygen using the energy of sunlight captured by chlorophyll.",
      "Who painted the ceiling of the Sistine Chapel between 1508 and 1512 at "
      "the request of Pope Julius II?",
      "Which of the following is the largest desert in Asia, stretching "
      "across northern China and southern Mongolia?",
      "What is the value of the speed of light in a vacuum, in kilometres per "
      "second, to the nearest thousand?",
      "Marie Curie won Nobel Prizes in both physics and chemistry for her "
      "research on radioactivity and the discovery of polonium.",
      "Which of the following rivers forms much of the border between the "
      "United States and Mexico?",
  };
  return *questions;
}

std::vector<BenchmarkItem> Items(const std::vector<std::string>& texts) {
  std::vector<BenchmarkItem> items;
  for (size_t i = 0; i < texts.size(); ++i) {
    items.push_back({"q" + std::to_string(i), {texts[i]}});
  }
  return items;
}

std::vector<ItemReport> ScanAll(std::vector<BenchmarkItem> items,
                                const std::vector<std::string>& docs,
                                const ContaminationOptions& options = {},
                                ContaminationStats* stats = nullptr) {
  auto index = ContaminationIndex::Create(std::move(items), options);
  EXPECT_TRUE(index.ok()) << index.status();
  if (!index.ok()) return {};
  auto scanner = (*index)->NewScanner();
  for (size_t d = 0; d < docs.size(); ++d) {
    EXPECT_TRUE(scanner->Scan(d, "d" + std::to_string(d), docs[d]).ok());
  }
  return (*index)->Report(stats);
}

const std::string kFiller =
    "The council met on Tuesday to discuss the budget for the coming year. "
    "Several members asked for more money for roads and schools, while others "
    "said taxes were already too high. A final vote is expected next month. ";

std::string Filler(int times) {
  std::string text;
  for (int i = 0; i < times; ++i) text += kFiller;
  return text;
}

TEST(ContaminationTest, VerbatimCopyIsContaminatedWithExactOffsets) {
  const std::string doc = Filler(3) + Questions()[3] + " " + Filler(2);
  const auto reports = ScanAll(Items(Questions()), {doc});
  ASSERT_EQ(reports.size(), Questions().size());
  const ItemReport& report = reports[3];
  EXPECT_EQ(report.status, ContaminationStatus::kContaminated);
  EXPECT_DOUBLE_EQ(report.contaminated_fraction, 1.0);
  ASSERT_EQ(report.matches.size(), 1u);
  const ContaminationMatch& match = report.matches[0];
  EXPECT_EQ(match.document_id, "d0");
  EXPECT_EQ(doc.substr(match.doc.begin, match.doc.end - match.doc.begin),
            Questions()[3].substr(0, Questions()[3].size() - 1));
  EXPECT_EQ(match.item.begin, 0u);
  EXPECT_EQ(report.longest_match, report.tokens);
  for (size_t i = 0; i < reports.size(); ++i) {
    if (i != 3) {
      EXPECT_EQ(reports[i].status, ContaminationStatus::kClean) << i;
    }
  }
}

TEST(ContaminationTest, CasePunctuationAndWhitespaceDoNotMatter) {
  const std::string doc =
      "in what YEAR did the berlin wall fall -- reuniting east & west "
      "germany,\n\n   after nearly three decades!!!";
  const auto reports = ScanAll(Items(Questions()), {doc});
  EXPECT_EQ(reports[1].status, ContaminationStatus::kContaminated);
  EXPECT_GE(reports[1].contaminated_fraction, 0.9);
}

TEST(ContaminationTest, HalfAnItemIsReportedAsHalf) {
  // The first half of item 6's words.
  const std::string doc =
      Filler(2) +
      "Photosynthesis converts carbon dioxide and water into glucose and "
      "oxygen. " +
      Filler(2);
  const auto reports = ScanAll(Items(Questions()), {doc});
  EXPECT_EQ(reports[6].status, ContaminationStatus::kPartial);
  EXPECT_GT(reports[6].contaminated_fraction, 0.35);
  // 11 of 18 words; alignment may take in one function word beyond.
  EXPECT_LT(reports[6].contaminated_fraction, 0.7)
      << reports[6].matches[0].doc_text;
}

TEST(ContaminationTest, LayoutDoesNotMatter) {
  // Re-wrapped every 8 words, one word hyphenated at a line end.
  const std::string doc = Filler(1) +
                          "Marie Curie won Nobel Prizes in both physics\n"
                          "and chemistry for her research on radio-\n"
                          "activity and the discovery of polonium.\n" +
                          Filler(40);
  const auto reports = ScanAll(Items(Questions()), {doc});
  EXPECT_EQ(reports[10].status, ContaminationStatus::kContaminated);
}

TEST(ContaminationTest, WordsPresentButNotTogetherAreClean) {
  // Every word of item 4, each far from the next.
  std::string doc;
  for (const char* word : {"What", "is", "the", "value", "of", "x", "if", "3x",
                           "plus", "7", "equals", "22"}) {
    doc += Filler(1) + word + " ";
  }
  const auto reports = ScanAll(Items(Questions()), {doc});
  EXPECT_EQ(reports[4].status, ContaminationStatus::kClean);
  EXPECT_TRUE(reports[4].matches.empty());
}

TEST(ContaminationTest, ShortItemCopiedWholeIsFound) {
  std::vector<std::string> texts = Questions();
  texts.push_back("Name the longest bone in the human body and its location.");
  ASSERT_EQ(texts.back().size() - std::string(texts.back()).size(), 0u);
  const std::string doc =
      Filler(5) + "name the longest bone in the human body and its location" +
      Filler(5);
  const auto reports = ScanAll(Items(texts), {doc});
  EXPECT_EQ(reports.back().tokens, 11u);
  EXPECT_EQ(reports.back().status, ContaminationStatus::kContaminated);
}

TEST(ContaminationTest, StockPhrasesSharedByManyItemsAreClean) {
  // A corpus document made of the phrases many items start with.
  const std::string doc =
      Filler(1) + "Which of the following is true? What is the value of it? " +
      "Which of the following statements. What is the value of the answer." +
      Filler(1);
  ContaminationStats stats;
  const auto reports = ScanAll(Items(Questions()), {doc}, {}, &stats);
  EXPECT_EQ(stats.clean, Questions().size());
  for (const ItemReport& report : reports) {
    EXPECT_TRUE(report.matches.empty())
        << report.id << " " << report.matches[0].reworded << " "
        << report.matches[0].doc_text;
  }
}

TEST(ContaminationTest, ArabicOrthographicVariants) {
  const std::vector<std::string> texts = {
      "أعلنت وزارة الصحة السعودية عن إطلاق حملة وطنية للتطعيم ضد الإنفلونزا "
      "الموسمية في جميع مناطق المملكة",
      "ما هي عاصمة المملكة العربية السعودية وما عدد سكانها التقريبي"};
  // Hamza forms dropped, ta marbuta as ha, alef maqsura, tashkeel, tatweel,
  // Arabic-Indic digits nowhere: the same words spelled as hurried writers do.
  const std::string doc =
      "خبر: اعلنت وزاره الصحـه السعوديه عن اطلاق حملة وَطنية للتطعيم ضد "
      "الانفلونزا الموسميه في جميع مناطق المملكه. انتهى";
  const auto reports = ScanAll(Items(texts), {doc});
  EXPECT_EQ(reports[0].status, ContaminationStatus::kContaminated);
  EXPECT_EQ(reports[1].status, ContaminationStatus::kClean);
}

TEST(ContaminationTest, RephrasedItemsAreAtLeastPartial) {
  // Rewordings that keep names, numbers and content words, in a new order.
  const std::vector<std::pair<int, std::string>> rephrased = {
      {1,
       "After nearly three decades dividing East and West Germany, when did "
       "the wall in Berlin come down?"},
      {7,
       "At the request of Pope Julius II, between 1508 and 1512, someone "
       "painted the Sistine Chapel's ceiling. Who?"},
      {10,
       "Her research on radioactivity and discovering polonium earned Marie "
       "Curie Nobel Prizes in chemistry as well as physics."},
      {11,
       "Much of the border between Mexico and the United States is formed by "
       "which river?"},
  };
  std::vector<std::string> docs;
  for (const auto& [item, text] : rephrased) {
    docs.push_back(Filler(2) + text + " " + Filler(2));
  }
  const auto reports = ScanAll(Items(Questions()), docs);
  for (const auto& [item, text] : rephrased) {
    EXPECT_NE(reports[item].status, ContaminationStatus::kClean) << text;
    ASSERT_FALSE(reports[item].matches.empty());
  }
  for (size_t i = 0; i < reports.size(); ++i) {
    if (i != 1 && i != 7 && i != 10 && i != 11) {
      EXPECT_EQ(reports[i].status, ContaminationStatus::kClean) << i;
    }
  }
}

TEST(ContaminationTest, MatchesSayWhichFieldTheyCover) {
  std::vector<BenchmarkItem> items = {
      {"a",
       {"Which scientist proposed the theory of general relativity in 1915?",
        "Albert Einstein, who published the field equations in Berlin that "
        "November"}}};
  const std::string doc =
      Filler(2) +
      "Albert Einstein, who published the field equations in Berlin that "
      "November" +
      Filler(2);
  const auto reports = ScanAll(std::move(items), {doc});
  ASSERT_EQ(reports[0].matches.size(), 1u);
  EXPECT_EQ(reports[0].matches[0].fields, 2u);  // the answer only
  EXPECT_EQ(reports[0].status, ContaminationStatus::kPartial);
}

TEST(ContaminationTest, EmptyBenchmark) {
  ContaminationStats stats;
  const auto reports = ScanAll({}, {Filler(2)}, {}, &stats);
  EXPECT_TRUE(reports.empty());
  EXPECT_EQ(stats.documents, 1u);
  EXPECT_EQ(stats.items, 0u);
}

TEST(ContaminationTest, RepeatedIdIsAnError) {
  auto index = ContaminationIndex::Create({{"x", {"a b"}}, {"x", {"c"}}}, {});
  EXPECT_FALSE(index.ok());
}

TEST(ContaminationTest, SameReportOnManyThreadsAndInAnyOrder) {
  std::vector<std::string> docs;
  for (int d = 0; d < 60; ++d) {
    docs.push_back(Filler(d % 4) + Questions()[d % Questions().size()] +
                   Filler(1));
  }
  ContaminationOptions options;
  options.max_matches = 3;
  const auto one = ScanAll(Items(Questions()), docs, options);
  auto index = ContaminationIndex::Create(Items(Questions()), options);
  ASSERT_TRUE(index.ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto scanner = (*index)->NewScanner();
      for (size_t d = docs.size(); d-- > 0;) {
        if (static_cast<int>(d % 4) != t) continue;
        ASSERT_TRUE(scanner->Scan(d, "d" + std::to_string(d), docs[d]).ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const auto many = (*index)->Report(nullptr);
  ASSERT_EQ(one.size(), many.size());
  for (size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].covered, many[i].covered);
    EXPECT_EQ(one[i].total_matches, many[i].total_matches);
    ASSERT_EQ(one[i].matches.size(), many[i].matches.size());
    for (size_t m = 0; m < one[i].matches.size(); ++m) {
      EXPECT_EQ(one[i].matches[m].document, many[i].matches[m].document);
      EXPECT_EQ(one[i].matches[m].doc.begin, many[i].matches[m].doc.begin);
    }
  }
  EXPECT_EQ(one[0].total_matches, 5u);
  EXPECT_EQ(one[0].matches.size(), 3u);
}

void ExpectSameReports(const std::vector<ItemReport>& want,
                       const std::vector<ItemReport>& got) {
  ASSERT_EQ(want.size(), got.size());
  for (size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE("item " + std::to_string(i));
    EXPECT_EQ(want[i].status, got[i].status);
    EXPECT_EQ(want[i].covered, got[i].covered);
    EXPECT_EQ(want[i].longest_match, got[i].longest_match);
    EXPECT_EQ(want[i].total_matches, got[i].total_matches);
    ASSERT_EQ(want[i].matches.size(), got[i].matches.size());
    for (size_t m = 0; m < want[i].matches.size(); ++m) {
      const ContaminationMatch& x = want[i].matches[m];
      const ContaminationMatch& y = got[i].matches[m];
      EXPECT_EQ(x.document, y.document);
      EXPECT_EQ(x.document_id, y.document_id);
      EXPECT_EQ(x.item.begin, y.item.begin);
      EXPECT_EQ(x.item.end, y.item.end);
      EXPECT_EQ(x.item.char_begin, y.item.char_begin);
      EXPECT_EQ(x.item.char_end, y.item.char_end);
      EXPECT_EQ(x.doc.begin, y.doc.begin);
      EXPECT_EQ(x.doc.char_end, y.doc.char_end);
      EXPECT_EQ(x.doc_text, y.doc_text);
      EXPECT_EQ(x.score, y.score);
      EXPECT_EQ(x.reworded, y.reworded);
    }
  }
}

// Halves of items copied in different documents (coverage is their union),
// and more whole copies than max_matches, spread over three parts of the
// corpus that three indexes scan: merged in any order, the partial results
// report as one index that scanned everything.
TEST(ContaminationTest, MergedPartialsReportAsOneIndex) {
  std::vector<std::string> docs;
  for (int d = 0; d < 24; ++d) {
    const std::string& q = Questions()[d % 5];
    const size_t half = q.size() / 2;
    const std::string part = d % 3 == 0   ? q
                             : d % 3 == 1 ? q.substr(0, half)
                                          : q.substr(half);
    docs.push_back(Filler(d % 2) + part + " " + Filler(1));
  }
  // Item 10's halves, one in the first part and one in the last only.
  const std::string& marie = Questions()[10];
  docs[3] = Filler(1) + marie.substr(0, marie.size() / 2) + " " + Filler(1);
  docs[20] = marie.substr(marie.size() / 2) + " " + Filler(1);
  ContaminationOptions options;
  options.max_matches = 2;
  options.min_match_tokens = 4;
  options.min_short_tokens = 4;
  ContaminationStats want_stats;
  const auto want = ScanAll(Items(Questions()), docs, options, &want_stats);
  ASSERT_GT(want[0].total_matches, options.max_matches);

  const size_t cuts[] = {0, 7, 15, docs.size()};
  std::vector<ContaminationPartial> partials;
  for (int p = 0; p < 3; ++p) {
    auto index = ContaminationIndex::Create(Items(Questions()), options);
    ASSERT_TRUE(index.ok());
    auto scanner = (*index)->NewScanner();
    for (size_t d = cuts[p]; d < cuts[p + 1]; ++d) {
      ASSERT_TRUE(
          scanner->Scan(d - cuts[p], "d" + std::to_string(d), docs[d]).ok());
    }
    partials.push_back((*index)->TakePartial(cuts[p]));
    // Taken: the index is left as if it had scanned nothing.
    ContaminationStats left;
    for (const ItemReport& report : (*index)->Report(&left)) {
      EXPECT_EQ(report.covered, 0u);
      EXPECT_EQ(report.total_matches, 0u);
    }
    EXPECT_EQ(left.documents, 0u);
  }
  auto merged = ContaminationIndex::Create(Items(Questions()), options);
  ASSERT_TRUE(merged.ok());
  for (int p : {2, 0, 1}) {
    ASSERT_TRUE((*merged)->MergePartial(partials[p]).ok());
  }
  ContaminationStats got_stats;
  ExpectSameReports(want, (*merged)->Report(&got_stats));
  EXPECT_EQ(want_stats.documents, got_stats.documents);
  EXPECT_EQ(want_stats.bytes, got_stats.bytes);
  EXPECT_EQ(want_stats.candidates, got_stats.candidates);
  EXPECT_EQ(want_stats.contaminated, got_stats.contaminated);
  // Item 10 is whole only in the union of two parts' coverage.
  EXPECT_EQ(want[10].total_matches, 2u);
  EXPECT_EQ(want[10].status, ContaminationStatus::kContaminated);
}

TEST(ContaminationTest, MergePartialRefusesWhatTheIndexDoesNotHave) {
  auto index = ContaminationIndex::Create(Items(Questions()), {});
  ASSERT_TRUE(index.ok());
  ContaminationPartial partial;
  partial.documents = 5;
  partial.items.push_back({});
  partial.items.back().item = 1;
  partial.items.back().covered = {{0, 3}};
  partial.items.back().total_matches = 1;
  partial.items.push_back({});
  partial.items.back().item = static_cast<uint32_t>(Questions().size());
  EXPECT_EQ((*index)->MergePartial(partial).code(),
            absl::StatusCode::kInvalidArgument);
  partial.items.pop_back();
  partial.items.back().covered = {{2, 1000}};
  EXPECT_EQ((*index)->MergePartial(partial).code(),
            absl::StatusCode::kInvalidArgument);
  ContaminationStats stats;
  const auto reports = (*index)->Report(&stats);
  EXPECT_EQ(stats.documents, 0u);
  EXPECT_EQ(reports[1].total_matches, 0u);
  partial.items.back().covered = {{0, 3}};
  ASSERT_TRUE((*index)->MergePartial(partial).ok());
  EXPECT_EQ((*index)->Report(&stats)[1].covered, 3u);
  EXPECT_EQ(stats.documents, 5u);
}

// The classic overlap computed the obvious way: every n-gram of the item
// against every n-gram of every document, on the same token keys.
std::vector<double> ReferenceNgramFractions(
    const std::vector<std::string>& items, const std::vector<std::string>& docs,
    size_t n) {
  Analyzer analyzer{AnalyzeOptions{}};
  std::vector<AnalyzedText> doc_keys(docs.size());
  for (size_t d = 0; d < docs.size(); ++d)
    analyzer.Analyze(docs[d], &doc_keys[d]);
  std::vector<double> fractions;
  for (const std::string& item : items) {
    AnalyzedText a;
    analyzer.Analyze(item, &a);
    std::vector<bool> covered(a.size());
    for (size_t i = 0; i + n <= a.size(); ++i) {
      for (const AnalyzedText& d : doc_keys) {
        for (size_t j = 0; j + n <= d.size(); ++j) {
          bool same = true;
          for (size_t k = 0; k < n && same; ++k) {
            same = a.keys[i + k] == d.keys[j + k];
          }
          if (same) {
            for (size_t k = 0; k < n; ++k) covered[i + k] = true;
          }
        }
      }
    }
    size_t count = 0;
    for (bool c : covered) count += c ? 1 : 0;
    fractions.push_back(a.size() == 0 ? 0.0
                                      : static_cast<double>(count) / a.size());
  }
  return fractions;
}

TEST(ContaminationTest, NgramModeAgreesWithReference) {
  std::vector<std::string> docs = {
      Filler(1) + Questions()[0] + Filler(1),
      // Half of item 6, re-cased; and item 8 with one word changed.
      "PHOTOSYNTHESIS converts carbon dioxide and water into glucose and "
      "oxygen using the energy of moonlight",
      "Which of the following is the largest desert in Asia, stretching "
      "across northern India and southern Mongolia?",
      Filler(3)};
  for (size_t n : {3u, 5u, 8u, 13u}) {
    ContaminationOptions options;
    options.mode = ContaminationMode::kNgram;
    options.ngram = static_cast<int>(n);
    const auto reports = ScanAll(Items(Questions()), docs, options);
    const auto expected = ReferenceNgramFractions(Questions(), docs, n);
    ASSERT_EQ(reports.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      EXPECT_DOUBLE_EQ(reports[i].contaminated_fraction, expected[i])
          << "n=" << n << " item " << i;
    }
    EXPECT_DOUBLE_EQ(reports[0].contaminated_fraction, 1.0);
  }
}

}  // namespace
}  // namespace neardup
