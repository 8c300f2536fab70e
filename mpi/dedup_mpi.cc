// neardup-mpi dedup: `neardup dedup` divided among MPI ranks, with outputs
// identical, byte for byte, to one process's whatever the number of ranks.
//
// Steps (docs/DESIGN.md, "dedup on MPI"):
//  1. Share: the listing's bytes are divided into contiguous runs, one per
//     rank (ShareOf: whole files, and byte ranges of large uncompressed
//     JSON Lines files); so rank r's documents are a contiguous stretch of
//     input order and its global indexes are a prefix sum away. Each rank
//     reads, analyses and sketches its share (band keys, token counts and
//     sorted shingle sets, held in RAM), and spools its output lines as
//     `neardup dedup` does. Repeated ids are counted over all ranks.
//  2. Band keys: (band, key, document) goes to the rank owning hash(band,
//     key) (MPI_Alltoallv). The owner buckets each band with the library's
//     CandidatePairsFromBandKeys, exactly as one process would, since every
//     bucket is whole on its owner.
//  3. Components: the candidate pairs are gathered on rank 0, which finds
//     the connected components of the candidate graph and gives each
//     component of two or more documents to a rank.
//  4. Verification and clustering: every document of a component sends its
//     shingle set (and id, origin, tokens) to the component's rank, which
//     runs the single-process greedy rule over its components. A
//     document's representative is always in its component (it is a
//     candidate, or the representative of one, of the document), so the
//     rule restricted to a component decides as it does on the whole input.
//  5. Decisions go back to the documents' ranks; rank 0 writes both outputs
//     (its own lines, then each rank's, streamed in rank order = input
//     order) and renames them into place once every rank has succeeded.
#include "dedup_mpi.h"

#include <mpi.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <numeric>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "analyze.h"
#include "atomic_file.h"
#include "candidates.h"
#include "cluster.h"
#include "commands.h"
#include "dedup_internal.h"
#include "dedup_output.h"
#include "exchange.h"
#include "input_internal.h"
#include "lsh.h"
#include "minhash.h"
#include "neardup/dedup.h"
#include "neardup/options.h"
#include "output.h"
#include "parallel.h"
#include "record_batches.h"
#include "spool.h"

namespace neardup::mpi {
namespace {

using cli::AtomicFile;
using cli::ReadResult;
using cli::Spool;

// What a rank holds about the documents of its share.
struct Share {
  ReadResult read;  // ids and origins
  std::vector<uint32_t> tokens;
  std::vector<uint64_t> band_keys;  // bands per document
  std::vector<uint64_t> shingles;   // every document's sorted set, end to end
  std::vector<uint64_t> set_end;    // where each document's set ends
  InputStats input;
  std::vector<DedupDecision> decisions;  // representative: global index
  // The representative's id and origin for each dropped document.
  std::vector<std::pair<std::string, std::string>> cluster_of;

