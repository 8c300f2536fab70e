"""neardup: find duplicate and near-duplicate text and the passages it shares.

The C++ library neardup, for Python::

    import neardup
    for p in neardup.compare(text_a, text_b):
        print(p.score, text_a[p.a.char_start:p.a.char_end])

Texts are ``str`` (or UTF-8 ``bytes``). A ``Span``'s ``char_start``/``char_end``
index the ``str``; ``start``/``end`` are UTF-8 byte offsets, the numbers the
``neardup`` program prints. Bad options raise ``ValueError``, I/O problems
``OSError``. The long calls release the GIL, so threads run them in parallel,
and Ctrl-C (``KeyboardInterrupt``) stops a ``scan``.
"""

from ._neardup import (
    ContaminationIndex as _ContaminationIndex,
    ContaminationMatch,
    DedupRecord,
    FeedAddResult,
    FeedBatch,
    FeedIndex as _FeedIndex,
    FeedMatch,
    ItemReport,
    Deduplicator as _Deduplicator,
    Pair,
    Passage,
    Span,
    __version__,
)
from . import _neardup

__all__ = [
    "compare",
    "scan",
    "Deduplicator",
    "ContaminationIndex",
    "contamination",
    "ItemReport",
    "ContaminationMatch",
    "Passage",
    "Pair",
    "Span",
    "DedupRecord",
    "FeedIndex",
    "FeedMatch",
    "FeedBatch",
    "FeedAddResult",
    "__version__",
]


def compare(a, b, **options):
    """Returns the passages texts ``a`` and ``b`` share: ``list[Passage]``,
    ordered by their position in ``a``.

    Options (keyword only; the defaults are the ``neardup`` program's):
    ``min_tokens=20`` words matched in order for a passage to count,
    ``min_score=0.3``, ``max_gap=12``, ``max_occurrences=8``; the
    normalisation switches ``fold_case``, ``strip_marks``, ``fold_arabic``,
    ``fold_digits``, ``match_variants`` (all ``True``); ``progress``: a
    function ``progress(stage, done, total)`` called as each stage starts and
    ends (an exception it raises stops the comparison and comes out of it).

    Runs on the calling thread with the GIL released.
    """
    return _neardup.compare(a, b, **options)


def scan(documents, **options):
    """Finds every pair of documents that share passages.

    ``documents``: an iterable of ``(id, text)`` pairs; ids are any hashable
    values, unique. Returns ``list[Pair]`` (``.a``, ``.b`` ids, ``.passages``)
    ordered by the input position of ``a``, then of ``b``: the pairs and
    passages ``neardup scan`` reports.

    Options (keyword only, the program's defaults): ``threads=0`` (one per
    core; the result does not depend on it), ``min_tokens=20``,
    ``min_score=0.3``, ``max_gap=12``, ``max_occurrences=8``,
    ``window_threshold=0.3``, ``window_tokens=48``, ``window_stride=24``,
    ``num_hashes=64``, ``max_bucket=64``, ``boilerplate_documents=50``, the
    normalisation switches as in ``compare``, and ``progress(stage, done,
    total)``, called about every 0.1 s.

    Releases the GIL while it works; Ctrl-C stops it with KeyboardInterrupt
    within about 0.1 s of the current stage's work (the "finding candidates"
    stage is checked only at its end).
    """
    return _neardup.scan(documents, **options)


class Deduplicator(_Deduplicator):
    """Keeps one document per cluster of near-duplicates (``neardup dedup``).

    ``Deduplicator(threshold=0.8, mode="jaccard", keep="first")``: two
    documents are duplicates when the exact Jaccard similarity of their word
    5-gram sets (``mode="containment"``: the share of the smaller set in the
    larger) reaches ``threshold``; ``keep="longest"`` keeps the longest of a
    cluster instead of the first. Other options: ``shingle=5``,
    ``num_hashes=128``, ``lsh_threshold=0`` (automatic), ``max_bucket=64``,
    ``threads=0``, ``temp_dir=None`` ($TMPDIR), and the normalisation
    switches of ``compare``.

    ``add(id, text)`` / ``add_many(pairs)`` feed documents (texts are not
    kept: only their sketches, and their shingle sets in an unlinked
    temporary file); ``finish()`` returns one ``DedupRecord`` per document,
    in order: ``.id``, ``.cluster`` (the kept document's id), ``.kept``,
    ``.duplicate_of`` (``None`` when kept), ``.similarity``.

    Not thread-safe: use one Deduplicator from one thread at a time.
    """


