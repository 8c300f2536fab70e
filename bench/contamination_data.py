#!/usr/bin/env python3
"""Builds a contamination benchmark and corpus from SaudiNewsNet.

Articles are split in two by position: sentences of the first half become
benchmark items (ITEMS of them, a third prefixed by one of a few stock
phrases, as many quiz items start with "Which of the following"); the
second half is the corpus. Into random corpus articles go, at random
positions, VERBATIM copies of items (re-wrapped every 8 words, a third of
them) and REWORDED copies: the item's words cut into 3 or 4 pieces put in
another order, of the words inside each piece (not a number, at least 2 from
the piece's ends) a share DROP dropped and a share REPLACE replaced by random
words of corpus articles. Names at a piece's edge and numbers are kept; the
generator knows no synonyms, so "wording" changes are random words, which a
lexical method finds easier to discount than real paraphrase. Writes:
  OUT/benchmark.jsonl  {"id","question","answer"}: answer = the sentence that
                       follows in the article (short)
  OUT/corpus.jsonl     {"id","text"}
  OUT/truth.jsonl      {"id","planted":"verbatim"|"reworded"|null}
  OUT/reworded-alone.jsonl      each reworded copy alone, one document each
  OUT/reworded-originals.jsonl  the items they were made from
Usage: contamination_data.py ARTICLES.jsonl.zst OUT [ITEMS] [VERBATIM] [REWORDED]
                             [DROP] [REPLACE]
DROP and REPLACE (defaults 0.2 and 0.22) are the shares of inner words a
reworded copy drops and replaces.
"""
import json
import os
import random
import re
import subprocess
import sys

STOCK = ["أي مما يلي صحيح بشأن", "ما هي قيمة", "اختر الإجابة الصحيحة:",
         "Which of the following is true about"]


def main():
    articles_path, out = sys.argv[1], sys.argv[2]
    n_items = int(sys.argv[3]) if len(sys.argv) > 3 else 4000
    n_verbatim = int(sys.argv[4]) if len(sys.argv) > 4 else 300
    n_reworded = int(sys.argv[5]) if len(sys.argv) > 5 else 600
    drop = float(sys.argv[6]) if len(sys.argv) > 6 else 0.2
    replace = float(sys.argv[7]) if len(sys.argv) > 7 else 0.22
    rng = random.Random(20261129)
    raw = subprocess.run(["zstd", "-dc", articles_path], check=True,
                         capture_output=True).stdout.decode("utf-8")
    articles = [json.loads(line) for line in raw.splitlines() if line]
    half = len(articles) // 2
    sources, corpus = articles[:half], articles[half:]
    vocabulary = []
    for a in corpus[:2000]:
        vocabulary.extend(a["text"].split())
    items = []
    seen = set()
    for a in sources:
        sentences = [s.strip() for s in re.split(r"[.!؟?\n]+", a["text"])]
        for k, s in enumerate(sentences):
            words = s.split()
            if not 10 <= len(words) <= 60 or s in seen:
                continue
            seen.add(s)
            answer = sentences[k + 1] if k + 1 < len(sentences) else ""
            answer = " ".join(answer.split()[:12])
            question = s
            if rng.random() < 0.33:
                question = rng.choice(STOCK) + " " + s
            items.append({"id": "b%05d" % len(items), "question": question,
                          "answer": answer})
            break
        if len(items) == n_items:
            break
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "benchmark.jsonl"), "w") as f:
        for it in items:
            f.write(json.dumps(it, ensure_ascii=False) + "\n")
    order = list(range(len(items)))
    rng.shuffle(order)
    planted = {}
    for i in order[:n_verbatim]:
        planted[i] = "verbatim"
    for i in order[n_verbatim:n_verbatim + n_reworded]:
        planted[i] = "reworded"
    docs = [dict(id=a["id"], text=a["text"]) for a in corpus]
    alone, originals = [], []
    for i, kind in sorted(planted.items()):
        words = items[i]["question"].split()
        if kind == "verbatim":
            if rng.random() < 0.33:
                text = "\n".join(" ".join(words[k:k + 8])
                                 for k in range(0, len(words), 8))
            else:
                text = " ".join(words)
        else:
            cuts = sorted(rng.sample(range(1, len(words)), rng.choice([2, 3])))
            pieces = [words[a:b] for a, b in zip([0] + cuts, cuts + [len(words)])]
            rng.shuffle(pieces)
            new = []
            for piece in pieces:
                for k, w in enumerate(piece):
                    inner = 2 <= k < len(piece) - 2 and not any(c.isdigit() for c in w)
                    r = rng.random()
                    if inner and r < drop:
                        continue
                    if inner and r < drop + replace:
                        new.append(rng.choice(vocabulary))
                        continue
                    new.append(w)
            text = " ".join(new)
            alone.append({"id": "alone-" + items[i]["id"], "text": text})
            originals.append({"id": "orig-" + items[i]["id"],
                              "text": items[i]["question"]})
        d = docs[rng.randrange(len(docs))]
        cut = d["text"].rfind(" ", 0, rng.randrange(len(d["text"]) + 1))
        cut = max(cut, 0)
        d["text"] = d["text"][:cut] + " " + text + " " + d["text"][cut:]
    with open(os.path.join(out, "corpus.jsonl"), "w") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    for name, docs_ in (("reworded-alone.jsonl", alone),
                        ("reworded-originals.jsonl", originals)):
        with open(os.path.join(out, name), "w") as f:
            for d in docs_:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
    with open(os.path.join(out, "truth.jsonl"), "w") as f:
        for i, it in enumerate(items):
            f.write(json.dumps({"id": it["id"], "planted": planted.get(i)}) + "\n")


if __name__ == "__main__":
    main()
