"""The multi-start search on the orthogonal group: how far each start descends, and how.

A search descends several starting rotations far enough to rank their basins,
then polishes the best one to the requested tolerance. How the starts descend
depends on the size ``n`` of the matrices:

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
"""

import numpy as np

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
        max_inner = None
    else:
        polish = problem_for(1, np.float32)
        runs = [descend(polish, C, max(tol, SCREENING_TOL), max_iter,
                        max_inner=SCREENING_MAX_INNER, theta=0.5) for C in starts]
        screened, n_iter = [C for C, _ in runs], [it for _, it in runs]
        max_inner = POLISH_MAX_INNER
    best = int(np.argmin([value_of(C) for C in screened]))
    C, polish_iter = descend(polish, screened[best], tol, max_iter, max_inner=max_inner)
    return C, n_iter[best] + polish_iter


def _stack(points, product):
    """Points of O(n) (or of a product of groups) as one point of the k-fold product."""
    if product:
        return [np.stack(component) for component in zip(*points)]
    return np.stack(points)


def _unstack(stacked, product):
    if product:
        return [tuple(point) for point in zip(*stacked)]
    return list(stacked)
