// The Python module neardup._neardup: bindings of the public C++ API
// (compare, scan, Deduplicator). python/neardup/__init__.py re-exports it.
//
// Texts are read in place: a str's UTF-8 form (CPython caches it in the
// object) or a bytes object's buffer, kept alive while the GIL is released
// for the long calls. Progress callbacks of the C++ API run on the calling
// thread: they take the GIL back to check for Ctrl-C (PyErr_CheckSignals)
// and to call the caller's progress function, and set the cancel flag when
// either raises, so the exception comes out of the call.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "bindings.h"
#include "neardup/dedup.h"
#include "neardup/neardup.h"
#include "neardup/options.h"
#include "neardup/version.h"

namespace neardup::python {

unsigned long main_thread_ident = 0;  // NOLINT: written once, at import

// Reads a str (as UTF-8) or bytes (as they are). A str holding lone
// surrogates (from surrogateescape decoding) cannot be UTF-8: each is
// encoded as U+FFFD, one code point in three bytes, so char offsets still
// index the str.
Text ReadText(py::handle object, const char* what) {
  Text text;
  text.owner = py::reinterpret_borrow<py::object>(object);
  if (PyUnicode_Check(object.ptr())) {
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(object.ptr(), &size);
    if (data != nullptr) {
      text.view = std::string_view(data, static_cast<size_t>(size));
      return text;
    }
    PyErr_Clear();
    const py::bytes encoded = py::reinterpret_steal<py::bytes>(
        PyUnicode_AsEncodedString(object.ptr(), "utf-8", "surrogatepass"));
    if (!encoded) throw py::error_already_set();
    text.repaired = std::string(encoded);
    std::string& s = text.repaired;
    for (size_t i = 0; i + 2 < s.size(); ++i) {
      // A surrogate is ED A0..BF 80..BF; valid text never has that.
      if (static_cast<unsigned char>(s[i]) == 0xED &&
          (static_cast<unsigned char>(s[i + 1]) & 0xE0) == 0xA0) {
        s.replace(i, 3, "\xEF\xBF\xBD");
        i += 2;
      }
    }
    text.view = s;
    return text;
  }
  if (PyBytes_Check(object.ptr())) {
    text.view = std::string_view(PyBytes_AS_STRING(object.ptr()),
                                 PyBytes_GET_SIZE(object.ptr()));
    return text;
  }
  throw py::type_error(
      std::string(what) + " must be str or bytes, not " +
      std::string(py::str(object.get_type().attr("__name__"))));
}

// An (id, text) pair of an input iterable: a tuple or list of two.
std::pair<py::object, py::object> IdAndText(py::handle item) {
  if (!PyTuple_Check(item.ptr()) && !PyList_Check(item.ptr())) {
    throw py::type_error("documents must be (id, text) pairs, got " +
                         std::string(py::repr(item)));
  }
  const py::sequence pair = py::reinterpret_borrow<py::sequence>(item);
  if (pair.size() != 2) {
    throw py::value_error("documents must be (id, text) pairs, got " +
                          std::string(py::repr(item)));
  }
  return {pair[0], pair[1]};
}

// A Python int keyword as a C int. A value beyond the C int range becomes
// INT_MIN or INT_MAX, which every range check rejects; the message then
// shows the value given.
int ToInt(const py::int_& value, const char* keyword, OptionNames* names) {
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
  if (overflow == 0 && v >= INT_MIN && v <= INT_MAX) return static_cast<int>(v);
  names->too_big.emplace_back(keyword, std::string(py::repr(value)));
  return overflow < 0 || (overflow == 0 && v < 0) ? INT_MIN : INT_MAX;
}

namespace {
[[noreturn]] void ThrowOsError(const std::string& message) {
  PyErr_SetString(PyExc_OSError, message.c_str());
  throw py::error_already_set();
}
}  // namespace

[[noreturn]] void Raise(const absl::Status& status, const OptionNames* names) {
  std::string message(status.message());
  if (names != nullptr) {
    for (const auto& [field, keyword] : names->fields) {
      if (message.rfind(field, 0) != 0) continue;
      message.replace(0, field.size(), keyword);
      for (const auto& [big, repr] : names->too_big) {
        const size_t got = message.rfind(", got ");
        if (big == keyword && got != std::string::npos) {
          message.replace(got + 6, std::string::npos, repr);
        }
      }
      break;
    }
  }
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      throw py::value_error(message);
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kDataLoss:
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kInternal:  // the library's errno failures
      ThrowOsError(message);
    default:
      throw std::runtime_error(message);
  }
}

