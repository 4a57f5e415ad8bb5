"""Softmax with bounded confidence, as taught in chapter 8.

Source 004's formulas are lost (see the chapter), so these are readings of its text, not
its code: a linear, range-limited wrapper; a "Gaussian" wrapper that adds a binomial
standard error to each probability; and the literal reading of "use n - 1 as the base",
p_i = (n - 1)**r_i / sum_j (n - 1)**r_j for bounded scores r_i in [0, 1] (the source's
sigma_i; here softmax's probabilities).
Every function in this file is shown, in full and letter for letter, in
`chapters/08_bounded.ipynb`; `tests/test_chapter_sources.py` fails if the two differ.
"""

import numpy as np

from book.jacobian import softmax_jacobian
from book.softmax import as_logits, check_axis, softmax


def _check_sample_size(n, smallest, why):
    """n, the number of training examples, a float above `smallest`, or ValueError."""
    real = isinstance(n, (int, float, np.integer, np.floating))
    if isinstance(n, (bool, np.bool_)) or not real or not np.isfinite(n):
        raise ValueError(f"n must be a finite number, got {n!r}")
    if n <= smallest:
        raise ValueError(f"n must exceed {smallest} ({why}), got {n}")
    return float(n)


def _check_unit_scores(scores, axis, name):
    """Scores in [0, 1] (probabilities, bounded scores) as floats; the axis, checked."""
    scores = as_logits(scores, name=name)
    axis = check_axis(axis, scores.ndim)
    if np.any(scores < 0) or np.any(scores > 1):
        raise ValueError(f"{name} must lie in [0, 1]: probabilities or bounded scores")
    return scores, axis


def _check_logit_vector(z, n, smallest, why):
    """One logit vector z (1-D) and a sample size n above `smallest`, or ValueError."""
    z = as_logits(z)
    if z.ndim != 1:
        raise ValueError(f"z must be one logit vector (1-D), got shape {z.shape}")
    return z, _check_sample_size(n, smallest, why)


def bounded_softmax(z, n, axis=-1):
    """Linear range-limited softmax: p_i = 1/n + (1 - K/n) softmax(z)_i.

    K is the number of classes (the length of `axis`), n the number of training examples
    behind the model; n > K is needed, and then 1/n <= p_i <= 1 - (K - 1)/n.
    """
    z = as_logits(z)
    k = z.shape[check_axis(axis, z.ndim)]
    n = _check_sample_size(n, k, f"1 - K/n must be positive for K = {k} classes")
    return 1 / n + (1 - k / n) * softmax(z, axis=axis)


def gaussian_wrapper(a, n, axis=-1):
    """The Gaussian wrapper of probabilities a in [0, 1] (along `axis`), for n > 0.

    Returns (p, u): the error u_i = sqrt(a_i (1 - a_i) / n) + 1/n, a binomial standard
    error plus one count in n, and p_i = (a_i + u_i) / (1 + sum_j u_j).
    """
    a, axis = _check_unit_scores(a, axis, "a")
    n = _check_sample_size(n, 0, "a sample size is positive")
    u = np.sqrt(a * (1 - a) / n) + 1 / n
    return (a + u) / (1 + u.sum(axis=axis, keepdims=True)), u


def gaussian_softmax(z, n, axis=-1):
    """Gaussian softmax: gaussian_wrapper of a = softmax(z) along `axis`, for n > 0.

    The probabilities sum to one and keep softmax's order. For K classes they are at
    least 1/(n + K + sqrt(n (K - 2))), and, if n >= K - 2, at most (n + 1)/(n + K)
    (for n < K - 2 a class just below a = e_i gets more). K = 2: [1/(n + 2),
    (n + 1)/(n + 2)].
    """
    z = as_logits(z)
    n = _check_sample_size(n, 0, "a sample size is positive")
    return gaussian_wrapper(softmax(z, axis=axis), n, axis=axis)[0]


def base_n_minus_1_wrapper(r, n, axis=-1):
    """Source 004's "n - 1 as the base", read literally: p_i ∝ (n - 1)**r_i.

    p_i = (n - 1)**r_i / sum_j (n - 1)**r_j, for bounded scores r in [0, 1] (the
    source's sigma_i) and n > 2, so that the base exceeds 1; computed as
    softmax(log(n - 1) r).
    Any two classes have odds p_i/p_j in [1/(n - 1), n - 1]; with two classes and
    r = (1, 0), p = ((n - 1)/n, 1/n).
    """
    r, axis = _check_unit_scores(r, axis, "r")
    n = _check_sample_size(n, 2, "the base n - 1 must exceed 1")
    return softmax(np.log(n - 1) * r, axis=axis)


def base_n_minus_1_softmax(z, n, axis=-1):
    """base_n_minus_1_wrapper of the scores r = softmax(z) along `axis`, for n > 2."""
    z = as_logits(z)
    n = _check_sample_size(n, 2, "the base n - 1 must exceed 1")
    return base_n_minus_1_wrapper(softmax(z, axis=axis), n, axis=axis)


def bounded_softmax_jacobian(z, n):
    """Jacobian dp_i/dz_j of bounded_softmax for one logit vector z.

    It is softmax's Jacobian scaled: (1 - K/n) (diag(a) - a a^T), a = softmax(z).
    """
    z = as_logits(z)
    k = z.size
    why = f"1 - K/n must be positive for K = {k} classes"
    z, n = _check_logit_vector(z, n, k, why)
    return (1 - z.size / n) * softmax_jacobian(z)


def gaussian_softmax_jacobian(z, n):
    """Jacobian dp_i/dz_j of gaussian_softmax for one logit vector z, by the chain rule.

    With J = diag(a) - a a^T (softmax_jacobian) and du/dz = diag(c) J, where
    c_i = du_i/da_i = (1 - 2 a_i) / (2 sqrt(n a_i (1 - a_i))):
    dp/dz = (J + du/dz - p 1^T du/dz) / (1 + sum_j u_j). Rows where a_i is exactly 0
    or 1 have du_i/dz = 0 (their limit).
    """
    z, n = _check_logit_vector(z, n, 0, "a sample size is positive")
    a = softmax(z)
    p, u = gaussian_wrapper(a, n)
    J = softmax_jacobian(z)
    variance = a * (1 - a)
    safe = np.where(variance > 0, variance, 1.0)
    c = np.where(variance > 0, (1 - 2 * a) / (2 * np.sqrt(n * safe)), 0.0)
    du_dz = c[:, None] * J
    return (J + du_dz - np.outer(p, du_dz.sum(axis=0))) / (1 + u.sum())


def base_n_minus_1_softmax_jacobian(z, n):
    """Jacobian dp_i/dz_j of base_n_minus_1_softmax for one logit vector z (chain rule).

    The sum over the intermediate scores r = softmax(z) is a matrix product:
    dp/dz = log(n - 1) (diag(p) - p p^T) (diag(r) - r r^T).
    """
    z, n = _check_logit_vector(z, n, 2, "the base n - 1 must exceed 1")
    scaled = np.log(n - 1) * softmax(z)
    return np.log(n - 1) * softmax_jacobian(scaled) @ softmax_jacobian(z)
