"""The online softmax normaliser, as taught in chapter 10 ("Softmax at speed: the online normaliser").

Every function in this file is shown, in full and letter for letter, in `chapters/10_online.ipynb`;
`tests/test_chapter_sources.py` fails if the two ever differ.
"""

import math

import numpy as np

from book.softmax import as_logits


def online_normalizer(x):
    """One pass over the 1-D sequence x: (m, d) with m = max(x) and d = sum_j exp(x_j - m).

    The recurrence of Milakov & Gimelshein (2018): m_i = max(m_(i-1), x_i) and
    d_i = d_(i-1) * exp(m_(i-1) - m_i) + exp(x_i - m_i), starting from m_0 = -inf, d_0 = 0.
    A plain Python loop, to be read; online_softmax is the fast version.
    """
    x = as_logits(x, name="x")
    if x.ndim != 1:
        raise ValueError(f"x must be 1-D, got shape {x.shape}")
    if np.isposinf(x).any():
        raise ValueError("x contains +inf; the online normaliser needs finite values or -inf")
    m, d = -math.inf, 0.0
    for value in x.tolist():
        new_m = max(m, value)
        if new_m == -math.inf:  # only -inf so far: the sum is still empty
            continue
        d = d * math.exp(m - new_m) + math.exp(value - new_m)
        m = new_m
    return m, d


def merge_normalizers(m_a, d_a, m_b, d_b):
    """(m, d) of a concatenation from (m, d) of its two parts: the basis of blockwise softmax.

    m = max(m_a, m_b) and d = d_a exp(m_a - m) + d_b exp(m_b - m); elementwise for arrays of statistics.
    """
    if any(np.isnan(value).any() for value in (m_a, d_a, m_b, d_b)):
        raise ValueError("the statistics (m, d) contain NaN")
    m = np.maximum(m_a, m_b)
    shift = np.where(m == -np.inf, 0.0, m)  # both parts empty: nothing to rescale, and no -inf - -inf
    return m, d_a * np.exp(m_a - shift) + d_b * np.exp(m_b - shift)


def online_softmax(z, block_size=4096, axis=-1):
    """Softmax along `axis` in two passes: blocks of `block_size` logits update (m, d) with merge_normalizers,
    then one more pass writes exp(z - m) / d. Logits may be -inf (masked out), not +inf or NaN.
    """
    z = as_logits(z)
    if not (isinstance(block_size, (int, np.integer)) and block_size >= 1):
        raise ValueError(f"block_size must be a positive integer, got {block_size!r}")
    if np.isposinf(z).any():
        raise ValueError("z contains +inf; online_softmax needs finite logits or -inf")
    z = np.moveaxis(z, axis, -1)
    m = np.full(z.shape[:-1] + (1,), -np.inf, dtype=z.dtype)
    d = np.zeros(z.shape[:-1] + (1,), dtype=z.dtype)
    for start in range(0, z.shape[-1], block_size):  # pass 1: read each block once
        block = z[..., start:start + block_size]
        m_block = block.max(axis=-1, keepdims=True)
        shift = np.where(m_block == -np.inf, 0.0, m_block).astype(z.dtype)
        d_block = np.exp(block - shift).sum(axis=-1, keepdims=True)
        m, d = merge_normalizers(m, d, m_block, d_block)
    if np.any(m == -np.inf):
        raise ValueError("softmax is undefined for a slice whose logits are all -inf")
    out = np.subtract(z, m)  # pass 2: read z again, write the output
    np.exp(out, out=out)
    out /= d
    return np.moveaxis(out, -1, axis)
