// neardup.FeedIndex: the persistent feed index of `neardup index` (LMDB),
// from Python. Every call into the library runs with the GIL released.
#include "neardup/feed_index.h"

#include <pybind11/stl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bindings.h"

namespace neardup::python {
namespace {

// LMDB forbids opening one environment twice in a process: the indexes open
// here, by device and inode of their directory (read and written with the
// GIL held).
std::set<std::pair<dev_t, ino_t>>& OpenIndexes() {
  static auto* open = new std::set<std::pair<dev_t, ino_t>>;
  return *open;
}

std::optional<std::pair<dev_t, ino_t>> DirectoryKey(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return std::nullopt;
  return std::make_pair(st.st_dev, st.st_ino);
}

// The library's "not an index" and "read-only" errors are the caller's
// mistake: ValueError, as bad arguments are.
[[noreturn]] void RaiseIndexError(const absl::Status& status) {
  if (status.code() == absl::StatusCode::kFailedPrecondition) {
    Raise(absl::InvalidArgumentError(status.message()));
  }
  Raise(status);
}

// The id the index stores: a str as UTF-8, bytes as they are, anything
// else as its str().
std::string IdText(const py::object& id) {
  if (PyBytes_Check(id.ptr())) return id.cast<std::string>();
  return py::str(id).cast<std::string>();
}

// Stored bytes as a str: ids and texts added as bytes need not be UTF-8.
py::str DecodeText(const std::string& bytes) {
  return py::reinterpret_steal<py::str>(PyUnicode_DecodeUTF8(
      bytes.data(), static_cast<Py_ssize_t>(bytes.size()), "replace"));
}

py::dict ParamsDict(const FeedIndexParams& p) {
  py::dict d;
  d["shingle"] = p.shingle;
  d["num_hashes"] = p.num_hashes;
  d["lsh_threshold"] = p.lsh_threshold;
  d["bands"] = p.bands;
  d["rows"] = p.rows;
  d["seed"] = p.seed;
  d["store_texts"] = p.store_texts;
  d["fold_case"] = p.analyze.fold_case;
  d["strip_marks"] = p.analyze.strip_marks;
  d["fold_arabic"] = p.analyze.fold_arabic;
  d["fold_digits"] = p.analyze.fold_digits;
  d["match_variants"] = p.analyze.match_variants;
  return d;
}

class PyFeedIndex {
 public:
  PyFeedIndex(const std::string& path, bool create, bool writable, bool wait,
              int threads, std::optional<int> shingle,
              std::optional<int> num_hashes,
              std::optional<double> lsh_threshold,
              std::optional<bool> store_texts, std::optional<bool> fold_case,
              std::optional<bool> strip_marks, std::optional<bool> fold_arabic,
              std::optional<bool> fold_digits,
              std::optional<bool> match_variants)
      : path_(path) {
    if (threads < 0 || threads > 1024) {
      throw py::value_error("threads must be in [0, 1024] (0: one per core)");
    }
    FeedIndexOptions options;
    FeedIndexParams& p = options.params;
    std::vector<std::string> given;
    auto take = [&given](auto& field, const auto& value, const char* name) {
      if (!value) return;
      field = *value;
      given.emplace_back(name);
    };
    take(p.shingle, shingle, "shingle");
    take(p.num_hashes, num_hashes, "num_hashes");
    take(p.lsh_threshold, lsh_threshold, "lsh_threshold");
    take(p.store_texts, store_texts, "store_texts");
    take(p.analyze.fold_case, fold_case, "fold_case");
    take(p.analyze.strip_marks, strip_marks, "strip_marks");
    take(p.analyze.fold_arabic, fold_arabic, "fold_arabic");
    take(p.analyze.fold_digits, fold_digits, "fold_digits");
    take(p.analyze.match_variants, match_variants, "match_variants");
    options.create_if_missing = create;
    options.writable = writable || create;
    options.wait_for_writer = wait;
    options.threads = threads;
    writable_ = options.writable;

    if (auto key = DirectoryKey(path); key && OpenIndexes().count(*key) > 0) {
      throw py::value_error(
          path +
          ": this index is already open in this process (LMDB allows one "
          "open per process): share that FeedIndex, or close() it first");
    }
    absl::StatusOr<std::unique_ptr<FeedIndex>> index;
    {
      py::gil_scoped_release release;
      index = FeedIndex::Open(path, options);
    }
    if (!index.ok()) RaiseIndexError(index.status());
    if (absl::Status s = CheckFeedIndexParams((*index)->params(), p, given);
        !s.ok()) {
      Raise(absl::InvalidArgumentError(path + ": " + std::string(s.message())));
    }
    key_ = DirectoryKey(path);
    if (key_) OpenIndexes().insert(*key_);
    index_ = std::move(*index);
  }

