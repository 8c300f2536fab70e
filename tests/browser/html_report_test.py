#!/usr/bin/env python3
"""Browser tests of `neardup ... --format html` (ctest label `browser`).

Each case writes a report with the program, loads it in headless Chromium,
reads the DOM after the report's script ran (--dump-dom) and checks it
against the program's JSONL output: every passage is wrapped on both sides
(data-side="a"/"b") in elements with data-passage="N" whose text, in
document order, is exactly the passage's bytes. `seed` also takes a
screenshot and checks that it shows text and passage colours.

    html_report_test.py NEARDUP SOURCE_DIR WORK_DIR CASE [SCREENSHOT.png]

`clusters` scans generated documents that all carry one planted passage
and checks that every member of the reuse cluster is highlighted with
exactly its JSONL span's text.

CASE: seed, english, scan, hostile, clusters. Exits 77 (skipped) when Chromium is
not installed.
"""

import html.parser
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

SKIP = 77
VOID = {"meta", "br", "img", "input", "link", "hr", "wbr", "source", "col"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children = []  # Node or str

    def text(self):
        return "".join(c if isinstance(c, str) else c.text()
                       for c in self.children)

    def walk(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.walk()

    def find_all(self, **attrs):
        return [n for n in self.walk()
                if all(n.attrs.get(k.replace("_", "-")) == v
                       for k, v in attrs.items())]


class TreeBuilder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(markup):
    builder = TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def run_chromium(browser, args, url):
    with tempfile.TemporaryDirectory() as profile:
        command = [browser, "--headless", "--disable-gpu", "--no-first-run",
                   "--disable-extensions", "--hide-scrollbars",
                   "--mute-audio", "--disable-dev-shm-usage",
                   "--user-data-dir=" + profile,
                   # Nothing may be fetched: any host name fails to resolve.
                   "--host-resolver-rules=MAP * ~NOTFOUND"]
        if os.geteuid() == 0:
            command.append("--no-sandbox")  # Chromium refuses root otherwise
        result = subprocess.run(command + args + [url], capture_output=True,
                                timeout=120)
    if result.returncode != 0:
        sys.exit("chromium failed: " + result.stderr.decode(errors="replace"))
    return result.stdout


def dump_dom(browser, path, fragment=""):
    url = "file://" + os.path.abspath(path) + fragment
    return parse(run_chromium(browser, ["--dump-dom"], url).decode())


def neardup(program, *args, expect=(0,)):
    result = subprocess.run([program, *args], capture_output=True, timeout=300)
    if result.returncode not in expect:
        sys.exit("neardup %s: exit %d: %s" % (" ".join(args), result.returncode,
                                              result.stderr.decode()))
    return result


def passages_from_jsonl(stdout):
    out = []
    for line in stdout.decode().splitlines():
        record = json.loads(line)
        if record["type"] == "passage":
            out.append(record)
    return out


class Failures:
    def __init__(self):
        self.count = 0

    def check(self, ok, message):
        if not ok:
            self.count += 1
            print("FAIL: " + message)
        return ok


def check_view(f, view, texts, passages, a_id, b_id, direction=None):
    """Checks one pair's view against its JSONL passages."""
    sides = {}
    for side in ("a", "b"):
        found = view.find_all(data_side=side)
        if not f.check(len(found) == 1, "one element with data-side=%s, "
                       "found %d" % (side, len(found))):
            return
        sides[side] = found[0]
        f.check(found[0].text() == texts[side],
                "side %s holds the whole text" % side)
        if direction:
            f.check(found[0].attrs.get("dir") == direction,
                    "side %s has dir=%s, not %s" % (side, direction,
                                                    found[0].attrs.get("dir")))
    numbers = set()
    for side in ("a", "b"):
        for el in sides[side].find_all():
            if "data-passage" in el.attrs:
                numbers.add(int(el.attrs["data-passage"]))
    f.check(numbers == set(range(1, len(passages) + 1)),
            "passages numbered 1..%d, found %s" % (len(passages),
                                                   sorted(numbers)))
    for n, p in enumerate(passages, 1):
        f.check(p["a"]["id"] == a_id and p["b"]["id"] == b_id,
                "passage %d is of the pair shown" % n)
        for side in ("a", "b"):
            raw = texts_bytes[side][p[side]["start"]:p[side]["end"]]
            expected = raw.decode("utf-8", errors="replace")
            elements = sides[side].find_all(data_passage=str(n))
            shown = "".join(el.text() for el in elements)
            f.check(bool(elements) and shown == expected,
                    "passage %d on side %s: %d elements, text %r... is not "
                    "the JSONL span %r..." % (n, side, len(elements),
                                              shown[:40], expected[:40]))
            f.check(len(expected) == p[side]["char_end"] -
                    p[side]["char_start"],
                    "passage %d side %s: code points" % (n, side))


def check_self_contained(f, dom):
    for node in dom.walk():
        for attr in ("src", "href", "action", "poster", "data"):
            value = node.attrs.get(attr)
            if value is not None and node.tag != "object":
                f.check(value.startswith("#"),
                        "<%s %s=%r> refers outside the file" %
                        (node.tag, attr, value))
        if node.tag == "style":
            css = node.text()
            f.check("url(" not in css and "@import" not in css,
                    "style sheet loads nothing")
    policies = [m for m in dom.find_all(http_equiv="Content-Security-Policy")]
    f.check(len(policies) == 1 and
            policies[0].attrs["content"].startswith("default-src 'none'"),
            "a Content-Security-Policy forbids fetches")


def png_pixels(path):
    """Decodes an 8-bit RGB or RGBA PNG: (width, height, channels, rows)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6), "unexpected PNG format"
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                upleft = previous[x - channels] if x >= channels else 0
                p = left + up - upleft
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upleft)
                pred = left if pa <= pb and pa <= pc else (
                    up if pb <= pc else upleft)
                line[x] = (line[x] + pred) & 255
        rows.append(line)
        previous = line
    return width, height, channels, rows


def check_screenshot(f, browser, report, png):
    run_chromium(browser, ["--screenshot=" + png, "--window-size=1000,640"],
                 "file://" + os.path.abspath(report))
    if not f.check(os.path.exists(png), "screenshot written"):
        return
    width, height, channels, rows = png_pixels(png)
    grey_levels, coloured, dark, total = set(), 0, 0, 0
    for y in range(0, height, 2):
        row = rows[y]
        for x in range(0, width * channels, channels * 2):
            r, g, b = row[x], row[x + 1], row[x + 2]
            total += 1
            grey_levels.add((r + g + b) // 3 // 16)
            if max(r, g, b) - min(r, g, b) > 40:
                coloured += 1
            if r + g + b < 200:
                dark += 1
    print("screenshot %dx%d, %d bytes: %.1f%% coloured, %.1f%% dark, %d "
          "grey levels" % (width, height, os.path.getsize(png),
                           100 * coloured / total, 100 * dark / total,
                           len(grey_levels)))
    f.check(coloured > total // 50, "passage colours cover > 2% of the page")
    f.check(dark > total // 100, "text covers > 1% of the page")
    f.check(len(grey_levels) >= 8, "the page is not blank")


texts_bytes = {}


# Appended to a copy of a report: clicks passage 1 of side a, then presses
# n, p and Enter, and records after each which passage has the focus.
INTERACT = """<script>
(function () {
  var log = [];
  function where(what) {
    var el = document.activeElement;
    var side = el && el.closest('[data-side]');
    log.push(what + ':' + (side ? el.getAttribute('data-passage') +
                           side.getAttribute('data-side') : 'none'));
  }
  function key(k) {
    document.activeElement.dispatchEvent(
        new KeyboardEvent('keydown', {key: k, bubbles: true}));
    where(k);
  }
  document.querySelector('[data-side="a"] [data-passage="1"]').click();
  where('click');
  key('n');
  key('p');
  key('Enter');
  document.body.setAttribute('data-interaction', log.join(' '));
})();
</script>"""


def compare_case(f, browser, program, work, a_path, b_path, direction,
                 screenshot=None, interact=False):
    report = os.path.join(work, "report.html")
    neardup(program, "compare", a_path, b_path, "--format", "html", "-o",
            report)
    if interact:
        page = open(report, encoding="utf-8").read()
        report = os.path.join(work, "interact.html")
        open(report, "w", encoding="utf-8").write(page + INTERACT)
    passages = passages_from_jsonl(neardup(
        program, "compare", a_path, b_path, "--format", "jsonl").stdout)
    f.check(len(passages) >= 2, "the pair shares passages")
    texts_bytes["a"] = open(a_path, "rb").read()
    texts_bytes["b"] = open(b_path, "rb").read()
    texts = {k: v.decode("utf-8", errors="replace")
             for k, v in texts_bytes.items()}
    dom = dump_dom(browser, report)
    check_self_contained(f, dom)
    views = dom.find_all(**{"class": "view"})
    if f.check(len(views) == 1, "one view"):
        check_view(f, views[0], texts, passages, a_path, b_path, direction)
        f.check(len(views[0].find_all(**{"class": "d"})) > 0,
                "words that differ are marked")
    if interact:
        bodies = [n for n in dom.walk() if n.tag == "body"]
        got = bodies[0].attrs.get("data-interaction") if bodies else None
        f.check(got == "click:1b n:2a p:1a Enter:1b",
                "click jumps to the partner, n/p move between passages, "
                "Enter jumps back: %r" % got)
    if screenshot:
        check_screenshot(f, browser, report, screenshot)


def scan_case(f, browser, program, work, corpus):
    report = os.path.join(work, "scan.html")
    result = neardup(program, "scan", corpus, "--format", "html", "-o", report,
                     "--html-max-pairs", "1")
    f.check(b"shows 1 of the" in result.stderr,
            "stderr says how many pairs the report shows")
    lines = neardup(program, "scan", corpus, "--format", "jsonl").stdout
    passages = passages_from_jsonl(lines)
    first = [p for p in passages if (p["a"]["id"], p["b"]["id"]) ==
             (passages[0]["a"]["id"], passages[0]["b"]["id"])]
    dom = dump_dom(browser, report)
    check_self_contained(f, dom)
    f.check(len(dom.find_all(**{"class": "view"})) == 0,
            "no view is built before it is asked for")
    links = [n for n in dom.walk() if n.tag == "a" and
             n.attrs.get("href") == "#pair-1"]
    f.check(len(links) == 3, "the table's row links to pair 1")
    dom = dump_dom(browser, report, "#pair-1")
    views = dom.find_all(id="view-1")
    if not f.check(len(views) == 1, "#pair-1 builds view 1"):
        return
    a_id, b_id = first[0]["a"]["id"], first[0]["b"]["id"]
    texts_bytes["a"] = open(a_id, "rb").read()
    texts_bytes["b"] = open(b_id, "rb").read()
    texts = {k: v.decode("utf-8", errors="replace")
             for k, v in texts_bytes.items()}
    check_view(f, views[0], texts, first, a_id, b_id, "rtl")


# Appended to a copy of a cluster report opened at #cluster-1: clicks member
# 1's shared text, then presses n, p and Enter, and records after each which
# member has the focus.
CLUSTER_INTERACT = """<script>
(function () {
  var log = [];
  function where(what) {
    var el = document.activeElement;
    log.push(what + ':' + (el && el.getAttribute('data-member') || 'none'));
  }
  function key(k) {
    document.activeElement.dispatchEvent(
        new KeyboardEvent('keydown', {key: k, bubbles: true}));
    where(k);
  }
  document.querySelector('.shared[data-member="1"]').click();
  where('click');
  key('n');
  key('p');
  key('Enter');
  document.body.setAttribute('data-interaction', log.join(' '));
})();
</script>"""


def arabic_words(rng, n):
    letters = [chr(c) for c in range(0x0628, 0x063B)] + [
        chr(c) for c in range(0x0641, 0x064B)]
    return [''.join(rng.choice(letters) for _ in range(rng.randint(2, 7)))
            for _ in range(n)]


def clusters_case(f, browser, program, work):
    """One 80-word Arabic passage planted in 10 generated documents (one
    copy with a word changed) becomes one reuse cluster."""
    rng = random.Random(14)
    passage = arabic_words(rng, 80)
    corpus = os.path.join(work, "planted")
    shutil.rmtree(corpus, ignore_errors=True)
    os.makedirs(corpus)
    for d in range(10):
        words = list(passage)
        if d == 3:
            words[40] = "\u0645\u062e\u062a\u0644\u0641"
        text = (" ".join(arabic_words(rng, 60)) + ".\n" + " ".join(words) +
                ".\r\n" + " ".join(arabic_words(rng, 60)) + ".\n")
        with open(os.path.join(corpus, "doc%02d.txt" % d), "w",
                  newline="") as out:
            out.write(text)
    report = os.path.join(work, "clusters.html")
    result = neardup(program, "scan", corpus, "--format", "html", "-o",
                     report)
    f.check(b"shows 1 of the 1 reuse clusters" in result.stderr,
            "stderr says how many clusters the report shows: %r" %
            result.stderr)
    records = [json.loads(line) for line in neardup(
        program, "scan", corpus, "--format", "jsonl").stdout.splitlines()]
    clusters = [r for r in records if r["type"] == "cluster"]
    if not f.check(len(clusters) == 1 and clusters[0]["documents"] == 10,
                   "one cluster of the 10 documents: %r" % clusters):
        return
    members = clusters[0]["members"]
    dom = dump_dom(browser, report)
    check_self_contained(f, dom)
    f.check(not dom.find_all(id="cluster-view-1"),
            "no cluster view is built before it is asked for")
    links = [n for n in dom.walk() if n.tag == "a" and
             n.attrs.get("href") == "#cluster-1"]
    f.check(len(links) == 3, "the clusters table's row links to cluster 1")
    page = open(report, encoding="utf-8").read()
    interact = os.path.join(work, "clusters-interact.html")
    open(interact, "w", encoding="utf-8").write(page + CLUSTER_INTERACT)
    dom = dump_dom(browser, interact, "#cluster-1")
    views = dom.find_all(id="cluster-view-1")
    if not f.check(len(views) == 1, "#cluster-1 builds the cluster's view"):
        return
    view = views[0]
    # The script's "flash" class may still be on the members it moved to.
    shown = [el for el in view.walk()
             if "shared" in el.attrs.get("class", "").split()]
    f.check(len(shown) == len(members),
            "%d members highlighted, the JSONL lists %d" % (len(shown),
                                                            len(members)))
    for k, member in enumerate(members, 1):
        raw = open(member["id"], "rb").read()[member["start"]:member["end"]]
        expected = raw.decode("utf-8", errors="replace")
        found = [el for el in shown
                 if el.attrs.get("data-member") == str(k)]
        got = found[0].text() if len(found) == 1 else None
        f.check(got == expected,
                "member %d (%s): highlighted %r... is not the JSONL span "
                "%r..." % (k, member["id"], (got or "")[:30], expected[:30]))
        f.check(len(expected) == member["char_end"] - member["char_start"],
                "member %d: code points" % k)
        articles = view.find_all(**{"class": "member", "data-member": str(k)})
        excerpts = [n for n in articles[0].walk()
                    if n.attrs.get("class") == "excerpt"] if articles else []
        f.check(len(excerpts) == 1 and excerpts[0].attrs.get("dir") == "rtl",
                "member %d's excerpt is right-to-left" % k)
    f.check(len(view.find_all(**{"class": "d"})) >= 1,
            "the changed word is marked")
    bodies = [n for n in dom.walk() if n.tag == "body"]
    got = bodies[0].attrs.get("data-interaction") if bodies else None
    f.check(got == "click:2 n:3 p:2 Enter:3",
            "a click or Enter jumps to the next member, n/p move between "
            "members: %r" % got)


HOSTILE = ("Intro </script><script>document.title='owned'</script> <b>bold"
           "</b> & more.\n\x01\x1b[31m \u202eevil\u202c \u2066iso\u2069 "
           "<!-- <img src=x onerror=alert(1)> -->\n")


def hostile_case(f, browser, program, work):
    shared = " ".join("word%d" % i for i in range(40))
    a_path = os.path.join(work, "a <b>.txt")
    b_path = os.path.join(work, "b\u202e.txt")
    a_text = HOSTILE + shared + "\r\n" + HOSTILE
    b_text = "Other start. " + shared + " end " + HOSTILE
    open(a_path, "w", newline="").write(a_text)
    open(b_path, "w", newline="").write(b_text)
    report = os.path.join(work, "hostile.html")
    neardup(program, "compare", a_path, b_path, "--format", "html", "-o",
            report)
    dom = dump_dom(browser, report)
    f.check(not any(n.tag in ("b", "img") for n in dom.walk()),
            "no element from the text")
    f.check(len([n for n in dom.walk() if n.tag == "script"]) == 1,
            "only the report's own script")
    titles = [n.text() for n in dom.walk() if n.tag == "title"]
    f.check(titles and "owned" not in titles[0], "no script from the text ran")
    sides = {s: dom.find_all(data_side=s) for s in ("a", "b")}
    f.check(sides["a"] and sides["a"][0].text() == a_text,
            "side a reads back as the text (CR, controls, bidi included)")
    f.check(sides["b"] and sides["b"][0].text() == b_text,
            "side b reads back as the text")
    controls = [n.attrs.get("data-c") for n in dom.walk()
                if n.attrs.get("class") == "ctl"]
    f.check("U+202E" in controls and "U+0001" in controls,
            "bidi and control characters are labelled")


def main():
    program, source, work, case = sys.argv[1:5]
    browser = chromium()
    if browser is None:
        print("skipped: Chromium is not installed (scripts/setup.sh installs "
              "the Debian package chromium)")
        return SKIP
    os.makedirs(work, exist_ok=True)
    os.chdir(source)  # ids are the paths as given, relative to the repository
    f = Failures()
    if case == "seed":
        compare_case(f, browser, program, work,
                     "corpus/000_7d741dc399230ce2.txt",
                     "corpus/001_1e848196968d0ba9.txt", "rtl",
                     screenshot=sys.argv[5] if len(sys.argv) > 5 else
                     os.path.join(work, "seed.png"))
    elif case == "english":
        compare_case(f, browser, program, work,
                     "tests/browser/english_a.txt",
                     "tests/browser/english_b.txt", "ltr", interact=True)
    elif case == "scan":
        scan_case(f, browser, program, work, "corpus/")
    elif case == "hostile":
        hostile_case(f, browser, program, work)
    elif case == "clusters":
        clusters_case(f, browser, program, work)
    else:
        sys.exit("unknown case " + case)
    print("%s: %d failure(s)" % (case, f.count))
    return 1 if f.count else 0


if __name__ == "__main__":
    sys.exit(main())
