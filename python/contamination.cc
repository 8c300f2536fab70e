// neardup.ContaminationIndex: the benchmark's items indexed once, corpus
// documents streamed into it (in batches, on the library's threads, with
// the GIL released), and one ItemReport per item.
#include "neardup/contamination.h"

#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "bindings.h"

namespace neardup::python {
namespace {

// A match as Python sees it: the document by the id it was given (as a
// str) and its position among all the documents scanned.
struct PyMatch {
  std::string doc;
  size_t doc_index = 0;
  TextSpan item;
  TextSpan doc_span;
  std::string doc_text;
  double score = 0;
  uint32_t tokens = 0;
  bool reworded = false;
  std::vector<int> fields;  // the item's fields it covers, by position
};

struct PyItemReport {
  py::object id;
  std::string status;
  uint32_t tokens = 0;
  uint32_t covered_tokens = 0;
  double contaminated_fraction = 0;
  uint32_t longest_match = 0;
  size_t total_matches = 0;
  std::vector<PyMatch> matches;
};

// A document id as the library keeps it: a str as it is, anything else as
// its str().
std::string IdLabel(const py::object& id) {
  return py::str(id).cast<std::string>();
}

class PyContaminationIndex {
 public:
  PyContaminationIndex(const py::iterable& items, const std::string& mode,
                       const py::int_& ngram, double contaminated_at,
                       double partial_at, const py::int_& max_matches,
                       const py::int_& min_match_tokens,
                       const py::int_& min_short_tokens,
                       double min_weight_share, double bag_threshold,
                       double max_seed_item_share, bool fold_case,
                       bool strip_marks, bool fold_arabic, bool fold_digits,
                       bool match_variants) {
    OptionNames names;
    ContaminationOptions options;
    options.analyze = Analyze(fold_case, strip_marks, fold_arabic, fold_digits,
                              match_variants);
    if (mode == "aligned") {
      options.mode = ContaminationMode::kAligned;
    } else if (mode == "ngram") {
      options.mode = ContaminationMode::kNgram;
    } else {
      throw py::value_error("mode must be 'aligned' or 'ngram', got '" + mode +
                            "'");
    }
    options.ngram = ToInt(ngram, "ngram", &names);
    options.contaminated_at = contaminated_at;
    options.partial_at = partial_at;
    options.max_matches = ToInt(max_matches, "max_matches", &names);
    options.min_match_tokens =
        ToInt(min_match_tokens, "min_match_tokens", &names);
    options.min_short_tokens =
        ToInt(min_short_tokens, "min_short_tokens", &names);
    options.min_weight_share = min_weight_share;
    options.bag_threshold = bag_threshold;
    options.max_seed_item_share = max_seed_item_share;

    // Items are given to the library by position, so that any hashable id
    // works; repeated ids are refused here.
    std::vector<BenchmarkItem> benchmark;
    py::dict seen;
    for (py::handle entry : items) {
      auto [id, value] = IdAndText(entry);
      if (seen.contains(id)) {
        throw py::value_error("duplicate item id " + std::string(py::repr(id)));
      }
      seen[id] = py::none();
      BenchmarkItem item;
      item.id = std::to_string(benchmark.size());
      if (PyUnicode_Check(value.ptr()) || PyBytes_Check(value.ptr())) {
        item.fields.emplace_back(ReadText(value, "an item's text").view);
      } else if (PyTuple_Check(value.ptr()) || PyList_Check(value.ptr())) {
        for (py::handle field : py::reinterpret_borrow<py::sequence>(value)) {
          item.fields.emplace_back(ReadText(field, "an item's field").view);
        }
      } else {
        throw py::type_error(
            "an item is (id, text) or (id, [field, ...]) with str or bytes "
            "texts, got " +
            std::string(py::repr(entry)));
      }
      benchmark.push_back(std::move(item));
      ids_.push_back(std::move(id));
    }
    auto index = ContaminationIndex::Create(std::move(benchmark), options);
    if (!index.ok()) Raise(index.status());
    index_ = std::move(*index);
  }

  // Streams (id, text) pairs into the index on `threads` threads.
  void Scan(const py::iterable& documents, const py::int_& threads_arg) {
    OptionNames names;
    const int threads = ToInt(threads_arg, "threads", &names);
    if (threads < 0 || threads > 1024) {
      throw py::value_error("threads must be in [0, 1024] (0: one per core)");
    }
    if (busy_) {
      throw std::runtime_error(
          "ContaminationIndex: scan() or report() is already running");
    }
    busy_ = true;
    struct Clear {
      bool* busy;
      ~Clear() { *busy = false; }
    } clear{&busy_};
    const size_t wanted =
        threads > 0 ? static_cast<size_t>(threads)
                    : std::max<size_t>(1, std::thread::hardware_concurrency());
    while (scanners_.size() < wanted) {
      scanners_.push_back(index_->NewScanner());
    }
    std::vector<Text> texts;
    std::vector<std::string> labels;
    size_t bytes = 0;
    for (py::handle entry : documents) {
      auto [id, value] = IdAndText(entry);
      texts.push_back(ReadText(value, "a document's text"));
      labels.push_back(IdLabel(id));
      bytes += texts.back().view.size();
      if (texts.size() >= kBatchDocuments || bytes >= kBatchBytes) {
        ScanBatch(texts, labels, wanted);
        texts.clear();
        labels.clear();
        bytes = 0;
      }
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    }
    ScanBatch(texts, labels, wanted);
  }

