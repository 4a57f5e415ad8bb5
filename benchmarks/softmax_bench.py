"""Speed of what the course teaches: `book` against SciPy and the bandwidth floor.

Run from the repository root:

    uv run python benchmarks/softmax_bench.py          # both tables (about 40 s)
    uv run python benchmarks/softmax_bench.py --quick  # fewer repeats, for a smoke run

For each logit shape and dtype it times (median of repeated runs, after a warm-up):

- softmax:       `book.softmax(z)`      vs `scipy.special.softmax(z, axis=1)`
- log_softmax:   `book.log_softmax(z)`  vs `scipy.special.log_softmax(z, axis=1)`
- cross-entropy: `book.softmax_cross_entropy(z, y)` vs the same loss and gradient built
                 from `scipy.special.log_softmax` (loss = mean of -log p[y];
                 grad = (exp(log p) - onehot) / N)

and the floor: the time to copy an array of the same size (`z.copy()`: one read and one
write of every element, which any function returning a new array of that size must at
least do). The samples of book and SciPy alternate, so that a change in the machine's
load affects both alike. It prints the times and the ratios book / scipy (below 1.0:
the course's version is faster) and book / floor, then the ratios issue 11 sets targets
for (log_softmax at (100000, 100): at most 0.85; cross-entropy: at most 1 everywhere).

A second table (chapter 10) times `book.online_softmax`, the two-pass blockwise softmax
built on the online normaliser, for several block sizes, against `book.softmax` and the
floor, in float64, including wide rows.

Benchmarks are not tests: timings depend on the machine and its load (printed as the
load average before and after), so nothing here asserts. The timing helpers are
`book.timing.median_time` and `book.timing.bandwidth_floor`, taught in chapter 10.
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
from book.timing import bandwidth_floor, median_time

SHAPES = [(128, 10), (4096, 1000), (100000, 100)]
DTYPES = [np.float32, np.float64]
ONLINE_SHAPES = [(4096, 1000), (100000, 100), (64, 50000), (4, 1_000_000)]
BLOCK_SIZES = [1024, 4096, 16384]


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
    """Loss and gradient of softmax cross-entropy the straightforward way, through
    scipy's log_softmax."""
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
    assert np.allclose(
        book.softmax(z), scipy.special.softmax(z, axis=1), rtol=tol, atol=tol
    )
    assert np.allclose(
        book.log_softmax(z), scipy.special.log_softmax(z, axis=1), rtol=tol, atol=tol
    )
    loss, grad = book.softmax_cross_entropy(z, labels)
    ref_loss, ref_grad = scipy_cross_entropy(z, labels)
    assert np.isclose(loss, ref_loss, rtol=tol, atol=tol)
    assert np.allclose(grad, ref_grad, rtol=tol, atol=tol)


def paired_times(ours, theirs, repeats, min_seconds=0.005):
    """Median times of one call of ours() and of theirs(), their samples interleaved.

    Like `median_time` (a warm-up call, then loops of about `min_seconds`), but a
    sample of one is next to a sample of the other, so both see the same load; which
    goes first is random, so that a periodic load cannot always hit the same one.
    """
    calls = []
    for fn in (ours, theirs):
        start = time.perf_counter()
        fn()  # the warm-up call also sizes the loop
        calls.append(max(1, int(min_seconds / max(time.perf_counter() - start, 1e-9))))
    samples = ([], [])
    order = np.random.default_rng(2).permuted(np.tile([0, 1], (repeats, 1)), axis=1)
    for pair in order:
        for i in pair:
            fn, n, out = (ours, theirs)[i], calls[i], samples[i]
            start = time.perf_counter()
            for _ in range(n):
                fn()
            out.append((time.perf_counter() - start) / n)
    return statistics.median(samples[0]), statistics.median(samples[1])


def online_table(quick):
    """book.online_softmax (two passes, blockwise) against book.softmax and the copy
    floor, in float64."""
    header = f"{'shape':>14} {'floor ms':>9} {'softmax/floor':>14}" + "".join(
        f"{f'online b={b}/floor':>22}" for b in BLOCK_SIZES
    )
    print()
    print("online softmax (chapter 10), float64: time / floor")
    print(header)
    print("-" * len(header))
    rng = np.random.default_rng(1)
    for shape in ONLINE_SHAPES:
        z = rng.normal(scale=3.0, size=shape)
        assert np.allclose(
            book.online_softmax(z), book.softmax(z), rtol=1e-12, atol=1e-15
        )
        repeats = repeats_for(z.size, quick)
        floor = bandwidth_floor(z, repeats)
        t_softmax = median_time(lambda: book.softmax(z), repeats)
        line = f"{str(shape):>14} {floor * 1e3:9.3f} {t_softmax / floor:14.2f}"
        for b in BLOCK_SIZES:
            t = median_time(lambda: book.online_softmax(z, block_size=b), repeats)
            line += f"{t / floor:22.2f}"
        print(line)


def load():
    """The 1-minute load average (how busy the machine is), or 'unknown'."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "unknown"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="fewer repeats (a smoke run)"
    )
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {cpu_name()}, {os.cpu_count()} cores; "
        f"python {platform.python_version()}, numpy {np.__version__}, "
        f"scipy {scipy.__version__}; load average {load()}"
    )
    header = (
        f"{'shape':>14} {'dtype':>8} {'function':>14} {'book ms':>9} {'scipy ms':>9} "
        f"{'floor ms':>9} {'book/scipy':>10} {'book/floor':>10}"
    )
    print(header)
    print("-" * len(header))
    rng = np.random.default_rng(0)
    ratios = {}
    for shape in SHAPES:
        for dtype in DTYPES:
            z = rng.normal(scale=3.0, size=shape).astype(dtype)
            labels = rng.integers(0, shape[1], size=shape[0])
            check_agreement(z, labels)
            repeats = repeats_for(z.size, args.quick)
            floor = bandwidth_floor(z, repeats)
            cases = [
                (
                    "softmax",
                    lambda: book.softmax(z),
                    lambda: scipy.special.softmax(z, axis=1),
                ),
                (
                    "log_softmax",
                    lambda: book.log_softmax(z),
                    lambda: scipy.special.log_softmax(z, axis=1),
                ),
                (
                    "cross-entropy",
                    lambda: book.softmax_cross_entropy(z, labels),
                    lambda: scipy_cross_entropy(z, labels),
                ),
            ]
            for name, ours, theirs in cases:
                t_book, t_scipy = paired_times(ours, theirs, repeats)
                ratios[shape, np.dtype(dtype).name, name] = t_book / t_scipy
                print(
                    f"{str(shape):>14} {np.dtype(dtype).name:>8} {name:>14} "
                    f"{t_book * 1e3:9.3f} {t_scipy * 1e3:9.3f} {floor * 1e3:9.3f} "
                    f"{t_book / t_scipy:10.2f} {t_book / floor:10.2f}"
                )
    print_targets(ratios)
    online_table(args.quick)
    print(f"load average at the end: {load()}")


def print_targets(ratios):
    """The ratios issue 11 sets targets for, against those targets."""
    log_softmax = ", ".join(
        f"{dtype} {ratios[(100000, 100), dtype, 'log_softmax']:.2f}"
        for dtype in ("float32", "float64")
    )
    worst = max((r, key) for key, r in ratios.items() if key[2] == "cross-entropy")
    print(
        f"targets: log_softmax / scipy at (100000, 100) <= 0.85: {log_softmax}; "
        f"cross-entropy / scipy <= 1: largest {worst[0]:.2f} at {worst[1][0]} "
        f"{worst[1][1]}"
    )


if __name__ == "__main__":
    main()
