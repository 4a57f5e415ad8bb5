"""The online softmax normaliser, as taught in chapter 10 ("Softmax at speed: the online
normaliser").

Every function in this file is shown, in full and letter for letter, in
`chapters/10_online.ipynb`; `tests/test_chapter_sources.py` fails if the two differ.
"""

import math

import numpy as np

from book.softmax import as_logits, check_axis


def online_normalizer(x):
    """One pass over the 1-D sequence x: (m, d), m = max(x) and d = sum_j exp(x_j - m).

    The recurrence of Milakov & Gimelshein (2018): m_i = max(m_(i-1), x_i) and
    d_i = d_(i-1) * exp(m_(i-1) - m_i) + exp(x_i - m_i), from m_0 = -inf, d_0 = 0.
    Entries -inf (masked out) add nothing, wherever they are, first or not; a sequence
    of only -inf gives (-inf, 0.0), the statistics of an empty sum. +inf and NaN raise
    ValueError. A plain Python loop, to be read; online_softmax is the fast version.
    """
    x = as_logits(x, name="x")
    if x.ndim != 1:
        raise ValueError(f"x must be 1-D, got shape {x.shape}")
    if np.isposinf(x).any():
        raise ValueError("x contains +inf; online_normalizer needs finite x or -inf")
    m, d = -math.inf, 0.0
    for value in x.tolist():
        new_m = max(m, value)
        if new_m == -math.inf:  # only -inf so far: the sum is still empty
            continue
        d = d * math.exp(m - new_m) + math.exp(value - new_m)
        m = new_m
    return m, d


def merge_normalizers(m_a, d_a, m_b, d_b):
    """(m, d) of a concatenation from (m, d) of its two parts: the basis of blockwise
    softmax. m = max(m_a, m_b), d = d_a exp(m_a - m) + d_b exp(m_b - m), elementwise.

    A part that is empty or all -inf has (m, d) = (-inf, 0) and changes nothing. Raises
    ValueError for statistics that no sequence has: m NaN or +inf, d NaN, infinite or
    negative, d != 0 where m = -inf, or d < 1 where m is finite (the largest term of the
    sum is exp(m - m) = 1).
    """
    for part, m, d in (("a", m_a, d_a), ("b", m_b, d_b)):
        m, d = np.asarray(m), np.asarray(d)
        if not (m < np.inf).all():  # False for NaN and for +inf
            bad = m[~(m < np.inf)].flat[0]
            raise ValueError(f"m_{part} must be finite or -inf (a max), got {bad}")
        if not (np.isfinite(d) & (d >= 0)).all():
            bad = d[~(np.isfinite(d) & (d >= 0))].flat[0]
            raise ValueError(f"d_{part} must be finite and >= 0 (a sum), got {bad}")
        if ((m == -np.inf) & (d != 0)).any():
            raise ValueError(f"d_{part} must be 0 where m_{part} is -inf (empty sum)")
        if ((m > -np.inf) & (d < 1)).any():
            raise ValueError(
                f"d_{part} must be >= 1 where m_{part} is finite (its top term is 1)"
            )
    return _merge(m_a, d_a, m_b, d_b)


def _merge(m_a, d_a, m_b, d_b):
    """merge_normalizers without its checks, for statistics that online_softmax made."""
    m = np.maximum(m_a, m_b)
    shift = np.where(m == -np.inf, 0, m)  # both parts empty: no -inf - (-inf)
    with np.errstate(over="ignore"):  # m_a - shift may round to -inf; exp gives 0
        return m, d_a * np.exp(m_a - shift) + d_b * np.exp(m_b - shift)


def _shifted_exp(z, m):
    """exp(z - m) in one new array, m the max of each slice (0 used where m is -inf)."""
    with np.errstate(over="ignore"):  # -max float - max float is -inf; exp gives 0
        e = np.subtract(z, np.where(m == -np.inf, 0, m))
    return np.exp(e, out=e)


def online_softmax(z, block_size=4096, axis=-1):
    """Softmax along `axis` (one int) in two passes: blocks of `block_size` logits
    update (m, d), merged as in merge_normalizers; one more pass writes exp(z - m) / d.

    softmax's rules: a -inf logit (masked out) gets probability 0 wherever it is, even a
    whole block of them; a slice that is all -inf has no softmax and raises ValueError,
    and so do NaN and +inf. When a slice fits in one block (K <= block_size), the first
    pass's exp(z - m) becomes the output: one temporary of z's size, as in softmax.
    """
    z = as_logits(z, check_nan=False)  # NaN shows in the block maxima
    axis = check_axis(axis, z.ndim)
    if isinstance(block_size, bool) or not (
        isinstance(block_size, (int, np.integer)) and block_size >= 1
    ):
        raise ValueError(f"block_size must be a positive integer, got {block_size!r}")
    z = np.moveaxis(z, axis, -1)
    k = z.shape[-1]
    wide = np.float32 if z.dtype == np.float16 else None  # float16 sums stop at 65504
    for start in range(0, k, block_size):  # pass 1: read each block once
        block = z[..., start:start + block_size]
        m_block = block.max(axis=-1, keepdims=True)
        if not (m_block < np.inf).all():  # a slice's max is NaN or +inf if an entry is
            bad = "NaN" if np.isnan(m_block).any() else "+inf"
            raise ValueError(f"z contains {bad}; online_softmax needs finite z or -inf")
        e = _shifted_exp(block, m_block)
        if start == 0:
            m, d = m_block, e.sum(axis=-1, keepdims=True, dtype=wide)
        else:
            m, d = _merge(m, d, m_block, e.sum(axis=-1, keepdims=True, dtype=wide))
        if start + block_size < k:
            del e  # free this block's exponentials before the next block's
    if m.min() == -np.inf:  # (no boolean temporary)
        raise ValueError("softmax is undefined for a slice whose logits are all -inf")
    if k > block_size:  # pass 2: read z again, write the output
        del e
        e = _shifted_exp(z, m)
    e /= d  # with one block, e = exp(z - m) already
    return np.moveaxis(e, -1, axis)
