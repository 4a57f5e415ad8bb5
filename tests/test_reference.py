"""The softmax family against an mpmath reference (50 digits), in ulps.

softmax, log_softmax, logsumexp and the fused loss softmax_cross_entropy (its value and
its gradient (a - y) / N, for integer and for soft labels) run on random shapes (up to
3-D, every axis), dtypes float16, float32, float64 and logit scales up to 1e4. The
reference is computed by mpmath (mp.dps = 50) from the very floats the function got, so
any difference is the function's own rounding error. Each test bounds it in units of
eps = finfo(dtype).eps (one ulp of 1; the unit roundoff is u = eps / 2).

Why these bounds. For one slice of K logits z with max m at index k, let d_j = z_j - m
(<= 0), t_j = exp(d_j), s = the sum of t_j over j != k, a_j = t_j / (1 + s) (softmax)
and L = log1p(s):

- Rounding d_j (at most u |d_j|) changes exp(d_j) by a relative u |d_j|. This error is
  inherent (exp has condition number |x| at x), so it enters every bound: as |d_i| for
  entry i, and as the probability-weighted mean A = sum_j a_j |d_j| for sums.
- exp, log1p, each division and multiplication add about one ulp at most; a sum of K
  terms >= 0 adds at most (K - 1) u relative error. All terms of s are >= 0, and
  log_softmax = d_i - L and lse - m = L add terms of one sign: nothing cancels. A
  factor 2 covers exp and log1p being within one ulp rather than half an ulp:

      softmax      |a^ - a| <= eps (K + 4 + |d_i| + A) a_i
      log_softmax  |v^ - v| <= eps ((K + 4) |v_i| + A)
      logsumexp    |l^ - l| <= eps ((K + 4) L + A + |lse|)
      loss         |loss^ - loss| <= eps * mean over rows of ((K + 4) loss_r + A_r)
      gradient     |g^ - g| <= eps ((K + 4 + |d_i| + A) a_i + 1) / N

  In logsumexp, eps |lse| is the rounding of m + L: for huge logits the error is
  absolute, relative to the largest magnitude. In the gradient g = (a - y) / N, the
  true class's a - 1 cancels, so its error is bounded relative to a_i / N and 1 / N,
  not to g itself.
- Everywhere add 4 K times the dtype's smallest subnormal: results that underflow keep
  only absolute accuracy.

So a tiny log-value (a confident, correct prediction: loss ~ 4e-18) must be right to a
few ulps *relative*. Planted errors these tests catch (each checked by hand): the old
loss lse - z_y through log(sum) (returns 0.0 for 4.25e-18), log_softmax as z - lse(z),
logsumexp as m + log(sum(exp(z - m))), and softmax off by a factor 1 + 8 K eps.
"""

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from book import log_softmax, logsumexp, softmax, softmax_cross_entropy

mpmath.mp.dps = 50
DTYPES = [np.float16, np.float32, np.float64]


def reference(row):
    """softmax, log_softmax, lse, L = log1p(s), A = sum a_j |d_j|: one slice, mpmath."""
    z = [mpmath.mpf(float(x)) for x in row]
    k = int(np.argmax(row))
    m = z[k]
    t = [mpmath.exp(x - m) for x in z]
    s = mpmath.fsum(
        t[:k] + t[k + 1 :]
    )  # not sum(t) - 1: 50 digits cannot hold 1 + 1e-306
    log1p_s = mpmath.log1p(s)
    a = [x / (1 + s) for x in t]
    weighted = mpmath.fsum(p * (m - x) for p, x in zip(a, z))
    return a, [(x - m) - log1p_s for x in z], m + log1p_s, log1p_s, weighted


def as_float(values):
    return np.array([float(v) for v in values])


@st.composite
def logits(draw, max_dims=3):
    """A random-shaped array of logits in a random dtype, at a scale up to 1e4."""
    dtype = draw(st.sampled_from(DTYPES))
    shape = draw(array_shapes(min_dims=1, max_dims=max_dims, max_side=5))
    scale = draw(st.sampled_from([1e-3, 1.0, 10.0, 100.0, 1e4]))
    unit = draw(arrays(np.float64, shape, elements=st.floats(-1, 1)))
    z = (scale * unit).astype(dtype)
    axis = draw(st.integers(-z.ndim, z.ndim - 1))
    return z, axis


