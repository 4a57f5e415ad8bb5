"""Unit and property tests of book.softmax and book.as_logits (chapter 2)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from book import as_logits, softmax

# logits drawn well inside each dtype's range, so a float64 reference is exact enough
FLOATS = {
    np.float16: st.floats(-60, 60, width=16),
    np.float32: st.floats(-1e4, 1e4, width=32),
    np.float64: st.floats(-1e6, 1e6),
}
TOL = {np.float16: 5e-3, np.float32: 1e-5, np.float64: 1e-12}


def logit_arrays(dtype):
    return arrays(
        dtype, array_shapes(min_dims=1, max_dims=3, max_side=6), elements=FLOATS[dtype]
    )


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@given(data=st.data())
@settings(max_examples=60, deadline=None)
def test_sums_to_one_and_keeps_dtype(dtype, data):
    z = data.draw(logit_arrays(dtype))
    axis = data.draw(st.integers(-z.ndim, z.ndim - 1))
    a = softmax(z, axis=axis)
    assert a.dtype == dtype
    assert a.shape == z.shape
    assert np.all((a >= 0) & (a <= 1))
    np.testing.assert_allclose(
        np.sum(a.astype(np.float64), axis=axis), 1.0, atol=TOL[dtype] * z.shape[axis]
    )


@given(z=logit_arrays(np.float64), c=st.floats(-1e3, 1e3))
@settings(max_examples=80, deadline=None)
def test_shift_invariance(z, c):
    np.testing.assert_allclose(softmax(z + c), softmax(z), atol=1e-9)


@given(z=arrays(np.float64, st.integers(2, 8), elements=st.floats(-30, 30)))
@settings(max_examples=80, deadline=None)
def test_order_preserved_and_matches_definition(z):
    a = softmax(z)
    expected = np.exp(z) / np.sum(np.exp(z))  # safe for |z| <= 30
    np.testing.assert_allclose(a, expected, rtol=1e-12)
    # order preserved: sorting by z sorts a too (weakly: nearly equal logits may round
    # to equal probabilities)
    assert np.all(np.diff(a[np.argsort(z, kind="stable")]) >= 0)


@given(
    z=arrays(np.float64, (4, 5), elements=st.floats(-50, 50)),
    axis=st.sampled_from([0, 1, -1, -2]),
)
@settings(max_examples=40, deadline=None)
def test_batched_along_any_axis_equals_slice_by_slice(z, axis):
    a = softmax(z, axis=axis)
    moved = np.moveaxis(z, axis, -1)
    expected = np.stack([softmax(row) for row in moved])
    np.testing.assert_allclose(np.moveaxis(a, axis, -1), expected, rtol=1e-12)


def test_source_examples():
    np.testing.assert_allclose(
        softmax([2.0, 1.0, 0.1]), [0.65900114, 0.24243297, 0.09856589], rtol=1e-7
    )
    a = softmax([-20.0, 10.0, 30.0])
    np.testing.assert_allclose(a[:2], [1.9287e-22, 2.0612e-09], rtol=1e-4)
    assert a[2] < 1.0 and abs(a[2] - (1 - 2.0611536e-9)) < 1e-15


def test_huge_logits_do_not_overflow():
    np.testing.assert_array_equal(softmax([1e4, 0.0]), [1.0, 0.0])
    np.testing.assert_allclose(softmax([1e4, 1e4 - np.log(3)]), [0.75, 0.25])
    np.testing.assert_allclose(
        softmax(np.array([-1e4, -1e4], dtype=np.float32)), [0.5, 0.5]
    )


def test_infinite_logits():
    np.testing.assert_array_equal(softmax([np.inf, 0.0, -5.0]), [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(softmax([np.inf, -np.inf, np.inf]), [0.5, 0.0, 0.5])
    np.testing.assert_array_equal(softmax([-np.inf, 0.0]), [0.0, 1.0])
    batch = np.array([[np.inf, 1.0], [1.0, 1.0]], dtype=np.float32)
    a = softmax(batch)
    assert a.dtype == np.float32
    np.testing.assert_array_equal(a, [[1.0, 0.0], [0.5, 0.5]])


def test_integer_and_list_input_becomes_float64():
    a = softmax([1, 2, 3])
    assert a.dtype == np.float64
    np.testing.assert_allclose(a, softmax([1.0, 2.0, 3.0]))


def test_does_not_modify_its_input():
    z = np.array(
        [123.0, 456.0, 789.0]
    )  # the example whose in-place version source 002 gets wrong
    softmax(z)
    np.testing.assert_array_equal(z, [123.0, 456.0, 789.0])


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ([], "empty"),
        (np.zeros((3, 0)), "empty"),
        ([1.0, np.nan], "NaN"),
        (3.0, "scalar"),
        (["a", "b"], "real numbers"),
        ([1 + 2j, 0], "real numbers"),
        ([[1.0, 2.0], [3.0]], "rectangular"),
        (np.array([None, 1.0], dtype=object), "real numbers"),
        ([-np.inf, -np.inf], "all -inf"),
    ],
)
def test_bad_input_raises_clear_value_error(bad, message):
    with pytest.raises(ValueError, match=message):
        softmax(bad)


def test_bad_axis_raises_value_error():
    with pytest.raises(ValueError, match="axis"):
        softmax(np.ones((2, 3)), axis=2)


def test_as_logits_names_the_argument():
    with pytest.raises(ValueError, match="^targets contains NaN"):
        as_logits([np.nan], name="targets")


@pytest.mark.parametrize(
    ("axis", "message"),
    [
        (None, "axis must be one int, got None.*reshape to 1-D first"),
        ((0, 1), "axis must be one int, got the tuple"),
        (1.0, "axis must be one int"),
        (True, "axis must be one int"),
        (2, "axis 2 is out of range"),
        (-3, "axis -3 is out of range"),
    ],
)
def test_one_axis_rule_for_the_softmax_family(axis, message):
    """softmax, log_softmax and logsumexp share check_axis: one int, else a ValueError
    naming axis. The old softmax accepted None and tuples silently; the old log_softmax
    and logsumexp failed on None with NumPy's message about 'indices'."""
    from book import check_axis, log_softmax, logsumexp

    for function in (softmax, log_softmax, logsumexp):
        with pytest.raises(ValueError, match=message):
            function(np.ones((2, 3)), axis=axis)
    with pytest.raises(ValueError, match=message):
        check_axis(axis, 2)
    assert check_axis(-1, 2) == 1 and check_axis(np.int64(-2), 2) == 0
