"""Starting rotations for the Procrustes search."""

from functools import lru_cache
from numbers import Integral

import numpy as np
from sklearn.utils import check_random_state

from ._orthogonal import random_orthogonal
from ._search import JOINT_MAX_N, SHORT_SCREENING_MIN_N

# n_init="auto" (see starts_for): random rotations for n <= JOINT_MAX_N (8, not
# the 4 of the joint descent that the batched one replaced: descended one by one,
# starts end in other minima than descended jointly, and with 4 rotations the
# search ended higher on 11 of 580 small pairs and lower on 11; with 8, higher on
# 1 and lower on 38, see tests/test_search.py), the rotations beyond, and the
# budget of starts there,
# measured so that the search stays faster than dsa-metric's default at
# n = 50-100 (benchmarks/large_rank.py).
AUTO_N_INIT_SMALL = 8
AUTO_N_INIT_LARGE = 4
AUTO_START_BUDGET = 10000


def short_screening(n, n_init):
    """Whether the search for operators of size ``n`` screens its starts briefly.

    With ``n_init="auto"`` and ``n >= SHORT_SCREENING_MIN_N`` a full descent
    costs seconds, and a single start can end in the worse of two basin
    families (seen on ring-attractor operators at n = 150: cost 4.9e-3
    against 2.2e-3). :func:`starts_for` then gives three structured starts,
    each screened for a few trust-region iterations (``_search``).
    """
    return n_init == "auto" and n >= SHORT_SCREENING_MIN_N


def _sign_candidates(W, n_exhaustive=10):
    """Sign vectors ``d`` for ``C = P_A diag(d) P_B^T``, best ``d^T W d`` first.

    Up to ``n_exhaustive`` signs every pattern is listed (``d`` and ``-d`` give
    the same ``C B C^T``, so the first sign is fixed). Beyond, the signs are
    propagated along a maximum spanning tree of ``|W|`` (exact when all
    couplings can be satisfied, as for conjugate operators), improved by single
    flips, and listed with each of their single-flip neighbours.
    """
    n = W.shape[0]
    if n <= n_exhaustive:
        bits = (np.arange(2 ** (n - 1))[:, None] >> np.arange(n - 1)) & 1
        candidates = np.c_[np.ones(len(bits)), 1.0 - 2.0 * bits]
    else:
        d = np.ones(n)
        in_tree = np.zeros(n, dtype=bool)
        in_tree[0] = True
        strength, parent = np.abs(W[0]).copy(), np.zeros(n, dtype=int)
        for _ in range(n - 1):
            j = int(np.argmax(np.where(in_tree, -1.0, strength)))
            d[j] = d[parent[j]] * (1.0 if W[parent[j], j] >= 0 else -1.0)
            in_tree[j] = True
            closer = np.abs(W[j]) > strength
            strength[closer], parent[closer] = np.abs(W[j])[closer], j
        improved = True
        while improved:
            improved = False
            for i in range(n):
                if d[i] * (W[i] @ d) < 0:
                    d[i] = -d[i]
                    improved = True
        candidates = np.vstack([d, d * (1 - 2 * np.eye(n))])
    values = np.einsum("ki,ij,kj->k", candidates, W, candidates)
    return candidates[np.argsort(-values, kind="stable")]


def structured_starts(a, b, per_component=2):
    """Orthogonal starts that align the structure of ``B`` with that of ``A``.

    Sym-aligned starts ``C = P_A diag(d) P_B^T`` map the eigenvectors of
    ``sym(B)`` onto those of ``sym(A)`` (sorted by eigenvalue), which aligns the
    symmetric parts exactly whatever the signs ``d``; the signs decide how well
    the rest aligns, so the candidates are ranked by ``<A, C B C^T>`` and the
    best ``per_component`` of each connected component of ``O(n)``
    (``det C = +1`` and ``-1``) are kept. Two skew-aligned starts follow,
    ``C = Z_A Z_B^T`` from the real Schur bases of the skew parts (2x2 rotation
    blocks sorted by strength), and the same with the weakest direction of
    ``Z_A`` reflected.

    Parameters
    ----------
    a, b : PreparedOperator
        Operators of the same size.
    per_component : int, default=2
        Sym-aligned starts kept per determinant sign.

    Returns
    -------
    starts : list of ndarray of shape (n, n)
    """
    Pa, Pb = a.sym_vectors, b.sym_vectors
    W = (Pa.T @ a.unit @ Pa) * (Pb.T @ b.unit @ Pb)
    W = (W + W.T) / 2
    np.fill_diagonal(W, 0)
    det_sign = np.sign(np.linalg.det(Pa) * np.linalg.det(Pb))
    candidates = _sign_candidates(W)
    starts = []
    for sign in (1, -1):
        kept = candidates[det_sign * np.prod(candidates, axis=1) == sign][:per_component]
        starts += [(Pa * d) @ Pb.T for d in kept]
    Za, Zb = a.skew_frame, b.skew_frame
    reflect = np.ones(len(W))
    reflect[-1] = -1
    return starts + [Za @ Zb.T, (Za * reflect) @ Zb.T]


def coordinate_aligned_start(a, b):
    """``C = diag(d)``: the coordinates of ``B`` kept, with the best signs ``d``.

    DMD operators are expressed in whitened SVD coordinates ordered by
    variance, so for similar systems the identity map, up to the arbitrary
    sign of each mode, is a natural guess; the signs are chosen as for the
    sym-aligned starts, ranked by ``<A, diag(d) B diag(d)>``.
    """
    W = a.unit * b.unit
    W = (W + W.T) / 2
    np.fill_diagonal(W, 0)
    return np.diag(_sign_candidates(W)[0])


