"""scan: the CLI's pairs and passages; the same on any number of threads;
Ctrl-C stops it."""
import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest

import neardup
from conftest import SOURCE_DIR


def spans(p):
    return ((p.a.start, p.a.end, p.a.char_start, p.a.char_end),
            (p.b.start, p.b.end, p.b.char_start, p.b.char_end))


def test_same_pairs_and_passages_as_the_cli_on_the_seed_corpus(cli, seeds):
    run = subprocess.run([cli, "scan", "corpus", "--format", "jsonl"],
                         cwd=SOURCE_DIR, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    expected = []
    for record in map(json.loads, run.stdout.splitlines()):
        if record["type"] == "passage":
            expected.append((record["a"]["id"], record["b"]["id"],
                             tuple(record["a"][k] for k in ("start", "end", "char_start", "char_end")),
                             tuple(record["b"][k] for k in ("start", "end", "char_start", "char_end"))))
    documents = [(f"corpus/{path.name}", path.read_text(encoding="utf-8"))
                 for path in seeds]
    got = [(pair.a, pair.b) + spans(p)
           for pair in neardup.scan(documents) for p in pair.passages]
    assert got == expected
    assert got


def collection():
    """Documents 2k and 2k+1 share a 60-word passage."""
    def words(first, count):
        return " ".join(f"w{i}" for i in range(first, first + count))
    return [(d, words(500000 + 1000 * d, 30) + " " + words(1000 * (d // 2), 60)
             + " " + words(700000 + 1000 * d, 30)) for d in range(200)]


def test_same_result_on_one_or_more_threads():
    documents = collection()
    results = []
    for threads in (1, 2, 3):
        pairs = neardup.scan(documents, threads=threads)
        results.append([(p.a, p.b, p.a_index, p.b_index, [spans(x) for x in p.passages])
                        for p in pairs])
    assert results[0] == results[1] == results[2]
    assert [(a, b) for a, b, *_ in results[0]] == [(2 * k, 2 * k + 1) for k in range(100)]


def test_ids_are_returned_as_given_and_texts_may_be_bytes():
    documents = [(("tuple", d), text.encode()) for d, text in collection()[:4]]
    pairs = neardup.scan(iter(documents))  # any iterable
    assert [(p.a, p.b) for p in pairs] == [(("tuple", 0), ("tuple", 1)),
                                           (("tuple", 2), ("tuple", 3))]


def test_empty_input():
    assert neardup.scan([]) == []


def test_progress_function_sees_every_stage_and_its_exception_stops_the_scan():
    stages = []
    neardup.scan(collection(), progress=lambda stage, done, total: stages.append(stage))
    assert list(dict.fromkeys(stages)) == ["analysing", "sketching",
                                           "finding candidates", "aligning"]

    def stop(stage, done, total):
        if stage == "sketching":
            raise LookupError("stop here")

    with pytest.raises(LookupError, match="stop here"):
        neardup.scan(collection(), progress=stop)


# A scan that aligns for many seconds: 300 paragraphs, each in about 40 of
# 1500 documents, and no boilerplate or bucket limit to thin the pairs out.
CHILD = textwrap.dedent("""
    import random, signal, sys, time
    signal.signal(signal.SIGINT, signal.default_int_handler)
    import neardup
    rng = random.Random(7)
    vocabulary = [f"v{i}" for i in range(20000)]
    paragraphs = [" ".join(rng.choices(vocabulary, k=60)) for _ in range(300)]
    documents = [(d, " ".join(rng.choices(paragraphs, k=8))) for d in range(1500)]
    def progress(stage, done, total):
        if stage == "aligning" and done == 0:
            print("aligning", total, flush=True)
    start = time.monotonic()
    try:
        neardup.scan(documents, boilerplate_documents=0, max_bucket=1 << 30,
                     threads=2, progress=progress)
    except KeyboardInterrupt:
        print("interrupted after %.2f s" % (time.monotonic() - start), flush=True)
        sys.exit(3)
    print("finished", flush=True)
""")


def test_ctrl_c_stops_a_long_scan():
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE,
                             text=True, env=dict(os.environ))
    try:
        line = child.stdout.readline()
        assert line.startswith("aligning"), line
        child.send_signal(signal.SIGINT)
        out, _ = child.communicate(timeout=120)
    finally:
        child.kill()
    assert out.startswith("interrupted"), out
    assert child.returncode == 3
