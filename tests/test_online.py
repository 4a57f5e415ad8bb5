"""Unit and property tests of the online normaliser and timing helpers (chapter 10)."""

import math
import tracemalloc

import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from book import bandwidth_floor, logsumexp, median_time, softmax
from book.online import merge_normalizers, online_normalizer, online_softmax

sequences = arrays(np.float64, st.integers(1, 60), elements=st.floats(-1e300, 1e300))
# Values and sequences with masked (-inf) entries, at least one finite entry each.
masked_values = st.one_of(st.floats(-1e300, 1e300), st.just(-np.inf))
masked_sequences = arrays(
    np.float64, st.integers(1, 60), elements=masked_values
).filter(lambda x: np.isfinite(x).any())


@given(x=sequences)
@settings(max_examples=100, deadline=None)
def test_online_normalizer_matches_the_two_pass_statistics(x):
    m, d = online_normalizer(x)
    assert m == x.max()
    d_direct = float(np.sum(np.exp(x - x.max())))
    assert d == pytest.approx(d_direct, rel=1e-13, abs=0)
    assert 1.0 <= d <= len(x)


@given(x=masked_sequences)
@settings(max_examples=100, deadline=None)
def test_masked_entries_anywhere_add_nothing(x):
    """-inf entries, first, last or in runs, give the statistics of the finite ones."""
    m, d = online_normalizer(x)
    kept = x[np.isfinite(x)]
    m_kept, d_kept = online_normalizer(kept)
    assert m == m_kept and d == pytest.approx(d_kept, rel=1e-13, abs=0)


@given(x=masked_sequences, data=st.data())
@settings(max_examples=100, deadline=None)
def test_merging_any_split_gives_the_whole(x, data):
    cut = data.draw(st.integers(0, len(x)))
    left, right = x[:cut], x[cut:]
    stats = [online_normalizer(part) if len(part) else (-math.inf, 0.0)
             for part in (left, right)]
    if data.draw(st.booleans()):
        stats.reverse()  # the merge is commutative
    m, d = merge_normalizers(*stats[0], *stats[1])
    m_whole, d_whole = online_normalizer(x)
    assert m == m_whole and d == pytest.approx(d_whole, rel=1e-13, abs=0)


def test_first_value_and_whole_part_minus_infinity():
    assert online_normalizer([-np.inf, 2.0, -np.inf]) == (2.0, 1.0)
    assert online_normalizer([-np.inf, -np.inf, 0.0, 0.0]) == (0.0, 2.0)
    assert online_normalizer([-np.inf]) == (-np.inf, 0.0)  # an empty sum
    assert merge_normalizers(-np.inf, 0.0, -np.inf, 0.0) == (-np.inf, 0.0)
    assert merge_normalizers(-np.inf, 0.0, 1.0, 3.0) == (1.0, 3.0)  # masked part first
    assert merge_normalizers(1.0, 3.0, -np.inf, 0.0) == (1.0, 3.0)
    m, d = merge_normalizers(np.array([-np.inf, 0.0]), np.array([0.0, 1.0]),
                             np.array([2.0, -np.inf]), np.array([1.0, 0.0]))
    np.testing.assert_array_equal(m, [2.0, 0.0])
    np.testing.assert_array_equal(d, [1.0, 1.0])


def test_extreme_finite_statistics_merge_without_warning():
    # -max - max overflows to -inf in m_a - m: exp gives the right 0, and no warning
    # (pytest turns warnings into errors)
    assert merge_normalizers(-1e308, 1.0, 1e308, 1.0) == (1e308, 1.0)
    assert online_normalizer([-1e308, 1e308]) == (1e308, 1.0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((np.inf, 1.0, 0.0, 1.0), r"m_a must be finite or -inf"),  # was (inf, nan)
        ((0.0, 1.0, np.inf, 1.0), r"m_b must be finite or -inf"),
        ((np.nan, 1.0, 0.0, 1.0), r"m_a .*nan"),
        ((0.0, np.inf, 0.0, 1.0), r"d_a must be finite"),
        ((0.0, 1.0, 0.0, -np.inf), r"d_b must be finite and >= 0"),
        ((0.0, -1.0, 0.0, 1.0), r"d_a must be finite and >= 0"),
        ((-np.inf, 1.0, 0.0, 1.0), r"d_a must be 0 where m_a is -inf"),
        ((0.0, 1.0, -np.inf, 2.0), r"d_b must be 0 where m_b is -inf"),
    ],
)
def test_merge_refuses_statistics_no_sequence_has(args, message):
    with pytest.raises(ValueError, match=message):
        merge_normalizers(*args)


