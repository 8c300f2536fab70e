#!/usr/bin/env python3
"""Generates the documents bench/feed_index.sh indexes and queries.

From SaudiNewsNet's 31,030 articles (real Arabic words, real lengths):
  - "synthetic" articles: runs of 20-60 consecutive words taken from random
    real articles, joined up to the length of a random real article. Two of
    them share almost no 5-gram shingles, as two different news stories do.
  - near-duplicate variants of earlier documents: a copy with about 3% of its
    words replaced or dropped (5-gram Jaccard about 0.75-0.9).

usage: feed_index_data.py ARTICLES.jsonl.zst OUTDIR TOTAL BATCH QUERIES
writes OUTDIR/batch-NNN.jsonl (BATCH documents each, the first one 10,000 so
that a 10k index exists), OUTDIR/query-near.jsonl (QUERIES/2 variants of
indexed documents), OUTDIR/query-new.jsonl (QUERIES/2 new articles).
Deterministic (seeded).
"""
import json
import random
import subprocess
import sys


def main():
    src, out, total, batch, queries = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:6])
    rng = random.Random(20261129)
    text = subprocess.run(["zstd", "-dc", src], capture_output=True, check=True).stdout
    articles = []
    for line in text.splitlines():
        words = json.loads(line).get("text", "").split()
        if len(words) >= 40:
            articles.append(words)
    lengths = [len(a) for a in articles]

    def synthetic():
        n = rng.choice(lengths)
        words = []
        while len(words) < n:
            a = rng.choice(articles)
            k = rng.randint(20, 60)
            s = rng.randint(0, max(0, len(a) - k))
            words.extend(a[s:s + k])
        return words[:n]

    def variant(words):
        w = list(words)
        for _ in range(max(1, len(w) * 3 // 100)):
            i = rng.randrange(len(w))
            if rng.random() < 0.5:
                w[i] = rng.choice(rng.choice(articles))
            elif len(w) > 10:
                del w[i]
        return w

    kept = []  # a reservoir of indexed documents to make variants of
    sizes = [10000] + [batch] * ((total - 10000 + batch - 1) // batch)
    doc = 0
    for b, size in enumerate(sizes):
        size = min(size, total - doc)
        if size <= 0:
            break
        with open(f"{out}/batch-{b:03d}.jsonl", "w", encoding="utf-8") as f:
            for _ in range(size):
                if kept and rng.random() < 0.1:
                    words = variant(rng.choice(kept))
                else:
                    words = synthetic()
                if len(kept) < 20000:
                    kept.append(words)
                elif rng.random() < 0.02:
                    kept[rng.randrange(len(kept))] = words
                f.write(json.dumps({"id": f"g{doc:07d}", "text": " ".join(words)},
                                   ensure_ascii=False) + "\n")
                doc += 1
    first = kept[:10000]  # all from the first batch: in a 10k index too
    with open(f"{out}/query-near.jsonl", "w", encoding="utf-8") as f:
        for i in range(queries // 2):
            f.write(json.dumps({"id": f"qn{i:06d}", "text": " ".join(variant(rng.choice(first)))},
                               ensure_ascii=False) + "\n")
    with open(f"{out}/query-new.jsonl", "w", encoding="utf-8") as f:
        for i in range(queries // 2):
            f.write(json.dumps({"id": f"qx{i:06d}", "text": " ".join(synthetic())},
                               ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