AnalyzeOptions Analyze(bool fold_case, bool strip_marks, bool fold_arabic,
                       bool fold_digits, bool match_variants) {
  AnalyzeOptions options;
  options.fold_case = fold_case;
  options.strip_marks = strip_marks;
  options.fold_arabic = fold_arabic;
  options.fold_digits = fold_digits;
  options.match_variants = match_variants;
  return options;
}

namespace {

AlignOptions Align(const py::int_& min_tokens, double min_score,
                   const py::int_& max_gap, const py::int_& max_occurrences,
                   OptionNames* names) {
  AlignOptions options;
  options.min_tokens = ToInt(min_tokens, "min_tokens", names);
  options.min_score = min_score;
  options.max_gap = ToInt(max_gap, "max_gap", names);
  options.max_occurrences = ToInt(max_occurrences, "max_occurrences", names);
  names->fields.insert(names->fields.end(),
                       {{"AlignOptions::min_tokens", "min_tokens"},
                        {"AlignOptions::min_score", "min_score"},
                        {"AlignOptions::max_gap", "max_gap"},
                        {"AlignOptions::max_occurrences", "max_occurrences"}});
  return options;
}

std::vector<Passage> PyCompare(py::handle a, py::handle b,
                               const py::int_& min_tokens, double min_score,
                               const py::int_& max_gap,
                               const py::int_& max_occurrences, bool fold_case,
                               bool strip_marks, bool fold_arabic,
                               bool fold_digits, bool match_variants,
                               py::object progress) {
  OptionNames names;
  CompareOptions options;
  options.align =
      Align(min_tokens, min_score, max_gap, max_occurrences, &names);
  options.analyze =
      Analyze(fold_case, strip_marks, fold_arabic, fold_digits, match_variants);
  if (absl::Status status = ValidateCompareOptions(options); !status.ok()) {
    Raise(status, &names);
  }
  const Text text_a = ReadText(a, "a");
  const Text text_b = ReadText(b, "b");
  CallWatch watch(std::move(progress));
  options.cancel = watch.cancel();
  if (watch.wanted()) {
    options.progress = [&watch](const Progress& at) { watch.OnProgress(at); };
  }
  absl::StatusOr<std::vector<Passage>> passages;
  {
    py::gil_scoped_release release;
    passages = Compare(text_a.view, text_b.view, options);
  }
  watch.RaiseIfInterrupted();
  if (!passages.ok()) Raise(passages.status());
  return std::move(*passages);
}

// A pair of documents of a scan, by the ids the caller gave.
struct Pair {
  py::object a;
  py::object b;
  size_t a_index = 0;
  size_t b_index = 0;
  std::vector<Passage> passages;
};

std::vector<Pair> PyScan(const py::iterable& documents, const py::int_& threads,
                         const py::int_& min_tokens, double min_score,
                         const py::int_& max_gap,
                         const py::int_& max_occurrences,
                         const py::int_& window_tokens,
                         const py::int_& window_stride,
                         const py::int_& num_hashes, double window_threshold,
                         const py::int_& max_bucket,
                         const py::int_& boilerplate_documents, bool fold_case,
                         bool strip_marks, bool fold_arabic, bool fold_digits,
                         bool match_variants, py::object progress) {
  OptionNames names;
  ScanOptions options;
  options.align =
      Align(min_tokens, min_score, max_gap, max_occurrences, &names);
  options.analyze =
      Analyze(fold_case, strip_marks, fold_arabic, fold_digits, match_variants);
  options.threads = ToInt(threads, "threads", &names);
  options.windows.window_tokens = ToInt(window_tokens, "window_tokens", &names);
  options.windows.window_stride = ToInt(window_stride, "window_stride", &names);
  options.windows.num_hashes = ToInt(num_hashes, "num_hashes", &names);
  options.windows.threshold = window_threshold;
  options.windows.max_bucket = ToInt(max_bucket, "max_bucket", &names);
  options.boilerplate_documents =
      ToInt(boilerplate_documents, "boilerplate_documents", &names);
  names.fields.insert(
      names.fields.end(),
      {{"ScanOptions::threads", "threads"},
       {"WindowOptions::window_tokens", "window_tokens"},
       {"WindowOptions::window_stride", "window_stride"},
       {"WindowOptions::num_hashes", "num_hashes"},
       {"WindowOptions::threshold", "window_threshold"},
       {"WindowOptions::max_bucket", "max_bucket"},
       {"ScanOptions::boilerplate_documents", "boilerplate_documents"}});
  CallWatch watch(std::move(progress));
  options.cancel = watch.cancel();
  options.progress = [&watch](const Progress& at) { watch.OnProgress(at); };
  auto scanner = Scanner::Create(options);
  if (!scanner.ok()) Raise(scanner.status(), &names);

  std::vector<py::object> ids;
  py::dict seen;
  for (py::handle item : documents) {
    auto [id, text_object] = IdAndText(item);
    if (seen.contains(id)) {
      throw py::value_error("duplicate document id " +
                            std::string(py::repr(id)));
    }
    seen[id] = py::none();
    const Text text = ReadText(text_object, "a document's text");
    const std::string label = py::isinstance<py::str>(id)
                                  ? id.cast<std::string>()
                                  : std::string(py::repr(id));
    if (absl::Status status = (*scanner)->Add(label, text.view); !status.ok()) {
      Raise(status);
    }
    ids.push_back(std::move(id));
  }
  absl::StatusOr<ScanResult> result;
  {
    py::gil_scoped_release release;
    result = (*scanner)->Finish();
  }
  watch.RaiseIfInterrupted();
  if (!result.ok()) Raise(result.status());
  std::vector<Pair> pairs;
  pairs.reserve(result->pairs.size());
  for (DocumentPair& found : result->pairs) {
    pairs.push_back({ids[found.a], ids[found.b], found.a, found.b,
                     std::move(found.passages)});
  }
  return pairs;
}

// The outcome for one document of a Deduplicator.
struct DedupRecord {
  py::object id;
  py::object cluster;
  bool kept = true;
  py::object duplicate_of;
  double similarity = 1;
};

// Runs `work` on a thread of its own while the calling thread waits with the
// GIL released and, every 0.1 s, takes it to check for Ctrl-C: for library
// calls that report no progress (the Deduplicator's). On a signal, sets
// *cancel, waits for `work` to return, and raises KeyboardInterrupt.
void RunInterruptibly(const std::function<void()>& work,
                      std::atomic<bool>* cancel) {
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  std::exception_ptr failure;  // what `work` threw (std::bad_alloc)
  std::optional<py::error_already_set> error;
  {
    py::gil_scoped_release release;
    std::thread worker([&] {
      try {
        work();
      } catch (...) {
        failure = std::current_exception();
      }
      const std::lock_guard<std::mutex> lock(mutex);
      done = true;
      finished.notify_all();
    });
    std::unique_lock<std::mutex> lock(mutex);
    while (!finished.wait_for(lock, std::chrono::milliseconds(100),
                              [&] { return done; })) {
      if (error) continue;
      lock.unlock();
      {
        py::gil_scoped_acquire gil;
        if (PyErr_CheckSignals() != 0) {
          error.emplace();
          cancel->store(true);
        }
      }
      lock.lock();
    }
    lock.unlock();
    worker.join();
  }
  if (error) throw std::move(*error);
  if (failure) std::rethrow_exception(failure);
}

// Buffers documents and hands them to the C++ Deduplicator in batches, with
// the GIL released, so its threads share the work.
class PyDeduplicator {
 public:
  PyDeduplicator(double threshold, const std::string& mode,
                 const std::string& keep, const py::int_& shingle,
                 const py::int_& num_hashes, double lsh_threshold,
                 const py::int_& max_bucket, const py::int_& threads,
                 std::optional<std::string> temp_dir, bool fold_case,
                 bool strip_marks, bool fold_arabic, bool fold_digits,
                 bool match_variants) {
    OptionNames names;
    DedupOptions options;
    options.analyze = Analyze(fold_case, strip_marks, fold_arabic, fold_digits,
                              match_variants);
    options.threshold = threshold;
    if (mode == "jaccard") {
      options.mode = DedupMode::kJaccard;
    } else if (mode == "containment") {
      options.mode = DedupMode::kContainment;
    } else {
      throw py::value_error("mode must be 'jaccard' or 'containment', got '" +
                            mode + "'");
    }
    if (keep == "first") {
      options.keep = DedupKeep::kFirst;
    } else if (keep == "longest") {
      options.keep = DedupKeep::kLongest;
    } else {
      throw py::value_error("keep must be 'first' or 'longest', got '" + keep +
                            "'");
    }
    options.shingle = ToInt(shingle, "shingle", &names);
    options.num_hashes = ToInt(num_hashes, "num_hashes", &names);
    options.lsh_threshold = lsh_threshold;
    const int bucket = ToInt(max_bucket, "max_bucket", &names);
    options.max_bucket = bucket < 0 ? 0 : static_cast<size_t>(bucket);
    options.threads = ToInt(threads, "threads", &names);
    if (temp_dir) options.temp_dir = *temp_dir;
    options.cancel = &cancel_;
    names.fields = {{"DedupOptions::threshold", "threshold"},
                    {"DedupOptions::shingle", "shingle"},
                    {"DedupOptions::num_hashes", "num_hashes"},
                    {"DedupOptions::lsh_threshold", "lsh_threshold"},
                    {"DedupOptions::max_bucket", "max_bucket"},
                    {"DedupOptions::threads", "threads"}};
    auto deduplicator = Deduplicator::Create(options);
    if (!deduplicator.ok()) Raise(deduplicator.status(), &names);
    deduplicator_ = std::move(*deduplicator);
  }

