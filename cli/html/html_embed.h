// Data embedded in a report for its script to render on demand: a view's
// HTML as a JSON string in an inert <script type="application/json">, which
// the browser neither parses as markup nor lays out until it is shown.
#ifndef NEARDUP_CLI_HTML_HTML_EMBED_H_
#define NEARDUP_CLI_HTML_HTML_EMBED_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace neardup::cli {

// Appends `value` as a JSON string that is safe inside a <script> element:
// < > & are escaped, so neither "</script>" nor "<!--" can appear.
void AppendScriptJsonString(std::string_view value, std::string* out);

// Appends <script type="application/json" data-KIND="NUMBER">, `html` as a
// JSON string, </script>: the view the script builds for #KIND-NUMBER.
void AppendEmbeddedView(std::string_view kind, size_t number,
                        std::string_view html, std::string* out);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_HTML_HTML_EMBED_H_
