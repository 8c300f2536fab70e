#!/usr/bin/env python3
"""Checks a `neardup dedup` run: every group of byte-identical non-blank texts
must land in one cluster, and every document must have one clusters line.

Usage: dedup_exact_groups.py INPUT.jsonl[.zst] CLUSTERS.jsonl
"""
import collections
import io
import json
import subprocess
import sys


def read_input(path):
    if path.endswith(".zst"):
        data = subprocess.run(["zstd", "-dc", path], check=True,
                              capture_output=True).stdout
        return io.StringIO(data.decode("utf-8"))
    return open(path, encoding="utf-8")


def main():
    input_path, clusters_path = sys.argv[1:3]
    groups = collections.defaultdict(list)
    ids = []
    for line in read_input(input_path):
        record = json.loads(line)
        ids.append(str(record["id"]))
        if record["text"].strip():
            groups[record["text"]].append(str(record["id"]))
    cluster_of = {}
    kept = dropped = 0
    with open(clusters_path, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            cluster_of[record["id"]] = record["cluster"]
            kept += record["kept"]
            dropped += not record["kept"]
    assert len(cluster_of) == len(ids), (len(cluster_of), len(ids))
    assert kept + dropped == len(ids)
    exact = [g for g in groups.values() if len(g) > 1]
    split = [g for g in exact if len({cluster_of[i] for i in g}) > 1]
    print(f"documents {len(ids)} kept {kept} dropped {dropped}")
    print(f"exact non-blank groups {len(exact)}, "
          f"covering {sum(map(len, exact))} documents; split: {len(split)}")
    for g in split[:10]:
        print("  split:", [(i, cluster_of[i]) for i in g])
    sys.exit(1 if split else 0)


if __name__ == "__main__":
    main()
