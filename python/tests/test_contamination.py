"""neardup.ContaminationIndex and neardup.contamination: the report of
`neardup contamination`, from Python."""
import json
import math
import subprocess

import pytest

import neardup

ITEMS = [
    ("q1", "The treaty of Westphalia was signed in 1648 by envoys meeting "
           "in Osnabrueck and Muenster after thirty years of war."),
    ("q2", "Photosynthesis converts carbon dioxide and water into glucose "
           "while chloroplasts release oxygen as a by-product."),
    ("q3", "Which river flows through Khartoum where the Blue and White "
           "branches join before reaching Egypt?"),
]

DOCS = [
    ("d0", "Some unrelated news about football and weather today."),
    # q1 with other case, punctuation and a line break.
    ("d1", "History notes. THE TREATY OF WESTPHALIA was signed, in 1648, by "
           "envoys meeting in\nOsnabrueck and Muenster -- after thirty years "
           "of war! More text follows here."),
    # half of q2.
    ("d2", "A biology quiz: photosynthesis converts carbon dioxide and water "
           "into glucose, and then the lesson moved on to geology."),
]


def by_id(reports):
    return {r.id: r for r in reports}


def test_copies_are_found_and_offsets_index_the_str():
    reports = by_id(neardup.contamination(ITEMS, DOCS, threads=1))
    assert reports["q1"].status == "contaminated"
    assert reports["q3"].status == "clean"
    assert reports["q3"].matches == []
    assert reports["q2"].status in ("partial", "contaminated")
    assert reports["q2"].contaminated_fraction < 1.0
    texts = dict(ITEMS)
    docs = dict(DOCS)
    match = reports["q1"].matches[0]
    assert match.doc == "d1" and match.doc_index == 1
    assert match.kind == "aligned"
    item_span = texts["q1"][match.item.char_start:match.item.char_end]
    assert item_span.startswith("The treaty") and item_span.endswith("war")
    doc_span = docs["d1"][match.doc_span.char_start:match.doc_span.char_end]
    assert doc_span == match.doc_text
    assert doc_span.startswith("THE TREATY") and doc_span.endswith("war")
    assert reports["q1"].longest_match == reports["q1"].tokens


def test_fields_are_joined_with_a_blank_line():
    question = ITEMS[0][1]
    answer = "Envoys of the emperor and of the Swedish crown negotiated it."
    index = neardup.ContaminationIndex([(7, [question, answer])])
    index.scan([("doc", "Quiz: " + answer + " Nothing else.")])
    [report] = index.report()
    assert report.id == 7
    [match] = report.matches
    assert match.fields == [1]
    joined = question + "\n\n" + answer
    assert joined[match.item.char_start:match.item.char_end] == answer[:-1]
    assert index.stats["documents"] == 1 and index.stats["items"] == 1


def test_arabic_orthographic_variants_and_char_offsets():
    item = ("ar1", "أعلنت وزارة الصحة السعودية اليوم عن إطلاق حملة وطنية "
                   "للتطعيم ضد الإنفلونزا الموسمية في جميع مناطق المملكة")
    # Hamza forms and ta marbuta folded, diacritics and tatweel added.
    doc = ("خبر: اعلنت وزارة الصحه السعوديـــة اليوم عن اطلاق حملة وطنيّة "
           "للتطعيم ضد الانفلونزا الموسمية في جميع مناطق المملكه. انتهى")
    [report] = neardup.contamination([item], [("ar", doc)])
    assert report.status == "contaminated"
    match = report.matches[0]
    assert doc[match.doc_span.char_start:match.doc_span.char_end] == \
        match.doc_text
    assert match.doc_text.startswith("اعلنت")
    assert len(doc[:match.doc_span.char_start].encode()) == match.doc_span.start


def test_same_report_on_any_thread_count_and_in_several_calls():
    docs = DOCS * 40
    docs = [(f"{i}-{doc_id}", text) for i, (doc_id, text) in enumerate(docs)]

    def summary(reports):
        return [(r.id, r.status, r.covered_tokens, r.total_matches,
                 [(m.doc, m.item.start, m.doc_span.start) for m in r.matches])
                for r in reports]

    one = summary(neardup.contamination(ITEMS, docs, threads=1))
    two = summary(neardup.contamination(ITEMS, docs, threads=2))
    index = neardup.ContaminationIndex(ITEMS)
    index.scan(docs[:50], threads=2)
    index.scan(iter(docs[50:]), threads=3)
    assert index.documents == len(docs)
    parts = summary(index.report())
    assert one == two == parts
    assert dict((r[0], r[3]) for r in one)["q1"] == 40


def test_ngram_mode_is_exact_overlap():
    reports = by_id(neardup.contamination(ITEMS, DOCS, mode="ngram", ngram=5))
    # d1 changes punctuation only: the same tokens, so 5-grams match.
    assert reports["q1"].status == "contaminated"
    assert reports["q3"].status == "clean"


def test_same_report_as_the_program(cli, tmp_path):
    benchmark = tmp_path / "bench.jsonl"
    corpus = tmp_path / "corpus.jsonl"
    benchmark.write_text("".join(json.dumps({"id": i, "question": t}) + "\n"
                                 for i, t in ITEMS), encoding="utf-8")
    corpus.write_text("".join(json.dumps({"id": i, "text": t}) + "\n"
                              for i, t in DOCS), encoding="utf-8")
    run = subprocess.run(
        [cli, "contamination", "--benchmark", str(benchmark),
         "--benchmark-field", "question", "--format", "jsonl", "-q",
         str(corpus)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    records = [json.loads(line) for line in run.stdout.splitlines()]
    program = [(r["id"], r["status"], r["covered_tokens"],
                [(m["doc"], m["item"]["char_start"], m["doc_span"]["char_end"])
                 for m in r["matches"]])
               for r in records if r["type"] == "item"]
    python = [(r.id, r.status, r.covered_tokens,
               [(m.doc, m.item.char_start, m.doc_span.char_end)
                for m in r.matches])
              for r in neardup.contamination(ITEMS, DOCS)]
    assert python == program


def test_bad_options_and_input_raise():
    with pytest.raises(ValueError, match="mode"):
        neardup.ContaminationIndex(ITEMS, mode="fuzzy")
    with pytest.raises(ValueError, match="partial_at"):
        neardup.ContaminationIndex(ITEMS, partial_at=math.nan)
    with pytest.raises(ValueError, match="ngram"):
        neardup.ContaminationIndex(ITEMS, mode="ngram", ngram=0)
    with pytest.raises(ValueError, match="ngram"):
        neardup.ContaminationIndex(ITEMS, ngram=2**70)
    with pytest.raises(ValueError, match="duplicate item id 'q1'"):
        neardup.ContaminationIndex(ITEMS + [("q1", "again")])
    with pytest.raises(TypeError):
        neardup.ContaminationIndex([("q", 42)])
    index = neardup.ContaminationIndex(ITEMS)
    with pytest.raises(ValueError, match="threads"):
        index.scan(DOCS, threads=-1)
    with pytest.raises(TypeError):
        index.scan([("d", None)])


def test_empty_benchmark_bytes_and_invalid_utf8():
    index = neardup.ContaminationIndex([])
    index.scan(DOCS)
    assert index.report() == [] and len(index) == 0
    item = ("b", ITEMS[0][1].encode())
    doc = b"\xff\xfe " + ITEMS[0][1].encode() + b" \xc3"
    [report] = neardup.contamination([item], [("raw", doc)])
    assert report.status == "contaminated"
    assert report.matches[0].doc_text.startswith("The treaty")
