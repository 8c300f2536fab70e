// Throughput of the shingle, MinHash and LSH stages. Items are shingles for
// ShingleHashes and MinHash (read "items/s" as shingles/s) and sketched items
// (windows or documents) for CandidatePairs.
#include <cstdint>
#include <random>
#include <vector>

#include "benchmark/benchmark.h"
#include "lsh.h"
#include "minhash.h"
#include "shingle.h"

namespace neardup {
namespace {

std::vector<uint64_t> RandomValues(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<uint64_t> values(n);
  for (uint64_t& v : values) v = rng();
  return values;
}

// Args: shingle n, number of token keys.
void BM_ShingleHashes(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const std::vector<uint64_t> keys = RandomValues(state.range(1), 1);
  std::vector<uint64_t> out;
  for (auto _ : state) {
    ShingleHashes(keys, n, &out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * out.size());
}
BENCHMARK(BM_ShingleHashes)->Args({2, 48})->Args({2, 4096})->Args({5, 4096});

// Args: num_hashes, shingles per sketch. 256 distinct sets, sketched in turn,
// so the input is not always in L1.
void BM_MinHash(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0));
  const size_t size = state.range(1);
  constexpr size_t kSets = 256;
  const std::vector<uint64_t> shingles = RandomValues(kSets * size, 2);
  const MinHasher hasher(MinHashOptions{k});
  std::vector<uint32_t> sketch(k);
  size_t set = 0;
  for (auto _ : state) {
    hasher.Sketch({&shingles[set * size], size}, sketch.data());
    benchmark::DoNotOptimize(sketch.data());
    set = set + 1 == kSets ? 0 : set + 1;
  }
  state.SetItemsProcessed(state.iterations() * size);
}
BENCHMARK(BM_MinHash)
    ->Args({64, 47})  // one scan window: 48 tokens, 47 bigrams
    ->Args({64, 100})
    ->Args({64, 1000})
    ->Args({128, 100})
    ->Args({128, 1000});

// Args: number of items, num_hashes, threads. Sketches of random sets of 47
// shingles, with one item in ten a near copy of another item (J about 0.7),
// each item its own group; LSH params chosen for threshold 0.2 at K = 64 and
// 0.8 at K = 128.
void BM_CandidatePairs(benchmark::State& state) {
  const size_t n = state.range(0);
  const int k = static_cast<int>(state.range(1));
  std::mt19937_64 rng(3);
  const MinHasher hasher(MinHashOptions{k});
  std::vector<uint32_t> sketches(n * k);
  std::vector<uint32_t> group(n);
  std::vector<uint64_t> set(47);
  for (size_t i = 0; i < n; ++i) {
    if (i % 10 != 0) {
      for (uint64_t& x : set) x = rng();
    } else {
      for (int r = 0; r < 8; ++r) set[rng() % set.size()] = rng();
    }
    hasher.Sketch(set, &sketches[i * k]);
    group[i] = static_cast<uint32_t>(i);
  }
  LshOptions options;
  options.params = ChooseLshParams(k == 64 ? 0.2 : 0.8, k);
  options.threads = static_cast<int>(state.range(2));
  CandidateStats stats;
  for (auto _ : state) {
    auto pairs = CandidatePairs(sketches, k, group, options, &stats);
    benchmark::DoNotOptimize(pairs.data());
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.counters["bands"] = options.params.bands;
  state.counters["rows"] = options.params.rows;
  state.counters["pairs"] = static_cast<double>(stats.pairs);
  state.counters["buckets"] = static_cast<double>(stats.buckets);
}
BENCHMARK(BM_CandidatePairs)
    ->Args({100000, 64, 1})
    ->Args({100000, 64, 2})
    ->Args({100000, 128, 1})
    ->Unit(benchmark::kMillisecond);
// About 1M windows of a large scan; run with
// --benchmark_filter=CandidatePairs/1048576.
BENCHMARK(BM_CandidatePairs)
    ->Args({1 << 20, 64, 1})
    ->Args({1 << 20, 64, 2})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace neardup