  absl::Span<const uint64_t> Set(size_t i) const {
    const uint64_t begin = i == 0 ? 0 : set_end[i - 1];
    return absl::MakeConstSpan(shingles).subspan(begin, set_end[i] - begin);
  }
};

struct Worker {
  Worker(const AnalyzeOptions& options, const SketchOptions& sketch_options,
         const MinHasher* hasher)
      : analyzer(options), sketcher(sketch_options, hasher) {}
  Analyzer analyzer;
  AnalyzedText analyzed;
  BandSketcher sketcher;
};

}  // namespace

// This rank's share of the listing. The sources, end to end in listing
// order, are cut into N runs of equal stored bytes, rank r's being
// [bounds[r], bounds[r + 1]). An uncompressed JSON Lines file of at
// least split_bytes is cut at those boundaries (each rank reads the
// lines that start in its run: InputShare); any other file goes whole to
// the rank whose run holds its middle byte. So shares are contiguous and
// in input order, and a rank's global indexes are a prefix sum away.
absl::Status ShareOf(const std::vector<std::string>& paths,
                     const InputOptions& input, uint64_t split_bytes,
                     const World& world, Plan* plan) {
  InputShare* share = &plan->share;
  std::vector<DirectoryEnd>* dirs = &plan->dirs;
  for (const std::string& path : paths) {
    if (path == "-") {
      return absl::InvalidArgumentError(
          "neardup-mpi reads files, not standard input (-): name the files");
    }
  }
  InputListing listing;
  if (absl::Status s = ListInputs(paths, stdin, &listing); !s.ok()) {
    return s;
  }
  std::vector<uint64_t> sizes;
  std::vector<bool> split;
  uint64_t total = 0;
  for (const Source& source : listing.sources) {
    // A file's size counts 1 more, so that an empty file has a middle byte.
    uint64_t size = 0;
    const bool splittable = SplittableJsonl(
        source, input, split_bytes > 0 ? split_bytes : ~uint64_t{0}, &size);
    if (!splittable) ++size;
    sizes.push_back(size);
    split.push_back(splittable);
    plan->split_files += splittable ? 1 : 0;
    total += size;
  }
  std::vector<uint64_t> bounds(world.size + 1);
  for (int r = 0; r <= world.size; ++r) {
    bounds[r] = static_cast<uint64_t>(static_cast<unsigned __int128>(total) *
                                      static_cast<unsigned>(r) /
                                      static_cast<unsigned>(world.size));
  }
  const uint64_t low = bounds[world.rank], high = bounds[world.rank + 1];
  share->pieces.clear();
  uint64_t before = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    const uint64_t size = sizes[i];
    if (split[i]) {
      const uint64_t begin = std::max(low, before);
      const uint64_t end = std::min(high, before + size);
      if (begin < end) {
        // In the file's own offsets.
        share->pieces.push_back(
            {i, begin - before,
             end == before + size ? Source::kToEnd : end - before});
      }
    } else {
      const uint64_t middle = before + size / 2;
      const auto owner =
          std::upper_bound(bounds.begin(), bounds.end(), middle) -
          bounds.begin() - 1;
      if (owner == world.rank) share->pieces.push_back({i, 0, Source::kToEnd});
    }
    before += size;
  }
  share->listing_counts = world.rank == 0;
  // Repeated ids and directories without usable files are checked over all
  // ranks (CountRepeatedIds, CheckDirectories).
  share->count_ids = false;
  share->check_dirs = false;
  dirs->clear();
  for (const Directory& dir : listing.dirs) dirs->push_back({dir.name});
  for (size_t i = 0; i < listing.sources.size(); ++i) {
    if (listing.sources[i].dir >= 0) dirs->at(listing.sources[i].dir).last = i;
  }
  for (DirectoryEnd& dir : *dirs) {
    for (const FilePiece& piece : share->pieces) {
      if (piece.source == dir.last && piece.end == Source::kToEnd) {
        dir.mine = true;
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<InputReader>> OpenShareOf(
    const std::vector<std::string>& paths, const InputOptions& input,
    uint64_t split_bytes, bool ids_per_share, const World& world, Plan* plan) {
  if (absl::Status s = ShareOf(paths, input, split_bytes, world, plan);
      !s.ok()) {
    return s;
  }
  plan->share.count_ids = ids_per_share;
  return InputReaderInternal::OpenShare(paths, input, plan->share);
}

// Collective: "no usable files in directory" over all ranks. A directory
// none of whose files gave a record on any rank is an error, found by the
// rank that read the end of its last file, unless that rank's reading
// stopped before (its own error comes first in input order, as in one
// process). Returns `status` or that error.
absl::Status CheckDirectories(const std::vector<DirectoryEnd>& dirs,
                              const InputReader* reader, absl::Status status) {
  std::vector<uint64_t> usable(dirs.size(), 0), total(dirs.size(), 0);
  size_t stopped = ~size_t{0};
  if (reader != nullptr) {
    const ShareProgress progress = InputReaderInternal::Progress(*reader);
    for (size_t d = 0; d < dirs.size() && d < progress.usable.size(); ++d) {
      usable[d] = progress.usable[d];
    }
    if (!status.ok()) stopped = progress.source;
  }
  MPI_Allreduce(usable.data(), total.data(), static_cast<int>(dirs.size()),
                MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  if (reader == nullptr) return status;
  for (size_t d = 0; d < dirs.size(); ++d) {
    if (total[d] == 0 && dirs[d].mine && dirs[d].last < stopped) {
      return NoUsableFilesError(dirs[d].name);
    }
  }
  return status;
}

namespace {

// Reads the share, spooling each output line, and sketches every document.
absl::Status ReadShare(const DedupMpiFlags& flags, const DedupOptions& options,
                       InputReader* reader, Spool* spool, Share* share) {
  SketchOptions sketch_options;
  sketch_options.shingle = options.shingle;
  sketch_options.num_hashes = options.num_hashes;
  sketch_options.seed = options.seed;
  sketch_options.params = DedupLshParams(options);
  if (absl::Status s = ValidateSketchOptions(sketch_options); !s.ok()) {
    return s;
  }
  const int bands = sketch_options.params.bands;
  const MinHasher hasher(MinHashOptions{options.num_hashes, options.seed});
  const int workers = ResolveThreads(options.threads);
  std::vector<Worker> scratch;
  scratch.reserve(workers);
  for (int w = 0; w < workers; ++w) {
    scratch.emplace_back(options.analyze, sketch_options, &hasher);
  }
  std::vector<std::vector<uint64_t>> sets;
  std::string line;
  cli::RecordBatch batches[2];
  cli::ReadBatch(reader, &batches[0]);
  for (int current = 0;; current ^= 1) {
    cli::RecordBatch& batch = batches[current];
    cli::PrintWarnings(batch.warnings, flags.quiet);
    if (!batch.status.ok()) return batch.status;
    std::thread read_ahead;
    if (!batch.end) {
      read_ahead = std::thread(cli::ReadBatch, reader, &batches[current ^ 1]);
    }
    absl::Status status;
    const size_t base = share->tokens.size();
    for (size_t i = 0; i < batch.count && status.ok(); ++i) {
      const InputRecord& record = batch.records[i];
      share->read.ids.Add(record.id);
      share->read.origins.Add(record.origin);
      if (record.text.size() >= kMaxTextBytes) {
        status = absl::InvalidArgumentError(
            absl::StrCat(record.origin, ": a document is 4 GiB or more"));
      } else if (!batch.lines[i].empty()) {
        status = spool->Append(batch.lines[i]);
      } else {
        line.clear();
        cli::AppendDocumentLine(record.id, record.text, &line);
        status = spool->Append(line);
      }
    }
    if (status.ok()) {
      share->tokens.resize(base + batch.count);
      share->band_keys.resize((base + batch.count) * bands);
      if (sets.size() < batch.count) sets.resize(batch.count);
      ParallelFor(batch.count, workers, 16, [&](size_t i, int w) {
        Worker& worker = scratch[w];
        worker.analyzer.Analyze(batch.records[i].text, &worker.analyzed);
        share->tokens[base + i] = static_cast<uint32_t>(worker.analyzed.size());
        worker.sketcher.Sketch(worker.analyzed.keys,
                               &share->band_keys[(base + i) * bands]);
        std::vector<uint64_t>& set = sets[i];
        set.swap(*worker.sketcher.mutable_shingles());
        std::sort(set.begin(), set.end());
        set.erase(std::unique(set.begin(), set.end()), set.end());
      });
      for (size_t i = 0; i < batch.count; ++i) {
        share->shingles.insert(share->shingles.end(), sets[i].begin(),
                               sets[i].end());
        share->set_end.push_back(share->shingles.size());
      }
    }
    if (read_ahead.joinable()) read_ahead.join();
    if (!status.ok()) return status;
    cli::TrimBatch(&batch);
    if (batch.end) break;
  }
  share->input = reader->stats();
  return absl::OkStatus();
}

uint64_t Mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Ids, as one process counts their repeats (InputReader): the records
// whose id an earlier record has. Each id goes to the rank owning its hash
// (FNV-1a: the same in every process), which sorts them by (id, global
// index). Returns the count on every rank; the rank that read the first
// repeat warns about it as one process does.
absl::Status CountRepeatedIds(World* world, const Share& share, uint64_t base,
                              bool quiet, uint64_t* repeated) {
  std::vector<std::string> out(world->size), in;
  for (size_t i = 0; i < share.tokens.size(); ++i) {
    const std::string_view id = share.read.ids[i];
    uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char c : id) {
      hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    }
    Packer packer(&out[Mix(hash) % world->size]);
    packer.Put(static_cast<uint32_t>(base + i));
    packer.PutString(id);
  }
  if (absl::Status s = Exchange(world, out, &in); !s.ok()) return s;
  std::vector<std::pair<std::string_view, uint32_t>> ids;
  for (const std::string& bytes : in) {
    for (Unpacker unpack(bytes); !unpack.done();) {
      const auto global = unpack.Get<uint32_t>();
      ids.emplace_back(unpack.GetString(), global);
    }
  }
  std::sort(ids.begin(), ids.end());
  uint64_t counts[2] = {0, 0};  // repeats, and the first one's global index
  uint64_t first = ~uint64_t{0};
  for (size_t i = 1; i < ids.size(); ++i) {
    if (ids[i].first != ids[i - 1].first) continue;
    ++counts[0];
    first = std::min<uint64_t>(first, ids[i].second);
  }
  uint64_t total = 0;
  MPI_Allreduce(&counts[0], &total, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  MPI_Allreduce(&first, &counts[1], 1, MPI_UINT64_T, MPI_MIN, MPI_COMM_WORLD);
  *repeated = total;
  if (counts[1] >= base && counts[1] < base + share.tokens.size()) {
    const size_t local = counts[1] - base;
    cli::PrintWarnings(
        {RepeatedIdWarning(share.read.ids[local], share.read.origins[local])},
        quiet);
  }
  return absl::OkStatus();
}

struct BandEntry {
  uint64_t key;
  uint32_t document;  // global index
  uint32_t band;
};

// Step 2: band keys to their owners; returns this rank's candidate pairs
// (global indexes, a < b, unique within each band).
absl::Status FindPairs(World* world, const Share& share, uint64_t base,
                       const LshParams& params, const DedupOptions& options,
                       std::vector<std::pair<uint32_t, uint32_t>>* pairs,
                       size_t* oversized_buckets) {
  const int bands = params.bands;
  std::vector<std::string> out(world->size);
  for (size_t d = 0; d < share.tokens.size(); ++d) {
    for (int b = 0; b < bands; ++b) {
      const BandEntry entry{share.band_keys[d * bands + b],
                            static_cast<uint32_t>(base + d),
                            static_cast<uint32_t>(b)};
      const uint64_t owner = Mix(entry.key ^ Mix(entry.band + 1)) % world->size;
      Packer(&out[owner]).Put(entry);
    }
  }
  std::vector<std::string> in;
  if (absl::Status s = Exchange(world, out, &in); !s.ok()) return s;
  std::vector<BandEntry> entries;
  for (const std::string& bytes : in) {
    Unpacker unpack(bytes);
    while (!unpack.done()) entries.push_back(unpack.Get<BandEntry>());
  }
  std::sort(entries.begin(), entries.end(),
            [](const BandEntry& x, const BandEntry& y) {
              return x.band != y.band ? x.band < y.band
                                      : x.document < y.document;
            });
  LshOptions lsh;
  lsh.params = {1, params.rows};
  lsh.max_bucket = options.max_bucket;
  std::vector<uint64_t> keys;
  std::vector<uint32_t> groups, documents;
  for (size_t begin = 0; begin < entries.size();) {
    size_t end = begin;
    keys.clear();
    groups.clear();
    documents.clear();
    while (end < entries.size() && entries[end].band == entries[begin].band) {
      keys.push_back(entries[end].key);
      // Sorted by document: the group numbers keep their order, so the
      // "lowest group" of an oversized bucket is its first document.
      if (documents.empty() || documents.back() != entries[end].document) {
        documents.push_back(entries[end].document);
      }
      groups.push_back(static_cast<uint32_t>(documents.size() - 1));
      ++end;
    }
    CandidateStats stats;
    for (const auto& [a, b] :
         CandidatePairsFromBandKeys(keys, groups, lsh, &stats)) {
      pairs->emplace_back(documents[a], documents[b]);
    }
    *oversized_buckets += stats.oversized_buckets;
    begin = end;
  }
  return absl::OkStatus();
}

// A document of a component a rank was given.
struct Member {
  uint32_t global;
  uint32_t tokens;
  std::string_view id, origin;
  absl::Span<const uint64_t> set;
};

// Union-find over the candidate graph (rank 0).
uint32_t Root(std::vector<uint32_t>* parent, uint32_t x) {
  while ((*parent)[x] != x) {
    (*parent)[x] = (*parent)[(*parent)[x]];
    x = (*parent)[x];
  }
  return x;
}

// What is packed into exchanges (plain structs: std::pair is not
// trivially copyable).
struct Edge {
  uint32_t a, b;
};
struct Route {
  uint32_t global;
  int32_t destination;
};

struct Counts {
  uint64_t candidate_pairs = 0;
  uint64_t verified_pairs = 0;
  uint64_t oversized_buckets = 0;
  uint64_t duplicate_clusters = 0;
  uint64_t kept = 0;
};

// Steps 3 to 5 up to the decisions: fills share->decisions and
// share->cluster_of.
absl::Status Decide(World* world, Share* share,
                    const std::vector<uint64_t>& bases,
                    std::vector<std::pair<uint32_t, uint32_t>> pairs,
                    const DedupOptions& options, Counts* counts) {
  const int size = world->size;
  const uint64_t n = bases.back();
  auto home_of = [&](uint32_t global) {
    return static_cast<int>(
        std::upper_bound(bases.begin(), bases.end(), uint64_t{global}) -
        bases.begin() - 1);
  };
  // Step 3: all pairs to rank 0.
  std::vector<std::string> out(size), in;
  for (const auto& [a, b] : pairs) Packer(&out[0]).Put(Edge{a, b});
  std::vector<std::pair<uint32_t, uint32_t>>().swap(pairs);
  if (absl::Status s = Exchange(world, out, &in); !s.ok()) return s;
  out.assign(size, std::string());
  if (world->rank == 0) {
    std::vector<std::pair<uint32_t, uint32_t>> all;
    for (const std::string& bytes : in) {
      for (Unpacker unpack(bytes); !unpack.done();) {
        const auto edge = unpack.Get<Edge>();
        all.emplace_back(edge.a, edge.b);
      }
    }
    in.clear();
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    counts->candidate_pairs = all.size();
    std::vector<uint32_t> parent(n);
    std::iota(parent.begin(), parent.end(), 0u);
    for (const auto& [a, b] : all) {
      const uint32_t x = Root(&parent, a), y = Root(&parent, b);
      if (x != y) parent[std::max(x, y)] = std::min(x, y);
    }
    // Components in order of their first document, dealt out in turn;
    // routes[home] lists (global, destination) of its documents.
    std::vector<int> owner(n, -1);
    std::vector<uint8_t> paired(n, 0);
    for (const auto& [a, b] : all) paired[a] = paired[b] = 1;
    std::vector<std::string> routes(size), given(size);
    int next = 0;
    for (uint32_t d = 0; d < n; ++d) {
      if (paired[d] == 0) continue;
      const uint32_t root = Root(&parent, d);
      if (owner[root] < 0) owner[root] = next++ % size;
      Packer(&routes[home_of(d)]).Put(Route{d, owner[root]});
    }
    for (const auto& [a, b] : all) {
      Packer(&given[owner[Root(&parent, a)]]).Put(Edge{a, b});
    }
    for (int r = 0; r < size; ++r) {
      Packer packer(&out[r]);
      packer.PutString(routes[r]);
      packer.PutString(given[r]);
    }
  }
  if (absl::Status s = Exchange(world, out, &in); !s.ok()) return s;
  std::string_view routes, given;
  {
    Unpacker unpack(in[0]);
    routes = unpack.GetString();
    given = unpack.GetString();
  }
  // Step 4: shingle sets to the components' ranks.
  const uint64_t base = bases[world->rank];
  out.assign(size, std::string());
  for (Unpacker unpack(routes); !unpack.done();) {
    const auto [global, destination] = unpack.Get<Route>();
    const size_t local = global - base;
    Packer packer(&out[destination]);
    packer.Put(global);
    packer.Put(share->tokens[local]);
    packer.PutString(share->read.ids[local]);
    packer.PutString(share->read.origins[local]);
    const absl::Span<const uint64_t> set = share->Set(local);
    packer.PutArray(set.data(), set.size());
  }
  std::vector<std::string> sets_in;
  if (absl::Status s = Exchange(world, out, &sets_in); !s.ok()) return s;
  std::vector<Member> members;
  std::vector<std::vector<uint64_t>> set_storage;
  for (const std::string& bytes : sets_in) {
    for (Unpacker unpack(bytes); !unpack.done();) {
      Member member;
      member.global = unpack.Get<uint32_t>();
      member.tokens = unpack.Get<uint32_t>();
      member.id = unpack.GetString();
      member.origin = unpack.GetString();
      set_storage.emplace_back();
      unpack.GetArray(&set_storage.back());
      members.push_back(member);
    }
  }
  for (size_t i = 0; i < members.size(); ++i) members[i].set = set_storage[i];
  // Homes hold contiguous stretches in rank order: members arrive sorted.
  std::vector<std::pair<uint32_t, uint32_t>> local_pairs;
  auto local_of = [&](uint32_t global) {
    return static_cast<uint32_t>(
        std::lower_bound(
            members.begin(), members.end(), global,
            [](const Member& m, uint32_t g) { return m.global < g; }) -
        members.begin());
  };
  for (Unpacker unpack(given); !unpack.done();) {
    const auto [a, b] = unpack.Get<Edge>();
    local_pairs.emplace_back(local_of(a), local_of(b));
  }
  // The single-process rule over whole components, members sorted by
  // global index: what Deduplicator::Finish decides for them.
  std::vector<DedupDecision> decisions;
  {
    std::vector<uint32_t> tokens(members.size());
    for (size_t i = 0; i < members.size(); ++i) tokens[i] = members[i].tokens;
    const CandidateGraph graph = CandidateGraph::FromPairs(
        static_cast<uint32_t>(members.size()), local_pairs);
    size_t verified = 0;
    if (absl::Status s = ClusterGreedy(
            graph, tokens, options,
            [&](uint32_t doc, std::vector<uint64_t>*)
                -> absl::StatusOr<absl::Span<const uint64_t>> {
              return members[doc].set;
            },
            &decisions, &verified);
        !s.ok()) {
      return s;
    }
    counts->verified_pairs = verified;
  }
  counts->duplicate_clusters = DuplicateClusters(decisions);
  // Step 5: decisions home.
  out.assign(size, std::string());
  for (size_t i = 0; i < members.size(); ++i) {
    const DedupDecision& d = decisions[i];
    const Member& rep = members[d.representative];
    Packer packer(&out[home_of(members[i].global)]);
    packer.Put(members[i].global);
    packer.Put(rep.global);
    packer.Put(d.similarity);
    packer.Put(static_cast<uint8_t>(d.kept));
    packer.PutString(d.kept ? std::string_view() : rep.id);
    packer.PutString(d.kept ? std::string_view() : rep.origin);
  }
  members.clear();
  set_storage.clear();
  if (absl::Status s = Exchange(world, out, &in); !s.ok()) return s;
  const size_t local_n = share->tokens.size();
  share->decisions.resize(local_n);
  share->cluster_of.resize(local_n);
  for (size_t i = 0; i < local_n; ++i) {
    share->decisions[i] = {1.0, static_cast<uint32_t>(base + i), true};
  }
  for (const std::string& bytes : in) {
    for (Unpacker unpack(bytes); !unpack.done();) {
      const auto global = unpack.Get<uint32_t>();
      DedupDecision& d = share->decisions[global - base];
      d.representative = unpack.Get<uint32_t>();
      d.similarity = unpack.Get<double>();
      d.kept = unpack.Get<uint8_t>() != 0;
      auto& [id, origin] = share->cluster_of[global - base];
      id = unpack.GetString();
      origin = unpack.GetString();
    }
  }
  for (const DedupDecision& d : share->decisions) counts->kept += d.kept;
  return absl::OkStatus();
}

// This rank's lines of both outputs, in input order; the names are for
// messages.
absl::Status WriteLines(const Share& share, Spool* spool, FILE* kept,
                        const std::string& kept_name, FILE* clusters,
                        const std::string& clusters_name) {
  std::vector<bool> keep(share.decisions.size());
  for (size_t i = 0; i < keep.size(); ++i) keep[i] = share.decisions[i].kept;
  if (absl::Status s = spool->CopyLines(keep, kept, kept_name); !s.ok())
    return s;
  std::string line;
  for (size_t i = 0; i < share.decisions.size(); ++i) {
    const DedupDecision& d = share.decisions[i];
    line.clear();
    if (d.kept) {
      cli::AppendClusterLine(share.read.ids[i], share.read.origins[i],
                             share.read.ids[i], share.read.origins[i], d,
                             &line);
    } else {
      cli::AppendClusterLine(share.read.ids[i], share.read.origins[i],
                             share.cluster_of[i].first,
                             share.cluster_of[i].second, d, &line);
    }
    if (std::fwrite(line.data(), 1, line.size(), clusters) != line.size()) {
      return absl::InternalError(
          cli::ErrnoMessage("cannot write " + clusters_name));
    }
  }
  return absl::OkStatus();
}

constexpr int kStreamTag = 7;
constexpr size_t kStreamChunk = size_t{4} << 20;

// Sends the contents of `file` to rank 0 in chunks, each preceded by its
// size; 0 ends the stream, -1 says this rank failed.
absl::Status SendFile(World* world, FILE* file, absl::Status status) {
  std::vector<char> chunk(kStreamChunk);
  if (status.ok() && std::fflush(file) == 0 &&
      std::fseek(file, 0, SEEK_SET) == 0) {
    while (true) {
      const size_t got = std::fread(chunk.data(), 1, chunk.size(), file);
      if (got == 0) break;
      auto size = static_cast<int64_t>(got);
      MPI_Send(&size, 1, MPI_INT64_T, 0, kStreamTag, MPI_COMM_WORLD);
      MPI_Send(chunk.data(), static_cast<int>(got), MPI_BYTE, 0, kStreamTag,
               MPI_COMM_WORLD);
      world->bytes_sent += got;
    }
    if (std::ferror(file) != 0) {
      status = absl::InternalError("cannot read back a temporary file");
    }
  } else if (status.ok()) {
    status =
        absl::InternalError(cli::ErrnoMessage("cannot write a temporary file"));
  }
  int64_t end = status.ok() ? 0 : -1;
  MPI_Send(&end, 1, MPI_INT64_T, 0, kStreamTag, MPI_COMM_WORLD);
  return status;
}

// Rank 0: appends rank `from`'s stream to `out`, named `out_name` in
// messages (once `status` is not OK, reads and drops it). A failed sender is
// not an error here: it reports its own, and Agree stops everyone.
absl::Status ReceiveFile(int from, FILE* out, const std::string& out_name,
                         absl::Status status) {
  std::vector<char> chunk(kStreamChunk);
  while (true) {
    int64_t size = 0;
    MPI_Recv(&size, 1, MPI_INT64_T, from, kStreamTag, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    if (size <= 0) return status;
    MPI_Recv(chunk.data(), static_cast<int>(size), MPI_BYTE, from, kStreamTag,
             MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (status.ok() && std::fwrite(chunk.data(), 1, static_cast<size_t>(size),
                                   out) != static_cast<size_t>(size)) {
      status =
          absl::InternalError(cli::ErrnoMessage("cannot write " + out_name));
    }
  }
}

}  // namespace

void SumInput(InputStats* s) {
  uint64_t v[] = {s->files,
                  s->records,
                  s->bytes,
                  s->stored_bytes,
                  s->total_stored_bytes,
                  s->skipped_files,
                  s->repeated_files,
                  s->repeated_ids,
                  s->skipped_bad,
                  s->invalid_utf8};
  uint64_t sum[std::size(v)];
  MPI_Allreduce(v, sum, std::size(v), MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  s->files = sum[0];
  s->records = sum[1];
  s->bytes = sum[2];
  s->stored_bytes = sum[3];
  s->total_stored_bytes = sum[4];
  s->skipped_files = sum[5];
  s->repeated_files = sum[6];
  s->repeated_ids = sum[7];
  s->skipped_bad = sum[8];
  s->invalid_utf8 = sum[9];
}

namespace {}  // namespace

int RunDedupMpi(const DedupMpiFlags& flags) {
  const auto start = std::chrono::steady_clock::now();
  World world;
  MPI_Comm_rank(MPI_COMM_WORLD, &world.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world.size);
  DedupOptions options = flags.dedup;
  options.mode = flags.mode == "containment" ? DedupMode::kContainment
                                             : DedupMode::kJaccard;
  options.keep =
      flags.keep == "longest" ? DedupKeep::kLongest : DedupKeep::kFirst;

  // Step 1.
  const std::vector<cli::OutputPath> outputs = {{"--output", flags.output},
                                                {"--clusters", flags.clusters}};
  AtomicFile kept(flags.output);
  AtomicFile clusters(flags.clusters);
  Share share;
  Spool spool;
  absl::Status status = ValidateDedupOptions(options);
  if (status.ok()) status = cli::CheckDistinctOutputs(outputs);
  Plan plan;
  std::unique_ptr<InputReader> reader;
  if (status.ok()) {
    auto opened = OpenShareOf(flags.paths, flags.input, flags.split_bytes,
                              /*ids_per_share=*/false, world, &plan);
    if (opened.ok()) {
      reader = std::move(*opened);
    } else {
      status = opened.status();
    }
  }
  for (const cli::OutputPath& output : outputs) {
    if (status.ok()) status = cli::CheckNotAnInput(output, *reader);
  }
  if (status.ok() && world.rank == 0) {
    for (AtomicFile* file : {&kept, &clusters}) {
      if (status.ok()) status = file->CheckWritable();
    }
  }
  if (status.ok()) status = spool.Open();
  if (status.ok())
    status = ReadShare(flags, options, reader.get(), &spool, &share);
  status = CheckDirectories(plan.dirs, reader.get(), status);
  if (!Agree(world, status)) return cli::kExitError;
  // Stage boundaries: every rank has passed the Agree before.
  std::vector<std::pair<std::chrono::steady_clock::time_point, uint64_t>>
      marks = {{std::chrono::steady_clock::now(), world.bytes_sent}};
  auto mark = [&] {
    marks.emplace_back(std::chrono::steady_clock::now(), world.bytes_sent);
  };

  // Global indexes.
  std::vector<uint64_t> counts(world.size);
  const uint64_t mine = share.tokens.size();
  MPI_Allgather(&mine, 1, MPI_UINT64_T, counts.data(), 1, MPI_UINT64_T,
                MPI_COMM_WORLD);
  std::vector<uint64_t> bases(world.size + 1, 0);
  for (int r = 0; r < world.size; ++r) bases[r + 1] = bases[r] + counts[r];
  if (bases.back() >= 0xFFFFFFFFu) {
    if (world.rank == 0) cli::Fail("too many documents (2^32 or more)");
    return cli::kExitError;
  }

  uint64_t repeated_ids = 0;
  status = CountRepeatedIds(&world, share, bases[world.rank], flags.quiet,
                            &repeated_ids);
  if (!Agree(world, status)) return cli::kExitError;

  // Step 2.
  const LshParams params = DedupLshParams(options);
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  size_t oversized = 0;
  status = FindPairs(&world, share, bases[world.rank], params, options, &pairs,
                     &oversized);
  std::vector<uint64_t>().swap(share.band_keys);
  if (!Agree(world, status)) return cli::kExitError;
  mark();

  // Steps 3 to 5.
  Counts local;
  local.oversized_buckets = oversized;
  status = Decide(&world, &share, bases, std::move(pairs), options, &local);
  std::vector<uint64_t>().swap(share.shingles);
  if (!Agree(world, status)) return cli::kExitError;
  mark();

  // Outputs.
  if (world.rank == 0) {
    status = kept.Open();
    if (status.ok()) status = clusters.Open();
    if (status.ok())
      status = WriteLines(share, &spool, kept.file(), kept.path(),
                          clusters.file(), clusters.path());
    for (int r = 1; r < world.size; ++r) {
      status = ReceiveFile(r, kept.file(), kept.path(), status);
      status = ReceiveFile(r, clusters.file(), clusters.path(), status);
    }
    if (status.ok()) status = kept.Close();
    if (status.ok()) status = clusters.Close();
  } else {
    FILE* kept_part = std::tmpfile();
    FILE* clusters_part = std::tmpfile();
    if (kept_part == nullptr || clusters_part == nullptr) {
      status = absl::InternalError(
          cli::ErrnoMessage("cannot create a temporary file"));
    }
    if (status.ok())
      status = WriteLines(share, &spool, kept_part, "a temporary file",
                          clusters_part, "a temporary file");
    status = SendFile(&world, kept_part, status);
    status = SendFile(&world, clusters_part, status);
    if (kept_part != nullptr) std::fclose(kept_part);
    if (clusters_part != nullptr) std::fclose(clusters_part);
  }
  if (!Agree(world, status)) return cli::kExitError;
  mark();
  if (world.rank == 0) {
    status = kept.Commit();
    if (status.ok()) status = clusters.Commit();
  }
  if (!Agree(world, status)) return cli::kExitError;

  // Summary.
  uint64_t local_counts[] = {local.candidate_pairs,
                             local.verified_pairs,
                             local.oversized_buckets,
                             local.duplicate_clusters,
                             local.kept,
                             share.set_end.empty() ? 0 : share.set_end.back(),
                             marks[1].second - marks[0].second,
                             marks[2].second - marks[1].second,
                             marks[3].second - marks[2].second};
  uint64_t total[std::size(local_counts)];
  MPI_Reduce(local_counts, total, std::size(local_counts), MPI_UINT64_T,
             MPI_SUM, 0, MPI_COMM_WORLD);
  SumInput(&share.input);
  share.input.repeated_ids = repeated_ids;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double peak_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;
  double max_peak_mb = 0;
  MPI_Reduce(&peak_mb, &max_peak_mb, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
  if (world.rank != 0) return cli::kExitFound;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  const uint64_t documents = bases.back();
  const size_t kept_count = total[4];
  const double docs_per_second =
      seconds > 0 ? static_cast<double>(documents) / seconds : 0;
  auto per_document = [&](uint64_t bytes) {
    return documents > 0
               ? static_cast<double>(bytes) / static_cast<double>(documents)
               : 0.0;
  };
  // Bytes sent between ranks: band keys; pairs, shingle sets and
  // decisions; output lines streamed to rank 0.
  const double keys_bytes = per_document(total[6]);
  const double cluster_bytes = per_document(total[7]);
  const double output_bytes = per_document(total[8]);
  const double bytes_per_document = keys_bytes + cluster_bytes;
  auto stage = [&](int i) {
    return std::chrono::duration<double>(marks[i + 1].first - marks[i].first)
        .count();
  };
  const double read_seconds =
      std::chrono::duration<double>(marks[0].first - start).count();
  if (flags.format == "jsonl") {
    cli::RunSummary summary;
    summary.command = "dedup";
    summary.documents = documents;
    summary.counts = {{"kept", kept_count},
                      {"dropped", documents - kept_count},
                      {"clusters", kept_count},
                      {"duplicate_clusters", total[3]},
                      {"candidate_pairs", total[0]},
                      {"verified_pairs", total[1]},
                      {"bands", static_cast<size_t>(params.bands)},
                      {"rows", static_cast<size_t>(params.rows)},
                      {"shingle_bytes", total[5] * sizeof(uint64_t)},
                      {"ranks", static_cast<size_t>(world.size)},
                      {"split_files", plan.split_files},
                      {"key_bytes", total[6]},
                      {"cluster_bytes", total[7]},
                      {"output_bytes", total[8]}};
    summary.input = share.input;
    summary.seconds = seconds;
    summary.measures = {{"docs_per_second", docs_per_second},
                        {"bytes_exchanged_per_document", bytes_per_document},
                        {"key_bytes_per_document", keys_bytes},
                        {"cluster_bytes_per_document", cluster_bytes},
                        {"output_bytes_per_document", output_bytes},
                        {"read_sketch_seconds", read_seconds},
                        {"candidates_seconds", stage(0)},
                        {"cluster_seconds", stage(1)},
                        {"output_seconds", stage(2)},
                        {"peak_memory_mb_per_rank", max_peak_mb}};
    const std::string line = cli::SummaryJson(summary);
    std::fwrite(line.data(), 1, line.size(), stdout);
  } else if (!flags.quiet) {
    std::fprintf(stderr,
                 "neardup: %zu documents read, %zu kept, %zu dropped; %zu "
                 "clusters (%zu with duplicates)\n"
                 "neardup: LSH %d bands x %d rows, %zu candidate pairs, %zu "
                 "verified\n"
                 "neardup: %d ranks, %.2f s, %.0f docs/s, peak memory %.1f MB "
                 "per rank\n"
                 "neardup: sent between ranks per document: %.0f bytes of "
                 "band keys, %.0f to verify and cluster, %.0f of output "
                 "lines\n",
                 static_cast<size_t>(documents), kept_count,
                 static_cast<size_t>(documents - kept_count), kept_count,
                 static_cast<size_t>(total[3]), params.bands, params.rows,
                 static_cast<size_t>(total[0]), static_cast<size_t>(total[1]),
                 world.size, seconds, docs_per_second, max_peak_mb, keys_bytes,
                 cluster_bytes, output_bytes);
  }
  cli::PrintInputSummary(share.input, flags.quiet);
  if (!cli::StdoutWritten()) return cli::Fail("cannot write the summary");
  return cli::kExitFound;
}

}  // namespace neardup::mpi
