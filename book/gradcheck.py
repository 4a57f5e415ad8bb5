"""Finite-difference checks, as taught in chapter 3 ("The softmax Jacobian").

Every function in this file is shown, in full and letter for letter, in
`chapters/03_jacobian.ipynb`; `tests/test_chapter_sources.py` fails if the two differ.
"""

import numpy as np

from book.softmax import as_logits


def numerical_jacobian(f, x, h=1e-5):
    """Central differences: J[..., j] = (f(x + h e_j) - f(x - h e_j)) / (2h).

    `x` may have any shape; the result has shape f(x).shape + x.shape. The error is
    O(h^2). x and the step h must be finite (h > 0), and so must every f(x +- h e_j):
    a difference of infinities is no derivative, so those raise ValueError.
    """
    x = as_logits(x, name="x").astype(np.float64)  # a float64 copy: x is untouched
    if not np.isfinite(x).all():
        raise ValueError("x contains +inf or -inf; central differences need a finite x")
    if not (np.ndim(h) == 0 and np.isfinite(h) and h > 0):
        raise ValueError(f"the step h must be a finite number > 0, got {h}")
    columns = []
    for j in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[j] = h
        f_plus, f_minus = np.asarray(f(x + step)), np.asarray(f(x - step))
        with np.errstate(invalid="ignore", over="ignore"):  # refused just below
            column = (f_plus - f_minus) / (2 * h)
        if not np.isfinite(column).all():
            raise ValueError(f"f(x + h e_j) - f(x - h e_j) is not finite at j = {j}")
        columns.append(column)
    return np.stack(columns, axis=-1).reshape(columns[0].shape + x.shape)


def numerical_gradient(f, x, h=1e-5):
    """Central-difference gradient of a scalar-valued f at x; it has the shape of x."""
    grad = numerical_jacobian(f, x, h)
    if grad.shape != np.shape(x):
        raise ValueError(f"f must return a scalar; its gradient has shape {grad.shape}")
    return grad


def rel_error(a, b):
    """Largest elementwise relative error |a - b| / max(|a| + |b|, 1e-8); 0 if a == b.

    Entries may be +-inf: equal infinities count 0, an infinity against anything else
    counts 1 (the limit of |a - b| / (|a| + |b|)). Huge finite entries do not overflow.
    """
    a = as_logits(np.atleast_1d(a), name="a").astype(np.float64)
    b = as_logits(np.atleast_1d(b), name="b").astype(np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a has shape {a.shape} but b has shape {b.shape}: must match")
    half_a, half_b = a / 2, b / 2  # the same ratio: a - b, |a| + |b| cannot overflow
    with np.errstate(invalid="ignore"):  # inf - inf and inf / inf: replaced below
        gap = np.abs(half_a - half_b)
        error = gap / np.maximum(np.abs(half_a) + np.abs(half_b), 0.5e-8)
    error = np.where(a == b, 0.0, np.where(np.isinf(a) | np.isinf(b), 1.0, error))
    return float(np.max(error))
