"""neardup.FeedIndex: the persistent feed index of `neardup index`."""
import json
import random
import subprocess
import sys
import textwrap

import pytest

import neardup


def article(seed, words=80):
    rng = random.Random(seed)
    vocabulary = [f"w{n}" for n in range(3000)]
    return " ".join(rng.choice(vocabulary) for _ in range(words))


def edited(text, changes):
    words = text.split()
    for i in range(changes):
        words[-1 - 7 * i] = "changed"
    return " ".join(words)


# Batch 1: ten unrelated articles.
BATCH1 = [(f"a{i}", article(i)) for i in range(10)]
# Batch 2: three more; b0 is a0 with one word changed (a near-duplicate of
# an indexed document within one batch of history).
BATCH2 = [("b0", edited(BATCH1[0][1], 1))] + [
    (f"b{i}", article(100 + i)) for i in range(1, 3)]
# Queries: a copy of a3, a3 with two words changed, a2 with many changed
# (not a near-duplicate), and new text.
QUERIES = [
    ("q0", BATCH1[3][1]),
    ("q1", edited(BATCH1[3][1], 2)),
    ("q2", edited(BATCH1[2][1], 10)),
    ("q3", article(999)),
]


@pytest.fixture
def index_dir(tmp_path):
    path = tmp_path / "feed.ndx"
    with neardup.FeedIndex(str(path), create=True) as index:
        first = index.add("batch-1", BATCH1)
        second = index.add("batch-2", BATCH2)
    assert first.added == 10 and not first.already_added
    assert second.added == 3 and second.existing_ids == 0
    return str(path)


def test_add_then_query_finds_near_duplicates(index_dir):
    with neardup.FeedIndex(index_dir) as index:
        assert not index.writable
        results = index.query(QUERIES)
        assert len(results) == len(QUERIES)
        copy, two_changed, many_changed, new = results
        assert copy[0].id == "a3" and copy[0].batch == "batch-1"
        assert copy[0].similarity == 1.0 and copy[0].exact
        assert [m.id for m in two_changed] == ["a3"]
        assert 0.8 <= two_changed[0].similarity < 1.0
        assert many_changed == [] and new == []
        # A threshold above its similarity leaves it out; plain texts work
        # as well as (id, text) pairs, and texts=True returns the stored text.
        above = (two_changed[0].similarity + 1.0) / 2
        assert index.query([QUERIES[1][1]], threshold=above) == [[]]
        [[match]] = index.query([QUERIES[1][1]], texts=True)
        assert match.id == "a3" and match.text == BATCH1[3][1]
        assert two_changed[0].text is None
        assert index.query([]) == []


