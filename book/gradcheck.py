"""Finite-difference checks, as taught in chapter 3 ("The softmax Jacobian").

Every function in this file is shown, in full and letter for letter, in `chapters/03_jacobian.ipynb`;
`tests/test_chapter_sources.py` fails if the two ever differ.
"""

import numpy as np

from book.softmax import as_logits


def numerical_jacobian(f, x, h=1e-5):
    """Central differences: J[..., j] = (f(x + h e_j) - f(x - h e_j)) / (2h).

    `x` may have any shape; the result has shape f(x).shape + x.shape. The error is O(h^2).
    """
    x = as_logits(x, name="x").astype(np.float64)  # a float64 copy: the caller's x is untouched
    if not h > 0:
        raise ValueError(f"the step h must be positive, got {h}")
    columns = []
    for j in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[j] = h
        columns.append((np.asarray(f(x + step)) - np.asarray(f(x - step))) / (2 * h))
    return np.stack(columns, axis=-1).reshape(columns[0].shape + x.shape)


def numerical_gradient(f, x, h=1e-5):
    """Central-difference gradient of a scalar-valued f at x; it has the shape of x."""
    grad = numerical_jacobian(f, x, h)
    if grad.shape != np.shape(x):
        raise ValueError(f"f must return a scalar, but its gradient came out with shape {grad.shape}")
    return grad


def rel_error(a, b):
    """Largest elementwise relative error max |a - b| / max(|a| + |b|, 1e-8); 0.0 when a == b."""
    a = as_logits(np.atleast_1d(a), name="a").astype(np.float64)
    b = as_logits(np.atleast_1d(b), name="b").astype(np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a has shape {a.shape} but b has shape {b.shape}; they must match")
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8)))
