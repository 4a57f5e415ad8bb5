"""Log-sum-exp and log-softmax, as taught in chapter 2 ("Computing softmax safely").

Every function in this file is shown, in full and letter for letter, in `chapters/02_stability.ipynb`;
`tests/test_chapter_sources.py` fails if the two ever differ.
"""

import numpy as np

from book.softmax import as_logits, check_axis, limit_of_infinite_slices


def logsumexp(z, axis=-1, keepdims=False):
    """log(sum(exp(z))) along `axis`, accurately (Blanchard, Higham & Higham, 2021).

    With a = max(z) at index k: lse = a + log1p(sum over i != k of exp(z_i - a)). The largest term is left
    out of the sum, so log1p sees the small remainder s itself, not 1 + s rounded. A slice containing +inf
    gives +inf; a slice that is all -inf gives -inf (the log of an empty sum). Keeps the dtype of z.
    """
    z = as_logits(z, check_nan=False)
    axis = check_axis(axis, z.ndim)
    k = z.argmax(axis=axis, keepdims=True)  # where each slice's largest entry is (or its first NaN)
    top = np.take_along_axis(z, k, axis=axis)
    finite = np.isfinite(top)  # where the max is +inf or -inf, the answer is the max itself
    if not finite.all() and np.isnan(top).any():
        raise ValueError("z contains NaN")
    shifted = np.subtract(z, np.where(finite, top, 0).astype(z.dtype))
    with np.errstate(over="ignore"):  # exp can overflow only in slices whose max is +inf: answered by top
        lse = np.where(finite, top + _log1p_rest(shifted, k, axis), top)
    return lse if keepdims else np.squeeze(lse, axis=axis)


def _log1p_rest(shifted, k, axis):
    """log1p(s), s = the sum of exp(shifted) over each slice but its largest entry (at k, where shifted is 0)."""
    terms = np.exp(shifted)
    np.put_along_axis(terms, k, 0, axis=axis)  # leave out the largest term, exp(0) = 1
    return np.log1p(terms.sum(axis=axis, keepdims=True))


def log_softmax(z, axis=-1):
    """log(softmax(z)) along `axis`: (z - max) - log1p(s), exact where log(softmax(z)) gives -inf.

    Subtracting the max first keeps the entries near the max accurate even for huge logits (z - lse(z)
    would round lse to the spacing of the max). A slice containing +inf follows softmax's limit (its +inf
    entries share the mass equally); a slice that is all -inf has no softmax and raises ValueError. Keeps
    the dtype of z.
    """
    z = as_logits(z, check_nan=False)
    axis = check_axis(axis, z.ndim)
    k = z.argmax(axis=axis, keepdims=True)
    top = np.take_along_axis(z, k, axis=axis)
    if not np.isfinite(top).all():  # rare: NaN, +inf or an all -inf slice
        z = limit_of_infinite_slices(z, top, "log_softmax")
        top = np.take_along_axis(z, k, axis=axis)  # k still points at a +inf entry, now 0: the new max
    out = np.subtract(z, top)  # each slice's largest entry becomes 0
    out -= _log1p_rest(out, k, axis)
    return out
