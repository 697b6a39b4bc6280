#!/usr/bin/env python3
"""A stand-in for a data loader or a neighbour that takes a core now and then: busy BUSY_MS, idle IDLE_MS, forever.

Pin it to one CPU beside a benchmark, e.g. `taskset -c 1 python3 benchmarks/busy-core.py 3 7 &` (30 % of CPU 1),
and compare two builds with benchmarks/AbSteps.java; stop it with `kill %1`.
"""
import sys
import time

if len(sys.argv) != 3:
    sys.exit("usage: busy-core.py BUSY_MS IDLE_MS (e.g. 3 7 for 30 % of a core)")
try:
    busy, idle = (float(a) / 1000 for a in sys.argv[1:])
except ValueError:
    sys.exit(f"busy-core.py: BUSY_MS and IDLE_MS must be numbers, got {sys.argv[1:]}")
if busy <= 0 or idle < 0:
    sys.exit("busy-core.py: BUSY_MS must be > 0 and IDLE_MS >= 0")
while True:
    t = time.perf_counter()
    while time.perf_counter() - t < busy:
        pass
    time.sleep(idle)