  void Add(py::object id, py::handle text) {
    if (finished_) {
      throw std::runtime_error("add() after finish() or a failed add()");
    }
    if (seen_.contains(id)) {
      throw py::value_error("duplicate document id " +
                            std::string(py::repr(id)));
    }
    Text read = ReadText(text, "text");
    if (read.view.size() >= 0xFFFFFFFFu) {
      throw py::value_error("document " + std::string(py::repr(id)) +
                            " is 4 GiB or more");
    }
    seen_[id] = py::none();
    pending_bytes_ += read.view.size();
    pending_.push_back(std::move(read));
    ids_.push_back(std::move(id));
    if (pending_.size() >= kBatchDocuments || pending_bytes_ >= kBatchBytes) {
      Flush();
    }
  }

  void AddMany(const py::iterable& documents) {
    for (py::handle item : documents) {
      auto [id, text] = IdAndText(item);
      Add(std::move(id), text);
      // A batch that takes less than RunInterruptibly's 0.1 s poll never
      // checks for Ctrl-C there; the loop holds the GIL, so check here (a
      // flag test), or the KeyboardInterrupt would only come after the
      // whole iterable was added.
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    }
  }

  size_t size() const { return ids_.size(); }

  std::vector<DedupRecord> Finish() {
    if (finished_) throw std::runtime_error("finish() called twice");
    Flush();
    finished_ = true;
    absl::StatusOr<DedupResult> result;
    RunInterruptibly([&] { result = deduplicator_->Finish(); }, &cancel_);
    if (!result.ok()) Raise(result.status());
    stats_ = result->stats;
    std::vector<DedupRecord> records;
    records.reserve(result->decisions.size());
    for (size_t i = 0; i < result->decisions.size(); ++i) {
      const DedupDecision& decision = result->decisions[i];
      const py::object& representative = ids_[decision.representative];
      records.push_back({ids_[i], representative, decision.kept,
                         decision.kept ? py::none() : representative,
                         decision.similarity});
    }
    return records;
  }

