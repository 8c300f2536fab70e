// Strings made safe to write: as JSON (valid UTF-8, controls escaped) and
// on a terminal (no control character reaches it raw).
#ifndef NEARDUP_CLI_TEXT_ESCAPE_H_
#define NEARDUP_CLI_TEXT_ESCAPE_H_

#include <string>
#include <string_view>

namespace neardup::cli {

// Appends `value` to `out` as a JSON string literal, always valid UTF-8:
// each maximal ill-formed subpart of invalid UTF-8 becomes U+FFFD; C0
// controls, DEL and C1 controls are escaped (\n, \t, \u001b, \u009b ...).
void AppendJsonString(std::string_view value, std::string* out);

// `value` made safe to show on a terminal: C0 controls (newline and tab
// included), DEL and C1 controls become visible escapes (\x1b, \x0a,
// \u009b), invalid UTF-8 becomes U+FFFD; so a document or an id cannot
// move the cursor, clear the screen, retitle the window or split a line.
std::string DisplayText(std::string_view value);

// A passage's text on one line for display: each run of whitespace
// (spaces, tabs, newlines, carriage returns) becomes one space, so it reads
// as one paragraph; then DisplayText.
std::string OneLine(std::string_view text);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_TEXT_ESCAPE_H_
