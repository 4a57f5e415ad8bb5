"""Data and training for the softmax classifier, as taught in chapter 7 ("A softmax
classifier from scratch").

Every function in this file is shown, in full and letter for letter, in
`chapters/07_classifier.ipynb`; `tests/test_chapter_sources.py` fails if the two differ.
"""

import numpy as np

from book.classifier import softmax_loss_vectorized


def digits_split(seed=0, val_fraction=0.2, test_fraction=0.2):
    """scikit-learn's bundled 8x8 digits (1797 images, no download), split three ways.

    The split into train, validation and test is stratified by class and fixed by
    `seed`. Pixels (0..16) are scaled to [0, 1] and a constant 1 is appended to every
    example, so the last row of W acts as the bias ("the bias trick"). Returns a dict
    with X_train, y_train, X_val, y_val, X_test, y_test and images (the raw 8x8 test
    images).
    """
    _check_whole("seed", seed, 0)
    if not (0 < val_fraction and 0 < test_fraction
            and val_fraction + test_fraction < 1):
        raise ValueError(f"need 0 < val_fraction, 0 < test_fraction, and their sum "
                         f"< 1; got {val_fraction} and {test_fraction}")
    from sklearn.datasets import load_digits  # here: `import book` needs only NumPy

    digits = load_digits()
    X = np.hstack([digits.data / 16.0, np.ones((len(digits.data), 1))])
    y = digits.target
    rng = np.random.default_rng(seed)
    parts = {"train": [], "val": [], "test": []}
    for c in np.unique(y):  # stratify: split each class in the same proportions
        members = rng.permutation(np.flatnonzero(y == c))
        n_val = round(val_fraction * len(members))
        n_test = round(test_fraction * len(members))
        parts["test"].append(members[:n_test])
        parts["val"].append(members[n_test:n_test + n_val])
        parts["train"].append(members[n_test + n_val:])
    data = {}
    for name, chunks in parts.items():
        index = rng.permutation(np.concatenate(chunks))
        data[f"X_{name}"], data[f"y_{name}"] = X[index], y[index]
        if name == "test":
            data["images"] = digits.images[index]
    return data


def predict(W, X):
    """The most probable class of each row of X: the argmax of the logits X W.

    (softmax preserves order, so it need not be computed.)
    """
    W, X = np.asarray(W), np.asarray(X)
    if W.ndim != 2 or X.ndim != 2 or X.shape[1] != W.shape[0]:
        raise ValueError(f"need W of shape (D, K) and X of shape (N, D); "
                         f"got {W.shape} and {X.shape}")
    if not (np.isfinite(W).all() and np.isfinite(X).all()):
        raise ValueError("W and X must be finite (no NaN or inf)")
    with np.errstate(over="ignore"):  # an overflow is reported just below
        scores = X @ W
    if not np.isfinite(scores).all():
        raise ValueError("the logits X @ W overflow: W and X are finite, X @ W is not")
    return np.argmax(scores, axis=1)


def _check_whole(name, value, low):
    """Raise ValueError unless `value` is an int >= low (not a float, not inf)."""
    whole = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    if not (whole and value >= low):
        raise ValueError(f"{name} must be an int >= {low}, got {value!r}")


def _check_number(name, value, zero_allowed):
    """Raise ValueError unless `value` is a finite number > 0 (>= 0 if zero_allowed)."""
    real = isinstance(value, (int, float, np.integer, np.floating))
    ok = real and not isinstance(value, bool) and np.isfinite(value)
    if not (ok and (value > 0 or (zero_allowed and value == 0))):
        sign = ">=" if zero_allowed else ">"
        raise ValueError(f"{name} must be a finite number {sign} 0, got {value!r}")


