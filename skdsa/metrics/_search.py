"""The multi-start search on the orthogonal group: how far each start descends, and how.

A search descends several starting rotations far enough to rank their basins,
then polishes the best one to the requested tolerance. For the Procrustes cost
of operators up to ``BATCHED_MAX_N``, :func:`search_many` descends every start
of many pairs at once (``_batched``), and Pymanopt's trust-region method checks
every polished point (it continues only a descent that stopped short of
``tol``). Otherwise (:func:`search`, any cost over rotations) how the starts
descend depends on the size ``n`` of the matrices:

- ``n <= JOINT_MAX_N``: all starts descend together, as one trust-region run on
  the product manifold ``O(n)^k`` (stacked matrix products). For small
  matrices Python overhead per call dominates, so one run for all starts is
  much cheaper than one run each.
- larger ``n``: arithmetic dominates (each Hessian-vector product is five
  ``n x n`` matrix products per start). A joint run would make every start
  wait for the slowest (one trust-region radius, one truncated-CG loop for
  all), so each start descends alone, with float32 Hessian-vector products
  and short truncated-CG loops (the screening only needs to reach the bottom
  of the start's basin, not a Newton-accurate step). The gradient and the cost
  stay float64, so the polish still converges to the float64 tolerance.

The search knows nothing of the cost it minimises: ``problem_for`` builds the
Pymanopt problem and ``value_of`` ranks the screened points, so every metric
over rotations (operators, driven systems) can use it.

For the Procrustes cost of large operators (``_starts.short_screening``),
:func:`short_search` screens each start for only a few iterations, enough to
tell basin families apart, and polishes the best with uncapped truncated-CG
loops, its descents batched as in :func:`search_many`.
"""

import numpy as np

from ._batched import descend_batch
from ._orthogonal import descend

# Up to this size all starts descend jointly (see the module docstring).
JOINT_MAX_N = 20
# Gradient norm to which joint starts descend before the best is polished. At
# 1e-4, near-degenerate basins (seen between Lorenz operators) were still
# ranked wrongly, leaving costs 1e-7 above the best found.
JOINT_SCREENING_TOL = 1e-6
# Beyond JOINT_MAX_N: gradient norm of the separate screenings, and the cap on
# truncated-CG iterations of each trust-region step while screening and
# polishing (Pymanopt's default cap is the dimension n (n - 1) / 2).
SCREENING_TOL = 1e-4
SCREENING_MAX_INNER = 30
POLISH_MAX_INNER = 100
# Superlinear target of the truncated-CG loops of a polish beyond JOINT_MAX_N:
# 0 asks each loop only to cut the residual tenfold (Pymanopt's kappa). Near
# the ill-conditioned minima of large operators, Pymanopt's default (1) asks
# for a residual of |grad|^2 and spends thousands of Hessian-vector products
# per step; at n = 150-300 (benchmarks/large_rank.py) 0 reaches the same
# minimum (to 1e-10 relative) with 30-50% fewer products.
POLISH_THETA = 0.0
# Trust-region iterations of a short screening (:func:`short_search`).
# At n = 150 (ring attractor and tanh-RNN operators, benchmarks/large_rank.py) the
# cost after 20 iterations already tells the two basin families apart (about
# 2.5e-3 against 5e-3 on the ring pairs) at a tenth of the time of a full descent.
SHORT_SCREENING_ITER = 20
# From this size on (where _starts.AUTO_START_BUDGET leaves a single start),
# n_init="auto" screens a few structured starts briefly (_starts.short_screening,
# :func:`short_search`).
SHORT_SCREENING_MIN_N = 130
# Below that size the Procrustes search of many pairs descends all their starts
# at once, in batches of at most BATCH_ENTRIES / n^2 starts (about 20 kB of arrays
# per start of n = 10: 50 MB per batch whatever n; a problem is never split). From
# n = 45 to 129 (zoo, tanh-RNN and ring operators at n = 45-105,
# benchmarks/mid_rank.py) it ran 0.95-2.0 times as fast as descending each start
# alone in Pymanopt, with WIDE_NEAR_TIE.
BATCHED_MAX_N = SHORT_SCREENING_MIN_N - 1
BATCH_ENTRIES = 2 ** 18
# Beyond JOINT_MAX_N, gradient norm below which the batched descents precondition
# their steps (problems in the eigenbasis of sym(B), _problem.jacobi_inverse_diagonal).
# On 64 pairs of zoo operators at n = 30 (benchmarks/README.md section 13) 1e-3
# cut the Hessian-vector products by a quarter and reached the same minima or
# lower ones (3 pairs); from 3e-3 up some pairs ended higher. Where truncated-CG
# loops are not capped (n <= JOINT_MAX_N) it is not used: on KoopSTD's rank-6
# Lorenz operators it cost 44% more products.
BATCHED_PRECONDITION_BELOW = 1e-3
# Relative margin of the screened points polished besides the best (search_many):
# between Lorenz operators minima 3e-7 apart (relative) were ranked wrongly.
NEAR_TIE = 1e-5
# The margin from n = WIDE_NEAR_TIE_MIN_N on. There a screening stopped at
# SCREENING_TOL can still be percents above its minimum where the costs are small
# (ring-attractor operators at n = 60, cost 3e-3: polishing lowered screened points
# by up to 5% and reversed their order), and polishing within 1e-5 ended higher
# than descending each start alone on 4 of 15 ring pairs. Within 5%: 0 of 15
# (benchmarks/README.md section 13). At n = 30 the wider margin cost 30% more time
# on zoo operators and lowered 1 pair of 128, so it starts where the batched search
# replaced the per-start one.
WIDE_NEAR_TIE = 5e-2
WIDE_NEAR_TIE_MIN_N = 45


