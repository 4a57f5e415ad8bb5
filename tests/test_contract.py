"""The contract of every public function of `book`: NaN in, ValueError out, never a
silent NaN.

Each name in `book.__all__` must appear below (a new function without a case fails
`test_every_public_function_is_covered`), with a call that passes NaN where the function
takes numbers.

Below CASES, INF_CASES pass +inf and -inf in every numeric argument of every public
function: the documented limit comes out (and no NaN), or a ValueError naming the
argument. A new function or parameter needs both infinities (the last test says so).
"""

import inspect

import numpy as np
import pytest

import book

NAN_ROWS = np.array([[0.1, np.nan], [0.2, 0.3]])
LABELS = np.array([0, 1])

CASES = {
    "as_logits": lambda: book.as_logits([np.nan]),
    "check_axis": lambda: book.check_axis(np.nan, 2),
    "softmax": lambda: book.softmax(NAN_ROWS),
    "log_softmax": lambda: book.log_softmax(NAN_ROWS),
    "logsumexp": lambda: book.logsumexp(NAN_ROWS),
    "limit_of_infinite_slices": lambda: book.limit_of_infinite_slices(
        NAN_ROWS, np.array([[np.nan], [0.3]]), "f"
    ),
    "softmax_jacobian": lambda: book.softmax_jacobian([0.1, np.nan]),
    "softmax_jvp": lambda: book.softmax_jvp([0.1, 0.2], [1.0, np.nan]),
    "numerical_jacobian": lambda: book.numerical_jacobian(book.softmax, [0.1, np.nan]),
    "numerical_gradient": lambda: book.numerical_gradient(np.sum, [0.1, np.nan]),
    "rel_error": lambda: book.rel_error([0.1, np.nan], [0.1, 0.2]),
    "sigmoid": lambda: book.sigmoid([np.nan]),
    "softplus": lambda: book.softplus([np.nan]),
    "binary_cross_entropy_with_logits": lambda: book.binary_cross_entropy_with_logits(
        [0.1, 0.2], [np.nan, 1.0]
    ),
    "multilabel_cross_entropy": lambda: book.multilabel_cross_entropy(
        NAN_ROWS, np.ones((2, 2))
    ),
    "as_distribution": lambda: book.as_distribution([np.nan, 1.0]),
    "entropy": lambda: book.entropy([np.nan, 1.0]),
    "cross_entropy": lambda: book.cross_entropy([0.5, 0.5], [np.nan, 1.0]),
    "kl_divergence": lambda: book.kl_divergence([0.5, 0.5], [np.nan, 1.0]),
    "check_labels": lambda: book.check_labels([np.nan, 1.0], 2, 2),
    "softmax_cross_entropy": lambda: book.softmax_cross_entropy(NAN_ROWS, LABELS),
    "softmax_loss_naive": lambda: book.softmax_loss_naive(
        np.ones((2, 2)), NAN_ROWS, LABELS, 0.1
    ),
    "softmax_loss_vectorized": lambda: book.softmax_loss_vectorized(
        np.ones((2, 2)), NAN_ROWS, LABELS, 0.1
    ),
    "check_problem": lambda: book.check_problem(np.ones((2, 2)), NAN_ROWS, LABELS, 0.1),
    "svm_loss_vectorized": lambda: book.svm_loss_vectorized(
        np.ones((2, 2)), NAN_ROWS, LABELS, 0.1
    ),
    "predict": lambda: book.predict(np.ones((2, 2)), NAN_ROWS),
    "train_softmax": lambda: book.train_softmax(
        NAN_ROWS, LABELS, 2, 0.1, 0.0, epochs=1
    ),
    "digits_split": lambda: book.digits_split(val_fraction=np.nan),
    "tune_and_train": lambda: book.tune_and_train(
        {"X_train": NAN_ROWS, "y_train": LABELS, "X_val": NAN_ROWS, "y_val": LABELS},
        learning_rates=(0.1,),
        regs=(0.0,),
        epochs=1,
    ),
    "bounded_softmax": lambda: book.bounded_softmax(NAN_ROWS, 100),
    "gaussian_softmax": lambda: book.gaussian_softmax(NAN_ROWS, 100),
    "bounded_softmax_jacobian": lambda: book.bounded_softmax_jacobian(
        [0.1, 0.2], np.nan
    ),
    "gaussian_softmax_jacobian": lambda: book.gaussian_softmax_jacobian(
        [0.1, np.nan], 100
    ),
    "gaussian_wrapper": lambda: book.gaussian_wrapper([0.5, np.nan], 100),
    "base_n_minus_1_wrapper": lambda: book.base_n_minus_1_wrapper([0.5, 0.5], np.nan),
    "base_n_minus_1_softmax": lambda: book.base_n_minus_1_softmax(NAN_ROWS, 100),
    "base_n_minus_1_softmax_jacobian": lambda: book.base_n_minus_1_softmax_jacobian(
        [0.1, np.nan], 100
    ),
    "reliability_bins": lambda: book.reliability_bins([[np.nan, 1.0]], [0]),
    "expected_calibration_error": lambda: book.expected_calibration_error(
        [[np.nan, 1.0]], [0]
    ),
    "fit_temperature": lambda: book.fit_temperature(NAN_ROWS, LABELS),
    "online_normalizer": lambda: book.online_normalizer([0.1, np.nan]),
    "merge_normalizers": lambda: book.merge_normalizers(np.nan, 1.0, 0.0, 1.0),
    "online_softmax": lambda: book.online_softmax(NAN_ROWS),
    "median_time": lambda: book.median_time(lambda: None, min_seconds=np.nan),
    "bandwidth_floor": lambda: book.bandwidth_floor(np.ones(3), repeats=np.nan),
}


