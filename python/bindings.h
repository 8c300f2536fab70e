// What the files of the Python module share: reading texts and options
// from Python objects, raising library errors as Python exceptions, and
// watching a long call made without the GIL.
#ifndef NEARDUP_PYTHON_BINDINGS_H_
#define NEARDUP_PYTHON_BINDINGS_H_

#include <pybind11/pybind11.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "neardup/neardup.h"

namespace py = pybind11;

namespace neardup::python {

// A text as the library reads it, and what keeps its bytes alive.
struct Text {
  py::object owner;
  std::string repaired;  // used only for a str holding lone surrogates
  std::string_view view;
};

// Reads a str (as UTF-8) or bytes (as they are); `what` names the argument
// in the TypeError for anything else. A str holding lone surrogates has
// each encoded as U+FFFD, so char offsets still index the str.
Text ReadText(py::handle object, const char* what);

// An (id, text) pair of an input iterable: a tuple or list of two.
std::pair<py::object, py::object> IdAndText(py::handle item);

// C++ field name -> Python keyword, for the messages of bad options; and
// the original value of an int keyword that did not fit in a C int.
struct OptionNames {
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<std::pair<std::string, std::string>> too_big;  // keyword, repr
};

// A Python int keyword as a C int; a value beyond the C int range becomes
// INT_MIN or INT_MAX (which every range check rejects) and is recorded in
// names->too_big for the message.
int ToInt(const py::int_& value, const char* keyword, OptionNames* names);

// Raises the Python exception for a library error: ValueError for bad
// options or input, OSError for I/O, RuntimeError otherwise. With `names`,
// a message starting with a C++ field name starts with its keyword instead.
[[noreturn]] void Raise(const absl::Status& status,
                        const OptionNames* names = nullptr);

AnalyzeOptions Analyze(bool fold_case, bool strip_marks, bool fold_arabic,
                       bool fold_digits, bool match_variants);

// The interpreter's main thread, the only one Python delivers signals to
// (PyErr_CheckSignals does nothing on the others). Set at import.
extern unsigned long main_thread_ident;

// Watches a long call made with the GIL released: its progress hook checks
// for Ctrl-C and calls the caller's progress function, and on an exception
// cancels the call and keeps the exception to raise afterwards.
//
// Taking the GIL back costs a hand-over when other Python threads run (two
// threads calling compare() in a loop would trade it five times per call),
// so without a progress function the hook takes it only on the main thread
// and at most every kSignalCheckInterval: a short call never takes it.
class CallWatch {
 public:
  // With the GIL held.
  explicit CallWatch(py::object progress)
      : progress_(std::move(progress)),
        has_progress_(!progress_.is_none()),
        checks_signals_(PyThread_get_thread_ident() == main_thread_ident),
        last_check_(std::chrono::steady_clock::now()) {}

  const std::atomic<bool>* cancel() const { return &cancel_; }

  // Whether the library needs the hook at all.
  bool wanted() const { return has_progress_ || checks_signals_; }

  // Called by the library on the calling thread, without the GIL.
  void OnProgress(const Progress& at) {
    if (cancel_.load()) return;
    if (!has_progress_) {
      const auto now = std::chrono::steady_clock::now();
      if (!checks_signals_ || now - last_check_ < kSignalCheckInterval) return;
      last_check_ = now;
    }
    py::gil_scoped_acquire gil;
    try {
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      if (has_progress_) {
        progress_(py::str(at.stage.data(), at.stage.size()), at.done, at.total);
      }
    } catch (py::error_already_set& error) {
      error_ = std::move(error);
      cancel_.store(true);
    }
  }

  // With the GIL held, after the call: raises what OnProgress caught.
  void RaiseIfInterrupted() {
    if (error_) {
      py::error_already_set error = std::move(*error_);
      error_.reset();
      throw error;
    }
  }

 private:
  static constexpr std::chrono::milliseconds kSignalCheckInterval{50};

  py::object progress_;
  bool has_progress_;
  bool checks_signals_;
  std::chrono::steady_clock::time_point last_check_;
  std::atomic<bool> cancel_{false};
  std::optional<py::error_already_set> error_;
};

// Adds ContaminationIndex, ItemReport and ContaminationMatch to `module`
// (contamination.cc).
void BindContamination(py::module_& module);

// Adds FeedIndex, FeedMatch, FeedBatch and FeedAddResult to `module`
// (feed_index.cc).
void BindFeedIndex(py::module_& module);

}  // namespace neardup::python

#endif  // NEARDUP_PYTHON_BINDINGS_H_
