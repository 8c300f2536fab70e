#!/usr/bin/env python3
"""neardup-mpi contamination on 1, 2 and 4 ranks against one `neardup
contamination` process.

Usage: mpi_contamination_test.py NEARDUP NEARDUP_MPI SOURCE_DIR WORK_DIR CASE

Cases: seeds (a benchmark of passages of corpus/, some re-cased or cut in
half, against corpus/), planted (generated JSONL, text and .gz files with
benchmark items planted whole, in halves and in more copies than
--max-matches across the ranks' shares; an all-clean benchmark),
saudinewsnet (sample-1k cut in four files, items from its articles),
failure (a bad corpus line on the last rank, a bad benchmark, an unwritable
output). Each report must equal the single process's byte for byte, but for
the summary's "seconds"; the exit status must be the same.
Exits 77 (skipped, with the reason) when mpirun or the data is absent.
"""
import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mpi_dedup_test import (WORDS, mpi_env, mpirun_command, run,  # noqa
                            sample_in_parts, skip)


def contamination(neardup, neardup_mpi, args, work, np, name, mpi_args=()):
    """Runs one process (np 0) or np ranks (with mpi_args); returns (result,
    report bytes)."""
    out = os.path.join(work, f"{name}.{'single' if np == 0 else np}.out")
    command = ["contamination", *args, "-o", out]
    if np == 0:
        result = run([neardup, *command])
    else:
        result = run([*mpirun_command(np), neardup_mpi, *command, *mpi_args],
                     env=mpi_env())
    report = None
    if os.path.exists(out):
        with open(out, "rb") as f:
            report = f.read()
    return result, report


def without_seconds(report):
    return re.sub(rb',"seconds":[0-9.]+', b"", report)


def check_same(neardup, neardup_mpi, args, work, name, nps=(1, 2, 4),
               want_exit=0, mpi_args=()):
    """The report of np ranks equals one process's; returns its records."""
    single, want = contamination(neardup, neardup_mpi, args, work, 0, "single")
    if single.returncode != want_exit:
        sys.exit(f"{name}: neardup contamination exited {single.returncode}, "
                 f"not {want_exit}: {single.stderr}")
    for np in nps:
        result, got = contamination(neardup, neardup_mpi, args, work, np, name,
                                    mpi_args)
        if result.returncode != single.returncode:
            sys.exit(f"{name} -np {np}: exit {result.returncode}, one process "
                     f"{single.returncode}: {result.stderr}")
        if got is None or without_seconds(got) != without_seconds(want):
            sys.exit(f"{name} -np {np}: the report differs from one "
                     f"process's ({work}/{name}.{np}.out)")
    if b'"type":"summary"' not in want:
        return want.decode()
    records = [json.loads(line) for line in want.splitlines()]
    items = [r for r in records if r["type"] == "item"]
    status = {s: sum(r["status"] == s for r in items)
              for s in ("contaminated", "partial", "clean")}
    print(f"{name}: {len(items)} items {status}, {records[-1]['documents']} "
          f"documents: identical on -np {' '.join(map(str, nps))}")
    return records


def write_benchmark(path, items):
    with open(path, "w") as out:
        for item in items:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")


def sentences(text):
    return [s.strip() for s in re.split(r"(?<=[.!?؟])\s+", text)
            if 10 <= len(s.split()) <= 60]


