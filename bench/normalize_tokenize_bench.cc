// Throughput of the first two pipeline stages, in bytes of original text per
// second. BM_NormalizeTokenize (normalise, tokenise, key every token) is the
// figure that matters: it is the per-document cost before shingling;
// BM_AnalyzeKeys and BM_Analyze do the same work through Analyzer's fused
// path, as the commands do.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "analyze.h"
#include "normalize.h"
#include "tokenize.h"

namespace neardup {
namespace {

constexpr size_t kTargetBytes = 1 << 20;

std::string RepeatTo(const std::string& unit, size_t bytes) {
  std::string text;
  while (!unit.empty() && text.size() < bytes) text += unit;
  return text;
}

// The seed corpus concatenated and repeated to about 1 MB.
const std::string& ArabicText() {
  static const std::string* const text = [] {
    std::vector<std::filesystem::path> paths;
    for (const auto& entry :
         std::filesystem::directory_iterator(NEARDUP_SOURCE_DIR "/corpus")) {
      if (entry.path().extension() == ".txt") paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());
    std::string all;
    for (const auto& path : paths) {
      std::ifstream in(path, std::ios::binary);
      std::stringstream buffer;
      buffer << in.rdbuf();
      all += buffer.str();
      all += '\n';
    }
    return new std::string(RepeatTo(all, kTargetBytes));
  }();
  return *text;
}

const std::string& EnglishText() {
  static const std::string* const text = new std::string(RepeatTo(
      "The ministry said on Wednesday that talks between the two delegations "
      "had made \"significant progress\" but that several issues, including "
      "the timetable for the withdrawal of 1,500 troops, remained open. "
      "Officials in Washington, who spoke on condition of anonymity because "
      "they weren't authorized to discuss the negotiations, said the U.S. "
      "would not sign an agreement before the end of the year.\n"
      "Oil prices rose 3.2% to $84.10 a barrel in early trading after the "
      "announcement - the highest level since March - while the dollar "
      "slipped against the euro. Analysts at two of the region's largest "
      "banks said the market's reaction reflected relief rather than "
      "optimism: \"Nobody expects a deal this quarter,\" one said.\n"
      "In a statement e-mailed to reporters, the company's chief executive "
      "described the results as 'encouraging' and promised to publish a "
      "full report, with audited figures for 2021 and 2022, by mid-April. "
      "Shares of the firm, which employs about 12,000 people in 40 "
      "countries, closed 0.8 percent higher.\n",
      kTargetBytes));
  return *text;
}

const std::string& TextFor(const benchmark::State& state) {
  return state.range(0) == 0 ? ArabicText() : EnglishText();
}

void SetLabel(benchmark::State& state) {
  state.SetLabel(state.range(0) == 0 ? "arabic" : "english");
}

void BM_Normalize(benchmark::State& state) {
  const std::string& text = TextFor(state);
  NormalizedText normalized;
  for (auto _ : state) {
    Normalize(text, {}, &normalized);
    benchmark::DoNotOptimize(normalized.text.data());
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * text.size());
  SetLabel(state);
}
BENCHMARK(BM_Normalize)->Arg(0)->Arg(1);

void BM_Tokenize(benchmark::State& state) {
  const std::string text = Normalize(TextFor(state)).text;
  std::vector<Token> tokens;
  for (auto _ : state) {
    Tokenize(text, &tokens);
    benchmark::DoNotOptimize(tokens.data());
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * text.size());
  state.counters["tokens"] = tokens.size();
  SetLabel(state);
}
BENCHMARK(BM_Tokenize)->Arg(0)->Arg(1);

// ICU alone, for comparison with the fast path.
void BM_TokenizeWithIcu(benchmark::State& state) {
  const std::string text = Normalize(TextFor(state)).text;
  std::vector<Token> tokens;
  for (auto _ : state) {
    TokenizeWithIcu(text, &tokens);
    benchmark::DoNotOptimize(tokens.data());
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * text.size());
  SetLabel(state);
}
BENCHMARK(BM_TokenizeWithIcu)->Arg(0)->Arg(1);

void BM_TokenKey(benchmark::State& state) {
  const std::string text = Normalize(TextFor(state)).text;
  const std::vector<Token> tokens = Tokenize(text);
  for (auto _ : state) {
    uint64_t sum = 0;
    for (const Token& t : tokens) {
      sum += TokenKey(std::string_view(text).substr(t.begin, t.end - t.begin));
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * text.size());
  SetLabel(state);
}
BENCHMARK(BM_TokenKey)->Arg(0)->Arg(1);

// The per-document cost: bytes are those of the original text.
void BM_NormalizeTokenize(benchmark::State& state) {
  const std::string& text = TextFor(state);
  NormalizedText normalized;
  std::vector<Token> tokens;
  std::vector<uint64_t> keys;
  for (auto _ : state) {
    Normalize(text, {}, &normalized);
    Tokenize(normalized.text, &tokens);
    keys.clear();
    const std::string_view view = normalized.text;
    for (const Token& t : tokens) {
      keys.push_back(TokenKey(view.substr(t.begin, t.end - t.begin)));
    }
    benchmark::DoNotOptimize(keys.data());
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * text.size());
  SetLabel(state);
}
BENCHMARK(BM_NormalizeTokenize)->Arg(0)->Arg(1);

// The same through Analyzer: its fused one-pass path, keys only (dedup's)
// and with spans (scan's, contamination's).
void BM_AnalyzeKeys(benchmark::State& state) {
  const std::string& text = TextFor(state);
  Analyzer analyzer(AnalyzeOptions{});
  std::vector<uint64_t> keys;
  for (auto _ : state) {
    analyzer.AnalyzeKeys(text, &keys);
    benchmark::DoNotOptimize(keys.data());
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * text.size());
  SetLabel(state);
}
BENCHMARK(BM_AnalyzeKeys)->Arg(0)->Arg(1);

void BM_Analyze(benchmark::State& state) {
  const std::string& text = TextFor(state);
  Analyzer analyzer(AnalyzeOptions{});
  AnalyzedText analyzed;
  for (auto _ : state) {
    analyzer.Analyze(text, &analyzed);
    benchmark::DoNotOptimize(analyzed.keys.data());
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * text.size());
  SetLabel(state);
}
BENCHMARK(BM_Analyze)->Arg(0)->Arg(1);

}  // namespace
}  // namespace neardup
