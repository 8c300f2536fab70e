// neardup-mpi contamination: `neardup contamination` divided among MPI
// ranks, with a report identical, byte for byte, to one process's whatever
// the number of ranks (except the summary's "seconds").
//
// Steps (docs/SCALE.md, "contamination on MPI"):
//  1. Every rank reads the benchmark and builds the index itself (a
//     benchmark is small: 4,000 items take well under a second), and scans
//     its share of the corpus (dedup_mpi.cc's ShareOf: whole files and
//     byte ranges of large JSONL files, contiguous in input order) as `neardup
//     contamination` scans all of it.
//  2. Each rank takes its partial results out of its index
//     (ContaminationIndex::TakePartial), its documents renumbered to their
//     positions in the whole corpus, which order matches of equal quality.
//  3. The partials are merged by pairs (a binary tree: log2(ranks) steps,
//     each message at most one partial, i.e. bounded by items x
//     --max-matches) into rank 0's index (MergePartial: covered tokens
//     united, counts added, the best matches kept), whose Report is then
//     one index's over the whole corpus.
//  4. Rank 0 writes the report (atomically, as `neardup contamination`)
//     once every rank has succeeded.
#include "contamination_mpi.h"

#include <mpi.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "atomic_file.h"
#include "commands.h"
#include "contamination_corpus.h"
#include "contamination_report.h"
#include "dedup_mpi.h"
#include "exchange.h"
#include "input_internal.h"
#include "neardup/contamination.h"

#define XXH_INLINE_ALL
#include "xxhash.h"

