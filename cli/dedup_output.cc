#include "dedup_output.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <optional>
#include <thread>

#include "absl/strings/str_format.h"
#include "interrupt.h"
#include "output.h"

namespace neardup::cli {

void AppendClusterLine(std::string_view id, std::string_view source,
                       std::string_view cluster,
                       std::string_view cluster_source,
                       const DedupDecision& decision, std::string* line,
                       std::optional<bool> in_index, bool exact) {
  *line += "{\"id\":";
  AppendJsonString(id, line);
  *line += ",\"source\":";
  AppendJsonString(source, line);
  *line += ",\"cluster\":";
  AppendJsonString(cluster, line);
  *line += ",\"cluster_source\":";
  AppendJsonString(cluster_source, line);
  if (decision.kept) {
    *line += ",\"kept\":true,\"duplicate_of\":null,\"similarity\":null";
  } else {
    *line += ",\"kept\":false,\"duplicate_of\":";
    AppendJsonString(cluster, line);
    absl::StrAppendFormat(line, ",\"similarity\":%.6g", decision.similarity);
    if (!exact) *line += ",\"exact\":false";
  }
  if (in_index.has_value()) {
    *line += *in_index ? ",\"in_index\":true" : ",\"in_index\":false";
  }
  *line += "}\n";
}

KeptStream::KeptStream(Spool* spool, AtomicFile* kept, size_t documents)
    : spool_(spool), kept_(kept), documents_(documents), keep_(documents) {}

KeptStream::~KeptStream() {
  {
    const std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  changed_.notify_one();
  if (thread_.joinable()) thread_.join();
}

absl::Status KeptStream::Start() {
  if (absl::Status s = kept_->Open(); !s.ok()) return s;
  if (absl::Status s = spool_->BeginCopy(kept_->file(), kept_->path()); !s.ok())
    return s;
  thread_ = std::thread([this] { Copy(); });
  return absl::OkStatus();
}

void KeptStream::Decided(absl::Span<const DedupDecision> prefix) {
  {
    const std::lock_guard<std::mutex> lock(mu_);
    for (size_t i = decided_; i < prefix.size(); ++i) {
      keep_[i] = prefix[i].kept ? 1 : 0;
    }
    decided_ = std::max(decided_, prefix.size());
  }
  changed_.notify_one();
}

void KeptStream::Copy() {
  // The copy waits on the clustering's decisions, so the disk has time to
  // flush what is copied as it goes: a sync every kSyncBytes, beside the
  // copy (BackgroundSync), leaves the final one little to do.
  constexpr uint64_t kSyncBytes = uint64_t{16} << 20;
  BackgroundSync sync(fileno(kept_->file()));
  uint64_t synced = 0;
  size_t copied = 0;
  while (copied < documents_) {
    size_t until;
    {
      std::unique_lock<std::mutex> lock(mu_);
      changed_.wait(lock, [&] { return stop_ || decided_ > copied; });
      if (stop_) return;
      until = decided_;
    }
    // keep_[copied, until) was written before decided_ was raised, under
    // mu_, and is not written again.
    status_ = spool_->CopyUntil(keep_, until);
    if (!status_.ok()) return;
    copied = until;
    if (spool_->copied_bytes() - synced >= kSyncBytes) {
      synced = spool_->copied_bytes();
      sync.Request();
    }
  }
  status_ = spool_->EndCopy();
  if (const int error = sync.Finish(); error != 0 && status_.ok()) {
    errno = error;
    status_ =
        absl::InternalError(ErrnoMessage("cannot write " + kept_->path()));
  }
  if (status_.ok()) status_ = kept_->Close();
  spool_->Close();
}

absl::Status KeptStream::Wait() {
  if (thread_.joinable()) thread_.join();
  return status_;
}

absl::Status WriteOutputs(const ReadResult& read,
                          const std::vector<DedupDecision>& decisions,
                          Spool* spool, AtomicFile* kept, AtomicFile* clusters,
                          const std::vector<IndexedDuplicate>* indexed,
                          const std::function<absl::Status()>& before_commit,
                          KeptStream* stream) {
  if (stream == nullptr) {
    if (absl::Status s = kept->Open(); !s.ok()) return s;
  }
  if (absl::Status s = clusters->Open(); !s.ok()) return s;
  // KEPT is copied from the spool and flushed to disk (fsync: most of this
  // step's time, ~0.1 s for SaudiNewsNet's 97 MB) on another thread while
  // CLUSTERS is written (or already is, by `stream`); the spool is closed
  // there too once copied (freeing its pages takes ~15 ms).
  absl::Status kept_status;
  std::thread copy_kept;
  if (stream == nullptr) {
    copy_kept = std::thread([&] {
      std::vector<bool> keep(decisions.size());
      for (size_t i = 0; i < decisions.size(); ++i) {
        keep[i] = decisions[i].kept;
      }
      kept_status = spool->CopyLines(keep, kept->file(), kept->path());
      if (kept_status.ok()) kept_status = kept->Close();
      spool->Close();
    });
  }
  absl::Status status;
  // 1 MiB of stdio buffer (4 KiB: a write() per 30 lines).
  constexpr size_t kBufferSize = size_t{1} << 20;
  const auto buffer = std::make_unique_for_overwrite<char[]>(kBufferSize);
  std::setvbuf(clusters->file(), buffer.get(), _IOFBF, kBufferSize);
  size_t next = 0;   // in *indexed
  std::string line;  // one line of CLUSTERS, its buffer reused
  for (size_t i = 0; i < decisions.size() && status.ok(); ++i) {
    line.clear();
    if (indexed != nullptr && next < indexed->size() &&
        (*indexed)[next].document == i) {
      const IndexedDuplicate& dup = (*indexed)[next++];
      AppendClusterLine(read.ids[i], read.origins[i], dup.id, dup.batch,
                        decisions[i], &line, true, dup.exact);
    } else {
      const uint32_t rep = decisions[i].representative;
      AppendClusterLine(
          read.ids[i], read.origins[i], read.ids[rep], read.origins[rep],
          decisions[i], &line,
          indexed != nullptr ? std::optional<bool>(false) : std::nullopt);
    }
    if (std::fwrite(line.data(), 1, line.size(), clusters->file()) !=
        line.size()) {
      status =
          absl::InternalError(ErrnoMessage("cannot write " + clusters->path()));
    }
  }
  // Closed (flushed) while `buffer` lives, and while KEPT is being synced.
  const absl::Status clusters_closed = clusters->Close();
  if (status.ok()) status = clusters_closed;
  if (copy_kept.joinable()) {
    copy_kept.join();
  } else {
    // Every decision, again: the copy cannot wait for one never told.
    stream->Decided(decisions);
    kept_status = stream->Wait();
  }
  if (!kept_status.ok()) status = kept_status;
  if (status.ok() && Interrupted()) return absl::CancelledError("interrupted");
  if (status.ok() && before_commit) status = before_commit();
  if (status.ok()) status = kept->Commit();
  if (status.ok()) status = clusters->Commit();
  return status;
}

}  // namespace neardup::cli
