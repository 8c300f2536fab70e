#!/usr/bin/env python3
"""Two Python threads calling neardup.compare against one thread doing the
same calls: the speed-up shows that compare releases the GIL.

    PYTHONPATH=build/python python3 bench/python_threads.py [--pairs N]

Compares the seed pair 000/001 (corpus/) N times on one thread, then N/2
times on each of two threads, three rounds each, and prints the best time of
each and the ratio.
"""
import argparse
import pathlib
import threading
import time

import neardup

ROOT = pathlib.Path(__file__).resolve().parents[1]


def run(threads, pairs, a, b):
    def work(count):
        for _ in range(count):
            neardup.compare(a, b)
    workers = [threading.Thread(target=work, args=(pairs // threads,))
               for _ in range(threads)]
    start = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=2000)
    args = parser.parse_args()
    files = sorted((ROOT / "corpus").glob("*.txt"))
    a = files[0].read_text(encoding="utf-8")
    b = files[1].read_text(encoding="utf-8")
    one = min(run(1, args.pairs, a, b) for _ in range(3))
    two = min(run(2, args.pairs, a, b) for _ in range(3))
    print(f"{args.pairs} compares: 1 thread {one:.3f} s "
          f"({args.pairs / one:.0f}/s), 2 threads {two:.3f} s "
          f"({args.pairs / two:.0f}/s), speed-up {one / two:.2f}x")


if __name__ == "__main__":
    main()
