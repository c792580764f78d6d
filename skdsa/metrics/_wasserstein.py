"""Wasserstein distance between the eigenvalue sets of two operators."""

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils._param_validation import StrOptions

from ._pairwise import pairwise_distances
from ._validation import check_operators


def _w2(eigenvalues_a, eigenvalues_b, squared):
    cost = np.abs(eigenvalues_a[:, None] - eigenvalues_b[None, :]) ** 2
    rows, cols = linear_sum_assignment(cost)
    w2_squared = float(cost[rows, cols].mean())
    return w2_squared if squared else np.sqrt(w2_squared)


def eigenvalue_wasserstein(A, B, *, squared=False, size_mismatch="raise"):
    """W2 distance between the eigenvalues of ``A`` and ``B`` in the complex plane.

    Each operator's eigenvalues are a uniform distribution of point masses in
    the complex plane; the optimal transport between two such sets of equal
    size is an assignment, solved exactly by
    :func:`scipy.optimize.linear_sum_assignment`.

    Parameters
    ----------
    A, B : array-like of shape (n, n)
        Real square operators.
    squared : bool, default=False
        Return ``W2^2`` (the mean squared distance of the optimal matching, what
        ``dsa-metric`` reports) instead of ``W2``.
    size_mismatch : {"raise", "pad"}, default="raise"
        Different sizes raise, or with "pad" the smaller operator is zero-padded
        (its set gains zero eigenvalues).

    Returns
    -------
    distance : float

    Examples
    --------
    >>> import numpy as np
    >>> from skdsa.metrics import eigenvalue_wasserstein
    >>> float(eigenvalue_wasserstein(np.diag([0.5, 0.9]), np.diag([0.9, 0.6])))
    0.07071067811865474
    """
    A, B = check_operators([A, B], size_mismatch, names=["A", "B"])
    return _w2(np.linalg.eigvals(A), np.linalg.eigvals(B), squared)


class EigenvalueWasserstein(BaseEstimator):
    """W2 distance between eigenvalue sets, with the interface of a DSA metric.

    Invariant to any change of basis (not only orthogonal ones), cheap, and blind
    to the eigenvectors: a fast alternative to
    :class:`ProcrustesVectorFieldMetric`.

    Parameters
    ----------
    squared : bool, default=False
        Report ``W2^2`` instead of ``W2``.
    size_mismatch : {"raise", "pad"}, default="raise"
        Policy for operators of different sizes.
    n_jobs : int or None, default=None
        Parallel jobs for :meth:`pairwise`.
    verbose : int, default=0
        Progress output of :meth:`pairwise`.

    See Also
    --------
    eigenvalue_wasserstein : The functional form.

    Examples
    --------
    >>> import numpy as np
    >>> from skdsa.metrics import EigenvalueWasserstein
    >>> ops = [np.diag([0.5, 0.9]), np.diag([0.9, 0.6]), np.diag([0.5, 0.9])]
    >>> EigenvalueWasserstein().pairwise(ops).round(4)
    array([[0.    , 0.0707, 0.    ],
           [0.0707, 0.    , 0.0707],
           [0.    , 0.0707, 0.    ]])
    """

    _parameter_constraints = {
        "squared": ["boolean"],
        "size_mismatch": [StrOptions({"raise", "pad"})],
        "n_jobs": [int, None],
        "verbose": ["verbose"],
    }

    def __init__(self, squared=False, size_mismatch="raise", n_jobs=None, verbose=0):
        self.squared = squared
        self.size_mismatch = size_mismatch
        self.n_jobs = n_jobs
        self.verbose = verbose

    def prepare(self, A):
        """Eigenvalues of a validated operator ``A``."""
        return np.linalg.eigvals(A)

    def compare(self, a, b, random_state=None):
        """Distance between two eigenvalue sets from :meth:`prepare`."""
        return _w2(a, b, self.squared)

    @_fit_context(prefer_skip_nested_validation=True)
    def pairwise(self, X, Y=None):
        """Distances between all operators of ``X`` (and ``Y``).

        Parameters
        ----------
        X : sequence of array-like of shape (n, n)
            Operators.
        Y : sequence of array-like of shape (n, n) or None
            Second set; None compares ``X`` with itself.

        Returns
        -------
        D : ndarray of shape (n_X, n_X) or (n_X, n_Y)
        """
        return pairwise_distances(self, X, Y, n_jobs=self.n_jobs, verbose=self.verbose)
