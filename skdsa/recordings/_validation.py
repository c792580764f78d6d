"""One place that checks recordings (time series) and gives back their layout.

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

from ._labelled import from_dataarray, is_dataarray

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


def check_n_features(estimator, n_features, reset):
    """Set ``n_features_in_`` on ``estimator`` (``reset``) or check it against ``n_features``."""
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
            (n_trials, n_timepoints, n_features), list of such 2D arrays, or DataArray
        The recording. A list may hold series of different lengths. An xarray
        DataArray is read by its dimension names (``time``, optionally
        ``trial``, and the features), whatever their order.
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
        C-contiguous float64 views or copies; the caller's arrays are never
        written to. (The memory layout changes the order of BLAS sums: a strided
        view and its copy gave operators 1e-15 to 1e-13 apart, enough to move the
        distances between near-identical systems. Every system is fitted from
        the same layout, whether in this process or in a joblib worker.)
    layout : {"2d", "3d", "list"}
        The structure of ``X``, for :func:`restore_layout`.
    """
    if is_dataarray(X):
        X = from_dataarray(X, name)
    if _is_ragged_list(X):
        for i, x in enumerate(X):
            _check_real_numbers(x, f"{name}[{i}]")
        series = [
            check_array(x, dtype=np.float64, order="C", ensure_all_finite=False,
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
            X = validate_data(estimator, X, reset=reset, dtype=np.float64, order="C",
                              ensure_all_finite=False)
            _check_finite([X], name)
            return [X], "2d"
        if X.ndim != 3:
            raise ValueError(
                f"{type(estimator).__name__} expected {name} with 2 or 3 "
                f"dimensions, got an array of shape {X.shape}. Reshape your data: "
                f"{_RESHAPE_HINT}"
            )
        X = check_array(X, dtype=np.float64, order="C", allow_nd=True,
                        ensure_all_finite=False, input_name=name)
        if X.shape[0] == 0 or X.shape[2] == 0:
            raise ValueError(
                f"Found array with 0 sample(s) or 0 feature(s): {name} has shape "
                f"{X.shape}, expected (n_trials >= 1, n_timepoints, n_features >= 1)."
            )
        series = list(X)
        layout = "3d"
    check_n_features(estimator, series[0].shape[1], reset)
    _check_finite(series, name)
    return series, layout


class Recording(BaseEstimator):
    """Stands in for an estimator where a recording is read on its own behalf."""


def read_trials(X, name="X"):
    """:func:`check_series` for a recording read on its own (no estimator's feature count).

    Returns
    -------
    series : list of ndarray of shape (n_timepoints_i, n_features)
    layout : {"2d", "3d", "list"}
    """
    return check_series(X, estimator=Recording(), reset=True, name=name)


def restore_layout(series, layout):
    """Return ``series`` (a list of 2D arrays) in the structure named by ``layout``."""
    if layout == "2d":
        return series[0]
    if layout == "3d":
        return np.stack(series)
    return list(series)