def test_every_public_function_is_covered():
    assert set(CASES) == set(book.__all__)


@pytest.mark.parametrize("name", sorted(CASES))
def test_nan_is_refused_with_a_value_error(name):
    with pytest.raises(ValueError, match=r"NaN|finite|must|need"):
        CASES[name]()


# ------------------------------------------------------------------------------------
# +inf and -inf in every argument (issue 11, item 2). Each case says what the function's
# docstring promises: ValueError matching a pattern that names the argument, or a result
# that the check accepts, with no NaN anywhere in it. A failing case of a function owned
# by someone else is marked xfail(strict=True) with the reason, for its owner to fix.

INF = np.inf
ROWS = np.array([[0.1, 0.2], [0.2, 0.3]])
WEIGHTS = np.ones((2, 2))
FIT_LOGITS = np.array([[2.0, 0.0], [0.0, 2.0], [1.0, 0.0], [0.0, 1.5]])  # T ~ 0.986
FIT_LABELS = np.array([0, 1, 1, 1])


def with_inf(array, sign, index=(0,)):
    """A float copy of `array` with sign * inf at `index`."""
    out = np.array(array, dtype=np.float64)
    out[index] = sign * INF
    return out


def split(x_train=ROWS, y_train=LABELS, x_val=ROWS, y_val=LABELS):
    return {"X_train": x_train, "y_train": y_train, "X_val": x_val, "y_val": y_val}


def equal_to(expected, rtol=0.0, atol=0.0):
    def check(result):
        np.testing.assert_allclose(
            np.asarray(result, dtype=np.float64), expected, rtol=rtol, atol=atol
        )

    return check


def finite_result(result):
    """Only that nothing in the result is NaN (checked for every result) or infinite."""
    for leaf in leaves(result):
        assert np.isfinite(leaf).all()


def leaves(result):
    """The numeric arrays inside a result (tuples, lists and dicts are walked)."""
    if isinstance(result, dict):
        result = list(result.values())
    if isinstance(result, (tuple, list)):
        return [leaf for item in result for leaf in leaves(item)]
    array = np.asarray(result)
    return [array] if array.dtype.kind in "fc" else []


def positive_time(result):
    assert np.isfinite(result) and result > 0


def masked_class_loss(result):
    """softmax_cross_entropy([[-inf, 0, 1]], [2]): class 0 has probability 0."""
    loss, grad = result
    assert loss == pytest.approx(np.log1p(np.exp(-1.0)), rel=1e-15, abs=0)
    assert grad[0, 0] == 0.0


INF_CASES = []  # pytest.param(name, argument, sign, call, expect)
SIGNS = {+1: "+inf", -1: "-inf"}


def case(name, argument, sign, call, expect, xfail=None, extra=""):
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    INF_CASES.append(
        pytest.param(
            name,
            argument,
            SIGNS[sign],
            call,
            expect,
            id=f"{name}-{argument}{SIGNS[sign]}{extra}",
            marks=marks,
        )
    )