def search_many(problems, *, tol, max_iter):
    """:func:`search` for many Procrustes problems, all starts descending at once.

    Every start of every problem is one row of a batched trust-region descent
    (``_batched.descend_batch``), with the settings :func:`search` uses at
    that size: up to ``JOINT_MAX_N`` float64 Hessian-vector products and
    uncapped truncated-CG loops to ``JOINT_SCREENING_TOL``; above, float32
    products and capped loops to ``SCREENING_TOL``, in the eigenbasis of
    sym(B) and preconditioned below ``BATCHED_PRECONDITION_BELOW`` (as
    ``_problem.make_problem_in_sym_basis``). The best rows of each
    problem (lowest cost, and any within ``NEAR_TIE`` of it, ``WIDE_NEAR_TIE``
    from ``n = WIDE_NEAR_TIE_MIN_N``) are polished to
    ``tol`` the same way, and the best polished point is handed to
    Pymanopt's trust-region method (``problem_for(1, dtype)``), which stops at
    once where the gradient norm is already below ``tol``. Problems are taken
    in batches of at most ``BATCH_ENTRIES / n^2`` starts (a problem is never
    split), and a problem's result depends only on that problem, never on the
    others in its batch.

    Parameters
    ----------
    problems : list of tuple ``(A, B, starts, problem_for)``
        Unit operators of size ``n <= BATCHED_MAX_N``, the starting rotations,
        and the Pymanopt problem's builder (see :func:`search`). Beyond
        ``JOINT_MAX_N`` the symmetric part of ``B`` must be diagonal (the
        problem in the eigenbasis of sym(B)).
    tol, max_iter
        See :func:`search`.

    Returns
    -------
    results : list of tuple ``(C, n_iter)``
        The polished best point of each problem and the trust-region
        iterations of the descent that gave it (its screening plus polish).
    """
    results, batch, rows = [], [], 0
    for problem in problems:
        if batch and rows + len(problem[2]) > BATCH_ENTRIES // problem[0].size:
            results += _search_batch(batch, tol=tol, max_iter=max_iter)
            batch, rows = [], 0
        batch.append(problem)
        rows += len(problem[2])
    return results + (_search_batch(batch, tol=tol, max_iter=max_iter) if batch else [])


def _search_batch(problems, *, tol, max_iter):
    n = problems[0][0].shape[0]
    joint = n <= JOINT_MAX_N
    dtype = np.float64 if joint else np.float32
    common = (dict(hessian_dtype=dtype) if joint else
              dict(hessian_dtype=dtype, sym_basis=True,
                   precondition_below=BATCHED_PRECONDITION_BELOW))
    screening = common if joint else dict(common, max_inner=SCREENING_MAX_INNER, theta=0.5)
    polishing = dict(common, max_inner=None if joint else POLISH_MAX_INNER)
    sizes = [len(p[2]) for p in problems]
    owner = np.repeat(np.arange(len(problems)), sizes)
    A = np.stack([p[0] for p in problems])[owner]
    B = np.stack([p[1] for p in problems])[owner]
    C, cost, _, n_iter = descend_batch(
        A, B, np.stack([C for p in problems for C in p[2]]),
        tol=max(tol, JOINT_SCREENING_TOL if joint else SCREENING_TOL), max_iter=max_iter,
        **screening)
    # Every screened point within the near-tie margin of its problem's best is
    # polished, and the best polished one wins: at the screening tolerance, minima
    # closer than that can still be ranked wrongly.
    near_tie = NEAR_TIE if n < WIDE_NEAR_TIE_MIN_N else WIDE_NEAR_TIE
    best = np.minimum.reduceat(cost, np.r_[0, np.cumsum(sizes)[:-1]])[owner]
    candidates = np.flatnonzero(cost - best <= near_tie * np.abs(best))
    polished, polished_cost, _, polish_iter = descend_batch(
        A[candidates], B[candidates], C[candidates], tol=tol, max_iter=max_iter, **polishing)
    # Each problem's candidates, in order (candidates are sorted by row, so by owner).
    bounds = np.searchsorted(owner[candidates], np.arange(len(problems) + 1))
    results = []
    for k, (_, _, _, problem_for) in enumerate(problems):
        chosen = bounds[k] + int(np.argmin(polished_cost[bounds[k]:bounds[k + 1]]))
        point, extra = descend(problem_for(1, dtype), polished[chosen], tol, max_iter,
                               max_inner=polishing["max_inner"])
        results.append((point, int(n_iter[candidates[chosen]] + polish_iter[chosen] + extra)))
    return results


