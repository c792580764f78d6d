"""Procrustes analysis over vector fields: the DSA distance between operators.

``d(A, B) = min over orthogonal C of ||A - C B C^T||_F``, solved with Pymanopt's
trust-region method on the Stiefel manifold ``St(n, n) = O(n)``, with a lower
bound that certifies the optimum when the gap closes. The pieces live in their
own modules: per-operator precomputations (``_prepared``), lower bounds
(``_bounds``), the manifold and its descent (``_orthogonal``), the cost
(``_problem``), the starting rotations (``_starts``) and the multi-start search
(``_search``); this module combines them for one pair and holds the estimator.
"""

from dataclasses import dataclass, replace
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions

from ..utils._fitting import atomic_fit
from ._bounds import chord_to_angle, distance_lower_bound
from ._orthogonal import skew
from ._pairwise import pairwise_distances
from ._prepared import prepare_operator
from ._problem import make_problem, make_problem_in_sym_basis
from ._search import (
    BATCHED_MAX_N,
    BATCHED_PRECONDITION_BELOW,
    JOINT_MAX_N,
    SCREENING_TOL,
    search,
    search_many,
    short_search,
)
from ._starts import short_screening, starts_for, structured_starts
from ._validation import check_operators

SCORES = ("angular", "euclidean")


@dataclass(frozen=True)
class ProcrustesResult:
    """Outcome of one comparison.

    Attributes
    ----------
    score : float
        The distance: the angle in radians (``angular``) or the Frobenius
        distance (``euclidean``).
    C : ndarray of shape (n, n)
        The orthogonal matrix found; ``C @ B @ C.T`` is aligned to ``A``.
    cost : float
        ``||A/|A| - C (B/|B|) C^T||_F^2``, the minimised objective.
    n_iter : int
        Trust-region iterations of the start that gave ``C``.
    lower_bound : float
        Certified lower bound on the true distance, in the units of ``score``.
    certified : bool
        Whether ``score - lower_bound <= gap_tol``: ``score`` is then the
        global optimum up to ``gap_tol``.
    """

    score: float
    C: np.ndarray
    cost: float
    n_iter: int
    lower_bound: float
    certified: bool


def _angle(chord, a, b):
    """Angular score for a chord between unit operators, with the zero-operator convention."""
    if a.norm == 0 or b.norm == 0:
        return 0.0 if a.norm == b.norm else np.pi / 2
    return chord_to_angle(chord)


def _score_from(a, b, C, score):
    if score == "euclidean":
        return float(np.linalg.norm(a.operator - C @ b.operator @ C.T))
    return _angle(np.linalg.norm(a.unit - C @ b.unit @ C.T), a, b)


def _lower_bound(a, b, score):
    if score == "euclidean":
        return distance_lower_bound(a, b, a.norm, b.norm)
    return _angle(distance_lower_bound(a, b), a, b)


def compare_prepared(a, b, *, score="angular", n_init="auto", max_iter=200, tol=1e-8,
                     gap_tol=1e-6, random_state=None):
    """Procrustes distance between two prepared operators of equal size.

    Parameters
    ----------
    a, b : PreparedOperator
        From :func:`prepare_operator`.
    score, n_init, max_iter, tol, gap_tol, random_state
        See :class:`ProcrustesVectorFieldMetric`.

    Returns
    -------
    result : ProcrustesResult
    """
    return compare_many([(a, b)], score=score, n_init=n_init, max_iter=max_iter, tol=tol,
                        gap_tol=gap_tol, random_state=random_state)[0]


def compare_many(pairs, *, score="angular", n_init="auto", max_iter=200, tol=1e-8,
                 gap_tol=1e-6, random_state=None):
    """:func:`compare_prepared` for many pairs, their searches batched where possible.

    Up to ``BATCHED_MAX_N`` the starts of all pairs descend together
    (``_search.search_many``); each pair's result is the one it would get
    alone, bit for bit.

    Parameters
    ----------
    pairs : list of tuple of PreparedOperator
        Pairs of operators of equal size.
    score, n_init, max_iter, tol, gap_tol, random_state
        See :class:`ProcrustesVectorFieldMetric`; ``random_state`` seeds the
        random starts of every pair.

    Returns
    -------
    results : list of ProcrustesResult
    """
    # Solve every unordered pair in one canonical order, so that d(A, B) ==
    # d(B, A) exactly (the optimal C of (B, A) is C^T).
    swapped = [b.operator.tobytes() < a.operator.tobytes() for a, b in pairs]
    ordered = [(b, a) if swap else (a, b) for (a, b), swap in zip(pairs, swapped)]
    results = _compare_many_in_order(ordered, score=score, n_init=n_init, max_iter=max_iter,
                                     tol=tol, gap_tol=gap_tol, random_state=random_state)
    return [replace(result, C=result.C.T) if swap else result
            for result, swap in zip(results, swapped)]