  ~PyFeedIndex() {
    if (key_) OpenIndexes().erase(*key_);
  }

  PyFeedIndex(const PyFeedIndex&) = delete;
  PyFeedIndex& operator=(const PyFeedIndex&) = delete;

  FeedAddResult Add(const std::string& name, const py::iterable& documents) {
    std::vector<Text> texts;
    std::vector<std::string> ids;
    for (py::handle entry : documents) {
      auto [id, value] = IdAndText(entry);
      ids.push_back(IdText(id));
      texts.push_back(ReadText(value, "a document's text"));
    }
    std::vector<DocumentView> views;
    views.reserve(texts.size());
    for (size_t i = 0; i < texts.size(); ++i) {
      views.push_back({ids[i], texts[i].view});
    }
    FeedIndex* index = Use();
    Busy busy(this);
    absl::StatusOr<FeedAddResult> result;
    {
      py::gil_scoped_release release;
      result = index->AddBatch(name, views);
    }
    if (!result.ok()) RaiseIndexError(result.status());
    return std::move(*result);
  }

  std::vector<std::vector<FeedMatch>> Query(const py::iterable& documents,
                                            double threshold, bool texts) {
    // The library's check, in the keyword's name.
    if (!(threshold > 0 && threshold <= 1)) {
      throw py::value_error("threshold must be in (0, 1]");
    }
    std::vector<Text> held;
    for (py::handle entry : documents) {
      if (PyUnicode_Check(entry.ptr()) || PyBytes_Check(entry.ptr())) {
        held.push_back(ReadText(entry, "a document"));
      } else {
        held.push_back(ReadText(IdAndText(entry).second, "a document's text"));
      }
    }
    FeedQueryOptions options;
    options.threshold = threshold;
    options.want_texts = texts;
    FeedIndex* index = Use();
    Busy busy(this);
    std::vector<std::vector<FeedMatch>> out;
    out.reserve(held.size());
    // Chunks bound the memory of one call and let Ctrl-C in between.
    constexpr size_t kChunk = 8192;
    for (size_t begin = 0; begin < held.size() || begin == 0; begin += kChunk) {
      const size_t end = std::min(held.size(), begin + kChunk);
      std::vector<std::string_view> views;
      for (size_t i = begin; i < end; ++i) views.push_back(held[i].view);
      absl::StatusOr<std::vector<std::vector<FeedMatch>>> results;
      {
        py::gil_scoped_release release;
        results = index->Query(views, options);
      }
      if (!results.ok()) RaiseIndexError(results.status());
      for (auto& matches : *results) out.push_back(std::move(matches));
      if (end >= held.size()) break;
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    }
    return out;
  }

  py::dict Stats() {
    FeedIndex* index = Use();
    Busy busy(this);
    absl::StatusOr<FeedIndexStats> stats;
    {
      py::gil_scoped_release release;
      stats = index->Stats();
    }
    if (!stats.ok()) RaiseIndexError(stats.status());
    py::dict d;
    d["format_version"] = stats->format_version;
    d["params"] = ParamsDict(stats->params);
    d["documents"] = stats->documents;
    d["batches"] = stats->batches;
    d["file_bytes"] = stats->file_bytes;
    d["page_bytes"] = stats->page_bytes;
    d["used_pages"] = stats->used_pages;
    d["free_pages"] = stats->free_pages;
    d["text_bytes"] = stats->text_bytes;
    py::dict databases;
    for (const auto& [name, bytes] : stats->database_bytes) {
      databases[py::str(name)] = bytes;
    }
    d["database_bytes"] = databases;
    return d;
  }

