#include "html_embed.h"

#include "absl/strings/str_format.h"
#include "text_escape.h"

namespace neardup::cli {

void AppendScriptJsonString(std::string_view value, std::string* out) {
  // The JSON string of the other outputs (valid UTF-8, controls escaped);
  // < > & appear in it only as themselves, never inside an escape.
  const size_t start = out->size();
  AppendJsonString(value, out);
  std::string safe;
  for (size_t i = start; i < out->size(); ++i) {
    const char c = (*out)[i];
    if (c == '<') {
      safe.append("\\u003c");
    } else if (c == '>') {
      safe.append("\\u003e");
    } else if (c == '&') {
      safe.append("\\u0026");
    } else {
      safe.push_back(c);
    }
  }
  out->replace(start, std::string::npos, safe);
}

void AppendEmbeddedView(std::string_view kind, size_t number,
                        std::string_view html, std::string* out) {
  absl::StrAppendFormat(
      out, "<script type=\"application/json\" data-%s=\"%d\">", kind, number);
  AppendScriptJsonString(html, out);
  out->append("</script>\n");
}

}  // namespace neardup::cli