def compare_in_order(a, b, *, score, n_init, max_iter, tol, gap_tol, random_state):
    """:func:`compare_prepared` for ``a`` and ``b`` in the order given (no canonical order).

    Solving ``(a, b)`` and ``(b, a)`` reaches the same minimum up to the search's
    tolerance; the canonical order of :func:`compare_prepared` makes them equal
    to the last bit.
    """
    return _compare_many_in_order([(a, b)], score=score, n_init=n_init, max_iter=max_iter,
                                  tol=tol, gap_tol=gap_tol, random_state=random_state)[0]


def _compare_many_in_order(pairs, *, score, n_init, max_iter, tol, gap_tol, random_state):
    results, batched = [None] * len(pairs), []
    bounds = [_lower_bound(a, b, score) for a, b in pairs]
    for index, (a, b) in enumerate(pairs):
        n = a.operator.shape[0]
        if n == 1 or a.norm == 0 or b.norm == 0 or np.array_equal(a.operator, b.operator):
            # C = I is optimal: every orthogonal C gives the same value, or A == B
            # and the distance is exactly 0.
            results[index] = _result(a, b, np.eye(n), 0, bounds[index], score, gap_tol)
            continue
        structured = structured_starts(a, b)
        initial = [_score_from(a, b, C, score) for C in structured]
        if min(initial) - bounds[index] <= gap_tol:
            # A structured start is already certified optimal: polish it alone.
            starts = [structured[int(np.argmin(initial))]]
        else:
            starts = starts_for(a, b, structured, n_init, random_state)

        def problem_for(k, hessian_dtype, a=a, b=b):
            return make_problem(a.unit, b.unit, k=k, hessian_dtype=hessian_dtype)

        if n <= JOINT_MAX_N:
            batched.append((index, None, (a.unit, b.unit, starts, problem_for)))
            continue
        if n <= BATCHED_MAX_N:
            V, B, problem_in_basis = _in_sym_basis(a, b, BATCHED_PRECONDITION_BELOW)
            batched.append((index, V, (a.unit, B, [C @ V for C in starts], problem_in_basis)))
            continue
        if short_screening(n, n_init):
            C, n_iter = _search_in_sym_basis(a, b, starts, tol=tol, max_iter=max_iter)
        else:
            C, n_iter = search(problem_for, starts,
                               lambda C, a=a, b=b: _score_from(a, b, C, score),
                               tol=tol, max_iter=max_iter)
        results[index] = _result(a, b, C, n_iter, bounds[index], score, gap_tol)
    for size in {problem[0].shape[0] for _, _, problem in batched}:
        group = [(index, V, problem) for index, V, problem in batched
                 if problem[0].shape[0] == size]
        found = search_many([problem for _, _, problem in group], tol=tol, max_iter=max_iter)
        for (index, V, _), (C, n_iter) in zip(group, found):
            C = C if V is None else C @ V.T
            results[index] = _result(*pairs[index], C, n_iter, bounds[index], score, gap_tol)
    return results


def _in_sym_basis(a, b, precondition_below):
    """A pair's problem in the eigenbasis ``V`` of sym(B): ``(V, V^T B V, problem_for)``.

    ``V^T B V = D + K`` (``D`` diagonal, ``K`` skew); a point ``C`` of the
    original problem is ``C V`` here (``_problem.make_problem_in_sym_basis``,
    Jacobi-preconditioned below ``precondition_below``).
    """
    V = b.sym_vectors
    K = skew(V.T @ b.unit @ V)

    def problem_for(k, hessian_dtype):  # k is 1: the searches polish one point
        return make_problem_in_sym_basis(a.unit, b.sym_values, K, hessian_dtype=hessian_dtype,
                                         precondition_below=precondition_below)

    return V, np.diag(b.sym_values) + K, problem_for