def _by_priority(structured):
    """Structured starts reordered so that a prefix is a sensible smaller set.

    The best sym-aligned start of each component of ``O(n)`` first, then the
    skew-aligned one, the other sym-aligned ones, the reflected skew-aligned one.
    """
    sym, (skew_aligned, reflected) = structured[:-2], structured[-2:]
    signs = [np.linalg.slogdet(C)[0] for C in sym]
    firsts = [signs.index(sign) for sign in (1, -1) if sign in signs]
    rest = [C for i, C in enumerate(sym) if i not in firsts]
    return [sym[i] for i in firsts] + [skew_aligned] + rest + [reflected]


def starts_for(a, b, structured, n_init, random_state):
    """The starts a search descends: structured ones, then random rotations.

    With an integer ``n_init``: every structured start and ``n_init`` random
    rotations, each also tried transposed. With ``"auto"``: for ``n <=
    JOINT_MAX_N`` the structured starts and ``AUTO_N_INIT_SMALL`` rotations;
    above, every start costs ``O(n^3)`` per Hessian product, so the number
    of starts (structured ones and ``AUTO_N_INIT_LARGE`` rotations) falls as
    ``AUTO_START_BUDGET / n^1.75`` (all of them, up to 16, to n = 39, then 13
    at n = 44, 10 at n = 50, 5 at n = 75, 3 at n = 100, 2 up to n = 129;
    one more where a rotation would otherwise come without its transpose), in
    this order: the coordinate-aligned start (:func:`coordinate_aligned_start`),
    the identity (dsa-metric's start: at n = 105 the other starts missed the
    better basin family of 3 of 10 ring-attractor pairs, at 4 times the cost,
    benchmarks/README.md section 13), the best sym-aligned start of each
    component of ``O(n)``, the
    skew-aligned one, a random rotation with its transpose, the other
    sym-aligned ones, the reflected skew-aligned one, the other rotations. A
    rotation always comes with its transpose, so the set stays closed under
    transposition. From ``n = SHORT_SCREENING_MIN_N`` on (see
    :func:`short_screening`): the coordinate-aligned start, the identity (the
    start dsa-metric uses) and the best sym-aligned start, all screened
    briefly (on the ring pairs at n = 150, a second sym-aligned start ended
    where the first did and the skew-aligned one never won).

    Parameters
    ----------
    a, b : PreparedOperator
        Operators of the same size.
    structured : list of ndarray of shape (n, n)
        Their structured starts, in the order of :func:`structured_starts`.
    n_init : int or "auto"
        Random rotations (see ``ProcrustesVectorFieldMetric``).
    random_state : int, RandomState instance or None
        Seeds the rotations.

    Returns
    -------
    starts : list of ndarray of shape (n, n)
    """
    n = structured[0].shape[0]
    if n_init != "auto":
        return structured + random_starts(n, n_init, random_state)
    if n <= JOINT_MAX_N:
        return structured + random_starts(n, AUTO_N_INIT_SMALL, random_state)
    if short_screening(n, n_init):
        return [coordinate_aligned_start(a, b), np.eye(n), _by_priority(structured)[0]]
    rotations = random_starts(n, AUTO_N_INIT_LARGE, random_state)
    structured = [coordinate_aligned_start(a, b), np.eye(n)] + _by_priority(structured)
    units = ([[C] for C in structured[:5]] + [rotations[:2]]
             + [[C] for C in structured[5:]]
             + [rotations[k:k + 2] for k in range(2, len(rotations), 2)])
    budget, starts = max(1, int(AUTO_START_BUDGET / n**1.75)), []
    for unit in units:
        if len(starts) >= budget:
            break
        starts += unit
    return starts


def random_starts(n, n_init, random_state):
    """``n_init`` Haar-random rotations, each with its transpose.

    The set is closed under transposition, and ``C`` from ``A`` to ``B`` is
    ``C^T`` from ``B`` to ``A``, so the search for the pair ``(B, A)`` mirrors
    the search for ``(A, B)``: the order of the two operators cannot change
    the result. The rotations depend only on ``n`` and ``random_state``, never
    on the pair or its position in a batch; for an integer ``random_state`` they
    are drawn once and kept, read-only, for every later pair. Determinant signs
    alternate so that both components of ``O(n)`` are searched.

    Parameters
    ----------
    n : int
        Size of the operators.
    n_init : int
        Number of rotations drawn.
    random_state : int, RandomState instance or None
        Seeds the draws.

    Returns
    -------
    starts : list of ndarray of shape (n, n)
        ``2 * n_init`` rotations: ``R_0, R_0^T, R_1, R_1^T, ...``
    """
    if isinstance(random_state, Integral):
        # Every pair of a matrix draws the same rotations: draw them once.
        return list(_seeded_random_starts(n, n_init, int(random_state)))
    return _draw_random_starts(n, n_init, check_random_state(random_state))


@lru_cache(maxsize=8)
def _seeded_random_starts(n, n_init, seed):
    starts = _draw_random_starts(n, n_init, check_random_state(seed))
    for C in starts:
        C.flags.writeable = False
    return tuple(starts)


def _draw_random_starts(n, n_init, rng):
    starts = []
    for k in range(n_init):
        R = random_orthogonal(n, rng, det=(-1) ** k)
        starts += [R, R.T]
    return starts
