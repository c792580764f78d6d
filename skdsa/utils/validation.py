"""One place that checks time series and operators.

A *system* is recorded as one series ``(n_timepoints, n_features)``, as trials
``(n_trials, n_timepoints, n_features)``, or as a list of ``(n_timepoints_i,
n_features)`` arrays of different lengths. Estimators turn any of these into a
list of 2D float64 arrays with :func:`check_series`, work on the list, and give
the caller back the structure it passed with :func:`restore_layout`.
"""

import numpy as np
import pandas as pd
from scipy.sparse import issparse
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_array, validate_data

_RESHAPE_HINT = (
    "pass one series as (n_timepoints, n_features) (use x.reshape(-1, 1) for a "
    "single feature), trials as (n_trials, n_timepoints, n_features), or a list "
    "of (n_timepoints_i, n_features) arrays."
)


def _is_ragged_list(X):
    return isinstance(X, (list, tuple)) and len(X) > 0 and np.ndim(X[0]) == 2


def _check_real_numbers(X, name):
    if issparse(X):
        return  # check_array rejects sparse input
    if hasattr(X, "dtypes"):
        _check_numeric_columns(X, name)
        return
    dtype = np.asarray(X).dtype
    if dtype.kind == "c":
        raise ValueError(
            f"Complex data not supported: input {name} is complex, and skdsa fits "
            "real-valued time series. Pass the real part, or real and imaginary "
            "parts as separate features."
        )
    if dtype.kind in ("U", "S", "O", "M", "m", "V"):
        try:
            np.asarray(X, dtype=np.float64)
        except (TypeError, ValueError) as error:
            raise type(error)(
                f"Input {name} must hold real numbers; got an array of dtype {dtype} "
                f"that cannot be converted to float ({error}). Convert or drop "
                "non-numeric columns first."
            ) from None


def _check_numeric_columns(frame, name):
    """Name the DataFrame columns that are neither numbers nor booleans."""
    dtypes = frame.dtypes if hasattr(frame.dtypes, "items") else {frame.name: frame.dtypes}
    bad = [column for column, dtype in dtypes.items()
           if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_complex_dtype(dtype)]
    if bad:
        raise ValueError(
            f"Input {name} has non-numeric column(s) {bad} (dtypes "
            f"{[str(dtypes[column]) for column in bad]}); skdsa fits real-valued "
            "time series. Drop them (df.drop(columns=...)) or convert them to numbers."
        )


def _check_finite(series, name):
    for i, x in enumerate(series):
        bad = ~np.isfinite(x)
        if bad.any():
            t, f = np.argwhere(bad)[0]
            raise ValueError(
                f"Input {name} contains NaN or infinity: trial {i}, "
                f"timepoint {t}, feature {f} is {x[t, f]}. Remove or impute "
                "non-finite values (e.g. interpolate gaps) before fitting."
            )


def _check_n_features(estimator, n_features, reset):
    if reset:
        estimator.n_features_in_ = n_features
        if hasattr(estimator, "feature_names_in_"):
            del estimator.feature_names_in_
        return
    expected = getattr(estimator, "n_features_in_", None)
    if expected is not None and n_features != expected:
        raise ValueError(
            f"X has {n_features} features, but {type(estimator).__name__} is "
            f"expecting {expected} features as input."
        )