def _search_in_sym_basis(a, b, starts, *, tol, max_iter):
    """The short-screening search of large operators, in the eigenbasis ``V`` of sym(B).

    The same problem in coordinates ``C V`` (``_problem.make_problem_in_sym_basis``):
    a fifth fewer matrix products per Hessian-vector product, and a Jacobi
    preconditioner below the screening's gradient norm (the polish's last
    steps, where the truncated-CG loops are longest). On the six rank-300 pairs
    of ``benchmarks/large_rank.py`` the same minima with 13% fewer Hessian
    products than in the original coordinates without a preconditioner.
    """
    V, B, problem_for = _in_sym_basis(a, b, SCREENING_TOL)
    C, n_iter = short_search(a.unit, B, [C @ V for C in starts], problem_for, tol=tol,
                             max_iter=max_iter)
    return C @ V.T, n_iter


def _result(a, b, C, n_iter, lower_bound, score, gap_tol):
    value = _score_from(a, b, C, score)
    cost = float(np.sum((a.unit - C @ b.unit @ C.T) ** 2))
    lower = min(lower_bound, value)
    return ProcrustesResult(value, C, cost, n_iter, lower, value - lower <= gap_tol)


class ProcrustesVectorFieldMetric(BaseEstimator):
    """Procrustes analysis over vector fields: the distance DSA puts between operators.

    ``d(A, B) = min over orthogonal C of ||A - C B C^T||_F``, over the whole
    orthogonal group ``O(n)`` (both determinant signs), solved with Pymanopt's
    trust-region method on the Stiefel manifold ``St(n, n)`` with analytic
    derivatives.

    Parameters
    ----------
    score : {"angular", "euclidean"}, default="angular"
        "angular" reports ``arccos(<A, C B C^T> / (|A| |B|))`` in radians, in
        ``[0, pi]``; "euclidean" reports ``||A - C B C^T||_F``. Both use the
        same optimal ``C``.
    n_init : int or "auto", default="auto"
        Random rotations (Haar-distributed, alternating determinant sign), each
        tried as ``R`` and ``R^T``, added to the (up to six) structured starts:
        ``2 * n_init`` random starts. "auto" adapts the search to the size
        ``n`` of the operators: up to ``n = 20`` the six structured starts and
        16 random ones (8 rotations); above, where every start costs
        ``O(n^3)`` per Hessian product, fewer starts as ``n`` grows (all of
        them, with the coordinate-aligned start and the identity up to 16, to
        ``n = 39``, about 10 at 50, 5 at 75, 3 at 100, 2 up to 129). From
        ``n = 130`` on, three starts (coordinate-aligned, identity, best
        sym-aligned) are each screened for 20 trust-region iterations and the
        best is descended: a single start could end in the worse of two basin
        families (ring-attractor operators at rank 150). On the operators of
        ``benchmarks/large_rank.py`` this reaches lower costs than dsa-metric's
        1500-iteration setting at every rank measured (6-300); it is faster
        than dsa-metric's default at rank 150 and on most pairs at rank 300
        (there the search runs in the eigenbasis of sym(B), with a Jacobi
        preconditioner for the polish's last steps). The
        rotations depend only on ``random_state`` and ``n``, and every set of
        starts is closed under transposition, so a distance never depends on
        the order of the two operators or on where the pair sits in a batch.
    max_iter : int, default=200
        Maximum trust-region iterations of each descent (each start's
        screening, and the polish).
    tol : float, default=1e-8
        Stop when the Riemannian gradient norm (of the problem on unit
        operators) falls below ``tol``.
    gap_tol : float, default=1e-6
        A result is certified optimal when ``score - lower_bound <= gap_tol``.
        If a start is already certified, no other start is descended.
    size_mismatch : {"raise", "pad"}, default="raise"
        Operators of different sizes raise a ValueError, or with "pad" are
        zero-padded to the larger size. The method is never switched silently.
    random_state : int, RandomState instance or None, default=None
        Seeds the random restarts. :meth:`pairwise` draws one seed per call and
        gives it to every pair, so a pair's distance does not depend on
        ``n_jobs`` or on the other operators.
    n_jobs : int or None, default=None
        Parallel jobs for :meth:`pairwise` (joblib; any joblib backend).
    verbose : int, default=0
        If > 0, :meth:`pairwise` prints progress (pairs done, elapsed, ETA).

    Attributes
    ----------
    score_ : float
        The distance found by :meth:`fit`.
    C_ : ndarray of shape (n, n)
        The orthogonal matrix aligning ``B`` to ``A``: ``C_ @ B @ C_.T``.
    cost_ : float
        ``||A/|A| - C_ (B/|B|) C_^T||_F^2``.
    n_iter_ : int
        Trust-region iterations of the descent that gave ``C_`` (its
        screening, or the joint screening, plus the polish).
    lower_bound_ : float
        Certified lower bound on the true distance (units of ``score_``).
    gap_ : float
        ``score_ - lower_bound_``, the largest possible suboptimality.
    certified_ : bool
        Whether ``gap_ <= gap_tol``.

    See Also
    --------
    EigenvalueWasserstein : Cheaper distance between eigenvalue sets.
    DSA : Distances between whole collections of systems.

    Notes
    -----
    Strategy. The landscape has local minima, so the starts matter more than
    the optimizer. Structured starts (:func:`structured_starts`) align the
    structure of ``B`` with that of ``A``: four map the eigenvectors of the
    symmetric part of ``B`` onto those of ``A`` (sorted by eigenvalue) with the
    best sign patterns, two per component of ``O(n)`` (``det C = +1`` and
    ``-1``), and two align the real Schur bases of the skew parts. For
    conjugate operators ``B = Q^T A Q`` with distinct symmetric eigenvalues one
    of them is already exact, which the certificate detects: it is then
    polished alone. Otherwise every start descends far enough to rank its
    basin and the best is polished to ``tol``. Up to ``n = 129`` every start of
    every pair compared at once (:meth:`compare_many`, which
    :meth:`pairwise` uses for each chunk of pairs) is a row of one batched
    trust-region descent, Pymanopt's method rewritten over stacked matrix
    products, each row with its own radius and stopping test (for small
    operators one Pymanopt run per start costs more in Python overhead than
    in arithmetic); Pymanopt's own trust-region method then checks each
    polished point and continues it if it stopped short of ``tol``. Above
    ``n = 20`` the screening uses float32 Hessian-vector products and short
    truncated-CG loops (the cost and gradient stay float64, so the polish
    still reaches ``tol``), in the eigenbasis of ``B``'s symmetric part with a
    Jacobi preconditioner below a gradient norm of ``1e-3`` (batches hold
    fewer pairs as ``n`` grows); from ``n = 130`` the three briefly screened
    starts are rows of one batched descent. A pair's
    result never depends on the other pairs compared with it.

    Certificate. The symmetric and skew parts of ``A - C B C^T`` are orthogonal
    and each is bounded below by the distance between sorted spectra
    (Hoffman-Wielandt); Mirsky's theorem gives a bound from singular values.
    The larger bound holds for every ``C``, so ``score_ - lower_bound_`` bounds
    how far ``score_`` can be from the global optimum.

    The angular score of a zero operator is defined as 0 against another zero
    operator and ``pi / 2`` against any other operator (their inner product is
    0); the euclidean score needs no convention.

    Examples
    --------
    >>> import numpy as np
    >>> from skdsa.metrics import ProcrustesVectorFieldMetric
    >>> rng = np.random.default_rng(0)
    >>> A = rng.normal(size=(4, 4))
    >>> Q = np.linalg.qr(rng.normal(size=(4, 4)))[0]
    >>> metric = ProcrustesVectorFieldMetric(random_state=0).fit(A, Q @ A @ Q.T)
    >>> bool(metric.score_ < 1e-6), bool(metric.certified_)
    (True, True)
    """

    _parameter_constraints = {
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

    def __init__(self, score="angular", n_init="auto", max_iter=200, tol=1e-8,
                 gap_tol=1e-6, size_mismatch="raise", random_state=None,
                 n_jobs=None, verbose=0):
        self.score = score
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.gap_tol = gap_tol
        self.size_mismatch = size_mismatch
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose

    def prepare(self, A):
        """Precompute what every comparison with operator ``A`` needs.

        Parameters
        ----------
        A : ndarray of shape (n, n)
            A validated operator.

        Returns
        -------
        prepared : PreparedOperator
        """
        return prepare_operator(A)

    def compare(self, a, b, random_state=None):
        """Distance between two prepared operators of equal size.

        Parameters
        ----------
        a, b : PreparedOperator
            From :meth:`prepare`.
        random_state : int, RandomState instance or None
            Seed of the random restarts of this pair.

        Returns
        -------
        score : float
        """
        return compare_prepared(a, b, score=self.score, n_init=self.n_init,
                                max_iter=self.max_iter, tol=self.tol,
                                gap_tol=self.gap_tol, random_state=random_state).score

    def compare_many(self, pairs, random_state=None):
        """Distances of many pairs of prepared operators, their searches batched.

        Each distance equals :meth:`compare` of its pair, bit for bit.

        Parameters
        ----------
        pairs : list of tuple of PreparedOperator
            Pairs from :meth:`prepare`, the two of a pair of equal size.
        random_state : int, RandomState instance or None
            Seed of the random restarts of every pair.

        Returns
        -------
        scores : list of float
        """
        return [result.score for result in compare_many(
            pairs, score=self.score, n_init=self.n_init, max_iter=self.max_iter,
            tol=self.tol, gap_tol=self.gap_tol, random_state=random_state)]

    @atomic_fit
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, A, B):
        """Find the orthogonal ``C`` that best aligns ``B`` to ``A``.

        Parameters
        ----------
        A, B : array-like of shape (n, n)
            Real square operators. Never modified.

        Returns
        -------
        self : ProcrustesVectorFieldMetric
        """
        A, B = check_operators([A, B], self.size_mismatch, names=["A", "B"])
        result = compare_prepared(
            prepare_operator(A), prepare_operator(B), score=self.score,
            n_init=self.n_init, max_iter=self.max_iter, tol=self.tol,
            gap_tol=self.gap_tol, random_state=self.random_state)
        self.score_, self.C_, self.cost_ = result.score, result.C, result.cost
        self.n_iter_, self.lower_bound_ = result.n_iter, result.lower_bound
        self.gap_ = result.score - result.lower_bound
        self.certified_ = result.certified
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def pairwise(self, X, Y=None):
        """Distances between all operators of ``X`` (and ``Y``).

        Parameters
        ----------
        X : sequence of array-like of shape (n, n), or ndarray (n_X, n, n)
            Operators.
        Y : sequence of array-like of shape (n, n), or None
            Second set of operators; None compares ``X`` with itself (upper
            triangle only, mirrored; zero diagonal).

        Returns
        -------
        D : ndarray of shape (n_X, n_X) or (n_X, n_Y)
        """
        return pairwise_distances(self, X, Y, n_jobs=self.n_jobs,
                                  random_state=self.random_state, verbose=self.verbose)


