#include "html_embed.h"

#include "absl/strings/str_format.h"

namespace neardup::cli {

void AppendScriptJsonString(std::string_view value, std::string* out) {
  out->push_back('"');
  for (unsigned char c : value) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '<':
        out->append("\\u003c");
        break;
      case '>':
        out->append("\\u003e");
        break;
      case '&':
        out->append("\\u0026");
        break;
      default:
        if (c < 0x20) {
          absl::StrAppendFormat(out, "\\u%04x", c);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

void AppendEmbeddedView(std::string_view kind, size_t number,
                        std::string_view html, std::string* out) {
  absl::StrAppendFormat(
      out, "<script type=\"application/json\" data-%s=\"%d\">", kind, number);
  AppendScriptJsonString(html, out);
  out->append("</script>\n");
}

}  // namespace neardup::cli