  std::vector<PyItemReport> Report() {
    if (busy_) {
      throw std::runtime_error(
          "ContaminationIndex: scan() or report() is already running");
    }
    ContaminationStats stats;
    std::vector<ItemReport> reports;
    {
      py::gil_scoped_release release;
      reports = index_->Report(&stats);
    }
    stats_ = stats;
    std::vector<PyItemReport> out;
    out.reserve(reports.size());
    for (size_t i = 0; i < reports.size(); ++i) {
      ItemReport& report = reports[i];
      PyItemReport item;
      item.id = ids_[i];
      item.status = std::string(ContaminationStatusName(report.status));
      item.tokens = report.tokens;
      item.covered_tokens = report.covered;
      item.contaminated_fraction = report.contaminated_fraction;
      item.longest_match = report.longest_match;
      item.total_matches = report.total_matches;
      for (ContaminationMatch& match : report.matches) {
        PyMatch m;
        m.doc = std::move(match.document_id);
        m.doc_index = match.document;
        m.item = match.item;
        m.doc_span = match.doc;
        m.doc_text = std::move(match.doc_text);
        m.score = match.score;
        m.tokens = match.item_tokens;
        m.reworded = match.reworded;
        for (int f = 0; f < 64; ++f) {
          if ((match.fields >> f & 1) != 0) m.fields.push_back(f);
        }
        item.matches.push_back(std::move(m));
      }
      out.push_back(std::move(item));
    }
    return out;
  }

  py::object Stats() const {
    if (!stats_) return py::none();
    py::dict stats;
    stats["items"] = stats_->items;
    stats["clean"] = stats_->clean;
    stats["partial"] = stats_->partial;
    stats["contaminated"] = stats_->contaminated;
    stats["empty_items"] = stats_->empty_items;
    stats["documents"] = stats_->documents;
    stats["bytes"] = stats_->bytes;
    stats["candidates"] = stats_->candidates;
    return stats;
  }

  size_t size() const { return index_->size(); }
  size_t documents() const { return documents_; }

 private:
  // A batch is scanned without the GIL; Ctrl-C is noticed between batches
  // (4 MB: about 0.2 s at 20 MB/s per core).
  static constexpr size_t kBatchDocuments = 1024;
  static constexpr size_t kBatchBytes = size_t{4} << 20;

  void ScanBatch(const std::vector<Text>& texts,
                 const std::vector<std::string>& labels, size_t threads) {
    if (texts.empty()) return;
    const size_t first = documents_;
    std::vector<absl::Status> errors(threads);
    {
      py::gil_scoped_release release;
      std::atomic<size_t> next{0};
      const auto work = [&](size_t t) {
        for (size_t i; (i = next.fetch_add(1)) < texts.size();) {
          absl::Status status =
              scanners_[t]->Scan(first + i, labels[i], texts[i].view);
          if (!status.ok()) {
            errors[t] = std::move(status);
            return;
          }
        }
      };
      const size_t used = std::min(threads, texts.size());
      std::vector<std::thread> workers;
      for (size_t t = 1; t < used; ++t) workers.emplace_back(work, t);
      work(0);
      for (std::thread& worker : workers) worker.join();
    }
    documents_ += texts.size();
    for (const absl::Status& status : errors) {
      if (!status.ok()) Raise(status);
    }
  }

