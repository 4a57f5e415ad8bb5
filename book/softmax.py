"""Softmax, as taught in chapter 2 ("Computing softmax safely").

Every function in this file is shown, in full and letter for letter, in
`chapters/02_stability.ipynb`; `tests/test_chapter_sources.py` fails if the two ever
differ.
"""

import numpy as np


def as_logits(z, name="z", check_nan=True):
    """Return `z` as a floating-point array, or raise ValueError saying what is wrong.

    With check_nan=False the caller promises to find NaN itself; softmax does, for free,
    in the maximum of each slice that it computes anyway (the maximum of a slice holding
    NaN is NaN).
    """
    try:
        z = np.asarray(z)
    except ValueError as err:  # e.g. ragged nested lists
        raise ValueError(f"{name} must be a rectangular array of numbers ({err})"
                         ) from None
    if z.dtype.kind in "biu":  # booleans and integers become float64
        z = z.astype(np.float64)
    if z.dtype.kind != "f":
        raise ValueError(f"{name} must hold real numbers, got dtype {z.dtype}")
    if z.ndim == 0:
        raise ValueError(f"{name} must have at least one axis, got a scalar")
    if z.size == 0:
        raise ValueError(f"{name} is empty (shape {z.shape})")
    if check_nan and np.isnan(z).any():
        raise ValueError(f"{name} contains NaN")
    return z


def check_axis(axis, ndim):
    """The softmax family's one axis rule: `axis` is one int in [-ndim, ndim).

    Returns it normalised to [0, ndim). None, tuples, floats and booleans raise
    ValueError: each slice along one axis is normalised on its own, so to normalise
    over several axes (or all entries), reshape them into one axis first.
    """
    if isinstance(ndim, bool) or not isinstance(ndim, (int, np.integer)) or ndim < 1:
        raise ValueError(f"ndim (the array's number of axes) must be an int >= 1, "
                         f"got {ndim!r}")
    if axis is None:
        raise ValueError("axis must be one int, got None: to normalise over all "
                         "entries, reshape to 1-D first")
    if isinstance(axis, tuple):
        raise ValueError(f"axis must be one int, got the tuple {axis}: to normalise "
                         "over several axes, reshape them into one axis first")
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise ValueError(f"axis must be one int, got {axis!r} of type "
                         f"{type(axis).__name__}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis} is out of range for an array with {ndim} "
                         f"axes (allowed: {-ndim} to {ndim - 1})")
    return int(axis) % ndim


def limit_of_infinite_slices(z, top, name):
    """Prepare logits whose slice maxima `top` are not all finite, or raise ValueError.

    NaN anywhere, or a slice that is all -inf, has no softmax. In a slice containing
    +inf the +inf entries share all of the probability equally (the limit as those
    logits grow together): they become 0 and the other entries -inf, which has exactly
    that softmax.
    """
    if np.isnan(top).any():
        raise ValueError("z contains NaN")
    if np.any(top == -np.inf):
        raise ValueError(f"{name} is undefined for a slice whose logits are all -inf")
    limit = np.where(top == np.inf, np.where(z == np.inf, 0.0, -np.inf), z)
    return limit.astype(z.dtype)


def softmax(z, axis=-1):
    """Softmax of the logits `z` along `axis`: exp(z) / sum(exp(z)), computed stably.

    Works for any shape (each slice along `axis`, one int, is normalised on its own; see
    check_axis) and keeps the floating-point dtype of `z`. Finite logits never overflow
    or warn, however far apart. A slice containing +inf shares all of its probability
    equally among its +inf entries (the limit as those logits grow together); a slice
    that is all -inf has no softmax and raises ValueError.
    """
    z = as_logits(z, check_nan=False)
    axis = check_axis(axis, z.ndim)
    top = z.max(axis=axis, keepdims=True)
    if not np.isfinite(top).all():  # rare: NaN, +inf or an all -inf slice
        z = limit_of_infinite_slices(z, top, "softmax")
        top = z.max(axis=axis, keepdims=True)
    with np.errstate(over="ignore"):  # z - top < -(largest float) is -inf: exp gives 0
        e = np.subtract(z, top)  # a new array; each slice's largest entry becomes 0
    np.exp(e, out=e)  # exp(0) = 1 is the largest term: no overflow; in place, no copy
    e /= e.sum(axis=axis, keepdims=True, dtype=np.promote_types(e.dtype, np.float32))
    return e