# Arguments that take no numbers (names, flags, callables): no infinity to pass.
NOT_NUMERIC = {
    "as_logits": {"name", "check_nan"},
    "limit_of_infinite_slices": {"name"},
    "logsumexp": {"keepdims"},
    "as_distribution": {"name"},
    "numerical_jacobian": {"f"},
    "numerical_gradient": {"f"},
    "median_time": {"fn"},
    "train_softmax": {"loss_function"},
    "tune_and_train": {"loss_function", "extend"},
}

H1, H6, H7, H8 = (
    "owner H1 (softmax family, loss)",
    "owner H6 (classifier, training)",
    "owner H7 (bounded)",
    "owner H8 (calibration, timing)",
)

for s in (+1, -1):
    # chapter 2: softmax, log_softmax, logsumexp, as_logits, check_axis
    case(
        "as_logits",
        "z",
        s,
        lambda s=s: book.as_logits([s * INF, 0.0]),
        equal_to([s * INF, 0.0]),
    )
    case("check_axis", "axis", s, lambda s=s: book.check_axis(s * INF, 2), "axis")
    case(
        "check_axis",
        "ndim",
        s,
        lambda s=s: book.check_axis(0, s * INF),
        "ndim|axis",
    )
    case(
        "limit_of_infinite_slices",
        "z",
        s,
        lambda s=s: book.limit_of_infinite_slices(
            np.array([[s * INF, 1.0]]), np.array([[max(s * INF, 1.0)]]), "f"
        ),
        equal_to([[0.0, -INF]]) if s > 0 else equal_to([[-INF, 1.0]]),
    )
    case(
        "limit_of_infinite_slices",
        "top",
        s,
        lambda s=s: book.limit_of_infinite_slices(
            np.array([[s * INF, s * INF]]), np.array([[s * INF]]), "f"
        ),
        equal_to([[0.0, 0.0]]) if s > 0 else "all -inf",
    )
    for name in ("softmax", "log_softmax", "logsumexp"):
        case(
            name,
            "axis",
            s,
            lambda s=s, name=name: getattr(book, name)(ROWS, axis=s * INF),
            "axis",
        )
    case(
        "softmax",
        "z",
        s,
        lambda s=s: book.softmax([s * INF, 0.0, s * INF]),
        equal_to([0.5, 0.0, 0.5]) if s > 0 else equal_to([0.0, 1.0, 0.0]),
    )
    case(
        "log_softmax",
        "z",
        s,
        lambda s=s: book.log_softmax([s * INF, 0.0, s * INF]),
        equal_to([np.log(0.5), -INF, np.log(0.5)], rtol=1e-15)
        if s > 0
        else equal_to([-INF, 0.0, -INF]),
    )
    case(
        "logsumexp",
        "z",
        s,
        lambda s=s: book.logsumexp([s * INF, 0.0]),
        equal_to(s * INF if s > 0 else 0.0),
    )
    # chapter 3: the Jacobian and the gradient checks
    case(
        "softmax_jacobian",
        "z",
        s,
        lambda s=s: book.softmax_jacobian([s * INF, 0.0]),
        equal_to(np.zeros((2, 2))),
    )
    case(
        "softmax_jvp",
        "z",
        s,
        lambda s=s: book.softmax_jvp([s * INF, 0.0], [1.0, 2.0]),
        equal_to([0.0, 0.0]),
    )
    case(
        "softmax_jvp",
        "v",
        s,
        lambda s=s: book.softmax_jvp([0.0, 0.0], [s * INF, 0.0]),
        "^v contains",
    )
    for name in ("numerical_jacobian", "numerical_gradient"):
        case(
            name,
            "x",
            s,
            lambda s=s, name=name: getattr(book, name)(np.sum, [s * INF, 0.0]),
            "^x contains",
        )
        case(
            name,
            "h",
            s,
            lambda s=s, name=name: getattr(book, name)(np.sum, [0.0], s * INF),
            "h must be a finite",
        )
    case(
        "rel_error",
        "a",
        s,
        lambda s=s: book.rel_error([s * INF, 1.0], [s * INF, 1.0]),
        equal_to(0.0),
    )
    case(
        "rel_error",
        "a",
        s,
        lambda s=s: book.rel_error([s * INF], [1.0]),
        equal_to(1.0),
        extra="-vs-finite",
    )
    case(
        "rel_error", "b", s, lambda s=s: book.rel_error([1.0], [s * INF]), equal_to(1.0)
    )
    case(
        "rel_error",
        "b",
        s,
        lambda s=s: book.rel_error([-s * INF], [s * INF]),
        equal_to(1.0),
        extra="-vs-opposite",
    )
    # chapter 4: information
    case(
        "as_distribution",
        "p",
        s,
        lambda s=s: book.as_distribution([s * INF, 1.0]),
        "^p contains inf",
    )
    case("entropy", "p", s, lambda s=s: book.entropy([s * INF, 1.0]), "^p contains inf")
    for name in ("cross_entropy", "kl_divergence"):
        case(
            name,
            "p",
            s,
            lambda s=s, name=name: getattr(book, name)([s * INF, 1.0], [0.5, 0.5]),
            r"^p \(the target distribution, first argument\) contains inf",
        )
        case(
            name,
            "q",
            s,
            lambda s=s, name=name: getattr(book, name)([0.5, 0.5], [s * INF, 1.0]),
            r"^q \(the model distribution, second argument\) contains inf",
        )
    # chapter 5: sigmoid
    case(
        "sigmoid",
        "x",
        s,
        lambda s=s: book.sigmoid([s * INF]),
        equal_to([1.0 if s > 0 else 0.0]),
    )
    case(
        "softplus",
        "x",
        s,
        lambda s=s: book.softplus([s * INF]),
        equal_to([INF if s > 0 else 0.0]),
    )
    case(
        "binary_cross_entropy_with_logits",
        "logits",
        s,
        lambda s=s: book.binary_cross_entropy_with_logits(
            [s * INF, s * INF], [1.0 if s > 0 else 0.0, 0.5]
        ),
        equal_to([0.0, INF]),
    )
    case(
        "binary_cross_entropy_with_logits",
        "targets",
        s,
        lambda s=s: book.binary_cross_entropy_with_logits([0.0], [s * INF]),
        "targets",
    )
    case(
        "multilabel_cross_entropy",
        "logits",
        s,
        lambda s=s: book.multilabel_cross_entropy(
            [[s * INF, -s * INF]], [[1.0 * (s > 0), 1.0 * (s < 0)]]
        ),
        equal_to(0.0),
    )
    case(
        "multilabel_cross_entropy",
        "targets",
        s,
        lambda s=s: book.multilabel_cross_entropy(ROWS, with_inf(ROWS, s)),
        "targets",
    )
    # chapter 6: the fused loss
    case(
        "check_labels",
        "labels",
        s,
        lambda s=s: book.check_labels([s * INF, 1.0], 2, 2),
        "labels",
    )
    case(
        "check_labels",
        "n",
        s,
        lambda s=s: book.check_labels([0, 1], s * INF, 2),
        "labels|n",
    )
    case(
        "check_labels",
        "k",
        s,
        lambda s=s: book.check_labels([0, 1], 2, s * INF),
        r"\bk\b|classes|labels",
    )
    case(
        "softmax_cross_entropy",
        "logits",
        s,
        lambda s=s: book.softmax_cross_entropy([[s * INF, 0.0, 1.0]], [2]),
        "logits" if s > 0 else masked_class_loss,
    )
    case(
        "softmax_cross_entropy",
        "targets",
        s,
        lambda s=s: book.softmax_cross_entropy(ROWS, with_inf(np.eye(2), s)),
        "targets",
    )
    # chapter 7: the classifier
    for name in (
        "check_problem",
        "softmax_loss_naive",
        "softmax_loss_vectorized",
        "svm_loss_vectorized",
    ):
        f = lambda *args, name=name: getattr(book, name)(*args)  # noqa: E731
        case(
            name,
            "W",
            s,
            lambda s=s, f=f: f(with_inf(WEIGHTS, s), ROWS, LABELS, 0.1),
            r"\bW\b",
        )
        case(
            name,
            "X",
            s,
            lambda s=s, f=f: f(WEIGHTS, with_inf(ROWS, s), LABELS, 0.1),
            r"\bX\b",
        )
        case(
            name,
            "y",
            s,
            lambda s=s, f=f: f(WEIGHTS, ROWS, with_inf(LABELS, s), 0.1),
            "labels",
        )
        case(name, "reg", s, lambda s=s, f=f: f(WEIGHTS, ROWS, LABELS, s * INF), "reg")
    case(
        "predict",
        "W",
        s,
        lambda s=s: book.predict(with_inf(WEIGHTS, s), ROWS),
        r"\bW\b",
    )
    case(
        "predict",
        "X",
        s,
        lambda s=s: book.predict(WEIGHTS, with_inf(ROWS, s)),
        r"\bX\b",
    )
    train = {
        "X": ROWS,
        "y": LABELS,
        "num_classes": 2,
        "learning_rate": 0.1,
        "reg": 0.0,
        "epochs": 1,
        "batch_size": 2,
        "seed": 0,
        "X_val": ROWS,
        "y_val": LABELS,
        "init_scale": 0.001,
    }
    known = inspect.signature(book.train_softmax).parameters  # init_scale is new
    train = {key: value for key, value in train.items() if key in known}
    for argument in train:
        value = with_inf(train[argument], s) if np.ndim(train[argument]) else s * INF
        case(
            "train_softmax",
            argument,
            s,
            lambda s=s, argument=argument, value=value: book.train_softmax(
                **{**train, argument: value}
            ),
            {"y": "labels", "y_val": "labels", "X_val": r"\bX"}.get(argument, argument),
        )
    # tune_and_train(data, learning_rates, regs, epochs, seed, ...)
    case(
        "tune_and_train",
        "data",
        s,
        lambda s=s: book.tune_and_train(
            split(x_train=with_inf(ROWS, s)),
            learning_rates=(0.1,),
            regs=(0.0,),
            epochs=1,
        ),
        r"\bX",
    )
    case(
        "tune_and_train",
        "data",
        s,
        lambda s=s: book.tune_and_train(
            split(y_train=with_inf(LABELS, s)),
            learning_rates=(0.1,),
            regs=(0.0,),
            epochs=1,
        ),
        "labels|y_train",
        extra="-y_train",
    )
    for argument, value in (
        ("learning_rates", (s * INF,)),
        ("regs", (s * INF,)),
        ("epochs", s * INF),
        ("seed", s * INF),
        ("max_rounds", s * INF),
    ):
        if argument not in inspect.signature(book.tune_and_train).parameters:
            continue
        args = {"learning_rates": (0.1,), "regs": (0.0,), "epochs": 1, argument: value}
        case(
            "tune_and_train",
            argument,
            s,
            lambda args=args: book.tune_and_train(split(), **args),
            {"learning_rates": "learning.rate", "regs": "reg"}.get(argument, argument),
        )
    for argument in ("seed", "val_fraction", "test_fraction"):
        case(
            "digits_split",
            argument,
            s,
            lambda s=s, argument=argument: book.digits_split(**{argument: s * INF}),
            argument,
        )
    # chapter 8: bounded confidence
    for name in ("bounded_softmax", "gaussian_softmax", "base_n_minus_1_softmax"):
        case(
            name,
            "z",
            s,
            lambda s=s, name=name: getattr(book, name)([s * INF, 0.0], 100),
            finite_result,
        )
        case(
            name,
            "n",
            s,
            lambda s=s, name=name: getattr(book, name)(ROWS, s * INF),
            r"^n must be",
        )
        case(
            name,
            "axis",
            s,
            lambda s=s, name=name: getattr(book, name)(ROWS, 100, axis=s * INF),
            "axis",
        )
    for name, scores in (("gaussian_wrapper", "a"), ("base_n_minus_1_wrapper", "r")):
        case(
            name,
            scores,
            s,
            lambda s=s, name=name: getattr(book, name)([s * INF, 0.0], 100),
            f"^{scores} must lie in",
        )
        case(
            name,
            "n",
            s,
            lambda s=s, name=name: getattr(book, name)([0.5, 0.5], s * INF),
            r"^n must be",
        )
        case(
            name,
            "axis",
            s,
            lambda s=s, name=name: getattr(book, name)([0.5, 0.5], 100, axis=s * INF),
            "axis",
        )
    for name in (
        "bounded_softmax_jacobian",
        "gaussian_softmax_jacobian",
        "base_n_minus_1_softmax_jacobian",
    ):
        case(
            name,
            "z",
            s,
            lambda s=s, name=name: getattr(book, name)([s * INF, 0.0], 100),
            finite_result,
        )
        case(
            name,
            "n",
            s,
            lambda s=s, name=name: getattr(book, name)([0.1, 0.2], s * INF),
            r"^n must be",
        )
    # chapter 9: calibration
    for name in ("reliability_bins", "expected_calibration_error"):
        case(
            name,
            "probs",
            s,
            lambda s=s, name=name: getattr(book, name)(
                with_inf([[0.5, 0.5]], s, (0, 0)), [0]
            ),
            "^probs",
        )
        case(
            name,
            "labels",
            s,
            lambda s=s, name=name: getattr(book, name)([[0.5, 0.5]], [s * INF]),
            "labels",
        )
        case(
            name,
            "n_bins",
            s,
            lambda s=s, name=name: getattr(book, name)([[0.5, 0.5]], [0], s * INF),
            "n_bins",
        )
    case(
        "fit_temperature",
        "logits",
        s,
        lambda s=s: book.fit_temperature(with_inf(FIT_LOGITS, s), FIT_LABELS),
        "logits",
    )
    case(
        "fit_temperature",
        "labels",
        s,
        lambda s=s: book.fit_temperature(FIT_LOGITS, with_inf(FIT_LABELS, s)),
        "labels",
    )
    case(
        "fit_temperature",
        "tol",
        s,
        lambda s=s: book.fit_temperature(FIT_LOGITS, FIT_LABELS, tol=s * INF),
        "tol",
    )
    # chapter 10: the online normaliser and timing
    case(
        "online_normalizer",
        "x",
        s,
        lambda s=s: book.online_normalizer([s * INF, 1.0]),
        r"\+inf" if s > 0 else equal_to([1.0, 1.0]),
    )
    for k, argument in enumerate(("m_a", "d_a", "m_b", "d_b")):
        args = [0.0, 1.0, 0.0, 1.0]
        args[k] = s * INF
        expect = (
            f"^{argument} must"
            if argument[0] == "d" or s > 0
            else f"^d_{argument[2]} must be 0 where {argument} is -inf"
        )
        case(
            "merge_normalizers",
            argument,
            s,
            lambda args=tuple(args): book.merge_normalizers(*args),
            expect,
        )
        if argument[0] == "m" and s < 0:  # an empty part: (-inf, 0) changes nothing
            args[k + 1] = 0.0
            case(
                "merge_normalizers",
                argument,
                s,
                lambda args=tuple(args): book.merge_normalizers(*args),
                equal_to([0.0, 1.0]),
                extra="-empty-part",
            )
    case(
        "online_softmax",
        "z",
        s,
        lambda s=s: book.online_softmax([s * INF, 0.0, s * INF]),
        r"\+inf" if s > 0 else equal_to([0.0, 1.0, 0.0]),
    )
    case(
        "online_softmax",
        "block_size",
        s,
        lambda s=s: book.online_softmax(ROWS, block_size=s * INF),
        "block_size",
    )
    case(
        "online_softmax",
        "axis",
        s,
        lambda s=s: book.online_softmax(ROWS, axis=s * INF),
        "axis",
    )
    case(
        "median_time",
        "repeats",
        s,
        lambda s=s: book.median_time(lambda: None, repeats=s * INF),
        "repeats",
    )
    case(
        "median_time",
        "min_seconds",
        s,
        lambda s=s: book.median_time(lambda: None, min_seconds=s * INF),
        "min_seconds",
    )
    case(
        "bandwidth_floor",
        "array",
        s,
        lambda s=s: book.bandwidth_floor(with_inf(np.ones(3), s), repeats=1),
        positive_time,
    )
    case(
        "bandwidth_floor",
        "repeats",
        s,
        lambda s=s: book.bandwidth_floor(np.ones(3), repeats=s * INF),
        "repeats",
    )


@pytest.mark.parametrize(("name", "argument", "sign", "call", "expect"), INF_CASES)
def test_infinity_gives_the_documented_result_or_a_value_error(
    name, argument, sign, call, expect
):
    if isinstance(expect, str):
        with pytest.raises(ValueError, match=expect):
            call()
    else:
        result = call()
        for leaf in leaves(result):
            assert not np.isnan(leaf).any(), f"{name}({argument}={sign}) gave NaN"
        expect(result)


def test_every_numeric_argument_of_every_public_function_gets_both_infinities():
    covered = {}
    for param in INF_CASES:
        name, argument, sign = param.values[:3]
        covered.setdefault(name, {}).setdefault(argument, set()).add(sign)
    assert set(covered) == set(book.__all__), "add +-inf cases for new functions"
    for name in book.__all__:
        parameters = set(inspect.signature(getattr(book, name)).parameters)
        numeric = parameters - NOT_NUMERIC.get(name, set())
        assert set(covered[name]) == numeric, f"{name}: +-inf cases per argument"
        for argument, signs in covered[name].items():
            assert signs == {"+inf", "-inf"}, f"{name}({argument}): both infinities"
