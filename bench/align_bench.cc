// Alignment and whole-pipeline cost of comparing two documents.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "align.h"
#include "analyze.h"
#include "benchmark/benchmark.h"
#include "neardup/neardup.h"

namespace neardup {
namespace {

std::string Seed(const char* name) {
  std::ifstream in(std::string(NEARDUP_SOURCE_DIR) + "/corpus/" + name);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

const std::string& SeedA() {
  static const std::string* text =
      new std::string(Seed("000_7d741dc399230ce2.txt"));
  return *text;
}
const std::string& SeedB() {
  static const std::string* text =
      new std::string(Seed("001_1e848196968d0ba9.txt"));
  return *text;
}

// Alignment alone, on analysed token keys of the two seed articles.
void BM_AlignPassages(benchmark::State& state) {
  Analyzer analyzer{AnalyzeOptions()};
  AnalyzedText a, b;
  analyzer.Analyze(SeedA(), &a);
  analyzer.Analyze(SeedB(), &b);
  for (auto _ : state) {
    benchmark::DoNotOptimize(AlignPassages(a.keys, b.keys, AlignOptions()));
  }
  state.SetItemsProcessed(state.iterations());  // pairs/s
}
BENCHMARK(BM_AlignPassages);

// The whole of Compare on the seed pair: analysis of both, alignment, spans.
void BM_CompareSeedPair(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(Compare(SeedA(), SeedB()));
  }
  state.SetBytesProcessed(state.iterations() *
                          (SeedA().size() + SeedB().size()));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CompareSeedPair);

}  // namespace
}  // namespace neardup
