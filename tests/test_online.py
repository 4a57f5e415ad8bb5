"""Unit and property tests of the online normaliser and the timing helpers (chapter 10)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from book import bandwidth_floor, logsumexp, median_time, softmax
from book.online import merge_normalizers, online_normalizer, online_softmax

sequences = arrays(np.float64, st.integers(1, 60), elements=st.floats(-1e300, 1e300))


@given(x=sequences)
@settings(max_examples=100, deadline=None)
def test_online_normalizer_matches_the_two_pass_statistics(x):
    m, d = online_normalizer(x)
    assert m == x.max()
    d_direct = float(np.sum(np.exp(x - x.max())))
    assert d == pytest.approx(d_direct, rel=1e-13)
    assert 1.0 <= d <= len(x)


@given(x=sequences, data=st.data())
@settings(max_examples=100, deadline=None)
def test_merging_any_split_gives_the_whole(x, data):
    cut = data.draw(st.integers(0, len(x)))
    left, right = x[:cut], x[cut:]
    stats = [online_normalizer(part) if len(part) else (-math.inf, 0.0) for part in (left, right)]
    if data.draw(st.booleans()):
        stats.reverse()  # the merge is commutative
    m, d = merge_normalizers(*stats[0], *stats[1])
    m_whole, d_whole = online_normalizer(x)
    assert m == m_whole and d == pytest.approx(d_whole, rel=1e-13)


def test_minus_infinity_is_masked_and_plus_infinity_rejected():
    assert online_normalizer([-np.inf, 2.0, -np.inf]) == (2.0, 1.0)
    assert online_normalizer([-np.inf]) == (-np.inf, 0.0)
    m, d = merge_normalizers(-np.inf, 0.0, -np.inf, 0.0)
    assert m == -np.inf and d == 0.0
    np.testing.assert_array_equal(online_softmax([[-np.inf, 0.0, -np.inf]]), [[0.0, 1.0, 0.0]])
    with pytest.raises(ValueError, match=r"\+inf"):
        online_normalizer([1.0, np.inf])
    with pytest.raises(ValueError, match=r"\+inf"):
        online_softmax([1.0, np.inf])
    with pytest.raises(ValueError, match="all -inf"):
        online_softmax([[0.0, 1.0], [-np.inf, -np.inf]])


@given(z=arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 40)), elements=st.floats(-1e4, 1e4)),
       block=st.integers(1, 50), axis=st.sampled_from([0, 1, -1]))
@settings(max_examples=100, deadline=None)
def test_online_softmax_equals_softmax(z, block, axis):
    np.testing.assert_allclose(online_softmax(z, block_size=block, axis=axis), softmax(z, axis=axis),
                               rtol=1e-12, atol=1e-300)


def test_online_softmax_keeps_float32():
    z = np.random.default_rng(0).normal(size=(3, 100)).astype(np.float32)
    out = online_softmax(z, block_size=7)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, softmax(z), rtol=1e-5)


def test_lse_from_the_normaliser():
    x = np.random.default_rng(1).normal(scale=1e4, size=500)
    m, d = online_normalizer(x)
    assert m + math.log(d) == pytest.approx(logsumexp(x), rel=1e-14)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: online_normalizer(np.ones((2, 2))), "1-D"),
        (lambda: online_normalizer([np.nan]), "NaN"),
        (lambda: online_normalizer([]), "empty"),
        (lambda: online_softmax([1.0, 2.0], block_size=0), "block_size"),
        (lambda: online_softmax([1.0, 2.0], block_size=2.5), "block_size"),
        (lambda: median_time(lambda: None, repeats=0), "repeats"),
        (lambda: median_time(lambda: None, min_seconds=0), "min_seconds"),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_timing_helpers_measure_something_sensible():
    """Not a speed test: only that the helpers return positive times and call the function."""
    calls = []
    t = median_time(lambda: calls.append(1), repeats=3, min_seconds=1e-4)
    assert t > 0 and len(calls) >= 4
    assert bandwidth_floor(np.ones(1000), repeats=3) > 0