  std::unique_ptr<ContaminationIndex> index_;
  std::vector<std::unique_ptr<ContaminationIndex::Scanner>> scanners_;
  std::vector<py::object> ids_;
  size_t documents_ = 0;
  bool busy_ = false;  // read and written with the GIL held
  std::optional<ContaminationStats> stats_;
};

}  // namespace

void BindContamination(py::module_& module) {
  py::class_<PyMatch>(module, "ContaminationMatch",
                      "Where part of a benchmark item occurs in a document.")
      .def_readonly("doc", &PyMatch::doc,
                    "The document's id, as a str (str(id) if it was not).")
      .def_readonly("doc_index", &PyMatch::doc_index,
                    "The document's position among all documents scanned.")
      .def_readonly("item", &PyMatch::item,
                    "The span of the item's text (its fields joined with a "
                    "blank line).")
      .def_readonly("doc_span", &PyMatch::doc_span,
                    "The span of the document's text.")
      .def_property_readonly(
          "doc_text",
          [](const PyMatch& m) {
            // A bytes document need not be UTF-8.
            return py::reinterpret_steal<py::str>(PyUnicode_DecodeUTF8(
                m.doc_text.data(), static_cast<Py_ssize_t>(m.doc_text.size()),
                "replace"));
          },
          "The document's text in doc_span (str; undecodable bytes of a "
          "bytes document as U+FFFD).")
      .def_readonly("score", &PyMatch::score,
                    "Aligned: Dice coefficient of the two spans' words; "
                    "reworded: the share of the item's weight found.")
      .def_readonly("tokens", &PyMatch::tokens, "Item words covered.")
      .def_property_readonly(
          "kind",
          [](const PyMatch& m) { return m.reworded ? "reworded" : "aligned"; },
          "'aligned' (a copy in order) or 'reworded' (bag of words).")
      .def_readonly("fields", &PyMatch::fields,
                    "The positions of the item's fields the match covers.")
      .def("__repr__", [](const PyMatch& m) {
        return "ContaminationMatch(doc=" +
               std::string(py::repr(py::str(m.doc))) + ", item=(" +
               std::to_string(m.item.char_begin) + ", " +
               std::to_string(m.item.char_end) + "), doc_span=(" +
               std::to_string(m.doc_span.char_begin) + ", " +
               std::to_string(m.doc_span.char_end) +
               "), tokens=" + std::to_string(m.tokens) +
               ", kind=" + (m.reworded ? "'reworded'" : "'aligned'") + ")";
      });

  py::class_<PyItemReport>(module, "ItemReport",
                           "How much of one benchmark item the corpus holds.")
      .def_readonly("id", &PyItemReport::id, "The item's id, as given.")
      .def_readonly("status", &PyItemReport::status,
                    "'clean', 'partial' or 'contaminated'.")
      .def_readonly("tokens", &PyItemReport::tokens, "Words of the item.")
      .def_readonly("covered_tokens", &PyItemReport::covered_tokens,
                    "Of them, covered by a match in any document.")
      .def_readonly("contaminated_fraction",
                    &PyItemReport::contaminated_fraction,
                    "covered_tokens / tokens (0 for an item without words).")
      .def_readonly("longest_match", &PyItemReport::longest_match,
                    "Item words of its longest match.")
      .def_readonly("total_matches", &PyItemReport::total_matches,
                    "Matches found; the best max_matches are in matches.")
      .def_readonly("matches", &PyItemReport::matches,
                    "list[ContaminationMatch], best first.")
      .def("__repr__", [](const PyItemReport& r) {
        return "ItemReport(id=" + std::string(py::repr(r.id)) + ", status='" +
               r.status + "', contaminated_fraction=" +
               std::string(py::repr(py::float_(r.contaminated_fraction))) +
               ", matches=" + std::to_string(r.total_matches) + ")";
      });

  const ContaminationOptions defaults;
  const AnalyzeOptions analyze;
  py::class_<PyContaminationIndex>(module, "ContaminationIndex",
                                   "See neardup.ContaminationIndex.")
      .def(py::init<py::iterable, const std::string&, const py::int_&, double,
                    double, const py::int_&, const py::int_&, const py::int_&,
                    double, double, double, bool, bool, bool, bool, bool>(),
           py::arg("items"), py::kw_only(), py::arg("mode") = "aligned",
           py::arg("ngram") = defaults.ngram,
           py::arg("contaminated_at") = defaults.contaminated_at,
           py::arg("partial_at") = defaults.partial_at,
           py::arg("max_matches") = defaults.max_matches,
           py::arg("min_match_tokens") = defaults.min_match_tokens,
           py::arg("min_short_tokens") = defaults.min_short_tokens,
           py::arg("min_weight_share") = defaults.min_weight_share,
           py::arg("bag_threshold") = defaults.bag_threshold,
           py::arg("max_seed_item_share") = defaults.max_seed_item_share,
           py::arg("fold_case") = analyze.fold_case,
           py::arg("strip_marks") = analyze.strip_marks,
           py::arg("fold_arabic") = analyze.fold_arabic,
           py::arg("fold_digits") = analyze.fold_digits,
           py::arg("match_variants") = analyze.match_variants)
      .def("scan", &PyContaminationIndex::Scan, py::arg("documents"),
           py::kw_only(), py::arg("threads") = 0,
           "Scans (id, text) pairs from any iterable; may be called again "
           "with more documents.")
      .def("report", &PyContaminationIndex::Report,
           "One ItemReport per item, in the order given.")
      .def("__len__", &PyContaminationIndex::size)
      .def_property_readonly("documents", &PyContaminationIndex::documents,
                             "Documents scanned so far.")
      .def_property_readonly("stats", &PyContaminationIndex::Stats,
                             "Counts (dict) as of the last report(), else "
                             "None.");
}

}  // namespace neardup::python
