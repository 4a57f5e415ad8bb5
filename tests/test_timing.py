"""Tests of the timing helpers of chapter 10 (book/timing.py). Not speed tests: nothing
here asserts how fast anything is, only what the helpers do and refuse."""

import numpy as np
import pytest

from book import bandwidth_floor, median_time


def test_median_time_calls_fn_for_every_sample_and_the_warm_up():
    calls = []
    t = median_time(lambda: calls.append(1), repeats=3, min_seconds=1e-4)
    assert t > 0
    assert len(calls) >= 1 + 3  # a warm-up call and at least one call per sample


def test_median_time_is_the_median_not_the_mean():
    """Samples of 1 ms and one 300 ms outlier: the median ignores the outlier."""
    import time

    durations = iter([0.0, 0.001, 0.001, 0.3, 0.001, 0.001])

    def fn():
        time.sleep(next(durations, 0.001))

    t = median_time(fn, repeats=5, min_seconds=1e-6)
    assert t < 0.05  # the mean of the samples (above 0.06) would fail here


def test_bandwidth_floor_copies_into_memory_allocated_beforehand(monkeypatch):
    """The floor times np.copyto into one buffer, allocated once, not array.copy."""
    targets = []
    real_copyto = np.copyto

    def spy(dst, src, *args, **kwargs):
        targets.append(id(dst))
        return real_copyto(dst, src, *args, **kwargs)

    monkeypatch.setattr(np, "copyto", spy)
    array = np.arange(1000.0)
    assert bandwidth_floor(array, repeats=3) > 0
    assert len(targets) >= 4 and len(set(targets)) == 1  # one destination, reused
    assert id(array) not in targets  # the input itself is never overwritten


def test_bandwidth_floor_accepts_views_and_lists():
    base = np.ones((50, 40))
    assert bandwidth_floor(base[:, ::2], repeats=2) > 0  # non-contiguous view
    assert bandwidth_floor([1.0, 2.0, 3.0], repeats=2) > 0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: median_time(lambda: None, repeats=0), "repeats"),
        (lambda: median_time(lambda: None, repeats=2.0), "repeats"),
        (lambda: median_time(lambda: None, repeats=True), "repeats"),
        (lambda: median_time(lambda: None, repeats=np.nan), "repeats"),
        (lambda: median_time(lambda: None, min_seconds=0), "min_seconds"),
        (lambda: median_time(lambda: None, min_seconds=-1.0), "min_seconds"),
        (lambda: median_time(lambda: None, min_seconds=np.nan), "min_seconds"),
        (lambda: median_time(lambda: None, min_seconds=np.inf), "min_seconds"),
        (lambda: median_time(lambda: None, min_seconds="1"), "min_seconds"),
        (lambda: median_time(lambda: None, min_seconds=True), "min_seconds"),
        (lambda: bandwidth_floor(np.ones(3), repeats=0), "repeats"),
        (lambda: bandwidth_floor(np.ones(3), repeats=np.inf), "repeats"),
    ],
)
def test_bad_input_raises_a_value_error_naming_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()