def test_plus_infinity_and_all_masked_slices_are_refused_like_softmax():
    with pytest.raises(ValueError, match=r"\+inf"):
        online_normalizer([1.0, np.inf])
    with pytest.raises(ValueError, match=r"\+inf"):
        online_softmax([1.0, np.inf])
    with pytest.raises(ValueError, match="NaN"):
        online_softmax([[1.0, 2.0], [np.nan, np.inf]])
    all_masked = [[0.0, 1.0], [-np.inf, -np.inf]]
    # book.softmax's rule for an all -inf slice is a ValueError; online_softmax's too
    with pytest.raises(ValueError, match="all -inf"):
        softmax(all_masked)
    for block_size in (1, 2, 3):
        with pytest.raises(ValueError, match="all -inf"):
            online_softmax(all_masked, block_size=block_size)


@st.composite
def masked_blocks(draw):
    """(z, block): rows of logits whose whole blocks, and single entries, are -inf."""
    n, k = draw(st.integers(1, 4)), draw(st.integers(1, 40))
    block = draw(st.integers(1, 12))
    z = draw(arrays(np.float64, (n, k), elements=st.floats(-1e4, 1e4)))
    for row in range(n):
        for start in range(0, k, block):
            if draw(st.booleans()):
                z[row, start:start + block] = -np.inf  # a whole masked block
        z[row, draw(st.integers(0, k - 1))] = draw(st.floats(-1e4, 1e4))  # one kept
    singles = draw(arrays(np.bool_, (n, k)))
    return np.where(singles & (z < z.max(axis=1, keepdims=True)), -np.inf, z), block


@given(case=masked_blocks())
@settings(max_examples=150, deadline=None)
def test_online_softmax_with_masked_blocks_equals_softmax(case):
    z, block = case
    out = online_softmax(z, block_size=block)
    assert not np.isnan(out).any()
    np.testing.assert_array_equal(out[z == -np.inf], 0.0)
    np.testing.assert_allclose(out, softmax(z), rtol=1e-12, atol=1e-300)


def test_first_block_masked_is_the_case_that_used_to_give_nan():
    """A leading -inf gave NaN in the teaching loop; the package must never."""
    z = np.array([[-np.inf, -np.inf, -np.inf, 1.0, 2.0, 3.0]])
    for block_size in (1, 2, 3, 4, 6, 100):
        np.testing.assert_allclose(online_softmax(z, block_size=block_size), softmax(z),
                                   rtol=1e-15, atol=0)


@given(z=arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 40)),
                elements=st.floats(-1e4, 1e4)),
       block=st.integers(1, 50), axis=st.sampled_from([0, 1, -1, -2]))
@settings(max_examples=100, deadline=None)
def test_online_softmax_equals_softmax(z, block, axis):
    np.testing.assert_allclose(online_softmax(z, block_size=block, axis=axis),
                               softmax(z, axis=axis), rtol=1e-12, atol=1e-300)


SHAPES = [(7,), (3, 5), (2, 3, 4), (2, 3, 4, 5)]


def views(shape, rng):
    """A contiguous array, a transposed view and a strided slice with the same ndim."""
    big = rng.normal(scale=30, size=tuple(2 * s for s in shape))
    contiguous = big[tuple(slice(0, s) for s in shape)].copy()
    strided = big[tuple(slice(None, None, 2) for _ in shape)]
    transposed = np.ascontiguousarray(contiguous.T).T  # Fortran order
    return {"contiguous": contiguous, "strided": strided, "transposed": transposed}


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("block_size", [1, 2, 3, 4096])
def test_online_softmax_matches_scipy_on_every_axis_and_view(shape, block_size):
    rng = np.random.default_rng(len(shape) * 10 + block_size)
    for kind, z in views(shape, rng).items():
        assert kind != "strided" or not z.flags.c_contiguous
        for axis in range(-len(shape), len(shape)):
            out = online_softmax(z, block_size=block_size, axis=axis)
            expected = scipy.special.softmax(z, axis=axis)
            np.testing.assert_allclose(out, expected, rtol=1e-13, atol=1e-300)
            np.testing.assert_allclose(out, softmax(z, axis=axis),
                                       rtol=1e-13, atol=1e-300)


@pytest.mark.parametrize("axis", [None, (0, 1), 1.0, True, 2, -3, np.inf])
def test_online_softmax_axis_is_one_int(axis):
    """The lead's rule (book.check_axis): one int in range; None and tuples refused."""
    with pytest.raises(ValueError, match="axis"):
        online_softmax(np.ones((2, 3)), axis=axis)


@pytest.mark.parametrize("block_size", [0, -1, 2.5, True, np.inf, -np.inf, "4"])
def test_block_size_must_be_a_positive_integer(block_size):
    with pytest.raises(ValueError, match="block_size"):
        online_softmax([1.0, 2.0], block_size=block_size)


def test_huge_finite_logits_without_warning():
    z = np.array([1e308, -1e308, 0.0])  # 0 - 1e308 fine, -1e308 - 1e308 overflows
    for block_size in (1, 2, 4096):
        out = online_softmax(z, block_size=block_size)
        np.testing.assert_array_equal(out, [1.0, 0.0, 0.0])


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_online_softmax_keeps_the_dtype(dtype):
    z = np.random.default_rng(0).normal(size=(3, 100)).astype(dtype)
    for block_size in (7, 4096):
        out = online_softmax(z, block_size=block_size)
        assert out.dtype == dtype
        rtol = {np.float16: 1e-2, np.float32: 1e-5, np.float64: 1e-13}[dtype]
        np.testing.assert_allclose(out, softmax(z), rtol=rtol, atol=0)


