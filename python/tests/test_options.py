"""Bad options raise ValueError naming the keyword; wrong types TypeError;
I/O problems OSError. Nothing crashes the interpreter."""
import math

import pytest

import neardup

WORDS = " ".join(f"w{i}" for i in range(40))


@pytest.mark.parametrize("options, keyword", [
    ({"min_tokens": 0}, "min_tokens"),
    ({"min_tokens": 10**30}, "min_tokens"),
    ({"min_score": math.nan}, "min_score"),
    ({"min_score": math.inf}, "min_score"),
    ({"max_gap": -1}, "max_gap"),
    ({"max_occurrences": 2**40}, "max_occurrences"),
])
def test_compare_bad_options(options, keyword):
    with pytest.raises(ValueError, match="^" + keyword + " must be"):
        neardup.compare(WORDS, WORDS, **options)


@pytest.mark.parametrize("options, keyword", [
    ({"num_hashes": 70000}, "num_hashes"),
    ({"num_hashes": 0}, "num_hashes"),
    ({"window_threshold": math.nan}, "window_threshold"),
    ({"window_threshold": 0.0}, "window_threshold"),
    ({"window_tokens": 1}, "window_tokens"),
    ({"window_stride": 1000}, "window_stride"),
    ({"threads": -1}, "threads"),
    ({"threads": 10**6}, "threads"),
    ({"boilerplate_documents": -5}, "boilerplate_documents"),
    ({"max_bucket": 1}, "max_bucket"),
])
def test_scan_bad_options(options, keyword):
    with pytest.raises(ValueError, match="^" + keyword + " must be"):
        neardup.scan([("a", WORDS), ("b", WORDS)], **options)


def test_huge_value_is_shown_as_given():
    with pytest.raises(ValueError, match=r"got 1000000000000000000000000000000$"):
        neardup.compare(WORDS, WORDS, min_tokens=10**30)


@pytest.mark.parametrize("options, keyword", [
    ({"threshold": math.nan}, "threshold"),
    ({"threshold": 1.5}, "threshold"),
    ({"threshold": 0}, "threshold"),
    ({"shingle": 0}, "shingle"),
    ({"num_hashes": 70000}, "num_hashes"),
    ({"lsh_threshold": 1.0}, "lsh_threshold"),
    ({"threads": 99999}, "threads"),
    ({"mode": "cosine"}, "mode"),
    ({"keep": "last"}, "keep"),
])
def test_deduplicator_bad_options(options, keyword):
    with pytest.raises(ValueError, match="^" + keyword + " must be"):
        neardup.Deduplicator(**options)


def test_wrong_types_are_type_errors():
    with pytest.raises(TypeError):
        neardup.compare(WORDS, 42)
    with pytest.raises(TypeError):
        neardup.compare(WORDS, WORDS, min_tokens=2.5)
    with pytest.raises(TypeError):
        neardup.compare(WORDS, WORDS, no_such_option=1)
    with pytest.raises(TypeError):
        neardup.scan([("a", None)])


def test_malformed_documents_and_duplicate_ids():
    with pytest.raises(ValueError, match="pairs"):
        neardup.scan([("a", WORDS, "extra")])
    with pytest.raises(ValueError, match="duplicate document id 'a'"):
        neardup.scan([("a", WORDS), ("a", WORDS)])
    d = neardup.Deduplicator()
    d.add(1, WORDS)
    with pytest.raises(ValueError, match="duplicate document id 1"):
        d.add(1, WORDS)


def test_unusable_temp_dir_is_an_os_error(tmp_path):
    with pytest.raises(OSError, match="temporary file"):
        neardup.Deduplicator(temp_dir=str(tmp_path / "missing"))


def test_finish_twice_and_add_after_finish():
    d = neardup.Deduplicator()
    d.add("a", WORDS)
    d.finish()
    with pytest.raises(RuntimeError):
        d.finish()
    with pytest.raises(RuntimeError):
        d.add("b", WORDS)


def test_documents_must_be_pairs():
    with pytest.raises(TypeError, match="pairs"):
        neardup.scan("ab")
    with pytest.raises(TypeError, match="pairs"):
        neardup.Deduplicator().add_many([None])
    # Lists of two are pairs too.
    assert len(neardup.scan([["a", WORDS], ["b", WORDS]])) == 1