def train_softmax(X, y, num_classes, learning_rate, reg, epochs=100, batch_size=64,
                  seed=0, X_val=None, y_val=None, loss_function=softmax_loss_vectorized,
                  init_scale=0.001):
    """Mini-batch gradient descent on a regularised loss, from small random weights.

    W starts as init_scale times standard normal numbers (init_scale=0: all zeros).
    Each epoch visits the training set once in a fresh random order, in batches of
    `batch_size`, and takes one step W -= learning_rate * dW per batch, where
    loss_function(W, X, y, reg) returns (loss, dW): the softmax loss by default, the
    SVM loss in chapter 7. Returns (W, history): history lists, per epoch, the full
    training loss and accuracy and, when X_val and y_val are given, the validation
    loss (without the penalty) and accuracy. Counts and seed must be ints (an inf is
    refused), learning_rate finite and > 0: ValueError naming the argument otherwise.
    """
    for name, value, low in (("num_classes", num_classes, 1), ("epochs", epochs, 1),
                             ("batch_size", batch_size, 1), ("seed", seed, 0)):
        _check_whole(name, value, low)
    _check_number("learning_rate", learning_rate, zero_allowed=False)
    _check_number("init_scale", init_scale, zero_allowed=True)
    rng = np.random.default_rng(seed)
    W = init_scale * rng.standard_normal((np.shape(X)[1], num_classes))
    history = {"train_loss": [], "train_acc": [], "val_loss": [], "val_acc": []}
    for _ in range(epochs):
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch_size):
            batch = order[start:start + batch_size]
            _, dW = loss_function(W, X[batch], y[batch], reg)
            W -= learning_rate * dW
        history["train_loss"].append(loss_function(W, X, y, reg)[0])
        history["train_acc"].append(float(np.mean(predict(W, X) == y)))
        if X_val is not None:
            history["val_loss"].append(loss_function(W, X_val, y_val, 0.0)[0])
            history["val_acc"].append(float(np.mean(predict(W, X_val) == y_val)))
    return W, history


def _beyond_edge(values, best):
    """The next value of the sorted grid `values` beyond `best`, if best is at an edge.

    The grid is taken as geometric: the new value is best times the ratio of the two
    values at that edge (times 10 next to a 0). Returns None if best is interior, if
    the grid has one value, or if best is 0: a reg of 0 is the boundary of reg >= 0,
    so there is no smaller value to try.
    """
    if len(values) < 2 or best == 0:
        return None
    if best == values[-1]:
        return best * (best / values[-2] if values[-2] > 0 else 10.0)
    if best == values[0]:
        return best * best / values[1]
    return None


def tune_and_train(data, learning_rates=(1.0, 2.0, 4.0, 8.0), regs=(0.0, 1e-4, 1e-3),
                   epochs=150, seed=0, extend=False, max_rounds=10,
                   loss_function=softmax_loss_vectorized):
    """Train one classifier per (learning_rate, reg) pair; keep the best on validation.

    The best pair is the one with the lowest validation loss. `data` is a dict as
    returned by digits_split. With extend=True, CS231n's rule is applied: while the
    best learning rate or reg is at an edge of its grid, the grid is extended one step
    beyond that edge (see _beyond_edge) and the new pairs are trained, for at most
    max_rounds rounds. Returns (W, history, (learning_rate,
    reg), table): table maps every pair tried to its final (validation loss,
    validation accuracy). The test set is not touched. Every run is seeded by `seed`,
    so a pair gives the same classifier whatever grid it is part of. loss_function
    is passed on to train_softmax (chapter 7 also tunes the SVM loss).
    """
    if not (len(learning_rates) and len(regs)):
        raise ValueError(f"need at least one learning rate and one reg; got "
                         f"learning_rates={learning_rates} and regs={regs}")
    for lr in learning_rates:
        _check_number("every learning rate in learning_rates", lr, zero_allowed=False)
    for reg in regs:
        _check_number("every reg in regs", reg, zero_allowed=True)
    for name, value, low in (("epochs", epochs, 1), ("seed", seed, 0),
                             ("max_rounds", max_rounds, 0)):
        _check_whole(name, value, low)
    y_train = np.asarray(data["y_train"])
    if y_train.dtype.kind not in "iu" or y_train.ndim != 1 or len(y_train) == 0:
        raise ValueError(f"data['y_train'] must hold integer labels, one per example; "
                         f"got dtype {y_train.dtype} and shape {y_train.shape}")
    grids = [sorted(set(learning_rates)), sorted(set(regs))]
    num_classes = int(y_train.max()) + 1
    runs = {}
    for _ in range(max_rounds + 1):
        for lr in grids[0]:
            for reg in grids[1]:
                if (lr, reg) not in runs:
                    runs[lr, reg] = train_softmax(
                        data["X_train"], data["y_train"], num_classes, lr, reg,
                        epochs=epochs, seed=seed, X_val=data["X_val"],
                        y_val=data["y_val"], loss_function=loss_function)
        best = min(runs, key=lambda pair: runs[pair][1]["val_loss"][-1])
        new = [_beyond_edge(grid, value) for grid, value in zip(grids, best)]
        if not extend or new == [None, None]:
            break
        for grid, value in zip(grids, new):
            if value is not None:
                grid.append(value)
                grid.sort()
    table = {pair: (float(history["val_loss"][-1]), history["val_acc"][-1])
             for pair, (_, history) in runs.items()}
    return runs[best][0], runs[best][1], best, table
