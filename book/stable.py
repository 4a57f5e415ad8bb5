"""Log-sum-exp and log-softmax, as taught in chapter 2 ("Computing softmax safely").

Every function in this file is shown, in full and letter for letter, in
`chapters/02_stability.ipynb`; `tests/test_chapter_sources.py` fails if the two ever
differ.
"""

import numpy as np

from book.softmax import as_logits, check_axis, limit_of_infinite_slices


def logsumexp(z, axis=-1, keepdims=False):
    """log(sum(exp(z))) along `axis`, accurately (Blanchard, Higham & Higham, 2021).

    With a = max(z) at index k: lse = a + log1p(s), s = the sum over i != k of
    exp(z_i - a). The largest term is left out of s, so log1p sees the small
    remainder itself, not 1 + s rounded. `axis` is one int (see check_axis). A slice
    containing +inf gives +inf; a slice that is all -inf gives -inf (the log of an
    empty sum). Finite logits never overflow or warn, however far apart (exp(z_i - a)
    is 0 where z_i - a is below the most negative float). Keeps the dtype of z.
    """
    z = as_logits(z, check_nan=False)
    lse = _in_blocks(_logsumexp_of_block, z, check_axis(axis, z.ndim))
    return lse if keepdims else np.squeeze(lse, axis=axis)


def _logsumexp_of_block(z, axis):
    """logsumexp(z, axis, keepdims=True) for an array z that as_logits has checked."""
    k = z.argmax(axis=axis, keepdims=True)  # each slice's largest entry (or first NaN)
    top = np.take_along_axis(z, k, axis=axis)
    finite = np.isfinite(top)  # where the max is +inf or -inf, it is the answer itself
    a = top
    if not finite.all():  # rare: NaN, +inf or an all -inf slice
        if np.isnan(top).any():
            raise ValueError("z contains NaN")
        z, a = np.where(finite, z, 0), np.where(finite, top, 0)  # stand-ins, see below
    with np.errstate(over="ignore"):  # z - a < -(largest float) gives -inf: exp is 0
        shifted = np.subtract(z, a)
        lse = a + _log1p_rest(shifted, k, axis)  # +inf only if lse > the largest float
    return lse if a is top else np.where(finite, lse, top)


def _log1p_rest(shifted, k, axis):
    """log1p(s), s = the sum of exp(shifted) over each slice but its largest entry, k.

    `shifted` is z - max(z), 0 at k. The term exp(0) = 1 of the largest entry is left
    out of s (set to 0), never added and subtracted, so a tiny s keeps all its digits.
    Float16 terms are summed in float32: 65504 is float16's largest number.
    """
    terms = np.exp(shifted)
    np.put_along_axis(terms, k, 0, axis=axis)  # leave out the largest term, exp(0) = 1
    wide = np.promote_types(terms.dtype, np.float32)  # float16 -> float32, else itself
    s = terms.sum(axis=axis, keepdims=True, dtype=wide)
    return np.log1p(s).astype(shifted.dtype, copy=False)


def log_softmax(z, axis=-1):
    """log(softmax(z)) along `axis`: (z - max) - log1p(s), exact where log(softmax(z))
    gives -inf.

    Subtracting the max first keeps the entries near the max accurate even for huge
    logits (z - lse(z) would round lse to the spacing of the max). `axis` is one int
    (see check_axis). A slice containing +inf follows softmax's limit (its +inf entries
    share the mass equally); a slice that is all -inf has no softmax and raises
    ValueError. A finite logit more than the largest float below its slice's max gets
    -inf, the correctly rounded value, without a warning. Keeps the dtype of z.
    """
    z = as_logits(z, check_nan=False)
    return _in_blocks(_log_softmax_of_block, z, check_axis(axis, z.ndim))


def _log_softmax_of_block(z, axis):
    """log_softmax(z, axis) for an array z that as_logits has checked."""
    k = z.argmax(axis=axis, keepdims=True)  # each slice's largest entry (or first NaN)
    top = np.take_along_axis(z, k, axis=axis)
    if not np.isfinite(top).all():  # rare: NaN, +inf or an all -inf slice
        z = limit_of_infinite_slices(z, top, "log_softmax")
        top = np.take_along_axis(z, k, axis=axis)  # k points at a +inf entry, now 0
    with np.errstate(over="ignore"):  # z - top < -(largest float): -inf, no warning
        out = np.subtract(z, top)  # each slice's largest entry becomes 0
    out -= _log1p_rest(out, k, axis)
    return out


def _in_blocks(f, z, axis, size=1 << 19):
    """f(z, axis), computed on blocks of about `size` bytes (512 KiB), each of whole
    slices.

    Same result, fewer trips to memory: a block and f's temporaries fit in the CPU's
    cache, so z is read from memory once and the result written once, where f on all of
    z at once would write and re-read full-size temporaries. The blocks cut axis 0 of a
    C-contiguous array (each block is then one stretch of memory); any other array, or
    axis 0, is done in one piece. f must work slice by slice along `axis`.
    """
    step = max(1, size * z.shape[0] // z.nbytes)  # indices along axis 0 per block
    if axis == 0 or not z.flags.c_contiguous or step >= z.shape[0]:
        return f(z, axis)
    first = f(z[:step], axis)
    out = np.empty(z.shape[:1] + first.shape[1:], first.dtype)
    out[:step] = first
    for start in range(step, z.shape[0], step):
        out[start:start + step] = f(z[start:start + step], axis)
    return out
