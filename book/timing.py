"""Timing helpers, as taught in chapter 10 ("Softmax at speed: the online normaliser").

Used by the chapter and by `benchmarks/softmax_bench.py`. Every function in this file
is shown, in full and letter for letter, in `chapters/10_online.ipynb`;
`tests/test_chapter_sources.py` fails if the two ever differ.
"""

import math
import statistics
import time

import numpy as np


def median_time(fn, repeats=15, min_seconds=0.005):
    """Median wall time of one call of fn(), in seconds, over `repeats` samples after a
    warm-up call.

    Each sample times a loop of enough calls to last about `min_seconds`, so that
    microsecond-scale calls are not drowned in timer noise (the approach of the
    standard library's timeit). Times vary with the machine and its load.
    """
    if isinstance(repeats, bool) or not (isinstance(repeats, int) and repeats >= 1):
        raise ValueError(f"repeats must be an integer >= 1, got {repeats!r}")
    if isinstance(min_seconds, bool) or not (
        isinstance(min_seconds, (int, float)) and 0 < min_seconds < math.inf
    ):
        raise ValueError(f"min_seconds must be finite and > 0, got {min_seconds!r}")
    start = time.perf_counter()
    fn()  # the warm-up call also sizes the loop
    calls = max(1, int(min_seconds / max(time.perf_counter() - start, 1e-9)))
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        samples.append((time.perf_counter() - start) / calls)
    return statistics.median(samples)


def bandwidth_floor(array, repeats=15):
    """The median time to copy `array` into memory allocated beforehand
    (`np.copyto(out, array)`): one read and one write of every byte, and no allocation.

    No function that reads an array and writes a result of the same size can beat it
    by much. Caveat: an array that fits in the CPU's caches copies faster than main
    memory allows, so for small arrays this is a cache floor, not a memory floor.
    """
    array = np.asarray(array)
    out = np.empty_like(array)
    return median_time(lambda: np.copyto(out, array), repeats)
