"""Unit and property tests of book.logsumexp and book.log_softmax (chapter 2), against
scipy.special and mpmath."""

import warnings

import mpmath
import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

import book
from book import log_softmax, logsumexp, softmax

finite_logits = arrays(
    np.float64,
    array_shapes(min_dims=1, max_dims=3, max_side=6),
    elements=st.floats(-1e300, 1e300),
)


@given(z=finite_logits, data=st.data())
@settings(max_examples=100, deadline=None)
def test_logsumexp_matches_scipy_on_extreme_inputs(z, data):
    axis = data.draw(st.integers(-z.ndim, z.ndim - 1))
    expected = scipy.special.logsumexp(z, axis=axis)
    np.testing.assert_allclose(
        logsumexp(z, axis=axis), expected, rtol=1e-14, atol=1e-300
    )


@given(
    z=arrays(
        np.float64,
        array_shapes(min_dims=1, max_dims=3, max_side=6),
        elements=st.floats(-1e4, 1e4),
    ),
    data=st.data(),
)
@settings(max_examples=100, deadline=None)
def test_log_softmax_matches_scipy(z, data):
    axis = data.draw(st.integers(-z.ndim, z.ndim - 1))
    np.testing.assert_allclose(
        log_softmax(z, axis=axis),
        scipy.special.log_softmax(z, axis=axis),
        rtol=1e-12,
        atol=1e-12,
    )


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@given(data=st.data())
@settings(max_examples=40, deadline=None)
def test_dtype_kept_and_consistent_with_softmax(dtype, data):
    z = data.draw(arrays(dtype, (3, 5), elements=st.floats(-10, 10, width=16)))
    lse, logp = logsumexp(z), log_softmax(z)
    assert lse.dtype == dtype and logp.dtype == dtype
    tol = {np.float16: 2e-2, np.float32: 1e-5, np.float64: 1e-12}[dtype]
    np.testing.assert_allclose(
        np.exp(logp.astype(np.float64)), softmax(z).astype(np.float64), atol=tol
    )


def test_logsumexp_is_accurate_where_the_plain_shift_is_not():
    """lse(0, -40) = log1p(e^-40): the plain shift rounds 1 + e^-40 to 1, returns 0."""
    reference = float(mpmath.log(1 + mpmath.exp(-40)))
    assert logsumexp([0.0, -40.0]) == pytest.approx(reference, rel=1e-15)
    assert log_softmax([0.0, -40.0])[0] == pytest.approx(-reference, rel=1e-15)


@given(offset=st.floats(1e3, 1e12), gap=st.floats(0.0, 30.0))
@settings(max_examples=100, deadline=None)
def test_log_softmax_keeps_its_digits_for_huge_logits(offset, gap):
    """(z - max) - log1p(s), not z - lse(z): near the max the log-probabilities keep
    full relative accuracy."""
    z = np.array([offset, offset - gap])
    shift = float(z[0] - z[1])  # the gap as actually stored
    reference = -mpmath.log1p(mpmath.exp(-mpmath.mpf(shift)))
    assert log_softmax(z)[0] == pytest.approx(float(reference), rel=4e-16)


def test_keepdims_and_axis():
    z = np.arange(24.0).reshape(2, 3, 4)
    assert logsumexp(z, axis=1).shape == (2, 4)
    assert logsumexp(z, axis=1, keepdims=True).shape == (2, 1, 4)
    np.testing.assert_allclose(logsumexp(z, axis=0), scipy.special.logsumexp(z, axis=0))


def test_infinities():
    inf = np.inf
    assert logsumexp([inf, 0.0]) == inf
    assert logsumexp([-inf, -inf]) == -inf
    assert logsumexp([-inf, 0.0]) == 0.0
    np.testing.assert_array_equal(log_softmax([inf, 0.0]), [0.0, -inf])
    np.testing.assert_allclose(
        log_softmax([inf, inf, 1.0]), [-np.log(2), -np.log(2), -inf]
    )
    batch = logsumexp(np.array([[inf, 1.0], [-inf, -inf], [0.0, 0.0]]))
    np.testing.assert_allclose(batch, [inf, -inf, np.log(2)])
    with pytest.raises(ValueError, match="all -inf"):
        log_softmax([-inf, -inf])
    with pytest.raises(ValueError, match="NaN"):
        logsumexp([[0.0, 1.0], [inf, np.nan]])


def test_huge_logits_per_row():
    z = np.array([[0.0, 1.0], [1000.0, 1001.0]])
    np.testing.assert_allclose(
        log_softmax(z), [[-1.31326169, -0.31326169]] * 2, rtol=1e-8
    )