class ContaminationIndex(_ContaminationIndex):
    """How much of each benchmark item occurs in a corpus, and where
    (``neardup contamination``).

    ``ContaminationIndex(items, mode="aligned")``: ``items`` is an iterable of
    ``(id, text)`` or ``(id, [field, ...])`` pairs (ids hashable and unique;
    fields are joined with a blank line, ``"\\n\\n"``, to make the item's text,
    which its spans index). ``mode="aligned"`` finds copies with other case,
    punctuation, spacing, line breaks, a few changed words, and reworded
    copies that keep many content words; ``mode="ngram"`` is the classic exact
    overlap of ``ngram=13``-token n-grams. Other options (keyword only, the
    program's defaults): ``contaminated_at=0.8``, ``partial_at=0.2`` (share of
    an item's words matched), ``max_matches=10`` kept per item (all are
    counted), ``min_match_tokens=8``, ``min_short_tokens=5``,
    ``min_weight_share=0.5``, ``bag_threshold=0.55``,
    ``max_seed_item_share=0.005``, and the normalisation switches of
    ``compare``.

    ``scan(documents, threads=0)`` streams ``(id, text)`` pairs into it (call
    it as often as needed; texts are not kept, only the matches), scanning
    batches of 4 MB on ``threads`` threads (0: one per core) with the GIL
    released; Ctrl-C stops it between batches. ``report()`` returns one
    ``ItemReport`` per item, in the order given: ``.id``, ``.status``
    (``"clean"``, ``"partial"``, ``"contaminated"``),
    ``.contaminated_fraction``, ``.longest_match``, ``.matches``
    (``ContaminationMatch``: ``.doc`` (the document's id as a ``str``),
    ``.doc_index``, ``.item`` and ``.doc_span`` (``Span``), ``.score``,
    ``.tokens``, ``.kind``, ``.fields``). The report does not depend on the
    number of threads.

    Not thread-safe: one call at a time (``scan`` uses threads inside).
    """


def contamination(items, documents, threads=0, **options):
    """``ContaminationIndex(items, **options)``, ``scan(documents,
    threads=threads)``, then ``report()``: ``list[ItemReport]``."""
    index = ContaminationIndex(items, **options)
    index.scan(documents, threads=threads)
    return index.report()


class FeedIndex(_FeedIndex):
    """A persistent index of the documents of a feed (``neardup index``):
    each new batch is checked against everything added before, without
    re-reading it. The index is a directory (LMDB), shared with the
    ``neardup index`` program.

    ``FeedIndex(path, create=False, writable=False)`` opens the index in
    ``path`` read-only (``query``, ``stats``); ``writable=True`` also allows
    ``add`` and ``prune``, and ``create=True`` (implies ``writable``) creates
    the index when ``path`` does not exist or is an empty directory. Keyword
    options: ``wait=False`` (a writable open while another process writes:
    wait for it instead of ``OSError``), ``threads=0`` (one per core; results
    do not depend on it), and the parameters fixed when the index is
    created, with ``neardup index add``'s defaults: ``shingle=5``,
    ``num_hashes=128``, ``lsh_threshold=0.8``, ``store_texts=True`` (without
    texts, similarities are estimated from the signatures), and the
    normalisation switches of ``compare`` (all ``True``). A parameter left
    ``None`` takes the index's own value; one given that differs from it
    raises ``ValueError`` naming each difference.

    ``add(batch_name, documents)``: ``(id, text)`` pairs (an id that is
    neither ``str`` nor ``bytes`` is stored as ``str(id)``) added as one
    batch in one transaction; returns a ``FeedAddResult``
    (``.added``, ``.existing_ids``: left out because their id is already
    indexed, ``.already_added``: the same content was added before, nothing
    changed, ``.batch``). ``query(documents, threshold=0.8, texts=False)``:
    texts or ``(id, text)`` pairs; for each, ``list[FeedMatch]`` (``.id``,
    ``.batch``, ``.similarity``, ``.exact``, ``.text`` with ``texts=True``),
    most similar first: the matches of ``neardup index query``.
    ``stats()``: a dict (``documents``, ``batches``: ``list[FeedBatch]``,
    ``params``, sizes). ``prune(older_than_seconds=None, batch=None)``:
    removes the batches added more than that many seconds ago, or the one
    named, with their documents; returns ``list[FeedBatch]``.

    Errors: ``OSError`` when there is no index at ``path`` or another
    process is writing to it; ``ValueError`` for a directory that is not an
    index, other parameters than the index's, ``add``/``prune`` on a
    read-only index, or bad arguments. LMDB allows one open of an index per
    process: a second ``FeedIndex`` on the same directory raises
    ``ValueError``; share the first, or ``close()`` it (also a context
    manager). Calls release the GIL; queries may run from several threads
    at once (``close()`` meanwhile raises RuntimeError).
    """

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        state = "closed" if self.closed else (
            "writable" if self.writable else "read-only")
        return f"FeedIndex({self.path!r}, {state})"
