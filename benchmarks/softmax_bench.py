"""Speed of what the course teaches: `book` against SciPy and against the memory-bandwidth floor.

Run from the repository root:

    uv run python benchmarks/softmax_bench.py            # the full table (about a minute)
    uv run python benchmarks/softmax_bench.py --quick    # fewer repeats, for a smoke run

For each logit shape and dtype it times (median of repeated runs, after a warm-up):

- softmax:       `book.softmax(z)`                    vs `scipy.special.softmax(z, axis=1)`
- log_softmax:   `book.log_softmax(z)`                vs `scipy.special.log_softmax(z, axis=1)`
- cross-entropy: `book.softmax_cross_entropy(z, y)`   vs the same loss and gradient built from
                 `scipy.special.log_softmax` (loss = mean of -log p[y]; grad = (exp(log p) - onehot) / N)

and the floor: the time to copy an array of the same size (`z.copy()`: one read and one write of every
element, which any function returning a new array of that size must at least do). It prints the times and
the ratios book / scipy (below 1.0: the course's version is faster) and book / floor. Benchmarks are not
tests: timings depend on the machine and its load, so nothing here asserts.
"""

import argparse
import os
import platform
import statistics
import time

import numpy as np
import scipy
import scipy.special

import book

SHAPES = [(128, 10), (4096, 1000), (100000, 100)]
DTYPES = [np.float32, np.float64]


def median_time(fn, repeats):
    """Median wall time of one call of fn(), in seconds, over `repeats` samples after a warm-up.

    Each sample times a loop of enough calls to last about 5 ms, so that microsecond-scale calls are not
    drowned in timer noise (the approach of the standard library's timeit).
    """
    start = time.perf_counter()
    fn()  # the warm-up call also sizes the loop
    calls = max(1, int(0.005 / max(time.perf_counter() - start, 1e-9)))
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        samples.append((time.perf_counter() - start) / calls)
    return statistics.median(samples)


def cpu_name():
    """The CPU model from /proc/cpuinfo (Linux), or what the platform module knows."""
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown cpu"


def scipy_cross_entropy(z, labels):
    """Loss and gradient of softmax cross-entropy the straightforward way, through scipy's log_softmax."""
    n = z.shape[0]
    log_p = scipy.special.log_softmax(z, axis=1)
    loss = -np.mean(log_p[np.arange(n), labels])
    grad = np.exp(log_p)
    grad[np.arange(n), labels] -= 1
    grad /= n
    return float(loss), grad


def repeats_for(size, quick):
    """Enough samples for a stable median, fewer for big arrays."""
    base = 31 if size < 1_000_000 else 15
    return 5 if quick else base


def check_agreement(z, labels):
    """The timed functions must agree before their speed means anything."""
    tol = 1e-5 if z.dtype == np.float32 else 1e-12
    assert np.allclose(book.softmax(z), scipy.special.softmax(z, axis=1), rtol=tol, atol=tol)
    assert np.allclose(book.log_softmax(z), scipy.special.log_softmax(z, axis=1), rtol=tol, atol=tol)
    loss, grad = book.softmax_cross_entropy(z, labels)
    ref_loss, ref_grad = scipy_cross_entropy(z, labels)
    assert np.isclose(loss, ref_loss, rtol=tol) and np.allclose(grad, ref_grad, rtol=tol, atol=tol)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {cpu_name()}, {os.cpu_count()} cores; python {platform.python_version()}, "
          f"numpy {np.__version__}, scipy {scipy.__version__}")
    header = f"{'shape':>14} {'dtype':>8} {'function':>14} {'book ms':>9} {'scipy ms':>9} {'floor ms':>9} " \
             f"{'book/scipy':>10} {'book/floor':>10}"
    print(header)
    print("-" * len(header))
    rng = np.random.default_rng(0)
    for shape in SHAPES:
        for dtype in DTYPES:
            z = rng.normal(scale=3.0, size=shape).astype(dtype)
            labels = rng.integers(0, shape[1], size=shape[0])
            check_agreement(z, labels)
            repeats = repeats_for(z.size, args.quick)
            floor = median_time(lambda: z.copy(), repeats)
            cases = [
                ("softmax", lambda: book.softmax(z), lambda: scipy.special.softmax(z, axis=1)),
                ("log_softmax", lambda: book.log_softmax(z), lambda: scipy.special.log_softmax(z, axis=1)),
                ("cross-entropy", lambda: book.softmax_cross_entropy(z, labels),
                 lambda: scipy_cross_entropy(z, labels)),
            ]
            for name, ours, theirs in cases:
                t_book = median_time(ours, repeats)
                t_scipy = median_time(theirs, repeats)
                print(f"{str(shape):>14} {np.dtype(dtype).name:>8} {name:>14} {t_book * 1e3:9.3f} "
                      f"{t_scipy * 1e3:9.3f} {floor * 1e3:9.3f} {t_book / t_scipy:10.2f} {t_book / floor:10.2f}")


if __name__ == "__main__":
    main()