def procrustes_vector_field_distance(A, B, *, score="angular", n_init="auto",
                                     max_iter=200, tol=1e-8, gap_tol=1e-6,
                                     size_mismatch="raise", random_state=None,
                                     return_result=False):
    """DSA distance ``min over orthogonal C of ||A - C B C^T||_F`` between operators.

    Parameters
    ----------
    A, B : array-like of shape (n, n)
        Real square operators (e.g. ``DMDRegressor().operator_``). Never modified.
    score, n_init, max_iter, tol, gap_tol, size_mismatch, random_state
        See :class:`ProcrustesVectorFieldMetric`.
    return_result : bool, default=False
        Return the full :class:`ProcrustesResult` instead of the score.

    Returns
    -------
    score : float or ProcrustesResult

    Examples
    --------
    >>> import numpy as np
    >>> from skdsa.metrics import procrustes_vector_field_distance
    >>> rng = np.random.default_rng(0)
    >>> A = rng.normal(size=(4, 4))
    >>> Q = np.linalg.qr(rng.normal(size=(4, 4)))[0]
    >>> procrustes_vector_field_distance(A, Q @ A @ Q.T, random_state=0) < 1e-6
    True
    """
    metric = ProcrustesVectorFieldMetric(
        score=score, n_init=n_init, max_iter=max_iter, tol=tol, gap_tol=gap_tol,
        size_mismatch=size_mismatch, random_state=random_state).fit(A, B)
    if not return_result:
        return metric.score_
    return ProcrustesResult(metric.score_, metric.C_, metric.cost_, metric.n_iter_,
                            metric.lower_bound_, metric.certified_)