def check_series(X, *, estimator, reset, name="X"):
    """Validate one system's recording and return it as a list of trials.

    Parameters
    ----------
    X : array-like of shape (n_timepoints, n_features) or \
            (n_trials, n_timepoints, n_features), or list of such 2D arrays
        The recording. A list may hold series of different lengths.
    estimator : estimator instance
        The estimator on whose behalf ``X`` is checked; ``n_features_in_`` is
        set on it (``reset=True``) or compared with it (``reset=False``).
    reset : bool
        Whether this is a call to ``fit``.
    name : str, default="X"
        Name of the input used in error messages.

    Returns
    -------
    series : list of ndarray of shape (n_timepoints_i, n_features)
        float64 views or copies; the caller's arrays are never written to.
    layout : {"2d", "3d", "list"}
        The structure of ``X``, for :func:`restore_layout`.
    """
    if _is_ragged_list(X):
        for i, x in enumerate(X):
            _check_real_numbers(x, f"{name}[{i}]")
        series = [
            check_array(x, dtype=np.float64, ensure_all_finite=False,
                        input_name=f"{name}[{i}]")
            for i, x in enumerate(X)
        ]
        counts = [x.shape[1] for x in series]
        if len(set(counts)) > 1:
            raise ValueError(
                f"All series in the list {name} must have the same number of "
                f"features; got feature counts {counts}. A system is observed "
                "through one fixed set of features: select common features, or "
                "pass systems with different features as separate systems."
            )
        layout = "list"
    else:
        if not hasattr(X, "ndim"):
            X = np.asarray(X)
        _check_real_numbers(X, name)
        if X.ndim == 2:
            X = validate_data(estimator, X, reset=reset, dtype=np.float64,
                              ensure_all_finite=False)
            _check_finite([X], name)
            return [X], "2d"
        if X.ndim != 3:
            raise ValueError(
                f"{type(estimator).__name__} expected {name} with 2 or 3 "
                f"dimensions, got an array of shape {X.shape}. Reshape your data: "
                f"{_RESHAPE_HINT}"
            )
        X = check_array(X, dtype=np.float64, allow_nd=True,
                        ensure_all_finite=False, input_name=name)
        if X.shape[0] == 0 or X.shape[2] == 0:
            raise ValueError(
                f"Found array with 0 sample(s) or 0 feature(s): {name} has shape "
                f"{X.shape}, expected (n_trials >= 1, n_timepoints, n_features >= 1)."
            )
        series = list(X)
        layout = "3d"
    _check_n_features(estimator, series[0].shape[1], reset)
    _check_finite(series, name)
    return series, layout


def check_embedding(X, *, estimator, reset):
    """Validate the input of a model that fits (embedded) time series.

    Parameters
    ----------
    X : DelayEmbedding or input of :func:`check_series`
        A lazy delay embedding (from :class:`~skdsa.HankelEmbedder`), or a
        recording that is used as it is.
    estimator : estimator instance
        As in :func:`check_series`.
    reset : bool
        Whether this is a call to ``fit``.

    Returns
    -------
    embedding : DelayEmbedding
        ``X`` itself, or the recording wrapped as an embedding with one delay.
    """
    from .._delay_embedding import DelayEmbedding  # the embedding module imports this one

    if isinstance(X, DelayEmbedding):
        _check_n_features(estimator, X.n_features, reset)
        return X
    series, layout = check_series(X, estimator=estimator, reset=reset)
    return DelayEmbedding(series, layout, n_delays=1, delay_interval=1)


def restore_layout(series, layout):
    """Return ``series`` (a list of 2D arrays) in the structure named by ``layout``."""
    if layout == "2d":
        return series[0]
    if layout == "3d":
        return np.stack(series)
    return list(series)


def check_operator(A, name="A"):
    """Validate a linear operator: a finite, real, square 2D float64 array.

    Parameters
    ----------
    A : array-like of shape (n, n)
        The operator.
    name : str, default="A"
        Name used in error messages.

    Returns
    -------
    A : ndarray of shape (n, n), dtype float64
    """
    A = np.asarray(A)
    if np.iscomplexobj(A):
        raise ValueError(
            f"Operator {name} is complex (dtype {A.dtype}); DSA compares real "
            "operators. Pass the real operator, e.g. DMDRegressor().operator_."
        )
    A = check_array(A, dtype=np.float64, ensure_all_finite=False, input_name=name)
    if A.shape[0] != A.shape[1]:
        raise ValueError(
            f"Operator {name} must be square (n, n); got shape {A.shape}. Pass the "
            "fitted state-transition matrix (e.g. DMDRegressor().operator_), not "
            "data or modes."
        )
    if not np.isfinite(A).all():
        raise ValueError(
            f"Operator {name} contains NaN or infinity. Check the model that "
            "produced it (e.g. a DMD fit on non-finite or constant data)."
        )
    return A


