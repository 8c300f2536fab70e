#!/usr/bin/env python3
"""Two Python threads calling neardup.compare against one thread doing the
same calls: the speed-up shows that compare releases the GIL.

    PYTHONPATH=build/python python3 bench/python_threads.py [--pairs N]
        [--progress]

Compares the seed pair 000/001 (corpus/) N times on one thread, then N/2
times on each of two threads, three rounds each, and prints the best time of
each, the CPU time per wall second (above 1 only if the threads ran
at once), the ratio, and the CPU time per compare (of the best rounds). On a machine busy with other work the speed-up is
bounded by the cores left free.
"""
import argparse
import pathlib
import threading
import time

import neardup

ROOT = pathlib.Path(__file__).resolve().parents[1]


def run(threads, pairs, a, b, options):
    def work(count):
        for _ in range(count):
            neardup.compare(a, b, **options)
    workers = [threading.Thread(target=work, args=(pairs // threads,))
               for _ in range(threads)]
    start = time.perf_counter()
    cpu = time.process_time()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return time.perf_counter() - start, time.process_time() - cpu


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--progress", action="store_true",
                        help="pass a no-op progress function: the binding "
                        "then takes the GIL back at each of compare's 5 "
                        "stages (as it did for every call before)")
    args = parser.parse_args()
    options = {"progress": lambda *_: None} if args.progress else {}
    files = sorted((ROOT / "corpus").glob("*.txt"))
    a = files[0].read_text(encoding="utf-8")
    b = files[1].read_text(encoding="utf-8")
    one, one_cpu = min(run(1, args.pairs, a, b, options) for _ in range(3))
    two, two_cpu = min(run(2, args.pairs, a, b, options) for _ in range(3))
    print(f"{args.pairs} compares: 1 thread {one:.3f} s "
          f"({args.pairs / one:.0f}/s, {one_cpu / one:.2f} cores busy), "
          f"2 threads {two:.3f} s ({args.pairs / two:.0f}/s, "
          f"{two_cpu / two:.2f} cores busy), speed-up {one / two:.2f}x")
    # On a loaded machine wall time says little; CPU time per compare that
    # grows with threads is contention (locks, the GIL, the allocator).
    print(f"CPU per compare: 1 thread {1e6 * one_cpu / args.pairs:.0f} us, "
          f"2 threads {1e6 * two_cpu / args.pairs:.0f} us")


if __name__ == "__main__":
    main()