namespace neardup::mpi {
namespace {

constexpr int kPartialTag = 15;
constexpr size_t kChunk = size_t{1} << 26;  // MPI counts are ints

void PackPartial(const ContaminationPartial& partial, std::string* out) {
  Packer packer(out);
  packer.Put(static_cast<uint64_t>(partial.documents));
  packer.Put(static_cast<uint64_t>(partial.bytes));
  packer.Put(static_cast<uint64_t>(partial.candidates));
  packer.Put(static_cast<uint64_t>(partial.items.size()));
  std::vector<uint32_t> covered;
  for (const ContaminationPartial::Item& item : partial.items) {
    packer.Put(item.item);
    packer.Put(static_cast<uint64_t>(item.total_matches));
    packer.Put(item.longest_match);
    covered.clear();
    for (const auto& [first, end] : item.covered) {
      covered.push_back(first);
      covered.push_back(end);
    }
    packer.PutArray(covered.data(), covered.size());
    packer.Put(static_cast<uint64_t>(item.matches.size()));
    for (const ContaminationMatch& match : item.matches) {
      packer.Put(static_cast<uint64_t>(match.document));
      packer.PutString(match.document_id);
      packer.Put(match.item);
      packer.Put(match.doc);
      packer.PutString(match.doc_text);
      packer.Put(match.item_tokens);
      packer.Put(match.score);
      packer.Put(static_cast<uint8_t>(match.reworded));
      packer.Put(match.fields);
    }
  }
}

ContaminationPartial UnpackPartial(std::string_view bytes) {
  Unpacker unpack(bytes);
  ContaminationPartial partial;
  partial.documents = unpack.Get<uint64_t>();
  partial.bytes = unpack.Get<uint64_t>();
  partial.candidates = unpack.Get<uint64_t>();
  partial.items.resize(unpack.Get<uint64_t>());
  std::vector<uint32_t> covered;
  for (ContaminationPartial::Item& item : partial.items) {
    item.item = unpack.Get<uint32_t>();
    item.total_matches = unpack.Get<uint64_t>();
    item.longest_match = unpack.Get<uint32_t>();
    covered.clear();
    unpack.GetArray(&covered);
    for (size_t k = 0; k + 1 < covered.size(); k += 2) {
      item.covered.emplace_back(covered[k], covered[k + 1]);
    }
    item.matches.resize(unpack.Get<uint64_t>());
    for (ContaminationMatch& match : item.matches) {
      match.document = unpack.Get<uint64_t>();
      match.document_id = unpack.GetString();
      match.item = unpack.Get<TextSpan>();
      match.doc = unpack.Get<TextSpan>();
      match.doc_text = unpack.GetString();
      match.item_tokens = unpack.Get<uint32_t>();
      match.score = unpack.Get<double>();
      match.reworded = unpack.Get<uint8_t>() != 0;
      match.fields = unpack.Get<uint64_t>();
    }
  }
  return partial;
}

void SendBytes(World* world, int to, const std::string& bytes) {
  const uint64_t size = bytes.size();
  MPI_Send(&size, 1, MPI_UINT64_T, to, kPartialTag, MPI_COMM_WORLD);
  for (size_t at = 0; at < bytes.size(); at += kChunk) {
    const size_t n = std::min(kChunk, bytes.size() - at);
    MPI_Send(bytes.data() + at, static_cast<int>(n), MPI_BYTE, to, kPartialTag,
             MPI_COMM_WORLD);
  }
  world->bytes_sent += sizeof(size) + bytes.size();
}

std::string ReceiveBytes(int from) {
  uint64_t size = 0;
  MPI_Recv(&size, 1, MPI_UINT64_T, from, kPartialTag, MPI_COMM_WORLD,
           MPI_STATUS_IGNORE);
  std::string bytes(size, '\0');
  for (size_t at = 0; at < bytes.size(); at += kChunk) {
    const size_t n = std::min(kChunk, bytes.size() - at);
    MPI_Recv(bytes.data() + at, static_cast<int>(n), MPI_BYTE, from,
             kPartialTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  }
  return bytes;
}

// Steps 2 and 3. Collective. `documents` is the number this rank scanned;
// on return rank 0's index holds every rank's results.
absl::Status MergeIntoRankZero(World* world, uint64_t documents,
                               ContaminationIndex* index) {
  uint64_t base = 0;
  MPI_Exscan(&documents, &base, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  if (world->rank == 0) base = 0;  // MPI_Exscan leaves rank 0's undefined
  ContaminationPartial mine = index->TakePartial(base);
  absl::Status status;
  if (mine.documents != documents) {
    status = absl::InternalError(
        absl::StrCat("rank ", world->rank, " read ", documents,
                     " documents but scanned ", mine.documents));
  }
  if (absl::Status s = index->MergePartial(std::move(mine)); status.ok()) {
    status = s;
  }
  // Every rank takes part to the end (a failed one too), so that no rank
  // waits for a message that never comes.
  for (int step = 1; step < world->size; step *= 2) {
    if (world->rank % (2 * step) == step) {
      std::string bytes;
      PackPartial(index->TakePartial(0), &bytes);
      SendBytes(world, world->rank - step, bytes);
      break;
    }
    if (world->rank + step < world->size) {
      absl::Status s =
          index->MergePartial(UnpackPartial(ReceiveBytes(world->rank + step)));
      if (status.ok()) status = s;
    }
  }
  return status;
}

// Collective: the records, on all ranks, whose id a record of an earlier
// rank's share already had. Each rank's reader counts the repeats within
// its share (InputStats::repeated_ids); this counts the rest, for the
// summary to say what one process would: each distinct id of a share goes
// to the rank that owns its hash, which counts those it has already
// received from another rank.
absl::Status RepeatsAcrossShares(World* world, std::vector<std::string> ids,
                                 uint64_t* repeats) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<std::string> out(world->size), in;
  for (const std::string& id : ids) {
    // A hash that every rank computes alike (absl::Hash is salted per
    // process).
    const uint64_t owner = XXH3_64bits(id.data(), id.size()) % world->size;
    Packer(&out[owner]).PutString(id);
  }
  std::vector<std::string>().swap(ids);
  absl::Status status = Exchange(world, out, &in);
  uint64_t mine = 0;
  absl::flat_hash_set<std::string_view> seen;
  for (const std::string& bytes : in) {
    for (Unpacker unpack(bytes); !unpack.done();) {
      if (!seen.insert(unpack.GetString()).second) ++mine;
    }
  }
  MPI_Allreduce(&mine, repeats, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  return status;
}

double PeakMemoryMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

}  // namespace

int RunContaminationMpi(const cli::ContaminationFlags& flags,
                        uint64_t split_bytes) {
  const auto start = std::chrono::steady_clock::now();
  World world;
  MPI_Comm_rank(MPI_COMM_WORLD, &world.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world.size);
  const bool speaks = world.rank == 0;

  // Step 1.
  cli::OutputFile output(flags.output);
  absl::Status status;
  if (speaks) status = output.CheckWritable();
  const std::string format =
      cli::ContaminationFormat(flags, output.is_stdout());
  // Shares as neardup-mpi dedup's (whole files, and byte ranges of large
  // JSONL files), each counting its own repeated ids (the repeats across
  // shares are counted below); directories without usable files are checked
  // over all ranks after the scan.
  Plan plan;
  std::unique_ptr<InputReader> reader;
  if (status.ok()) {
    auto opened = OpenShareOf(flags.paths, flags.input, split_bytes,
                              /*ids_per_share=*/true, world, &plan);
    if (opened.ok()) {
      reader = std::move(*opened);
    } else {
      status = opened.status();
    }
  }
  if (status.ok()) {
    status = cli::CheckNotAnInput({"--output", flags.output}, *reader);
  }
  cli::ContaminationRun run;
  std::unique_ptr<ContaminationIndex> index;
  if (status.ok()) {
    // Every rank reads the benchmark; rank 0 alone says what it skipped.
    auto built =
        cli::BuildContaminationIndex(flags, flags.quiet || !speaks, &run);
    if (built.ok()) {
      index = std::move(*built);
    } else {
      status = built.status();
    }
  }
  if (!Agree(world, status)) return cli::kExitError;
  cli::ProgressLine progress(stderr, false);
  std::vector<std::string> ids;
  status = cli::ScanCorpus(reader.get(), *index, std::max(1, flags.threads),
                           flags.quiet, &progress, &ids);
  status = CheckDirectories(plan.dirs, reader.get(), status);
  if (!Agree(world, status)) return cli::kExitError;
  const auto scanned = std::chrono::steady_clock::now();

  // Steps 2 and 3.
  InputStats input = reader->stats();
  const uint64_t documents = input.records;
  SumInput(&input);
  uint64_t repeats = 0;
  status = RepeatsAcrossShares(&world, std::move(ids), &repeats);
  input.repeated_ids += repeats;
  if (!Agree(world, status)) return cli::kExitError;
  const uint64_t id_bytes = world.bytes_sent;
  status = MergeIntoRankZero(&world, documents, index.get());
  if (!Agree(world, status)) return cli::kExitError;
  const auto merged = std::chrono::steady_clock::now();

  // Step 4.
  ContaminationStats stats;
  int exit = cli::kExitNotFound;
  if (speaks) {
    const std::vector<ItemReport> reports = index->Report(&stats);
    run.input = input;
    run.seconds = std::chrono::duration<double>(merged - start).count();
    status = output.Open();
    if (status.ok()) {
      cli::WriteContaminationReport(format, *index, reports, stats, run,
                                    static_cast<size_t>(flags.top),
                                    output.file());
      status = output.Finish();
    }
    if (stats.contaminated + stats.partial > 0) exit = cli::kExitFound;
  }
  if (!Agree(world, status)) return cli::kExitError;
  MPI_Bcast(&exit, 1, MPI_INT, 0, MPI_COMM_WORLD);

  // Figures: what merging cost, and memory.
  uint64_t sent[] = {id_bytes, world.bytes_sent - id_bytes};
  uint64_t total_sent[2] = {0, 0};
  MPI_Reduce(sent, total_sent, 2, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
  const double peak_mb = PeakMemoryMb();
  double max_peak_mb = 0;
  MPI_Reduce(&peak_mb, &max_peak_mb, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
  if (!speaks || flags.quiet) return exit;
  cli::PrintContaminationSummary(stats, run);
  const auto seconds = [](auto from, auto to) {
    return std::chrono::duration<double>(to - from).count();
  };
  const auto per = [](uint64_t bytes, size_t count) {
    return count > 0 ? static_cast<double>(bytes) / static_cast<double>(count)
                     : 0.0;
  };
  std::fprintf(
      stderr,
      "neardup: %d rank%s: read+scan %.2f s, merge %.2f s, %.0f docs/s; "
      "sent between ranks: %.1f bytes per item to merge the results, %.1f "
      "per document of ids (to count repeats); peak memory %.1f MB per "
      "rank\n",
      world.size, world.size == 1 ? "" : "s", seconds(start, scanned),
      seconds(scanned, merged),
      run.seconds > 0 ? per(stats.documents, 1) / run.seconds : 0.0,
      per(total_sent[1], stats.items), per(total_sent[0], stats.documents),
      max_peak_mb);
  cli::PrintInputSummary(run.input, flags.quiet);
  return exit;
}

}  // namespace neardup::mpi
