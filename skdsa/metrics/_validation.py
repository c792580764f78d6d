"""Checks of linear operators, the items that the operator metrics compare."""

import numpy as np
from sklearn.utils.validation import check_array


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
