#!/usr/bin/env python3
"""The Python pipeline `neardup dedup` is compared with: datasketch MinHash
(128 permutations, MinHash.bulk) over lower-cased word 5-grams, MinHashLSH at
threshold 0.8, each document kept unless LSH returns an earlier kept one.
Prints its counts; bench/dedup_saudinewsnet.sh times it (DATASKETCH=1).

Usage: dedup_datasketch.py INPUT.jsonl[.zst]
"""
import io
import json
import subprocess
import sys

from datasketch import MinHash, MinHashLSH


def read_texts(path):
    if path.endswith(".zst"):
        data = subprocess.run(["zstd", "-dc", path], check=True,
                              capture_output=True).stdout
        lines = io.StringIO(data.decode("utf-8"))
    else:
        lines = open(path, encoding="utf-8")
    return [json.loads(line)["text"] for line in lines if line.strip()]


def shingles(text, n=5):
    words = text.lower().split()
    if len(words) < n:
        return [" ".join(words).encode("utf-8")]
    return [" ".join(words[i:i + n]).encode("utf-8")
            for i in range(len(words) - n + 1)]


def main():
    texts = read_texts(sys.argv[1])
    sketches = MinHash.bulk([shingles(t) for t in texts], num_perm=128)
    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    kept = 0
    for i, sketch in enumerate(sketches):
        if lsh.query(sketch):
            continue
        lsh.insert(str(i), sketch)
        kept += 1
    print(f"datasketch: {len(texts)} documents, {kept} kept, "
          f"{len(texts) - kept} dropped")


if __name__ == "__main__":
    main()
