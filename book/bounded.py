"""Softmax with bounded confidence, as taught in chapter 8 ("Softmax with bounded confidence").

The two forms reconstruct source 004, whose formulas are lost (see the chapter): a linear, range-limited
wrapper and a "Gaussian" version that adds a binomial standard error to each probability.
Every function in this file is shown, in full and letter for letter, in `chapters/08_bounded.ipynb`;
`tests/test_chapter_sources.py` fails if the two ever differ.
"""

import numpy as np

from book.jacobian import softmax_jacobian
from book.softmax import as_logits, softmax


def check_sample_size(n, num_classes):
    """n, the number of training examples, must be a finite number larger than the number of classes."""
    if not (np.isscalar(n) and np.isreal(n) and np.isfinite(n)) or isinstance(n, bool):
        raise ValueError(f"n must be a finite number, got {n!r}")
    if n <= num_classes:
        raise ValueError(f"n must exceed the number of classes {num_classes}, got {n}")
    return float(n)


def bounded_softmax(z, n, axis=-1):
    """Linear range-limited softmax: p_i = 1/n + (1 - K/n) softmax(z)_i, so that 1/n <= p_i <= 1 - (K-1)/n.

    K is the number of classes (the length of `axis`); n the number of training examples behind the model.
    """
    z = as_logits(z)
    k = z.shape[axis]
    n = check_sample_size(n, k)
    return 1 / n + (1 - k / n) * softmax(z, axis=axis)


def gaussian_wrapper(s, n, axis=-1):
    """The Gaussian wrapper of probabilities s (already a distribution along `axis`) for n examples.

    Returns (p, d): the error d_i = sqrt(s_i (1 - s_i) / n) + 1/n, a binomial standard error plus one count in
    n, and p_i = (s_i + d_i) / (1 + sum_j d_j).
    """
    d = np.sqrt(s * (1 - s) / n) + 1 / n
    return (s + d) / (1 + d.sum(axis=axis, keepdims=True)), d


def gaussian_softmax(z, n, axis=-1):
    """Gaussian softmax: gaussian_wrapper applied to s = softmax(z) along `axis`.

    Every p_i lies in [1/(n + sum_j d_j n), 1); the probabilities sum to one and keep softmax's order.
    """
    z = as_logits(z)
    n = check_sample_size(n, z.shape[axis])
    return gaussian_wrapper(softmax(z, axis=axis), n, axis=axis)[0]


def check_logit_vector(z, n):
    """One logit vector z (1-D) and a sample size n that exceeds its length, checked, or ValueError."""
    z = as_logits(z)
    if z.ndim != 1:
        raise ValueError(f"z must be one logit vector (1-D), got shape {z.shape}")
    return z, check_sample_size(n, z.size)


def bounded_softmax_jacobian(z, n):
    """Jacobian dp_i/dz_j of bounded_softmax for one logit vector z: (1 - K/n) (diag(s) - s s^T)."""
    z, n = check_logit_vector(z, n)
    return (1 - z.size / n) * softmax_jacobian(z)


def gaussian_softmax_jacobian(z, n):
    """Jacobian dp_i/dz_j of gaussian_softmax for one logit vector z, by the chain rule.

    With S = diag(s) - s s^T (chapter 3) and D = dd/dz = diag(c) S, c_i = dd_i/ds_i = (1 - 2 s_i) / (2 sqrt(n s_i (1 - s_i))):
    dp/dz = (S + D - p 1^T D) / (1 + sum_j d_j). Rows where s_i is exactly 0 or 1 have D = 0 (their limit).
    """
    z, n = check_logit_vector(z, n)
    s = softmax(z)
    p, d = gaussian_wrapper(s, n)
    S = softmax_jacobian(z)
    variance = s * (1 - s)
    safe = np.where(variance > 0, variance, 1.0)
    c = np.where(variance > 0, (1 - 2 * s) / (2 * np.sqrt(n * safe)), 0.0)
    D = c[:, None] * S
    return (S + D - np.outer(p, D.sum(axis=0))) / (1 + d.sum())
