"""compare: the CLI's passages, and offsets that index Python strings."""
import json
import os
import subprocess

import neardup


def span_record(span):
    return (span.start, span.end, span.char_start, span.char_end)


def test_version_is_the_library_version(cli):
    out = subprocess.run([cli, "--version"], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "neardup " + neardup.__version__


def test_same_passages_as_the_cli_on_each_seed_pair(cli, seeds):
    checked = 0
    for i, path_a in enumerate(seeds):
        for path_b in seeds[i + 1:]:
            run = subprocess.run(
                [cli, "compare", str(path_a), str(path_b), "--format", "jsonl"],
                capture_output=True, text=True)
            assert run.returncode in (0, 1), run.stderr
            expected = [
                (tuple(r["a"][k] for k in ("start", "end", "char_start", "char_end")),
                 tuple(r["b"][k] for k in ("start", "end", "char_start", "char_end")),
                 r["aligned"])
                for r in map(json.loads, run.stdout.splitlines())
                if r["type"] == "passage"]
            text_a = path_a.read_text(encoding="utf-8")
            text_b = path_b.read_text(encoding="utf-8")
            got = [(span_record(p.a), span_record(p.b), p.aligned)
                   for p in neardup.compare(text_a, text_b)]
            assert got == expected, (path_a.name, path_b.name)
            checked += len(got)
    assert checked > 0  # the seeds share passages (000 and 001 do)


def test_arabic_char_offsets_index_the_str_and_bytes_offsets_its_utf8(seeds):
    a = seeds[0].read_text(encoding="utf-8")
    b = seeds[1].read_text(encoding="utf-8")
    passages = neardup.compare(a, b)
    assert passages
    for p in passages:
        for text, span in ((a, p.a), (b, p.b)):
            piece = text[span.char_start:span.char_end]
            assert piece == text.encode("utf-8")[span.start:span.end].decode("utf-8")
            assert span.char_end - span.char_start < span.end - span.start  # Arabic: 2 bytes a letter
            assert not piece[0].isspace() and not piece[-1].isspace()


def test_bytes_input_gives_the_same_passages(seeds):
    a = seeds[0].read_bytes()
    b = seeds[1].read_bytes()
    from_bytes = [(span_record(p.a), span_record(p.b)) for p in neardup.compare(a, b)]
    from_str = [(span_record(p.a), span_record(p.b))
                for p in neardup.compare(a.decode(), b.decode())]
    assert from_bytes == from_str and from_bytes


def test_invalid_utf8_counts_as_python_decodes_it():
    shared = " ".join(f"كلمة{i}" for i in range(40))
    # A truncated 3-byte sequence (one U+FFFD for Python) and a stray byte.
    raw = b"\xe2\x82 \xff " + shared.encode()
    passages = neardup.compare(raw, shared)
    assert len(passages) == 1
    decoded = raw.decode("utf-8", "replace")
    span = passages[0].a
    assert decoded[span.char_start:span.char_end] == shared
    assert raw[span.start:span.end].decode() == shared


def test_lone_surrogates_keep_char_offsets_right():
    shared = " ".join(f"word{i}" for i in range(40))
    text = "\udcff\udc80 " + shared
    passages = neardup.compare(text, shared)
    assert len(passages) == 1
    assert text[passages[0].a.char_start:passages[0].a.char_end] == shared


def test_nothing_shared_is_an_empty_list(seeds):
    assert neardup.compare("one two three", "four five six") == []
    assert neardup.compare("", "") == []


def test_progress_reports_each_stage_and_can_stop_it():
    words = " ".join(f"w{i}" for i in range(50))
    seen = []
    neardup.compare(words, words, progress=lambda *at: seen.append(at))
    assert seen == [("analysing", 0, 2), ("analysing", 1, 2), ("analysing", 2, 2),
                    ("aligning", 0, 1), ("aligning", 1, 1)]

    class Stop(Exception):
        pass

    def stop(stage, done, total):
        raise Stop(stage)

    try:
        neardup.compare(words, words, progress=stop)
    except Stop as e:
        assert str(e) == "analysing"
    else:
        raise AssertionError("the progress function's exception was lost")