@given(case=logits())
@settings(max_examples=150, deadline=None)
def test_softmax_log_softmax_logsumexp_within_their_ulp_bounds(case):
    z, axis = case
    eps = float(np.finfo(z.dtype).eps)
    tiny = float(np.finfo(z.dtype).smallest_subnormal)
    a_hat, v_hat = softmax(z, axis=axis), log_softmax(z, axis=axis)
    l_hat = logsumexp(z, axis=axis)
    assert a_hat.dtype == v_hat.dtype == l_hat.dtype == z.dtype
    k = z.shape[axis]
    slack = 4 * k * tiny
    rows = np.moveaxis(z, axis, -1).reshape(-1, k)
    a_rows = np.moveaxis(a_hat, axis, -1).reshape(-1, k).astype(np.float64)
    v_rows = np.moveaxis(v_hat, axis, -1).reshape(-1, k).astype(np.float64)
    l_rows = l_hat.reshape(-1).astype(np.float64)
    for row, a_got, v_got, l_got in zip(rows, a_rows, v_rows, l_rows):
        a, v, lse, log1p_s, weighted = reference(row)
        a, v, d = as_float(a), as_float(v), row.astype(np.float64) - row.max()
        spread = float(weighted)
        bound = eps * (k + 4 + np.abs(d) + spread) * a + slack
        assert np.all(np.abs(a_got - a) <= bound), (row, a_got, a)
        bound = eps * ((k + 4) * np.abs(v) + spread) + slack
        assert np.all(np.abs(v_got - v) <= bound), (row, v_got, v)
        bound = eps * ((k + 4) * float(log1p_s) + spread + abs(float(lse))) + slack
        assert abs(l_got - float(lse)) <= bound, (row, l_got, lse)


@st.composite
def batches(draw):
    """Logits (N, K), random dtype and scale; integer or soft (probability) targets."""
    z, _ = draw(logits(max_dims=2))
    z = z.reshape(z.shape[0], -1) if z.ndim == 2 else z[None, :]
    n, k = z.shape
    if draw(st.booleans()):
        targets = draw(arrays(np.int64, (n,), elements=st.integers(0, k - 1)))
        y = np.eye(k)[targets]
    else:
        weights = draw(arrays(np.float64, (n, k), elements=st.floats(0, 1)))
        weights[:, 0] += 1e-3  # no row of zeros
        targets = y = weights / weights.sum(axis=1, keepdims=True)
    return z, targets, y


@given(batch=batches())
@settings(max_examples=150, deadline=None)
def test_fused_loss_and_gradient_within_their_ulp_bounds(batch):
    z, targets, y = batch
    n, k = z.shape
    eps = float(np.finfo(z.dtype).eps)
    tiny = float(np.finfo(z.dtype).smallest_subnormal)
    loss, grad = softmax_cross_entropy(z, targets)
    assert grad.dtype == z.dtype and grad.shape == z.shape
    losses, loss_bounds = [], []
    for row, y_row, g_got in zip(z, y, grad.astype(np.float64)):
        a, v, _, _, weighted = reference(row)
        loss_r = -mpmath.fsum(mpmath.mpf(float(p)) * x for p, x in zip(y_row, v))
        losses.append(loss_r)
        loss_bounds.append((k + 4) * float(loss_r) + float(weighted))
        a = as_float(a)
        d = row.astype(np.float64) - row.max()
        g = (a - y_row) / n
        bound = eps * ((k + 4 + np.abs(d) + float(weighted)) * a + 1) / n + 4 * tiny
        assert np.all(np.abs(g_got - g) <= bound), (row, y_row, g_got, g)
    expected = float(mpmath.fsum(losses) / n)
    assert abs(loss - expected) <= eps * np.mean(loss_bounds) + 4 * k * tiny, (
        z,
        loss,
        expected,
    )


@pytest.mark.parametrize(
    ("logits", "label", "dtype"),
    [
        ([0.0, -40.0], 0, np.float64),
        ([-64.06753, -47.49996], 1, np.float32),
        ([0.0, -12.0], 0, np.float16),
        ([3.0, -700.0, -710.5], 0, np.float64),
    ],
)
def test_small_losses_of_confident_correct_predictions_keep_their_digits(
    logits, label, dtype
):
    """The issue's cases: loss = log1p(sum of the tiny exp terms), a few ulps relative.

    The plain max-shift, log(1 + s), returns 0.0 for the first (true 4.25e-18) and
    1.19e-7 for the second (true 6.38e-8): that is the planted error this catches.
    """
    z = np.array([logits], dtype=dtype)
    _, v, _, _, _ = reference(z[0])
    expected = -float(v[label])
    loss, _ = softmax_cross_entropy(z, [label])
    assert abs(loss - expected) <= 4 * np.finfo(dtype).eps * expected
