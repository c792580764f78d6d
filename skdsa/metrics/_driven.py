"""Distances between driven systems ``x[t + 1] = A x[t] + B u[t]``: dynamics, drive, or both."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions

from ..utils._fitting import atomic_fit
from ._driven_joint import (
    DrivenResult,
    PreparedDrivenSystem,
    aligned_inner_product,
    aligned_score,
    compare_joint,
)
from ._pairwise import compare_all
from ._prepared import prepare_operator
from ._procrustes import SCORES, compare_prepared
from ._validation import check_operator, check_operators

MODES = ("state", "input", "joint", "controllability")


def controllability_matrix(A, B):
    """``[B, A B, A^T B, A^2 B, (A^T)^2 B, ..., A^(n-1) B, (A^T)^(n-1) B]``.

    The matrix dsa-metric 2.0's ``ControllabilitySimilarityTransformDist``
    compares (powers of ``A`` and of ``A^T`` alternate), here so that its
    numbers can be reproduced.
    """
    blocks, forward, backward = [B], B, B
    for _ in range(1, A.shape[0]):
        forward, backward = A @ forward, A.T @ backward
        blocks += [forward, backward]
    return np.hstack(blocks)


class DrivenProcrustesMetric(BaseEstimator):
    """Procrustes distances between driven systems: their dynamics, their drive, or both.

    A driven system ``x[t + 1] = A x[t] + B u[t]`` (from :class:`DMDcRegressor`
    or :class:`SubspaceDMDcRegressor`) is compared with another up to an
    orthogonal change of state coordinates ``C`` (state coordinates are
    arbitrary), the inputs being the same channels in both systems (or, with
    ``align_inputs``, up to an orthogonal change of input coordinates ``D`` too).

    Parameters
    ----------
    mode : {"state", "input", "joint", "controllability"}, default="state"
        "state": ``min_C ||A1 - C A2 C^T||``, DSA's distance between the
        recurrent dynamics alone (the same as
        :class:`ProcrustesVectorFieldMetric` on the ``A``'s). "input":
        ``min_C ||B1 - C B2 D^T||`` (closed form), how the inputs enter.
        "joint": ``min_C ||A1 - C A2 C^T||^2 + w ||B1 - C B2 D^T||^2`` with
        one ``C`` for both, the whole driven system, solved with Pymanopt's
        trust regions. "controllability": dsa-metric 2.0's comparison, a
        one-sided Procrustes between the matrices ``[B, AB, A^T B, ...,
        A^(n-1) B, (A^T)^(n-1) B]`` (see :func:`controllability_matrix`),
        offered to reproduce its numbers.
    input_weight : float, default=1.0
        Weight ``w`` of the input term of "joint". ``B``'s scale is set by the
        inputs' units (scaling ``u`` by ``s`` scales ``B`` by ``1/s``):
        standardise the inputs, or set the weight, before mixing ``A`` and ``B``.
    align_inputs : bool, default=False
        Also optimise an orthogonal ``D`` on the input coordinates ("input"
        and "joint"; for "joint" the problem is then on ``O(n) x O(m)``), for
        systems whose inputs are not in a common space.
    score : {"angular", "euclidean"}, default="angular"
        "angular": the angle between the two systems (between ``(A1, sqrt(w)
        B1)`` and the aligned ``(A2, sqrt(w) B2)`` for "joint"), in radians;
        "euclidean": the Frobenius distance.
    n_init, max_iter, tol, gap_tol, size_mismatch, random_state, n_jobs, verbose
        As in :class:`ProcrustesVectorFieldMetric`. ``size_mismatch="pad"``
        pads ``A`` and the rows of ``B`` (and, with ``align_inputs``, the
        columns of ``B``) with zeros.

    Attributes
    ----------
    score_ : float
        The distance found by :meth:`fit`.
    C_ : ndarray of shape (n, n)
        The orthogonal change of state coordinates aligning system 2 to 1.
    D_ : ndarray of shape (m, m)
        The orthogonal change of input coordinates (identity without
        ``align_inputs``).
    lower_bound_ : float
        Certified lower bound on the true distance.
    certified_ : bool
        Whether ``score_ - lower_bound_ <= gap_tol``.

    See Also
    --------
    InputDSA : Distances between collections of driven systems.
    ProcrustesVectorFieldMetric : The state comparison.

    Notes
    -----
    Joint search: the structured starts of the state comparison, the rotation
    that aligns the ``B``'s best (closed form), and random rotations descend
    as in :class:`ProcrustesVectorFieldMetric`; with ``align_inputs`` each
    starts with the best ``D`` for its ``C``. Certificate: the state term is
    at least the state lower bound and the input term at least its closed-form
    minimum, so their weighted sum bounds the joint distance from below.

    Examples
    --------
    >>> import numpy as np
    >>> from skdsa.metrics import DrivenProcrustesMetric
    >>> rng = np.random.default_rng(0)
    >>> A, B = rng.normal(size=(4, 4)), rng.normal(size=(4, 2))
    >>> Q = np.linalg.qr(rng.normal(size=(4, 4)))[0]
    >>> metric = DrivenProcrustesMetric(mode="joint", random_state=0)
    >>> bool(metric.fit((A, B), (Q.T @ A @ Q, Q.T @ B)).score_ < 1e-6)
    True
    """

    _parameter_constraints = {
        "mode": [StrOptions(set(MODES))],
        "input_weight": [Interval(Real, 0, None, closed="left")],
        "align_inputs": ["boolean"],
        "score": [StrOptions(set(SCORES))],
        "n_init": [Interval(Integral, 0, None, closed="left"), StrOptions({"auto"})],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="neither")],
        "gap_tol": [Interval(Real, 0, None, closed="neither")],
        "size_mismatch": [StrOptions({"raise", "pad"})],
        "random_state": ["random_state"],
        "n_jobs": [Integral, None],
        "verbose": ["verbose"],
    }

    def __init__(self, mode="state", input_weight=1.0, align_inputs=False,
                 score="angular", n_init="auto", max_iter=200, tol=1e-8, gap_tol=1e-6,
                 size_mismatch="raise", random_state=None, n_jobs=None, verbose=0):
        self.mode = mode
        self.input_weight = input_weight
        self.align_inputs = align_inputs
        self.score = score
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.gap_tol = gap_tol
        self.size_mismatch = size_mismatch
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose

    def prepare(self, system):
        """Precompute what every comparison with a driven system needs.

        Parameters
        ----------
        system : tuple (A, B)
            A validated state operator (n, n) and input operator (n, m).

        Returns
        -------
        prepared : PreparedDrivenSystem
        """
        A, B = system
        norm = float(np.sqrt(np.sum(A * A) + self.input_weight * np.sum(B * B)))
        K = controllability_matrix(A, B) if self.mode == "controllability" else None
        return PreparedDrivenSystem(A, B, prepare_operator(A), norm, K)

    def compare(self, a, b, random_state=None):
        """Distance between two prepared driven systems.

        Parameters
        ----------
        a, b : PreparedDrivenSystem
            From :meth:`prepare`.
        random_state : int, RandomState instance or None
            Seed of the random restarts of this pair ("joint").

        Returns
        -------
        score : float
        """
        return self._compare(a, b, random_state).score

    def _compare(self, a, b, random_state):
        n, m = a.input_operator.shape
        if self.mode == "state":
            result = compare_prepared(a.state, b.state, score=self.score, n_init=self.n_init,
                                      max_iter=self.max_iter, tol=self.tol,
                                      gap_tol=self.gap_tol, random_state=random_state)
            return DrivenResult(result.score, result.C, np.eye(m), result.lower_bound,
                                result.certified)
        if self.mode in ("input", "controllability"):
            M1, M2 = ((a.input_operator, b.input_operator) if self.mode == "input"
                      else (a.controllability, b.controllability))
            align = self.align_inputs and self.mode == "input"
            _, C, D = aligned_inner_product(M1, M2, align)
            value = aligned_score(M1, M2, C, D, self.score)
            return DrivenResult(value, C, D, value, True)
        return compare_joint(a, b, weight=self.input_weight, align_inputs=self.align_inputs,
                             score=self.score, n_init=self.n_init, max_iter=self.max_iter,
                             tol=self.tol, gap_tol=self.gap_tol, random_state=random_state)

    @atomic_fit
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, Y):
        """Compare two driven systems.

        Parameters
        ----------
        X, Y : tuple (A, B)
            State operators (n, n) and input operators (n, m). Never modified.

        Returns
        -------
        self : DrivenProcrustesMetric
        """
        a, b = (self.prepare(system) for system in
                check_driven_systems([X, Y], ["X", "Y"], self))
        result = self._compare(a, b, self.random_state)
        self.score_, self.C_, self.D_ = result.score, result.C, result.D
        self.lower_bound_, self.certified_ = result.lower_bound, result.certified
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def pairwise(self, X, Y=None):
        """Distances between all driven systems of ``X`` (and ``Y``).

        Parameters
        ----------
        X : sequence of tuples (A, B)
            Driven systems.
        Y : sequence of tuples (A, B) or None
            Second set; None compares ``X`` with itself (each pair once).

        Returns
        -------
        D : ndarray of shape (n_X, n_X) or (n_X, n_Y)
        """
        X = list(X)
        Y = None if Y is None else list(Y)
        names = [f"X[{i}]" for i in range(len(X))] + [f"Y[{i}]" for i in range(len(Y or []))]
        prepared = [self.prepare(s) for s in check_driven_systems(X + (Y or []), names, self)]
        return compare_all(self, prepared[:len(X)], None if Y is None else prepared[len(X):],
                           n_jobs=self.n_jobs, random_state=self.random_state,
                           verbose=self.verbose)


def check_driven_systems(systems, names, metric):
    """Validate ``(A, B)`` pairs and bring them to one size for ``metric``.

    ``A`` and the rows of ``B`` follow ``metric.size_mismatch``. Different input
    counts are padded with zero columns where the inputs play no part (``mode=
    "state"``) or are aligned (``align_inputs`` with ``size_mismatch="pad"``);
    elsewhere they raise, since the inputs must then be the same channels.
    """
    checked = []
    for (A, B), name in zip(systems, names):
        A = check_operator(A, f"A of {name}")
        checked.append((A, check_operator_inputs(B, A.shape[0], f"B of {name}")))
    operators = check_operators([A for A, _ in checked], metric.size_mismatch,
                                [f"A of {name}" for name in names])
    widths = {B.shape[1] for _, B in checked}
    aligned = metric.align_inputs and metric.size_mismatch == "pad"
    if len(widths) > 1 and not (metric.mode == "state" or aligned):
        raise ValueError(
            f"The input operators have different numbers of inputs {sorted(widths)}; "
            f"mode={metric.mode!r} compares inputs as the same channels in every "
            "system. Compare systems driven by the same inputs, use mode='state', or "
            "set align_inputs=True with size_mismatch='pad'."
        )
    n, m = operators[0].shape[0], max(widths)
    return [(A, np.pad(B, ((0, n - B.shape[0]), (0, m - B.shape[1]))))
            for A, (_, B) in zip(operators, checked)]


def check_operator_inputs(B, n, name):
    """Validate an input operator: a finite, real (n, m) float64 array."""
    B = np.asarray(B)
    if B.ndim == 1:
        B = B.reshape(-1, 1)
    if np.iscomplexobj(B) or B.ndim != 2 or B.shape[0] != n:
        raise ValueError(
            f"Input operator {name} must be a real array of shape (n, m) with n = {n} "
            f"rows (the size of A); got {B.dtype} of shape {B.shape}. Pass the fitted "
            "input_operator_ of the model that gave A."
        )
    B = B.astype(np.float64)
    if not np.isfinite(B).all():
        raise ValueError(f"Input operator {name} contains NaN or infinity. Check the "
                         "model that produced it.")
    return B
