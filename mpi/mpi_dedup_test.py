#!/usr/bin/env python3
"""neardup-mpi dedup on 1, 2 and 4 ranks against one `neardup dedup` process.

Usage: mpi_dedup_test.py NEARDUP NEARDUP_MPI SOURCE_DIR WORK_DIR CASE

Cases: corpus (corpus/), licenses (/usr/share/common-licenses), saudinewsnet
(../shared/datasets/saudinewsnet/sample-1k.jsonl), planted (generated files
with duplicates planted across the ranks' shares, in three flag settings),
failure (a bad record on the last rank, an unwritable output), ranges
(JSONL files cut into byte ranges: a big file with planted duplicates, long
lines, fewer lines than ranks, a directory with a refused file; errors).
Each run's kept and clusters outputs must equal the single process's byte
for byte; with --format jsonl, so must the summary's counts and the
warnings.
Exits 77 (skipped, with the reason) when mpirun or the data is absent.
"""
import gzip
import json
import os
import random
import shutil
import subprocess
import sys

SKIP = 77


def skip(reason):
    print(f"SKIPPED: {reason}")
    sys.exit(SKIP)


def mpirun_command(np):
    command = ["mpirun", "--oversubscribe", "-np", str(np)]
    if os.geteuid() == 0:
        command.append("--allow-run-as-root")
    return command


def mpi_env():
    env = dict(os.environ)
    # Containers: no ptrace-based single copy, no ssh agent, shared memory and
    # loopback transports only (all ranks run on this machine).
    env.setdefault("OMPI_MCA_btl_vader_single_copy_mechanism", "none")
    env.setdefault("OMPI_MCA_plm_rsh_agent", "")
    env.setdefault("OMPI_MCA_btl", "self,vader")
    return env


def run(command, env=None):
    return subprocess.run(command, capture_output=True, text=True, env=env,
                          timeout=120)


def dedup(neardup, neardup_mpi, paths, flags, work, np, mpi_flags=()):
    """Runs one process (np 0) or np ranks; returns (result, kept, clusters)."""
    name = "single" if np == 0 else f"np{np}"
    kept = os.path.join(work, f"{name}.kept.jsonl")
    clusters = os.path.join(work, f"{name}.clusters.jsonl")
    args = ["dedup", *paths, "--output", kept, "--clusters", clusters, *flags]
    if np == 0:
        result = run([neardup, *args])
    else:
        result = run([*mpirun_command(np), neardup_mpi, *args, *mpi_flags],
                     env=mpi_env())
    return result, kept, clusters


def read(path):
    with open(path, "rb") as f:
        return f.read()


# Summary fields that must be one process's whatever the ranks.
SAME_COUNTS = ("documents", "kept", "dropped", "clusters",
               "duplicate_clusters", "candidate_pairs", "verified_pairs",
               "skipped_files", "skipped_lines", "repeated_files",
               "repeated_ids", "invalid_utf8_documents")


def counts_and_messages(result):
    """The summary's counts (--format jsonl) and the sorted stderr lines
    (ranks print their warnings in no set order)."""
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    counts = {k: summary.get(k) for k in SAME_COUNTS}
    messages = sorted(line for line in result.stderr.splitlines()
                      if line.startswith("neardup:"))
    return counts, messages


def check_same(neardup, neardup_mpi, paths, flags, work, nps=(1, 2, 4),
               mpi_flags=()):
    """Outputs byte for byte; with --format jsonl in flags, also the
    summary's counts and the warnings."""
    single, kept, clusters = dedup(neardup, neardup_mpi, paths, flags, work, 0)
    if single.returncode != 0:
        sys.exit(f"neardup dedup failed: {single.stderr}")
    with_summary = "jsonl" in flags
    if with_summary:
        want_summary = counts_and_messages(single)
    want_kept, want_clusters = read(kept), read(clusters)
    lines = want_clusters.count(b"\n")
    dropped = want_clusters.count(b'"kept":false')
    print(f"{' '.join(flags) or 'defaults'}: {lines} documents, "
          f"{dropped} dropped")
    for np in nps:
        result, kept, clusters = dedup(neardup, neardup_mpi, paths, flags,
                                       work, np, mpi_flags)
        if result.returncode != 0:
            sys.exit(f"-np {np} exited {result.returncode}: {result.stderr}")
        if "--split-bytes" in mpi_flags and np > 1 and json.loads(
                result.stdout.strip().splitlines()[-1])["split_files"] < 1:
            sys.exit(f"-np {np}: no file was cut into ranges")
        if with_summary and counts_and_messages(result) != want_summary:
            sys.exit(f"-np {np}: summary or warnings differ:\n"
                     f"{counts_and_messages(result)}\none process:\n"
                     f"{want_summary}")
        if read(kept) != want_kept:
            sys.exit(f"-np {np}: kept differs from one process's ({kept})")
        if read(clusters) != want_clusters:
            sys.exit(f"-np {np}: clusters differ from one process's "
                     f"({clusters})")
        print(f"  -np {np}: identical")
    return dropped


