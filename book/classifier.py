"""The softmax classifier's loss, as taught in chapter 7 ("A softmax classifier from
scratch"), and the multiclass SVM (hinge) loss it is compared with there.

Every function in this file is shown, in full and letter for letter, in
`chapters/07_classifier.ipynb`; `tests/test_chapter_sources.py` fails if the two differ.
"""

import numpy as np

from book.loss import check_labels, softmax_cross_entropy


def check_problem(W, X, y, reg):
    """Check the arguments of a linear classifier's loss; return them as arrays.

    W: weights, shape (D, K); X: data, shape (N, D), one example per row; y: labels,
    shape (N,), integers in [0, K); reg: the L2 strength lambda >= 0. Raises ValueError
    naming the argument and the problem.
    """
    W = np.asarray(W)
    X = np.asarray(X)
    if W.ndim != 2 or X.ndim != 2:
        raise ValueError(f"W must have shape (D, K) and X shape (N, D); "
                         f"got {W.shape} and {X.shape}")
    if W.dtype.kind != "f" or X.dtype.kind != "f":
        raise ValueError(f"W and X must hold floating-point numbers; "
                         f"got {W.dtype} and {X.dtype}")
    if X.shape[1] != W.shape[0]:
        raise ValueError(f"X has {X.shape[1]} features per example "
                         f"but W expects {W.shape[0]}")
    if not (np.isfinite(W).all() and np.isfinite(X).all()):
        raise ValueError("W and X must be finite (no NaN or inf)")
    y = check_labels(y, X.shape[0], W.shape[1])
    if not (np.ndim(reg) == 0 and np.isfinite(reg) and reg >= 0):
        raise ValueError(f"reg must be a finite number >= 0, got {reg}")
    return W, X, y


def softmax_loss_naive(W, X, y, reg):
    """Softmax loss and gradient dW, with explicit loops over examples n and classes j.

    L = -(1/N) sum_n log softmax(x_n W)_{y_n} + (reg/2) ||W||^2; dW = dL/dW, W's shape.
    """
    W, X, y = check_problem(W, X, y, reg)
    num_train, num_classes = X.shape[0], W.shape[1]
    loss = 0.0
    dW = np.zeros_like(W)
    for n in range(num_train):
        z = np.zeros(num_classes)
        for j in range(num_classes):
            z[j] = X[n] @ W[:, j]
        z -= np.max(z)  # the max shift of chapter 2: exp cannot overflow
        total = 0.0
        for j in range(num_classes):
            total += np.exp(z[j])
        loss += np.log(total) - z[y[n]]  # -log softmax(z)[y_n], never log(0)
        for j in range(num_classes):
            a_j = np.exp(z[j]) / total
            dW[:, j] += (a_j - (j == y[n])) * X[n]  # chapter 6: dL_n/dz_j = a_j - y_j
    loss = loss / num_train + 0.5 * reg * np.sum(W * W)
    dW = dW / num_train + reg * W
    return float(loss), dW


def softmax_loss_vectorized(W, X, y, reg):
    """softmax_loss_naive without loops: the same L and dW = X^T (P - Y) / N + reg W."""
    W, X, y = check_problem(W, X, y, reg)
    data_loss, dZ = softmax_cross_entropy(X @ W, y)  # chapter 6: loss and (P - Y) / N
    loss = data_loss + 0.5 * reg * np.sum(W * W)
    dW = X.T @ dZ + reg * W
    return loss, dW


def svm_loss_vectorized(W, X, y, reg):
    """Multiclass SVM (hinge) loss of CS231n, margin 1, and its (sub)gradient dW.

    L = (1/N) sum_n sum_{j != y_n} max(0, z_nj - z_ny_n + 1) + (reg/2) ||W||^2 with
    Z = XW. Where a margin term is exactly 0 the hinge has a kink; there the
    gradient takes the one-sided value of the flat side.
    """
    W, X, y = check_problem(W, X, y, reg)
    num_train = X.shape[0]
    rows = np.arange(num_train)
    Z = X @ W
    margins = np.maximum(0.0, Z - Z[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0  # the true class is not compared with itself
    loss = float(np.sum(margins) / num_train + 0.5 * reg * np.sum(W * W))
    dZ = (margins > 0).astype(W.dtype)  # each violated margin: +1 for class j ...
    dZ[rows, y] = -dZ.sum(axis=1)  # ... and -1 for the true class, once per violation
    dW = X.T @ dZ / num_train + reg * W
    return loss, dW