  std::vector<FeedBatchInfo> Prune(std::optional<double> older_than_seconds,
                                   std::optional<std::string> batch) {
    if (older_than_seconds.has_value() == batch.has_value()) {
      throw py::value_error(
          "prune() needs exactly one of older_than_seconds and batch");
    }
    if (older_than_seconds && !(*older_than_seconds >= 0)) {
      throw py::value_error("older_than_seconds must be >= 0");
    }
    FeedIndex* index = Use();
    Busy busy(this);
    absl::StatusOr<std::vector<FeedBatchInfo>> removed;
    {
      py::gil_scoped_release release;
      if (batch) {
        removed = index->PruneBatch(*batch);
      } else {
        const auto now = static_cast<int64_t>(std::time(nullptr));
        removed = index->PruneOlderThan(
            now -
            static_cast<int64_t>(std::min(*older_than_seconds,
                                          static_cast<double>(INT64_MAX / 2))));
      }
    }
    if (!removed.ok()) RaiseIndexError(removed.status());
    return std::move(*removed);
  }

  py::dict Params() { return ParamsDict(Use()->params()); }

  void Close() {
    if (busy_ > 0) {
      throw std::runtime_error(
          "FeedIndex.close(): another thread is using the index");
    }
    {
      py::gil_scoped_release release;
      index_.reset();
    }
    if (key_) OpenIndexes().erase(*key_);
    key_.reset();
  }

  bool closed() const { return index_ == nullptr; }
  bool writable() const { return writable_; }
  const std::string& path() const { return path_; }

 private:
  // Counts the calls running without the GIL, so that close() does not pull
  // the index from under them.
  struct Busy {
    explicit Busy(PyFeedIndex* self) : self(self) { ++self->busy_; }
    ~Busy() { --self->busy_; }
    Busy(const Busy&) = delete;
    Busy& operator=(const Busy&) = delete;
    PyFeedIndex* self;
  };

  FeedIndex* Use() {
    if (index_ == nullptr) {
      throw py::value_error(path_ + ": the FeedIndex is closed");
    }
    return index_.get();
  }

