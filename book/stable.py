"""Log-sum-exp and log-softmax, as taught in chapter 3 ("Computing softmax safely").

Every function in this file is shown, in full and letter for letter, in `chapters/03_stability.ipynb`;
`tests/test_chapter_sources.py` fails if the two ever differ.
"""

import numpy as np

from book.softmax import as_logits


def logsumexp(z, axis=-1, keepdims=False):
    """log(sum(exp(z))) along `axis`, accurately (Blanchard, Higham & Higham, 2021).

    With a = max(z) at index k: lse = a + log1p(sum over i != k of exp(z_i - a)). The largest term is left
    out of the sum, so log1p sees the small remainder s itself, not 1 + s rounded. A slice containing +inf
    gives +inf; a slice that is all -inf gives -inf (the log of an empty sum). Keeps the dtype of z.
    """
    z = as_logits(z)
    top = np.max(z, axis=axis, keepdims=True)
    finite = np.isfinite(top)  # where the max is +inf or -inf, the answer is the max itself
    safe_top = np.where(finite, top, 0.0)
    terms = np.exp(np.where(finite, z - safe_top, -np.inf))
    k = np.argmax(z, axis=axis, keepdims=True)
    np.put_along_axis(terms, k, 0.0, axis=axis)  # leave out the largest term, exp(0) = 1
    rest = np.sum(terms, axis=axis, keepdims=True)
    lse = np.where(finite, safe_top + np.log1p(rest), top)
    return lse if keepdims else np.squeeze(lse, axis=axis)


def log_softmax(z, axis=-1):
    """log(softmax(z)) along `axis`, computed as z - logsumexp(z): exact where log(softmax(z)) gives -inf.

    A slice containing +inf follows softmax's limit (its +inf entries share the mass equally); a slice that
    is all -inf has no softmax and raises ValueError. Keeps the dtype of z.
    """
    z = as_logits(z)
    top = np.max(z, axis=axis, keepdims=True)
    if np.any(top == -np.inf):
        raise ValueError("log_softmax is undefined for a slice whose logits are all -inf")
    if np.any(top == np.inf):
        z = np.where(top == np.inf, np.where(z == np.inf, 0.0, -np.inf), z).astype(z.dtype)
    return z - logsumexp(z, axis=axis, keepdims=True)
