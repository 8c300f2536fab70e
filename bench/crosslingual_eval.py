#!/usr/bin/env python3
"""Makes English/Arabic test pairs from the Arabic gettext catalogues installed
on this machine and runs crosslingual_eval on them.

  bench/crosslingual_eval.py build/bench/crosslingual_eval [LEXICON_DIR]

Consecutive translated messages of one catalogue are joined into documents of
80 to 160 Arabic words. Each English document is paired with its Arabic
translation (should be found), with two other Arabic documents of the same
catalogue (same topic, unrelated: should not be reported), and, embedded among
other documents on both sides, with its translation embedded the same way (the
located Arabic span is scored against the true one). The catalogues (GPL/LGPL)
are read in place and the generated files are written to a temporary
directory; nothing is copied into the repository.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CATALOGUES = ["apt", "glib20", "gtk30", "system-config-printer", "appstream",
              "Linux-PAM", "libapt-pkg6.0", "PackageKit", "software-properties",
              "python-apt", "libsecret", "shared-mime-info"]


def unquote(s):
    return bytes(s, "utf-8").decode("unicode_escape").encode("latin-1").decode(
        "utf-8", "replace")


def read_po(path):
    text = subprocess.run(["msgunfmt", path], capture_output=True,
                          text=True).stdout
    entries, key, cur = [], None, {}
    for line in text.splitlines():
        m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[0\])?|msgctxt|msgstr\[\d+\]) "(.*)"$', line)
        if m:
            key = m.group(1)
            if key == "msgid" and cur:
                entries.append(cur)
                cur = {}
            cur[key] = unquote(m.group(2))
        elif line.startswith('"') and key:
            cur[key] = cur.get(key, "") + unquote(line[1:-1])
    if cur:
        entries.append(cur)
    pairs = []
    for e in entries:
        en = e.get("msgid", "")
        ar = e.get("msgstr", e.get("msgstr[0]", ""))
        en, ar = clean(en), clean(ar)
        if len(en.split()) >= 3 and len(ar.split()) >= 2:
            pairs.append((en, ar))
    return pairs


def clean(s):
    s = re.sub(r"%(\([a-z_]+\))?[-0-9.]*[a-zA-Z]", " ", s)
    s = re.sub(r"\{[^}]*\}|<[^>]*>|\\n|\n|\t", " ", s)
    s = s.replace("_", "")
    return re.sub(r"\s+", " ", s).strip()


def mostly_arabic(text):
    arabic = sum(1 for c in text if "\u0600" <= c <= "\u06ff" and c.isalpha())
    latin = sum(1 for c in text if c.isascii() and c.isalpha())
    return arabic > 2 * latin


def documents(pairs):
    docs, en, ar = [], [], []
    for e, a in pairs:
        en.append(e)
        ar.append(a)
        words = sum(len(x.split()) for x in ar)
        if words >= 80:
            if words <= 160 and mostly_arabic(" ".join(ar)):
                docs.append(("\n".join(en), "\n".join(ar)))
            en, ar = [], []
    return docs


def main():
    evaluator = sys.argv[1]
    lexicon = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/dictd"
    extra = sys.argv[3:]
    out = tempfile.mkdtemp(prefix="neardup-xling-")
    docs = []
    for name in CATALOGUES:
        path = f"/usr/share/locale/ar/LC_MESSAGES/{name}.mo"
        if os.path.exists(path):
            docs += [(name, e, a) for e, a in documents(read_po(path))]
    lines = []
    for k, (name, en, ar) in enumerate(docs):
        ep, ap = f"{out}/{k}.en.txt", f"{out}/{k}.ar.txt"
        open(ep, "w").write(en + "\n")
        open(ap, "w").write(ar + "\n")
        lines.append(f"pair\t{ep}\t{ap}")
        for step in (7, 13, 19, 23, 29, 31, 37, 41, 43, 47):
            m = (k + step) % len(docs)
            lines.append(f"unrelated\t{ep}\t{out}/{m}.ar.txt")
    n = len(docs)
    # Arabic news (SaudiNewsNet, if present): long unrelated texts.
    news = f"{REPO}/../shared/datasets/saudinewsnet/sample-1k.jsonl"
    if os.path.exists(news):
        import json
        articles = [json.loads(l)["text"] for l in open(news, encoding="utf-8")][:6 * n]
        for m, text in enumerate(articles):
            ap = f"{out}/news{m}.ar.txt"
            open(ap, "w").write(text)
            english = [f"{out}/{m % n}.en.txt", f"{REPO}/tests/data/crosslingual/000_en.txt",
                       f"{REPO}/tests/data/crosslingual/unrelated_en.txt"][m % 3]
            lines.append(f"unrelated\t{english}\t{ap}")
    for k in range(n):
        en_fill = [docs[(k + s) % n][1] for s in (3, 5)]
        ar_fill = [docs[(k + s) % n][2] for s in (9, 11)]
        en = en_fill[0] + "\n\n" + docs[k][1] + "\n\n" + en_fill[1] + "\n"
        before = (ar_fill[0] + "\n\n").encode()
        middle = docs[k][2].encode()
        ar = before + middle + ("\n\n" + ar_fill[1] + "\n").encode()
        ep, ap = f"{out}/{k}.emb.en.txt", f"{out}/{k}.emb.ar.txt"
        open(ep, "w").write(en)
        open(ap, "wb").write(ar)
        lines.append(f"embedded\t{ep}\t{ap}\t{len(before)}\t{len(before) + len(middle)}")
    listing = f"{out}/pairs.tsv"
    open(listing, "w").write("\n".join(lines) + "\n")
    print(f"{len(docs)} documents from {len(set(d[0] for d in docs))} catalogues in {out}",
          file=sys.stderr)
    sys.exit(subprocess.run([evaluator, lexicon, listing] + extra).returncode)


if __name__ == "__main__":
    main()
