"""Timing helpers, as taught in chapter 10 ("Softmax at speed: the online normaliser").

Used by the chapter and by `benchmarks/softmax_bench.py`. Every function in this file is shown, in full and
letter for letter, in `chapters/10_online.ipynb`; `tests/test_chapter_sources.py` fails if the two ever differ.
"""

import statistics
import time


def median_time(fn, repeats=15, min_seconds=0.005):
    """Median wall time of one call of fn(), in seconds, over `repeats` samples after a warm-up call.

    Each sample times a loop of enough calls to last about `min_seconds`, so that microsecond-scale calls are
    not drowned in timer noise (the approach of the standard library's timeit).
    """
    if not (isinstance(repeats, int) and repeats >= 1 and min_seconds > 0):
        raise ValueError(f"need an integer repeats >= 1 and min_seconds > 0, got {repeats!r}, {min_seconds!r}")
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
    """The median time to copy `array`: one read and one write of every byte, the least any function that
    returns a new array of the same size must do."""
    return median_time(array.copy, repeats)