def peak_bytes(fn, *args, **kwargs):
    """Peak traced memory of one call (NumPy reports its buffers to tracemalloc)."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        fn(*args, **kwargs)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("axis", [-1, 0])
def test_online_softmax_with_one_block_needs_no_more_memory_than_softmax(axis):
    """K < block_size: softmax allocates one array of z's size plus two (N, 1) vectors
    (the maxima and the sums); online_softmax must allocate no more. The 5 % margin
    covers Python objects and one-byte boolean temporaries of N entries (N bytes, 0.7 %
    of the peak here); a second array of z's size, the old online_softmax, is +100 %.
    """
    z = np.random.default_rng(0).normal(size=(20_000, 10))
    if axis == 0:
        z = np.ascontiguousarray(z.T)
    softmax_peak = peak_bytes(softmax, z, axis=axis)
    online_peak = peak_bytes(online_softmax, z, axis=axis)
    assert softmax_peak >= z.nbytes  # the measurement sees NumPy's buffers at all
    assert online_peak <= 1.05 * softmax_peak


def test_planted_error_the_memory_check_would_catch():
    """A version with a second full-size temporary (exp(z - m) not in place) fails."""
    def two_temporaries(z):
        m = z.max(axis=-1, keepdims=True)
        e = np.exp(z - m)  # z - m and exp(z - m) are alive together
        return e / e.sum(axis=-1, keepdims=True)

    z = np.random.default_rng(0).normal(size=(20_000, 10))
    assert peak_bytes(two_temporaries, z) > 1.5 * peak_bytes(softmax, z)


def test_lse_from_the_normaliser():
    x = np.random.default_rng(1).normal(scale=1e4, size=500)
    m, d = online_normalizer(x)
    assert m + math.log(d) == pytest.approx(logsumexp(x), rel=1e-14, abs=0)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: online_normalizer(np.ones((2, 2))), "1-D"),
        (lambda: online_normalizer([np.nan]), "NaN"),
        (lambda: online_normalizer([]), "empty"),
        (lambda: median_time(lambda: None, repeats=0), "repeats"),
        (lambda: median_time(lambda: None, min_seconds=0), "min_seconds"),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_timing_helpers_measure_something_sensible():
    """Not a speed test: only that the helpers return positive times and call fn."""
    calls = []
    t = median_time(lambda: calls.append(1), repeats=3, min_seconds=1e-4)
    assert t > 0 and len(calls) >= 4
    assert bandwidth_floor(np.ones(1000), repeats=3) > 0


def test_planted_errors_the_checks_catch():
    """Two mistakes the merge and mask tests above are there to catch."""
    x = np.array([3.0, -1.0, 2.0, 0.5])
    m_whole, d_whole = online_normalizer(x)
    (m_a, d_a), (m_b, d_b) = online_normalizer(x[:2]), online_normalizer(x[2:])
    m, d = max(m_a, m_b), d_a + d_b  # planted: the parts' sums are not rescaled
    assert m == m_whole and d != pytest.approx(d_whole, rel=1e-13, abs=0)
    block = np.full(3, -np.inf)  # a masked block, shifted by its own max (no guard)
    with np.errstate(invalid="ignore"):
        unguarded = np.exp(block - block.max()).sum()  # -inf - (-inf) is NaN
    assert np.isnan(unguarded)
    m, d = merge_normalizers(-np.inf, 0.0, m_whole, d_whole)  # the guarded merge
    assert (m, d) == (m_whole, d_whole)


@pytest.mark.parametrize("block_size", [4096, 100_000])
def test_float16_slices_longer_than_its_largest_number(block_size):
    """70 000 equal float16 logits: each block's sum of exponentials passes float16's
    largest number (65504), so it is kept in float32, as book.softmax does (no warning,
    no silent zeros)."""
    z = np.zeros((2, 70_000), np.float16)
    a = online_softmax(z, block_size=block_size)
    assert a.dtype == np.float16
    np.testing.assert_allclose(a, softmax(z), rtol=1e-3, atol=0)


def test_merge_refuses_a_sum_below_its_largest_term():
    """A finite max m means the sum d holds the term exp(m - m) = 1, so d >= 1."""
    with pytest.raises(ValueError, match="d_b must be >= 1 where m_b is finite"):
        merge_normalizers(0.0, 1.0, 2.0, 0.5)
    m, d = merge_normalizers(0.0, 1.0, 2.0, 1.0)  # the smallest valid d is accepted
    assert m == 2.0 and d == pytest.approx(1.0 + math.exp(-2.0), rel=1e-15, abs=0)