def check_operators(operators, size_mismatch="raise", names=None):
    """Validate operators and bring them to one size.

    Parameters
    ----------
    operators : sequence of array-like of shape (n_i, n_i)
        Operators.
    size_mismatch : {"raise", "pad"}, default="raise"
        Different sizes raise a ValueError, or with "pad" every operator is
        zero-padded to the largest size.
    names : list of str or None
        Names used in error messages; default ``X[i]``.

    Returns
    -------
    operators : list of ndarray of shape (n, n)
    """
    names = names or [f"X[{i}]" for i in range(len(operators))]
    operators = [check_operator(A, name) for A, name in zip(operators, names)]
    sizes = [A.shape[0] for A in operators]
    if len(set(sizes)) <= 1:
        return operators
    if size_mismatch == "pad":
        n = max(sizes)
        return [np.pad(A, (0, n - A.shape[0])) for A in operators]
    raise ValueError(
        f"Operators have different sizes {sorted(set(sizes))} (e.g. {names[0]} is "
        f"{sizes[0]}x{sizes[0]}); comparing them needs equal sizes. Fit every "
        "system with the same rank, or zero-pad the smaller operators with "
        "size_mismatch='pad' (a parameter of DSA and of every metric)."
    )


def check_driven(X, *, estimator, reset, n_inputs=None):
    """Validate the input of a model that fits states driven by inputs.

    Parameters
    ----------
    X : DrivenRecording, or input of :func:`check_series` with ``n_inputs``
        States with their inputs (the states possibly a lazy delay embedding),
        or, when ``n_inputs`` is given, a recording whose last ``n_inputs``
        features are the inputs.
    estimator : estimator instance
        ``n_features_in_`` (state columns) and ``n_inputs_in_`` are set on it
        (``reset=True``) or compared with it (``reset=False``).
    reset : bool
        Whether this is a call to ``fit``.
    n_inputs : int or None, default=None
        How many trailing features of a plain recording are inputs.

    Returns
    -------
    states : DelayEmbedding
        The states, as :func:`check_embedding` returns them.
    inputs : list of ndarray of shape (n_timepoints_i, n_inputs)
        float64 input trials, each as long as its (raw) state trial.
    """
    from .._driven_recording import DrivenRecording, check_alignment

    name = type(estimator).__name__
    if not isinstance(X, DrivenRecording):
        if n_inputs is None:
            raise ValueError(
                f"{name} fits states driven by inputs, but got {_describe_plain(X)} "
                "without inputs. Pass DrivenRecording(states, inputs), or set "
                "n_inputs to read the last n_inputs features of X as the inputs."
            )
        series, layout = check_series(X, estimator=_Columns(), reset=True)
        if series[0].shape[1] <= n_inputs:
            raise ValueError(
                f"n_inputs={n_inputs} leaves no state feature: X has "
                f"{series[0].shape[1]} feature(s). The last n_inputs features are "
                "read as inputs; lower n_inputs."
            )
        states = restore_layout([x[:, :-n_inputs] for x in series], layout)
        X = DrivenRecording(states, [x[:, -n_inputs:] for x in series])
    check_alignment(X.states, X.inputs)
    inputs, _ = check_series(X.inputs, estimator=_Columns(), reset=True,
                             name="u (the inputs)")
    expected = getattr(estimator, "n_inputs_in_", None)
    if reset:
        estimator.n_inputs_in_ = inputs[0].shape[1]
    elif expected is not None and inputs[0].shape[1] != expected:
        raise ValueError(
            f"The inputs have {inputs[0].shape[1]} features, but {name} was fitted "
            f"with {expected} inputs."
        )
    return check_embedding(X.states, estimator=estimator, reset=reset), inputs


class _Columns(BaseEstimator):
    """Stand-in estimator for validating inputs (their feature count is checked apart)."""


def _describe_plain(X):
    if isinstance(X, (list, tuple)):
        return f"a list of {len(X)} series"
    return f"an array of shape {np.shape(X)}"
