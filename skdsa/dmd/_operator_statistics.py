"""Non-normality and transient growth of fitted operators: what eigenvalues do not say."""

import numpy as np
import pandas as pd


def departure_from_normality(A, relative=True):
    """Henrici's departure from normality of an operator.

    ``sqrt(||A||_F^2 - sum_i |lambda_i|^2)``: 0 exactly when ``A`` is normal
    (orthogonal eigenvectors), so that its eigenvalues say everything about its
    dynamics; large when eigenvectors are nearly parallel, where trajectories can
    grow for a while before the eigenvalues' decay takes over (transient
    amplification, as in balanced excitatory-inhibitory networks). Invariant to
    orthogonal changes of coordinates, like DSA, but not to other linear ones:
    it describes the operator in the coordinates DSA compares (whitened for
    :class:`DMDRegressor`).

    Parameters
    ----------
    A : array-like of shape (n, n)
        The operator.
    relative : bool, default=True
        Divide by ``||A||_F``: a number in ``[0, 1]`` that compares operators of
        different scales.

    Returns
    -------
    departure : float
    """
    A = np.asarray(A, dtype=np.float64)
    squared = np.sum(A**2) - np.sum(np.abs(np.linalg.eigvals(A)) ** 2)
    departure = float(np.sqrt(max(squared, 0.0)))
    norm = np.linalg.norm(A)
    return departure / norm if relative and norm > 0 else departure


def transient_growth(A, n_steps=100):
    """Largest amplification ``max_k ||A^k||_2`` over ``k = 1..n_steps``, and its step.

    A discrete-time operator maps ``x[t]`` to ``x[t + k] = A^k x[t]``; ``||A^k||_2``
    is the most any state can grow in ``k`` steps. For a normal operator it is
    ``rho(A)^k`` (``rho``: spectral radius), so a stable normal operator never
    amplifies (at most ``rho <= 1``). A value above 1 for a stable operator is
    transient growth, possible only through non-normality.

    Parameters
    ----------
    A : array-like of shape (n, n)
        The operator.
    n_steps : int, default=100
        Horizon.

    Returns
    -------
    growth : float
        ``max_k ||A^k||_2``.
    step : int
        The ``k`` at which it is reached (the first, on ties).
    """
    A = np.asarray(A, dtype=np.float64)
    power, norms = np.eye(len(A)), []
    for _ in range(n_steps):
        power = power @ A
        norms.append(np.linalg.norm(power, 2))
    step = int(np.argmax(norms))
    return float(norms[step]), step + 1


def operator_statistics(operators, names=None, n_steps=100):
    """Per-system summary of fitted operators beyond their eigenvalues.

    Parameters
    ----------
    operators : sequence of array-like of shape (n_i, n_i)
        E.g. ``DSA().fit(X).operators_``.
    names : sequence of str or None, default=None
        Row labels, e.g. ``dsa.system_names_``.
    n_steps : int, default=100
        Horizon of :func:`transient_growth`.

    Returns
    -------
    statistics : DataFrame
        One row per operator: ``spectral_radius`` (slowest decay or fastest
        growth of the eigenmodes), ``departure_from_normality`` (relative, see
        :func:`departure_from_normality`), ``max_growth`` and ``growth_step``
        (see :func:`transient_growth`).

    Examples
    --------
    >>> import numpy as np
    >>> from skdsa.dmd import operator_statistics
    >>> normal, sheared = np.diag([0.9, 0.8]), np.array([[0.9, 2.0], [0.0, 0.8]])
    >>> operator_statistics([normal, sheared], ["normal", "sheared"]).round(2)
             spectral_radius  departure_from_normality  max_growth  growth_step
    normal               0.9                      0.00        0.90            1
    sheared              0.9                      0.86        5.42            6
    """
    rows = []
    for A in operators:
        growth, step = transient_growth(A, n_steps)
        rows.append({"spectral_radius": float(np.max(np.abs(np.linalg.eigvals(A)))),
                     "departure_from_normality": departure_from_normality(A),
                     "max_growth": growth, "growth_step": step})
    index = None if names is None else [str(name) for name in names]
    return pd.DataFrame(rows, index=index)