  std::string path_;
  bool writable_ = false;
  std::unique_ptr<FeedIndex> index_;
  std::optional<std::pair<dev_t, ino_t>> key_;
  int busy_ = 0;  // with the GIL held
};

}  // namespace

void BindFeedIndex(py::module_& module) {
  py::class_<FeedBatchInfo>(module, "FeedBatch",
                            "One batch added to a FeedIndex.")
      .def_readonly("number", &FeedBatchInfo::number)
      .def_property_readonly(
          "name", [](const FeedBatchInfo& b) { return DecodeText(b.name); })
      .def_readonly("added_unix_seconds", &FeedBatchInfo::added_unix_seconds,
                    "When it was added (seconds since 1970, UTC).")
      .def_readonly("content_hash", &FeedBatchInfo::content_hash,
                    "XXH3-128 of its ids and texts, 32 hex digits.")
      .def_readonly("documents", &FeedBatchInfo::documents,
                    "Documents stored from it.")
      .def("__repr__", [](const FeedBatchInfo& b) {
        return "FeedBatch(name=" + std::string(py::repr(DecodeText(b.name))) +
               ", documents=" + std::to_string(b.documents) +
               ", added_unix_seconds=" + std::to_string(b.added_unix_seconds) +
               ")";
      });

  py::class_<FeedAddResult>(module, "FeedAddResult",
                            "What FeedIndex.add() did.")
      .def_readonly("already_added", &FeedAddResult::already_added,
                    "True when a batch with the same content was already "
                    "there: nothing changed.")
      .def_readonly("batch", &FeedAddResult::batch,
                    "The batch (the earlier one when already_added).")
      .def_readonly("added", &FeedAddResult::added, "Documents stored.")
      .def_readonly("existing_ids", &FeedAddResult::existing_ids,
                    "Documents left out: their id was already indexed (or "
                    "earlier in the batch).")
      .def("__repr__", [](const FeedAddResult& r) {
        return std::string("FeedAddResult(added=") + std::to_string(r.added) +
               ", existing_ids=" + std::to_string(r.existing_ids) +
               ", already_added=" + (r.already_added ? "True" : "False") +
               ", batch=" + std::string(py::repr(DecodeText(r.batch.name))) +
               ")";
      });

  py::class_<FeedMatch>(module, "FeedMatch",
                        "An indexed document a queried one near-duplicates.")
      .def_property_readonly(
          "id", [](const FeedMatch& m) { return DecodeText(m.id); },
          "The indexed document's id (str; undecodable bytes as U+FFFD).")
      .def_property_readonly(
          "batch", [](const FeedMatch& m) { return DecodeText(m.batch); },
          "The name of its batch.")
      .def_readonly("similarity", &FeedMatch::similarity,
                    "Jaccard similarity of the word shingle sets.")
      .def_readonly("exact", &FeedMatch::exact,
                    "True: measured on the stored text; False: estimated "
                    "from the signatures (index without texts).")
      .def_readonly("document", &FeedMatch::document,
                    "The document's number in the index.")
      .def_property_readonly(
          "text",
          [](const FeedMatch& m) -> py::object {
            if (m.text.empty()) return py::none();
            return DecodeText(m.text);
          },
          "The stored text with query(texts=True), else None.")
      .def("__repr__", [](const FeedMatch& m) {
        return "FeedMatch(id=" + std::string(py::repr(DecodeText(m.id))) +
               ", batch=" + std::string(py::repr(DecodeText(m.batch))) +
               ", similarity=" +
               std::string(py::repr(py::float_(m.similarity))) +
               ", exact=" + (m.exact ? "True" : "False") + ")";
      });

  const FeedQueryOptions query;
  py::class_<PyFeedIndex>(module, "FeedIndex", "See neardup.FeedIndex.")
      .def(py::init<
               const std::string&, bool, bool, bool, int, std::optional<int>,
               std::optional<int>, std::optional<double>, std::optional<bool>,
               std::optional<bool>, std::optional<bool>, std::optional<bool>,
               std::optional<bool>, std::optional<bool>>(),
           py::arg("path"), py::kw_only(), py::arg("create") = false,
           py::arg("writable") = false, py::arg("wait") = false,
           py::arg("threads") = 0, py::arg("shingle") = py::none(),
           py::arg("num_hashes") = py::none(),
           py::arg("lsh_threshold") = py::none(),
           py::arg("store_texts") = py::none(),
           py::arg("fold_case") = py::none(),
           py::arg("strip_marks") = py::none(),
           py::arg("fold_arabic") = py::none(),
           py::arg("fold_digits") = py::none(),
           py::arg("match_variants") = py::none())
      .def("add", &PyFeedIndex::Add, py::arg("batch_name"),
           py::arg("documents"),
           "Adds (id, text) pairs as one batch, in one transaction.")
      .def("query", &PyFeedIndex::Query, py::arg("documents"), py::kw_only(),
           py::arg("threshold") = query.threshold, py::arg("texts") = false,
           "For each document, list[FeedMatch], most similar first.")
      .def("stats", &PyFeedIndex::Stats, "The index's contents (dict).")
      .def("prune", &PyFeedIndex::Prune,
           py::arg("older_than_seconds") = py::none(),
           py::arg("batch") = py::none(),
           "Removes batches and their documents; returns list[FeedBatch].")
      .def("close", &PyFeedIndex::Close)
      .def_property_readonly("params", &PyFeedIndex::Params)
      .def_property_readonly("closed", &PyFeedIndex::closed)
      .def_property_readonly("writable", &PyFeedIndex::writable)
      .def_property_readonly("path", &PyFeedIndex::path);
}

}  // namespace neardup::python
