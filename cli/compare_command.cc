// neardup compare A B: the passages two documents share.
#include <chrono>
#include <memory>

#include "atomic_file.h"
#include "commands.h"
#include "html/html_report.h"
#include "interrupt.h"

namespace neardup::cli {

RunFunction InstallCompare(CLI::App* app) {
  struct State {
    CommonFlags flags;
    std::string a, b;
  };
  auto state = std::make_shared<State>();
  CLI::App* command = app->add_subcommand(
      "compare", "Report every passage two documents share");
  command->footer(
      "Example:\n  neardup compare corpus/000_7d741dc399230ce2.txt "
      "corpus/001_1e848196968d0ba9.txt --format jsonl");
  command->add_option("A", state->a, "First document (text file, or -)")
      ->required();
  command->add_option("B", state->b, "Second document (text file, or -)")
      ->required();
  AddCommonFlags(command, &state->flags);
  return [state, command]() -> int {
    if (!command->parsed()) return -1;
    const auto start = std::chrono::steady_clock::now();
    OutputFile output(state->flags.output);
    if (absl::Status status = output.CheckWritable(); !status.ok()) {
      return Fail(status);
    }
    std::vector<Document> documents;
    for (const std::string& path : {state->a, state->b}) {
      auto read = ReadDocuments({path}, state->flags);
      if (!read.ok()) return Fail(read.status());
      if (read->size() != 1) {
        return Fail(path + ": compare takes two documents, this holds " +
                    std::to_string(read->size()) +
                    "; use `neardup scan` for collections");
      }
      documents.push_back(std::move(read->front()));
    }
    CompareOptions options;
    options.analyze = state->flags.analyze;
    options.align = state->flags.align;
    auto passages = Compare(documents[0].text, documents[1].text, options);
    if (!passages.ok()) return Fail(passages.status());
    if (Interrupted()) return InterruptedExit();
    if (absl::Status status = output.Open(); !status.ok()) return Fail(status);
    if (state->flags.format == "html") {
      HtmlReport report(
          {.scan = false,
           .max_pairs = 0,
           .command = "neardup compare " + state->a + " " + state->b});
      report.AddPair({documents[0].id, documents[0].text, documents[1].id,
                      documents[1].text, &*passages});
      report.Write(output.file(), {});
      if (absl::Status status = output.Finish(); !status.ok())
        return Fail(status);
      return passages->empty() ? kExitNotFound : kExitFound;
    }
    Format format;
    ParseFormat(state->flags.format, &format);
    ResultWriter writer(output.file(), format,
                        output.is_stdout() && UseColor(stdout));
    writer.Begin();
    if (!passages->empty() || format == Format::kJsonl) {
      writer.WritePair({documents[0].id, documents[0].text, documents[1].id,
                        documents[1].text, &*passages});
    }
    RunSummary summary;
    summary.documents = 2;
    summary.pairs = passages->empty() ? 0 : 1;
    summary.passages = passages->size();
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    writer.End(summary);
    if (absl::Status status = output.Finish(); !status.ok()) {
      return Fail(status);
    }
    return passages->empty() ? kExitNotFound : kExitFound;
  };
}

}  // namespace neardup::cli