@pytest.mark.parametrize(
    ("bad", "message"), [([], "empty"), ([np.nan, 1.0], "NaN"), (["x"], "real numbers")]
)
def test_bad_input(bad, message):
    for function in (logsumexp, log_softmax):
        with pytest.raises(ValueError, match=message):
            function(bad)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_finite_logits_up_to_the_largest_float_give_no_warning(dtype):
    """z - max overflows to -inf for finite logits +-max apart: exp's 0, no warning.

    The old code warned 'overflow encountered in subtract' (an error under the project's
    filterwarnings = error).
    """
    big = np.finfo(dtype).max
    z = np.array([[big, -big, 0], [-big, -big, -big], [big, big, -big]], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a, logp, lse = softmax(z), log_softmax(z), logsumexp(z)
    tol = {"rtol": 4 * float(np.finfo(dtype).eps), "atol": 0}
    np.testing.assert_allclose(
        a.astype(np.float64), [[1, 0, 0], [1 / 3] * 3, [0.5, 0.5, 0]], **tol
    )
    np.testing.assert_allclose(
        logp.astype(np.float64),
        [[0, -np.inf, -big], [-np.log(3)] * 3, [-np.log(2)] * 2 + [-np.inf]],
        **tol,
    )
    np.testing.assert_array_equal(
        lse, np.array([big, -big, big], dtype=dtype)
    )  # +log 3, +log 2 round off


SHAPES = [(7,), (3, 5), (2, 3, 4), (2, 3, 1, 5)]
VIEWS = {
    "contiguous": lambda a: a,
    "transposed": lambda a: a.T,
    "strided": lambda a: a[..., ::2],
    "reversed": lambda a: a[::-1],
}


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_matches_scipy_on_every_axis_and_on_views(shape, view):
    """The one axis rule: every int axis, positive and negative, of shapes up to 4-D."""
    rng = np.random.default_rng(sum(shape))
    z = VIEWS[view](rng.normal(scale=5.0, size=shape[:-1] + (2 * shape[-1],)))
    for axis in range(-z.ndim, z.ndim):
        np.testing.assert_allclose(
            softmax(z, axis=axis),
            scipy.special.softmax(z, axis=axis),
            rtol=1e-13,
            atol=1e-300,
        )
        np.testing.assert_allclose(
            log_softmax(z, axis=axis),
            scipy.special.log_softmax(z, axis=axis),
            rtol=1e-13,
            atol=1e-14,
        )
        for keepdims in (False, True):
            got = logsumexp(z, axis=axis, keepdims=keepdims)
            expected = scipy.special.logsumexp(z, axis=axis, keepdims=keepdims)
            assert got.shape == expected.shape
            np.testing.assert_allclose(got, expected, rtol=1e-14, atol=1e-14)


def test_blocks_give_exactly_the_one_piece_result():
    """log_softmax and logsumexp of a large C-contiguous array run on blocks of rows
    (_in_blocks); the result must equal, bit for bit, the same computation in one piece
    (an off-by-one in the blocks would leave rows of np.empty garbage)."""
    from book.stable import _in_blocks, _log_softmax_of_block, _logsumexp_of_block

    rng = np.random.default_rng(11)
    z = rng.normal(scale=4.0, size=(3001, 7, 5))  # 840 KB: two blocks of 512 KiB
    z[1500, 3, 2] = np.inf  # an infinite slice inside a block follows softmax's limit
    for axis in (1, 2):
        np.testing.assert_array_equal(
            log_softmax(z, axis=axis), _log_softmax_of_block(z, axis)
        )
        np.testing.assert_array_equal(
            logsumexp(z, axis=axis, keepdims=True), _logsumexp_of_block(z, axis)
        )
    rows = np.ascontiguousarray(z[:10, 0])  # blocks of 3 rows: 0-2, 3-5, 6-8 and row 9
    np.testing.assert_array_equal(
        _in_blocks(lambda b, axis: b * 2, rows, 1, size=120), rows * 2
    )
    z[-1, 0, 0] = np.nan  # in the last block
    with pytest.raises(ValueError, match="NaN"):
        log_softmax(z)
    with pytest.raises(ValueError, match="NaN"):
        logsumexp(z)


def test_float16_slices_longer_than_its_largest_number():
    """A float16 sum of 100000 ones is inf (65504 is float16's largest number): the old
    code warned and returned lse = inf; the sums are now accumulated in float32."""
    z = np.zeros(100_000, dtype=np.float16)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a, logp, lse = softmax(z), log_softmax(z), logsumexp(z)
        loss, _ = book.softmax_cross_entropy(z, 0)
    assert a.dtype == logp.dtype == lse.dtype == np.float16
    tol = {"rtol": 2e-3, "atol": 0}  # float16: eps = 1e-3
    np.testing.assert_allclose(a.astype(np.float64), 1e-5, **tol)
    np.testing.assert_allclose(logp.astype(np.float64), -np.log(1e5), **tol)
    np.testing.assert_allclose(float(lse), np.log(1e5), **tol)
    assert loss == pytest.approx(np.log(1e5), rel=2e-3, abs=0)


WIDTH = {np.float16: 16, np.float32: 32, np.float64: 64}


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@given(data=st.data())
@settings(max_examples=60, deadline=None)
def test_any_finite_logits_give_no_warning_and_valid_results(dtype, data):
    """Logits anywhere in the dtype's finite range, ±max included: no RuntimeWarning
    (pytest turns warnings into errors), probabilities that sum to 1, log-values <= 0,
    lse >= max, and a finite gradient from the fused loss."""
    big = float(np.finfo(dtype).max)
    elements = st.floats(allow_nan=False, allow_infinity=False, width=WIDTH[dtype])
    elements = st.one_of(st.sampled_from([big, -big]), elements)  # often +-max
    shape = array_shapes(min_dims=2, max_dims=2, max_side=5)
    z = data.draw(arrays(dtype, shape, elements=elements))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a, logp, lse = softmax(z), log_softmax(z), logsumexp(z)
        labels = np.arange(z.shape[0]) % z.shape[1]
        loss, grad = book.softmax_cross_entropy(z, labels)
    sums = a.astype(np.float64).sum(axis=-1)
    atol = 2 * z.shape[1] * float(np.finfo(dtype).eps)
    np.testing.assert_allclose(sums, 1, rtol=0, atol=atol)
    assert np.all(logp <= 0) and np.all(lse >= z.max(axis=-1))
    assert loss >= 0 and np.isfinite(grad).all()
