#include "html_assets.h"

namespace neardup::cli {

// Passage colours: hue --h per passage (set on each element), lightness and
// saturation per colour scheme, so text keeps a contrast ratio above 7:1 in
// both (dark text on 86 % lightness, light text on 27 %).
const char kHtmlReportCss[] = R"css(
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1b1b; --muted: #5a5a5a; --line: #c8c8c8;
  --panel: #f4f4f4; --sat: 75%; --light: 86%; --diff: #b00020;
  --focus: #1a5fb4;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #15171a; --fg: #e8e8e8; --muted: #a8a8a8; --line: #474747;
    --panel: #202328; --sat: 45%; --light: 27%; --diff: #ff8a80;
    --focus: #8ab4f8;
  }
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--bg); color: var(--fg);
  font: 16px/1.65 system-ui, "Noto Sans", "Noto Naskh Arabic", "DejaVu Sans",
    sans-serif;
}
header.top { padding: .3rem 1rem; border-bottom: 1px solid var(--line); }
h1 { font-size: .95rem; margin: .1rem 0; font-family: monospace; }
h2 { font-size: 1.05rem; margin: .3rem 0; }
h3 { font-size: .95rem; margin: 0 0 .3rem; color: var(--muted); }
.summary, .stats, .help { margin: .1rem 0; }
.help { color: var(--muted); font-size: .85rem; }
.capped { color: var(--diff); }
main { padding: 0 1rem 1rem; }
bdi.id { font-family: monospace; overflow-wrap: anywhere; }
table.pairs { border-collapse: collapse; margin-top: .5rem; width: 100%; }
table.pairs th, table.pairs td {
  border-bottom: 1px solid var(--line); padding: .15rem .5rem;
  text-align: start;
}
table.pairs th { white-space: nowrap; }
table.pairs td a.row { color: inherit; text-decoration: none; }
table.pairs th button {
  font: inherit; font-weight: bold; background: none; border: 0;
  color: inherit; cursor: pointer; padding: 0;
}
table.pairs th[aria-sort=ascending] button::after { content: " \25B2"; }
table.pairs th[aria-sort=descending] button::after { content: " \25BC"; }
table.pairs tbody tr:hover { background: var(--panel); }
a { color: var(--focus); }
.pair-head { padding: .2rem 0; }
.legend {
  display: flex; flex-wrap: wrap; gap: .2rem 1rem; margin: .3rem 0;
  padding: 0; list-style: none; font-size: .85rem; max-height: 4.6rem;
  overflow: auto;
}
button.goto {
  min-width: 2.2em; font: inherit; font-weight: bold; cursor: pointer;
  color: var(--fg); border: 1px solid var(--line); border-radius: .3em;
  background: hsl(var(--h) var(--sat) var(--light));
}
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
.side { min-width: 0; }
.text {
  white-space: pre-wrap; overflow-wrap: anywhere; unicode-bidi: plaintext;
  text-align: start; height: calc(100vh - 3rem); overflow: auto;
  border: 1px solid var(--line); border-radius: 4px; padding: .5rem .8rem;
  background: var(--bg);
}
.p, .shared {
  background: hsl(var(--h) var(--sat) var(--light)); cursor: pointer;
  border-radius: 2px; box-decoration-break: clone;
  -webkit-box-decoration-break: clone;
}
.p .p { box-shadow: inset 0 -3px 0 var(--muted); }
.p.first::before, .shared::before, .member .n {
  content: attr(data-passage); unicode-bidi: isolate; font-size: .72em;
  font-weight: bold; font-family: system-ui, sans-serif;
  color: var(--bg); background: var(--fg);
  border-radius: .7em; padding: 0 .4em; margin-inline-end: .25em;
}
.p:focus, .shared:focus {
  outline: 3px solid var(--focus); outline-offset: 1px;
}
.p.flash, .shared.flash { outline: 3px solid var(--focus); }
.shared::before { content: attr(data-member); }
#clusters h2 { font-size: 1rem; margin: 1.2rem 0 0; }
td.snippet {
  max-width: 32em; overflow: hidden; text-overflow: ellipsis;
  white-space: nowrap; unicode-bidi: plaintext;
}
.member {
  margin: .6rem 0; border: 1px solid var(--line); border-radius: 4px;
  padding: .2rem .8rem .5rem;
}
.member h3 { margin: .2rem 0; }
.where { font-weight: normal; font-size: .85em; }
.excerpt {
  white-space: pre-wrap; overflow-wrap: anywhere; unicode-bidi: plaintext;
  text-align: start;
}
.gap { color: var(--muted); }
mark.d {
  background: none; color: inherit; font-weight: 600;
  text-decoration: underline wavy var(--diff); text-decoration-thickness: 1px;
  text-underline-offset: 3px;
}
.ctl {
  unicode-bidi: isolate; font-size: .7em; font-family: monospace;
  border: 1px solid var(--muted); border-radius: 2px; padding: 0 .15em;
  color: var(--muted);
}
.ctl::before { content: attr(data-c); }  /* before: an override char
  inside would reverse a label after it */
kbd {
  font-family: monospace; border: 1px solid var(--line); border-radius: 3px;
  padding: 0 .25em;
}
@media (max-width: 700px) {
  .sides { grid-template-columns: 1fr; }
  .text { height: auto; max-height: 70vh; }
}
@media print {
  :root {
    --bg: #ffffff; --fg: #000000; --muted: #444444; --line: #999999;
    --sat: 75%; --light: 86%; --diff: #b00020;
  }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 10pt; }
  .help, .back, .listing:has(~ #views > .view:not([hidden])) {
    display: none;
  }
  .legend { max-height: none; overflow: visible; }
  .text { height: auto; overflow: visible; }
  .p:focus, .p.flash, .shared:focus, .shared.flash { outline: none; }
  .member { break-inside: avoid; }
}
)css";

}  // namespace neardup::cli
