#!/usr/bin/env python3
"""Wall time of a command: median of N runs after 3 warm-ups.

usage: measure.py LABEL N COMMAND [ARG]...   (COMMAND runs without a shell; use sh -c for pipes)
Fails if any run exits non-zero, so a broken setup cannot produce a fast number.
"""
import statistics
import subprocess
import sys
import time

label, n, command = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
for _ in range(3):
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
times = []
for _ in range(n):
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    times.append((time.perf_counter() - start) * 1000)
times.sort()
print(f"{label:<58} median {statistics.median(times):7.1f} ms   min {times[0]:6.1f}   p90 {times[int(len(times) * 0.9) - 1]:6.1f}   n={n}")