  py::object Stats() const {
    if (!stats_) return py::none();
    py::dict stats;
    stats["documents"] = stats_->documents;
    stats["kept"] = stats_->kept;
    stats["dropped"] = stats_->dropped;
    stats["duplicate_clusters"] = stats_->duplicate_clusters;
    stats["candidate_pairs"] = stats_->candidate_pairs;
    stats["verified_pairs"] = stats_->verified_pairs;
    stats["oversized_buckets"] = stats_->oversized_buckets;
    stats["capped_pairs"] = stats_->capped_pairs;
    stats["bands"] = stats_->bands;
    stats["rows"] = stats_->rows;
    return stats;
  }

 private:
  static constexpr size_t kBatchDocuments = 1024;
  // The C++ Add checks for cancellation only as it starts: a batch of 4 MB
  // bounds the wait after Ctrl-C (about 0.3 s at 15 MB/s).
  static constexpr size_t kBatchBytes = size_t{4} << 20;

  void Flush() {
    if (pending_.empty()) return;
    std::vector<std::string_view> views;
    views.reserve(pending_.size());
    for (const Text& text : pending_) views.push_back(text.view);
    absl::Status status;
    // A Deduplicator that failed or was interrupted is not usable again.
    finished_ = true;
    RunInterruptibly([&] { status = deduplicator_->Add(views); }, &cancel_);
    pending_.clear();
    pending_bytes_ = 0;
    if (!status.ok()) Raise(status);
    finished_ = false;
  }

