"""Deduplicator: planted duplicates among 100,000 documents."""
import random
import signal
import subprocess
import sys
import textwrap
import time

import neardup


def test_100k_documents_with_planted_copies():
    rng = random.Random(12)
    vocabulary = [f"t{i}" for i in range(50000)]
    documents = []
    copies = {}
    for d in range(100000):
        if d % 10 == 9:
            # A copy of the previous document with one word added: Jaccard
            # of the 5-gram sets 26/27.
            copies[d] = d - 1
            documents.append((f"doc{d}", documents[-1][1] + " extra"))
        else:
            documents.append((f"doc{d}", " ".join(rng.choices(vocabulary, k=30))))
    dedup = neardup.Deduplicator(threshold=0.8, mode="jaccard", keep="first")
    dedup.add(*documents[0])
    dedup.add_many(documents[1:])
    assert len(dedup) == 100000
    records = dedup.finish()
    assert [r.id for r in records] == [d for d, _ in documents]
    dropped = {r.id: r for r in records if not r.kept}
    assert set(dropped) == {f"doc{d}" for d in copies}
    for d, original in copies.items():
        record = dropped[f"doc{d}"]
        assert record.duplicate_of == record.cluster == f"doc{original}"
        assert abs(record.similarity - 26 / 27) < 1e-9
    kept = records[0]
    assert kept.kept and kept.duplicate_of is None and kept.cluster == "doc0"
    assert dedup.stats["kept"] == 90000 and dedup.stats["documents"] == 100000


def test_keep_longest_and_containment():
    words = " ".join(f"w{i}" for i in range(100))
    dedup = neardup.Deduplicator(threshold=0.8, mode="containment", keep="longest")
    dedup.add_many([("short", words[: len(words) // 2]), ("long", words)])
    records = {r.id: r for r in dedup.finish()}
    assert records["long"].kept
    assert records["short"].duplicate_of == "long"


# add_many of 50000 documents of 29 kB (one text, so the list is quick to
# make), handed to the library in batches of 4 MB: seconds of work in C++
# even on a fast machine, during which no Python code runs.
CHILD = textwrap.dedent("""
    import signal, sys
    signal.signal(signal.SIGINT, signal.default_int_handler)
    import neardup
    text = " ".join(f"w{i}" for i in range(5000))
    documents = [(d, text) for d in range(50000)]
    dedup = neardup.Deduplicator(threads=1)
    print("adding", flush=True)
    try:
        dedup.add_many(documents)
    except KeyboardInterrupt:
        print("interrupted with", len(dedup), "of", len(documents), flush=True)
        sys.exit(3)
    print("finished", flush=True)
""")


def test_ctrl_c_stops_a_long_add_many():
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE,
                             text=True)
    try:
        assert child.stdout.readline() == "adding\n"
        time.sleep(0.5)
        child.send_signal(signal.SIGINT)
        out, _ = child.communicate(timeout=120)
    finally:
        child.kill()
    # Interrupted inside add_many, not after it returned.
    assert out.startswith("interrupted with") and not out.startswith(
        "interrupted with 50000 "), out
    assert child.returncode == 3
