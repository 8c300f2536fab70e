#!/usr/bin/env python3
"""Round-robin timing: interleave.py RUNS PREP -- CMD1 -- CMD2 ...  (PREP run before each, untimed; '' for none).
Prints per command: mean, sd, median, min of wall seconds, and mean user+sys;
with ALL=1 also every run's wall seconds in the order run (round by round)."""
import os, subprocess, sys, time, statistics, resource
runs = int(sys.argv[1]); prep = sys.argv[2]
cmds = []; cur = None
for a in sys.argv[3:]:
    if a == '--':
        cur = []; cmds.append(cur)
    else:
        cur.append(a)
walls = [[] for _ in cmds]; cpus = [[] for _ in cmds]
for r in range(runs + 1):  # first round is warm-up
    order = list(range(len(cmds))) if r % 2 == 0 else list(reversed(range(len(cmds))))
    for i in order:
        if prep: subprocess.run(prep, shell=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(cmds[i], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        w = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if r == 0: continue
        walls[i].append(w)
        cpus[i].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
for i, c in enumerate(cmds):
    w = walls[i]
    print(f"{statistics.mean(w):.3f} ± {statistics.stdev(w):.3f} s (median {statistics.median(w):.3f}, min {min(w):.3f}), cpu {statistics.mean(cpus[i]):.3f} s  {os.path.basename(c[0])} {' '.join(c[1:3])}")
    if os.environ.get("ALL") == "1":
        print("  walls: " + " ".join(f"{x:.3f}" for x in w))