  std::unique_ptr<Deduplicator> deduplicator_;
  std::atomic<bool> cancel_{false};
  std::vector<py::object> ids_;
  py::dict seen_;
  std::vector<Text> pending_;
  size_t pending_bytes_ = 0;
  bool finished_ = false;
  std::optional<DedupStats> stats_;
};

std::string SpanRepr(const TextSpan& span) {
  return "Span(start=" + std::to_string(span.begin) +
         ", end=" + std::to_string(span.end) +
         ", char_start=" + std::to_string(span.char_begin) +
         ", char_end=" + std::to_string(span.char_end) + ")";
}

}  // namespace
}  // namespace neardup::python

PYBIND11_MODULE(_neardup, m) {
  using namespace neardup;
  using namespace neardup::python;
  m.doc() = "neardup: find near-duplicate text and the passages it shares.";
  m.attr("__version__") = std::string(Version());
  main_thread_ident = py::module_::import("threading")
                          .attr("main_thread")()
                          .attr("ident")
                          .cast<unsigned long>();

  py::class_<TextSpan>(m, "Span",
                       "A half-open span of a text. start/end: UTF-8 byte "
                       "offsets (into text.encode('utf-8') for a str); "
                       "char_start/char_end: code point offsets, which index "
                       "the Python str (or bytes.decode('utf-8', 'replace')).")
      .def_readonly("start", &TextSpan::begin)
      .def_readonly("end", &TextSpan::end)
      .def_readonly("char_start", &TextSpan::char_begin)
      .def_readonly("char_end", &TextSpan::char_end)
      .def("__repr__", &SpanRepr);

  py::class_<Passage>(m, "Passage", "A passage two texts share.")
      .def_readonly("a", &Passage::a, "Where it is in the first text (Span).")
      .def_readonly("b", &Passage::b, "Where it is in the second text (Span).")
      .def_readonly("score", &Passage::score,
                    "Dice coefficient of the two spans' normalised word "
                    "multisets, in [0, 1].")
      .def_readonly("a_tokens", &Passage::a_tokens, "Words in a's span.")
      .def_readonly("b_tokens", &Passage::b_tokens, "Words in b's span.")
      .def_readonly("aligned", &Passage::aligned,
                    "Words matched in the same order on both sides.")
      .def_readonly("matched", &Passage::matched, "Words shared as multisets.")
      .def("__repr__", [](const Passage& p) {
        return "Passage(a=" + SpanRepr(p.a) + ", b=" + SpanRepr(p.b) +
               ", score=" + std::string(py::repr(py::float_(p.score))) +
               ", aligned=" + std::to_string(p.aligned) + ")";
      });

  py::class_<Pair>(m, "Pair", "Two documents of a scan that share passages.")
      .def_readonly("a", &Pair::a, "The first document's id, as given.")
      .def_readonly("b", &Pair::b, "The second document's id, as given.")
      .def_readonly("a_index", &Pair::a_index,
                    "The first document's position in the input.")
      .def_readonly("b_index", &Pair::b_index,
                    "The second document's position in the input.")
      .def_readonly("passages", &Pair::passages,
                    "The passages they share (list[Passage]), in order of "
                    "their position in a.")
      .def("__repr__", [](const Pair& p) {
        return "Pair(a=" + std::string(py::repr(p.a)) +
               ", b=" + std::string(py::repr(p.b)) +
               ", passages=" + std::to_string(p.passages.size()) + ")";
      });

  py::class_<DedupRecord>(m, "DedupRecord",
                          "What Deduplicator.finish() decided for one "
                          "document.")
      .def_readonly("id", &DedupRecord::id)
      .def_readonly("cluster", &DedupRecord::cluster,
                    "The id of the document kept for its cluster.")
      .def_readonly("kept", &DedupRecord::kept)
      .def_readonly("duplicate_of", &DedupRecord::duplicate_of,
                    "The kept document's id, or None if this one is kept.")
      .def_readonly("similarity", &DedupRecord::similarity,
                    "Exact similarity to the kept document (1.0 if kept).")
      .def("__repr__", [](const DedupRecord& r) {
        return "DedupRecord(id=" + std::string(py::repr(r.id)) +
               ", cluster=" + std::string(py::repr(r.cluster)) +
               ", kept=" + (r.kept ? "True" : "False") + ", similarity=" +
               std::string(py::repr(py::float_(r.similarity))) + ")";
      });

  BindContamination(m);
  BindFeedIndex(m);

  const AlignOptions align;
  const AnalyzeOptions analyze;
  m.def("compare", &PyCompare, py::arg("a"), py::arg("b"), py::kw_only(),
        py::arg("min_tokens") = align.min_tokens,
        py::arg("min_score") = align.min_score,
        py::arg("max_gap") = align.max_gap,
        py::arg("max_occurrences") = align.max_occurrences,
        py::arg("fold_case") = analyze.fold_case,
        py::arg("strip_marks") = analyze.strip_marks,
        py::arg("fold_arabic") = analyze.fold_arabic,
        py::arg("fold_digits") = analyze.fold_digits,
        py::arg("match_variants") = analyze.match_variants,
        py::arg("progress") = py::none(), "See neardup.compare.");

  const ScanOptions scan;
  m.def("scan", &PyScan, py::arg("documents"), py::kw_only(),
        py::arg("threads") = scan.threads,
        py::arg("min_tokens") = align.min_tokens,
        py::arg("min_score") = align.min_score,
        py::arg("max_gap") = align.max_gap,
        py::arg("max_occurrences") = align.max_occurrences,
        py::arg("window_tokens") = scan.windows.window_tokens,
        py::arg("window_stride") = scan.windows.window_stride,
        py::arg("num_hashes") = scan.windows.num_hashes,
        py::arg("window_threshold") = scan.windows.threshold,
        py::arg("max_bucket") = scan.windows.max_bucket,
        py::arg("boilerplate_documents") = scan.boilerplate_documents,
        py::arg("fold_case") = analyze.fold_case,
        py::arg("strip_marks") = analyze.strip_marks,
        py::arg("fold_arabic") = analyze.fold_arabic,
        py::arg("fold_digits") = analyze.fold_digits,
        py::arg("match_variants") = analyze.match_variants,
        py::arg("progress") = py::none(), "See neardup.scan.");

  const DedupOptions dedup;
  py::class_<PyDeduplicator>(m, "Deduplicator", "See neardup.Deduplicator.")
      .def(py::init<double, const std::string&, const std::string&,
                    const py::int_&, const py::int_&, double, const py::int_&,
                    const py::int_&, std::optional<std::string>, bool, bool,
                    bool, bool, bool>(),
           py::kw_only(), py::arg("threshold") = dedup.threshold,
           py::arg("mode") = "jaccard", py::arg("keep") = "first",
           py::arg("shingle") = dedup.shingle,
           py::arg("num_hashes") = dedup.num_hashes,
           py::arg("lsh_threshold") = dedup.lsh_threshold,
           py::arg("max_bucket") = static_cast<int>(dedup.max_bucket),
           py::arg("threads") = dedup.threads, py::arg("temp_dir") = py::none(),
           py::arg("fold_case") = analyze.fold_case,
           py::arg("strip_marks") = analyze.strip_marks,
           py::arg("fold_arabic") = analyze.fold_arabic,
           py::arg("fold_digits") = analyze.fold_digits,
           py::arg("match_variants") = analyze.match_variants)
      .def("add", &PyDeduplicator::Add, py::arg("id"), py::arg("text"),
           "Adds one document (str or bytes) under a hashable, unique id.")
      .def("add_many", &PyDeduplicator::AddMany, py::arg("documents"),
           "Adds (id, text) pairs from any iterable, in order.")
      .def("finish", &PyDeduplicator::Finish,
           "Clusters the documents added: one DedupRecord per document, in "
           "the order added. Call once.")
      .def("__len__", &PyDeduplicator::size)
      .def_property_readonly("stats", &PyDeduplicator::Stats,
                             "Counts of the run (dict) after finish(), else "
                             "None.");
}