def test_same_matches_as_the_program(index_dir, cli, tmp_path):
    queries = tmp_path / "queries.jsonl"
    queries.write_text("".join(
        json.dumps({"id": i, "text": t}) + "\n" for i, t in QUERIES + BATCH2))
    run = subprocess.run(
        [cli, "index", "query", "--index", index_dir, "--format", "jsonl",
         str(queries)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    expected = [json.loads(line) for line in run.stdout.splitlines()]
    expected = [(r["a"], r["b"], r["b_batch"], r["similarity"], r["exact"])
                for r in expected if r["type"] == "match"]
    with neardup.FeedIndex(index_dir) as index:
        results = index.query(QUERIES + BATCH2)
    got = [(doc_id, m.id, m.batch, round(m.similarity, 4), m.exact)
           for (doc_id, _), matches in zip(QUERIES + BATCH2, results)
           for m in matches]
    assert len(got) >= 5  # q0, q1 and each document of BATCH2 with itself
    assert got == expected


def test_adding_again_changes_nothing(index_dir):
    with neardup.FeedIndex(index_dir, writable=True) as index:
        again = index.add("batch-1", BATCH1)
        assert again.already_added and again.added == 0
        assert again.batch.name == "batch-1" and again.batch.documents == 10
        # Known ids in a batch of other content are left out and counted;
        # an id repeated within the batch too.
        mixed = index.add("batch-3", BATCH1[:2] + [("c0", article(500)),
                                                   ("c0", article(501))])
        assert not mixed.already_added
        assert mixed.added == 1 and mixed.existing_ids == 3
        # A name already used for other content is refused.
        with pytest.raises(ValueError, match="batch-1"):
            index.add("batch-1", [("d0", article(600))])
        stats = index.stats()
    assert stats["documents"] == 14
    assert [b.name for b in stats["batches"]] == [
        "batch-1", "batch-2", "batch-3"]


def test_the_index_persists_across_reopening(index_dir):
    with neardup.FeedIndex(index_dir) as index:
        stats = index.stats()
        params = index.params
    assert stats["documents"] == 13
    assert [(b.name, b.documents) for b in stats["batches"]] == [
        ("batch-1", 10), ("batch-2", 3)]
    assert params["shingle"] == 5 and params["num_hashes"] == 128
    assert params["store_texts"] is True
    assert stats["params"] == params
    with neardup.FeedIndex(index_dir) as index:
        [[match]] = index.query([BATCH2[1][1]])
    assert match.id == "b1" and match.batch == "batch-2"


def test_closed_index_and_one_open_per_process(index_dir):
    index = neardup.FeedIndex(index_dir)
    with pytest.raises(ValueError, match="already open in this process"):
        neardup.FeedIndex(index_dir, writable=True)
    index.close()
    assert index.closed
    with pytest.raises(ValueError, match="closed"):
        index.query(["text"])
    index.close()  # twice is harmless
    with neardup.FeedIndex(index_dir, writable=True) as writer:
        assert writer.writable


def test_not_an_index(tmp_path):
    with pytest.raises(OSError, match="no index there"):
        neardup.FeedIndex(str(tmp_path / "missing"))
    (tmp_path / "notes.txt").write_text("not an index\n")
    with pytest.raises(ValueError, match="not a neardup index"):
        neardup.FeedIndex(str(tmp_path))
    with pytest.raises(ValueError, match="not empty"):
        neardup.FeedIndex(str(tmp_path), create=True)
    with pytest.raises(ValueError, match="not a neardup index"):
        neardup.FeedIndex(str(tmp_path / "notes.txt"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_other_parameters_are_refused(index_dir, tmp_path):
    with pytest.raises(ValueError) as error:
        neardup.FeedIndex(index_dir, writable=True, shingle=4,
                          store_texts=False)
    message = str(error.value)
    assert index_dir in message
    assert "shingle: index 5, asked 4" in message
    assert "store_texts" in message
    # The same values as the index's are fine.
    with neardup.FeedIndex(index_dir, shingle=5, num_hashes=128):
        pass
    with pytest.raises(ValueError, match="shingle"):
        neardup.FeedIndex(str(tmp_path / "new"), create=True, shingle=0)
    with pytest.raises(ValueError, match=r"^threshold must be in \(0, 1\]$"):
        with neardup.FeedIndex(index_dir) as index:
            index.query(["text"], threshold=0)


def test_read_only_index_refuses_writes(index_dir):
    with neardup.FeedIndex(index_dir) as index:
        with pytest.raises(ValueError, match="read-only"):
            index.add("batch-9", [("x", "some text")])
        with pytest.raises(ValueError, match="read-only"):
            index.prune(batch="batch-1")


def test_a_second_writer_is_refused(index_dir):
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent("""
            import sys, neardup
            index = neardup.FeedIndex(sys.argv[1], writable=True)
            print("ready", flush=True)
            sys.stdin.readline()
            """), index_dir],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "ready\n"
        with pytest.raises(OSError, match="another process is writing"):
            neardup.FeedIndex(index_dir, writable=True)
        # Readers are not blocked by the writer.
        with neardup.FeedIndex(index_dir) as reader:
            assert reader.stats()["documents"] == 13
    finally:
        holder.stdin.close()
        assert holder.wait(timeout=30) == 0
    with neardup.FeedIndex(index_dir, writable=True):
        pass


def test_prune(index_dir):
    with neardup.FeedIndex(index_dir, writable=True) as index:
        with pytest.raises(ValueError, match="exactly one"):
            index.prune()
        with pytest.raises(ValueError, match="exactly one"):
            index.prune(older_than_seconds=10, batch="batch-1")
        assert index.prune(older_than_seconds=3600) == []
        assert index.prune(batch="no-such-batch") == []
        [removed] = index.prune(batch="batch-1")
        assert removed.name == "batch-1" and removed.documents == 10
        stats = index.stats()
        assert stats["documents"] == 3
        assert [b.name for b in stats["batches"]] == ["batch-2"]
        assert index.query([BATCH1[3][1]]) == [[]]
        # Its ids may be added again.
        assert index.add("batch-1b", BATCH1[:2]).added == 2


def test_ids_and_texts_of_other_types(tmp_path):
    path = str(tmp_path / "feed.ndx")
    text = BATCH1[5][1]
    with neardup.FeedIndex(path, create=True, store_texts=False) as index:
        added = index.add("bytes", [(b"id-\xff", text.encode()), (7, "x y")])
        assert added.added == 2
        [[match], [number]] = index.query([text.encode(), ("q", "x y")],
                                          texts=True)
    assert match.id == "id-\ufffd" and not match.exact
    assert match.text is None  # the index keeps no texts
    assert number.id == "7"
    with neardup.FeedIndex(path) as index:
        with pytest.raises(TypeError):
            index.query([1])


def test_queries_from_several_threads_agree(index_dir):
    import threading
    documents = QUERIES + BATCH1 + BATCH2
    with neardup.FeedIndex(index_dir) as index:
        expected = [[(m.id, m.similarity) for m in r]
                    for r in index.query(documents)]
        results = []

        def run():
            for _ in range(5):
                results.append([[(m.id, m.similarity) for m in r]
                                for r in index.query(documents)])

        threads = [threading.Thread(target=run) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(results) == 15
    assert all(result == expected for result in results)