WORDS = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu "
         "nu xi omicron pi rho sigma tau upsilon phi chi psi omega "
         "كتاب مدينة خبر وزير اقتصاد سوق نفط رياض جامعة طالب").split()


def sample_in_parts(source_dir, work, count=4):
    """SaudiNewsNet's sample-1k.jsonl dealt into `count` files (one file is
    one share of whole files), and its lines; skips the test if it is
    absent."""
    sample = os.path.join(source_dir, "..", "shared", "datasets",
                          "saudinewsnet", "sample-1k.jsonl")
    if not os.path.exists(sample):
        skip(f"{sample} is absent")
    with open(sample, "rb") as f:
        lines = f.readlines()
    parts = []
    for p in range(count):
        part = os.path.join(work, f"part{p}.jsonl")
        with open(part, "wb") as out:
            out.writelines(lines[p::count])
        parts.append(part)
    return parts, lines


def planted_corpus(root):
    """Twelve files of random texts; copies and near copies of earlier texts
    planted in later files (so in other ranks' shares), chains, and long and
    short versions for --keep longest and containment."""
    rng = random.Random(15)
    os.makedirs(root)
    texts = []

    def fresh(n):
        return " ".join(rng.choice(WORDS) + str(rng.randrange(50))
                        for _ in range(n))

    def edit(text, changes):
        words = text.split()
        for _ in range(changes if words else 0):
            words[rng.randrange(len(words))] = fresh(1)
        return " ".join(words)

    for f in range(12):
        records = []
        for i in range(40):
            choice = rng.random()
            if texts and choice < 0.25:
                text = rng.choice(texts)  # exact copy
            elif texts and choice < 0.5:
                text = edit(rng.choice(texts), rng.randrange(1, 6))
            elif texts and choice < 0.6:
                base = rng.choice(texts)  # longer or shorter version
                text = (base + " " + fresh(rng.randrange(5, 40))
                        if rng.random() < 0.5 else
                        " ".join(base.split()[:len(base.split()) * 3 // 4]))
            elif choice < 0.63:
                text = ""  # empty documents cluster together
            else:
                text = fresh(rng.randrange(20, 120))
            texts.append(text)
            records.append(text)
        if f % 4 == 3:  # some text files too
            os.makedirs(os.path.join(root, f"t{f:02d}"))
            for i, text in enumerate(records[:5]):
                path = os.path.join(root, f"t{f:02d}", f"{i}.txt")
                with open(path, "w") as out:
                    out.write(text or "(empty)")
        with open(os.path.join(root, f"f{f:02d}.jsonl"), "w") as out:
            for i, text in enumerate(records):
                # Every third record without an id: "path:line" then.
                id_part = "" if i % 3 == 0 else f'"id": "f{f}-{i}", '
                out.write("{" + id_part + '"text": ' +
                          json.dumps(text, ensure_ascii=False) + "}\n")
    return root


def big_jsonl(path, rng, records=600):
    """One JSONL file: random texts and, all through it, exact and near
    copies of earlier ones; ids missing (path:line) and repeated; blank
    lines, CRLF, a line with invalid UTF-8 and a malformed line."""
    texts = []
    with open(path, "wb") as out:
        for i in range(records):
            choice = rng.random()
            if texts and choice < 0.2:
                text = rng.choice(texts)
            elif texts and choice < 0.4:
                words = rng.choice(texts).split()
                words[rng.randrange(len(words))] = "changed"
                text = " ".join(words)
            else:
                text = " ".join(rng.choice(WORDS) + str(rng.randrange(50))
                                for _ in range(rng.randrange(20, 80)))
            texts.append(text)
            if i % 5 == 0:
                id_part = ""
            elif i % 97 == 0:
                id_part = '"id": "repeated", '
            else:
                id_part = f'"id": "r{i}", '
            line = ("{" + id_part + '"text": ' +
                    json.dumps(text, ensure_ascii=False) + "}").encode()
            if i == 250:
                line = line.replace(b'"text": "', b'"text": "\xff', 1)
            out.write(line + (b"\r\n" if i % 7 == 0 else b"\n"))
            if i % 50 == 0:
                out.write(b"\n  \n")
            if i == 400:
                out.write(b'{"id": "broken", "text": \n')


def ranges_case(neardup, neardup_mpi, work):
    """Files cut into byte ranges (--split-bytes) against one process."""
    rng = random.Random(16)
    split = ("--split-bytes", "1")
    big = os.path.join(work, "big.jsonl")
    big_jsonl(big, rng)
    dropped = check_same(neardup, neardup_mpi, [big],
                         ["--skip-bad", "--format", "jsonl"], work,
                         mpi_flags=split)
    if dropped < 100:
        sys.exit(f"only {dropped} planted duplicates found")
    check_same(neardup, neardup_mpi, [big], ["--skip-bad", "--keep",
               "longest", "--format", "jsonl"], work, nps=(3,),
               mpi_flags=split)
    # Lines of ~200 KB: most ranks' ranges start and end inside one line,
    # and some hold no line at all.
    long_lines = os.path.join(work, "long.jsonl")
    with open(long_lines, "w") as out:
        base = " ".join(f"w{i}" for i in range(40000))
        for i in range(6):
            text = base if i % 2 else base + f" end{i}"
            out.write(json.dumps({"id": f"long{i}", "text": text}) + "\n")
            out.write(json.dumps({"text": f"short {i}"}) + "\n")
    check_same(neardup, neardup_mpi, [long_lines], ["--format", "jsonl"],
               work, nps=(4,), mpi_flags=split)
    # Fewer lines than ranks, and a whole file after the cut one.
    short = os.path.join(work, "short.jsonl")
    with open(short, "w") as out:
        out.write('{"id": "a", "text": "one two three four five six"}\n'
                  '{"id": "b", "text": "one two three four five six"}')
    compressed = os.path.join(work, "whole.jsonl.gz")
    with gzip.open(compressed, "wt") as out:
        out.write('{"id": "c", "text": "one two three four five six"}\n')
    check_same(neardup, neardup_mpi, [short, compressed],
               ["--format", "jsonl"], work, nps=(4,), mpi_flags=split)
    # A directory: a JSON array cut into ranges (skipped once, with one
    # warning), a file of blank lines only, and a usable file on another
    # rank than the array's pieces.
    d = os.path.join(work, "dir")
    os.makedirs(d)
    with open(os.path.join(d, "a.jsonl"), "w") as out:
        out.write("\n" * 100 + json.dumps([{"text": "x"}] * 50) + "\n")
    with open(os.path.join(d, "b.jsonl"), "w") as out:
        out.write("\n  \n" * 100)
    with open(os.path.join(d, "c.jsonl"), "w") as out:
        out.write('{"text": "the only record"}\n')
    check_same(neardup, neardup_mpi, [d], ["--format", "jsonl"], work,
               nps=(4,), mpi_flags=split)
    # Errors name the same file and line as one process's: a bad line in
    # the middle of a cut file, a directory without a usable file.
    os.remove(os.path.join(d, "c.jsonl"))
    for name in os.listdir(work):
        if name.startswith(("single.", "np4.")):
            os.remove(os.path.join(work, name))
    for paths, where in (([big], "big.jsonl:"), ([d], "dir: no usable")):
        single, _, _ = dedup(neardup, neardup_mpi, paths, [], work, 0)
        message = single.stderr.strip().splitlines()[-1]
        if single.returncode != 2 or where not in message:
            sys.exit(f"one process: exit {single.returncode}: "
                     f"{single.stderr}")
        result, _, _ = dedup(neardup, neardup_mpi, paths, [], work, 4, split)
        if result.returncode != 2 or message not in result.stderr:
            sys.exit(f"-np 4: exit {result.returncode}, not 2 with "
                     f"{message!r}: {result.stderr}")
        if any(n.startswith("np4.") for n in os.listdir(work)):
            sys.exit("-np 4: an output was left behind")
        print(f"  -np 4: exit 2, {message}")



def failure_case(neardup_mpi, work, root):
    # A malformed record in the last file: read by the last rank only.
    bad = os.path.join(root, "f11.jsonl")
    with open(bad, "a") as out:
        out.write('{"id": "broken", "text": \n')
    for np in (4,):
        kept = os.path.join(work, "fail.kept.jsonl")
        clusters = os.path.join(work, "fail.clusters.jsonl")
        result = run([*mpirun_command(np), neardup_mpi, "dedup", root,
                      "--output", kept, "--clusters", clusters],
                     env=mpi_env())
        if result.returncode != 2:
            sys.exit(f"-np {np} with a bad record exited "
                     f"{result.returncode}, not 2: {result.stderr}")
        if "f11.jsonl:41" not in result.stderr:
            sys.exit(f"-np {np}: the message does not name f11.jsonl:41: "
                     f"{result.stderr}")
        left = [n for n in os.listdir(work) if n.startswith("fail.")]
        if left:
            sys.exit(f"-np {np}: outputs left behind: {left}")
        print(f"  -np {np}, bad record: exit 2, no output, "
              f"{result.stderr.strip().splitlines()[0]}")
    # An output in a directory that does not exist: rank 0 fails, all stop.
    os.remove(bad)
    result = run([*mpirun_command(4), neardup_mpi, "dedup", root, "--output",
                  os.path.join(work, "missing", "kept.jsonl"), "--clusters",
                  os.path.join(work, "fail.clusters.jsonl")], env=mpi_env())
    if result.returncode != 2 or "missing" not in result.stderr:
        sys.exit(f"unwritable output: exit {result.returncode}: "
                 f"{result.stderr}")
    if any(n.startswith("fail.") for n in os.listdir(work)):
        sys.exit("unwritable output: an output was left behind")
    print("  -np 4, unwritable output: exit 2, no output")


def main():
    neardup, neardup_mpi, source_dir, work, case = sys.argv[1:6]
    if shutil.which("mpirun") is None:
        skip("mpirun is not installed (Debian: openmpi-bin)")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    if case == "corpus":
        # 000 and 001 share passages: one is dropped at this threshold.
        check_same(neardup, neardup_mpi, [os.path.join(source_dir, "corpus")],
                   ["--threshold", "0.1"], work, nps=(2, 4))
    elif case == "licenses":
        licenses = "/usr/share/common-licenses"
        if not os.path.isdir(licenses):
            skip(f"{licenses} is absent")
        check_same(neardup, neardup_mpi, [licenses], [], work, nps=(3,))
        check_same(neardup, neardup_mpi, [licenses],
                   ["--mode", "containment", "--keep", "longest"], work,
                   nps=(2, 4))
    elif case == "saudinewsnet":
        parts, _ = sample_in_parts(source_dir, work)
        check_same(neardup, neardup_mpi, parts, ["--threshold", "0.5"], work,
                   nps=(2, 4))
    elif case == "planted":
        root = planted_corpus(os.path.join(work, "planted"))
        dropped = check_same(neardup, neardup_mpi, [root], [], work)
        if dropped < 50:
            sys.exit(f"only {dropped} planted duplicates found")
        check_same(neardup, neardup_mpi, [root], ["--keep", "longest"], work,
                   nps=(4,))
        check_same(neardup, neardup_mpi, [root],
                   ["--mode", "containment", "--threshold", "0.7"], work,
                   nps=(3,))
    elif case == "ranges":
        ranges_case(neardup, neardup_mpi, work)
    elif case == "failure":
        root = planted_corpus(os.path.join(work, "planted"))
        failure_case(neardup_mpi, work, root)
    else:
        sys.exit(f"unknown case {case}")


if __name__ == "__main__":
    main()