def search(problem_for, starts, value_of, *, tol, max_iter):
    """Descend from every start, then polish the best to ``tol``.

    Parameters
    ----------
    problem_for : callable ``(k, hessian_dtype) -> pymanopt.Problem``
        The problem on ``O(n)^k`` (``k`` independent copies, points of shape
        ``(k, n, n)`` when ``k > 1``), with Hessian-vector products in
        ``hessian_dtype``.
    starts : list of ndarray of shape (n, n), or list of tuples of them
        Starting rotations (a tuple per start on a product of orthogonal
        groups, e.g. ``(C, D)``).
    value_of : callable ``C -> float``
        The value that ranks screened points (lower is better).
    tol : float
        Gradient norm of the polished point.
    max_iter : int
        Trust-region iterations allowed to each descent.

    Returns
    -------
    C : ndarray of shape (n, n), or tuple of them
        The polished best point.
    n_iter : int
        Trust-region iterations of the descent that gave ``C`` (its screening,
        or the joint screening, plus the polish).
    """
    product = isinstance(starts[0], (tuple, list))
    n = (starts[0][0] if product else starts[0]).shape[0]
    if n <= JOINT_MAX_N:
        screened, n_iter = starts, [0] * len(starts)
        if len(starts) > 1:
            stacked, joint_iter = descend(problem_for(len(starts), np.float64),
                                          _stack(starts, product),
                                          max(tol, JOINT_SCREENING_TOL), max_iter)
            screened, n_iter = _unstack(stacked, product), [joint_iter] * len(starts)
        polish = problem_for(1, np.float64)
        polishing = dict(max_inner=None)
    else:
        polish = problem_for(1, np.float32)
        screening = dict(max_inner=SCREENING_MAX_INNER, theta=0.5)
        runs = [descend(polish, C, max(tol, SCREENING_TOL), max_iter, **screening)
                for C in starts]
        screened, n_iter = [C for C, _ in runs], [it for _, it in runs]
        polishing = dict(max_inner=POLISH_MAX_INNER, theta=POLISH_THETA)
    best = int(np.argmin([value_of(C) for C in screened]))
    C, polish_iter = descend(polish, screened[best], tol, max_iter, **polishing)
    return C, n_iter[best] + polish_iter


def short_search(A, B, starts, problem_for, *, tol, max_iter):
    """The search of large operators: short screenings, then the best start polished.

    Every start descends ``SHORT_SCREENING_ITER`` trust-region iterations (the
    starts as rows of one batched descent, ``_batched.descend_batch``, with the
    settings of the separate screenings of :func:`search`), the lowest is
    polished to ``tol`` with uncapped truncated-CG loops (after a short
    screening the best start is still far from its minimum, where the
    landscape is flat and capped loops converge only linearly: ring operators
    at n = 150 took 130 iterations and 7.7 s with the cap, 12 and 1.9 s
    without), and Pymanopt's trust-region method checks the polished point.
    The steps are preconditioned below ``SCREENING_TOL``, the polish's last
    steps (``_problem.make_problem_in_sym_basis``).

    Parameters
    ----------
    A, B : ndarray of shape (n, n)
        Unit operators, ``B`` in the eigenbasis of its symmetric part.
    starts : list of ndarray of shape (n, n)
        Starting rotations.
    problem_for : callable ``(k, hessian_dtype) -> pymanopt.Problem``
        The same problem for Pymanopt (``k`` is 1).
    tol, max_iter
        See :func:`search`.

    Returns
    -------
    C : ndarray of shape (n, n)
        The polished best point.
    n_iter : int
        Trust-region iterations of its screening and polish.
    """
    rows = len(starts)
    A, B = np.stack([A] * rows), np.stack([B] * rows)
    common = dict(hessian_dtype=np.float32, sym_basis=True, precondition_below=SCREENING_TOL)
    screened, cost, _, n_iter = descend_batch(
        A, B, np.stack(starts), tol=max(tol, SCREENING_TOL),
        max_iter=min(SHORT_SCREENING_ITER, max_iter), max_inner=SCREENING_MAX_INNER,
        theta=0.5, **common)
    best = int(np.argmin(cost))
    polished, _, _, polish_iter = descend_batch(
        A[:1], B[:1], screened[best:best + 1], tol=tol, max_iter=max_iter, max_inner=None,
        theta=POLISH_THETA, **common)
    C, extra = descend(problem_for(1, np.float32), polished[0], tol, max_iter)
    return C, int(n_iter[best] + polish_iter[0] + extra)


def _stack(points, product):
    """Points of O(n) (or of a product of groups) as one point of the k-fold product."""
    if product:
        return [np.stack(component) for component in zip(*points)]
    return np.stack(points)


def _unstack(stacked, product):
    if product:
        return [tuple(point) for point in zip(*stacked)]
    return list(stacked)