def seeds_case(neardup, neardup_mpi, source_dir, work):
    corpus = os.path.join(source_dir, "corpus")
    files = sorted(os.listdir(corpus))
    items = []
    for f, name in enumerate(files):
        with open(os.path.join(corpus, name), encoding="utf-8") as text:
            found = sentences(text.read())
        for k, s in enumerate(found[:6]):
            words = s.split()
            # Whole, re-cased, or half of it and half unrelated words.
            variant = (s.upper() if k % 3 == 1 else
                       " ".join(words[:len(words) // 2] +
                                WORDS[:len(words) // 2]) if k % 3 == 2 else s)
            answer = found[k + 1] if k % 3 != 2 and k + 1 < len(found) else ""
            items.append({"id": f"seed{f}-{k}", "question": variant,
                          "answer": answer})
    items.append({"id": "unrelated", "question": "Which of the following "
                  "mountains is the highest peak in the Alps of Europe?",
                  "answer": "Mont Blanc"})
    bench = os.path.join(work, "seeds-benchmark.jsonl")
    write_benchmark(bench, items)
    base = ["--benchmark", bench, "--benchmark-field", "question",
            "--benchmark-field", "answer", corpus]
    records = check_same(neardup, neardup_mpi, [*base, "--format", "jsonl"],
                         work, "seeds", nps=(2, 4))
    status = [r["status"] for r in records if r["type"] == "item"]
    if status.count("contaminated") < 10 or status.count("partial") < 5:
        sys.exit(f"seeds: too few items found: {status}")
    text = check_same(neardup, neardup_mpi, [*base, "--format", "text"],
                      work, "seeds-text", nps=(4,))
    print(f"seeds --format text: {text.splitlines()[0]}: identical on -np 4")
    check_same(neardup, neardup_mpi, [*base, "--mode", "ngram", "--n", "8",
                                      "--format", "jsonl"], work,
               "seeds-ngram", nps=(3,))


def planted_corpus(root, rng):
    """Twelve corpus files (JSONL, a .gz, text files) and a benchmark of 40
    items: some planted whole, some in halves in two files far apart (so on
    two ranks), one copied into every file, the rest clean."""
    def fresh(n):
        return " ".join(rng.choice(WORDS) + str(rng.randrange(1000))
                        for _ in range(n))

    items = [{"id": f"i{k}", "question": fresh(rng.randrange(12, 40)),
              "answer": fresh(rng.randrange(1, 6))} for k in range(40)]
    files = [[fresh(rng.randrange(30, 200)) for _ in range(30)]
             for _ in range(12)]

    def plant(f, text):
        d = rng.randrange(len(files[f]))
        words = files[f][d].split()
        at = rng.randrange(len(words) + 1)
        files[f][d] = " ".join(words[:at] + [text] + words[at:])

    for k in range(0, 10):  # whole, question and answer
        plant(rng.randrange(12), items[k]["question"] + "\n\n" +
              items[k]["answer"])
    for k in range(10, 18):  # halves, one early and one late
        words = items[k]["question"].split()
        half = len(words) // 2
        plant(rng.randrange(0, 4), " ".join(words[:half]))
        plant(rng.randrange(8, 12), " ".join(words[half:]))
    for f in range(12):  # item 18 everywhere, re-cased and re-wrapped
        words = items[18]["question"].upper().split()
        plant(f, "\n".join(" ".join(words[i:i + 5])
                           for i in range(0, len(words), 5)))
    os.makedirs(root)
    for f, docs in enumerate(files):
        if f % 4 == 3:  # a directory of text files
            os.makedirs(os.path.join(root, f"f{f:02d}"))
            for d, text in enumerate(docs):
                with open(os.path.join(root, f"f{f:02d}", f"{d:02d}.txt"),
                          "w") as out:
                    out.write(text)
            continue
        # File 8 repeats three ids of file 0 (on another rank): counted as
        # one process counts them.
        lines = "".join(
            json.dumps({"id": f"f{0 if f == 8 and d < 3 else f}-{d}",
                        "text": text}) + "\n"
            for d, text in enumerate(docs))
        if f == 5:
            with gzip.open(os.path.join(root, f"f{f:02d}.jsonl.gz"),
                           "wt") as out:
                out.write(lines)
        else:
            with open(os.path.join(root, f"f{f:02d}.jsonl"), "w") as out:
                out.write(lines)
    return items


def planted_case(neardup, neardup_mpi, work):
    root = os.path.join(work, "planted")
    items = planted_corpus(root, random.Random(15))
    bench = os.path.join(work, "planted-benchmark.jsonl")
    write_benchmark(bench, items)
    base = ["--benchmark", bench, "--benchmark-field", "question",
            "--benchmark-field", "answer", root, "--format", "jsonl"]
    records = check_same(neardup, neardup_mpi, [*base, "--max-matches", "3"],
                         work, "planted")
    by_id = {r["id"]: r for r in records if r["type"] == "item"}
    everywhere = by_id["i18"]
    if everywhere["total_matches"] < 12 or len(everywhere["matches"]) != 3:
        sys.exit(f"planted: item i18 planted in 12 files: {everywhere}")
    halves = [by_id[f"i{k}"]["status"] for k in range(10, 18)]
    if halves.count("contaminated") < 6:
        sys.exit(f"planted: halves on two ranks not united: {halves}")
    check_same(neardup, neardup_mpi, [*base, "--max-matches", "0",
                                      "--threads", "2"], work,
               "planted-nomatches", nps=(2,))
    # The JSONL files as one file, cut into byte ranges: every rank reads
    # pieces of it, and items planted across the cuts are still united.
    whole = os.path.join(work, "planted-whole.jsonl")
    with open(whole, "w") as out:
        for name in sorted(os.listdir(root)):
            if name.endswith(".jsonl"):
                with open(os.path.join(root, name)) as part:
                    out.write(part.read())
    records = check_same(
        neardup, neardup_mpi,
        ["--benchmark", bench, "--benchmark-field", "question",
         "--benchmark-field", "answer", whole, "--format", "jsonl",
         "--max-matches", "3"], work, "planted-ranges", nps=(2, 4),
        mpi_args=["--split-bytes", "1000"])
    if not any(r["type"] == "item" and r["status"] != "clean"
               for r in records):
        sys.exit("planted-ranges: nothing found in the one file")
    # An all-clean benchmark: exit 1 from every rank count.
    clean = os.path.join(work, "clean-benchmark.jsonl")
    write_benchmark(clean, items[19:])
    check_same(neardup, neardup_mpi,
               ["--benchmark", clean, "--benchmark-field", "question", root,
                "--format", "jsonl"], work, "planted-clean", nps=(4,),
               want_exit=1)


def saudinewsnet_case(neardup, neardup_mpi, source_dir, work):
    parts, lines = sample_in_parts(source_dir, work)
    rng = random.Random(10)
    items = [{"id": f"clean{n}", "question": " ".join(rng.sample(WORDS, 15))}
             for n in range(5)]
    for n, line in enumerate(rng.sample(lines, 60)):
        found = sentences(json.loads(line)["text"])
        if found:
            items.append({"id": f"s{n}", "question": rng.choice(found)})
    bench = os.path.join(work, "snn-benchmark.jsonl")
    write_benchmark(bench, items)
    check_same(neardup, neardup_mpi,
               ["--benchmark", bench, "--benchmark-field", "question", *parts,
                "--format", "jsonl"], work, "saudinewsnet", nps=(2, 4))


def failure_case(neardup, neardup_mpi, work):
    root = os.path.join(work, "planted")
    items = planted_corpus(root, random.Random(15))
    bench = os.path.join(work, "benchmark.jsonl")
    write_benchmark(bench, items)
    bad = os.path.join(root, "f10.jsonl")  # read by the last of 4 ranks
    with open(bad, "a") as out:
        out.write('{"id": "broken", "text": \n')
    out = os.path.join(work, "fail.jsonl")
    args = ["contamination", "--benchmark", bench, "--benchmark-field",
            "question", root, "-o", out]
    result = run([*mpirun_command(4), neardup_mpi, *args], env=mpi_env())
    if result.returncode != 2 or "f10.jsonl:31" not in result.stderr:
        sys.exit(f"bad corpus line: exit {result.returncode}, not 2 naming "
                 f"f10.jsonl:31: {result.stderr}")
    if os.path.exists(out) or any(n.startswith("fail.")
                                  for n in os.listdir(work)):
        sys.exit("bad corpus line: a report was left behind")
    print(f"-np 4, bad corpus line: exit 2, no report, "
          f"{result.stderr.strip().splitlines()[0]}")
    # --skip-bad: a warning naming the line, and the single process's report.
    check_same(neardup, neardup_mpi,
               [*args[1:-2], "--skip-bad", "--format", "jsonl"], work,
               "skip-bad", nps=(4,))
    # A bad benchmark line: every rank meets it; it is said once.
    with open(bench, "a") as f:
        f.write("{not json\n")
    result = run([*mpirun_command(4), neardup_mpi, *args], env=mpi_env())
    said = result.stderr.count("benchmark.jsonl:41")
    if result.returncode != 2 or said != 1 or os.path.exists(out):
        sys.exit(f"bad benchmark line: exit {result.returncode}, said "
                 f"{said} times: {result.stderr}")
    print("-np 4, bad benchmark line: exit 2, said once, no report")
    # An output in a directory that does not exist.
    os.remove(bad)
    write_benchmark(bench, items)
    result = run([*mpirun_command(4), neardup_mpi, *args[:-1],
                  os.path.join(work, "missing", "report.jsonl")],
                 env=mpi_env())
    if result.returncode != 2 or "missing" not in result.stderr:
        sys.exit(f"unwritable output: exit {result.returncode}: "
                 f"{result.stderr}")
    print("-np 4, unwritable output: exit 2")


def main():
    neardup, neardup_mpi, source_dir, work, case = sys.argv[1:6]
    if shutil.which("mpirun") is None:
        skip("mpirun is not installed (Debian: openmpi-bin)")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    if case == "seeds":
        seeds_case(neardup, neardup_mpi, source_dir, work)
    elif case == "planted":
        planted_case(neardup, neardup_mpi, work)
    elif case == "saudinewsnet":
        saudinewsnet_case(neardup, neardup_mpi, source_dir, work)
    elif case == "failure":
        failure_case(neardup, neardup_mpi, work)
    else:
        sys.exit(f"unknown case {case}")


if __name__ == "__main__":
    main()
