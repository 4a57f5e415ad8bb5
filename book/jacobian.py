"""The softmax Jacobian, as taught in chapter 3 ("The softmax Jacobian").

Every function in this file is shown, in full and letter for letter, in
`chapters/03_jacobian.ipynb`; `tests/test_chapter_sources.py` fails if the two differ.
"""

import numpy as np

from book.softmax import as_logits, softmax


def softmax_jacobian(z):
    """The Jacobian of a = softmax(z) over the last axis: J = diag(a) - a a^T, with
    J[i, j] = da_i/dz_j. For z of shape (K,) it has shape (K, K); for a batch of shape
    (..., K), shape (..., K, K).

    Logits of +-inf follow softmax's limit (an entry -inf gets a = 0, +inf entries share
    the mass equally) and J is the Jacobian at that limit; an all -inf slice raises.
    """
    a = softmax(z, axis=-1)
    diag_a = np.eye(a.shape[-1], dtype=a.dtype) * a[..., None, :]  # diag(a)
    outer = a[..., :, None] * a[..., None, :]  # a a^T
    return diag_a - outer


def softmax_jvp(z, v):
    """J @ v for J = softmax_jacobian(z), in O(K) without forming J: a * (v - a.v).

    J is symmetric, so this is also v^T J: the step backpropagation takes through a
    softmax. z may hold +-inf (softmax's limit); v must be finite. Computed as
    a*v - a*(a.v), whose terms never exceed max|v| (v - a.v can overflow).
    """
    a = softmax(z, axis=-1)
    v = as_logits(v, name="v")
    if v.shape != a.shape:
        raise ValueError(f"v has shape {v.shape} but z has shape {a.shape}: must match")
    if not np.isfinite(v).all():
        raise ValueError("v contains +inf or -inf; J @ v needs a finite vector v")
    av = a * v
    return av - a * av.sum(axis=-1, keepdims=True)
