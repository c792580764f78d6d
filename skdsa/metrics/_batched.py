"""Trust-region descents of many starts of many pairs at once, in stacked numpy products.

For the small operators of a population (``n`` of tens), one Pymanopt run per
start spends most of its time in Python overhead, not arithmetic. Here every
start of every pair is one row of a stack ``(rows, n, n)`` and the
trust-region method of Pymanopt (Absil, Baker & Gallivan 2007: Steihaug-Toint
truncated conjugate gradients in a trust region, with Pymanopt's constants,
and the Cayley retraction of ``OrthogonalGroup``) advances all rows together,
each with its own radius, step and stopping test. A row only ever meets its
own operators, and every stacked product treats each row alone, so what a row
reaches does not depend on the other rows, on their number, or on its
position in the stack.

The cost of a row is ``||A - C B C^T||_F^2 = 2 - 2 <C^T A C, B>`` for unit
operators; tangent vectors ``C W`` are stored by their skew factor ``W``, as
in ``OrthogonalGroup``, and the gradient, Hessian and preconditioner are
those of ``_problem.make_problem`` (or ``make_problem_in_sym_basis``).
"""

import numpy as np

from ._orthogonal import cayley, skew, transpose
from ._problem import jacobi_inverse_diagonal

# Pymanopt's trust-region constants (TrustRegions defaults).
RHO_PRIME = 0.1
RHO_REGULARIZATION = 1e3
KAPPA = 0.1


def _inner(U, V):
    """``<U_r, V_r>`` of every row."""
    return np.vecdot(U.reshape(len(U), -1), V.reshape(len(V), -1))


class _Workspace:
    """Arrays of shape ``(rows, n, n)`` reused by every product of one batched descent.

    Each loop of truncated CG used to allocate its temporaries afresh: arrays
    of megabytes, which the allocator returns to the system when freed and
    which then fault in again, page by page, at the next product (about a
    sixth of the time of a rank-10 population matrix on two workers,
    ``benchmarks/README.md`` section 13). ``take(name, m)``
    gives the first ``m`` rows of the array ``name``, allocated once.
    """

    def __init__(self, rows, n, dtype):
        self.shape, self.dtype, self.arrays = (rows, n, n), dtype, {}

    def take(self, name, m):
        if name not in self.arrays:
            self.arrays[name] = np.empty(self.shape, self.dtype)
        return self.arrays[name][:m]


class _Hessian:
    """Hessian-vector products of the rows ``C^T A C = a`` with operator ``B``.

    ``Hess[W] = skew(-2 (a W B^T + a^T W B) - W S)``, ``S = sym(C^T G)``,
    computed as ``Z^T - Z`` with ``Z = a W B^T + a^T W B + W S / 2`` (the
    same bits: the factors of two are exact), with every factor stored
    contiguously (stacked products over a leading axis of rows are several
    times faster than broadcasting over an extra axis). Products are written
    into ``workspace``: each call overwrites the previous one's.
    """

    def __init__(self, a, B, S, workspace):
        dtype = workspace.dtype
        self.factors = [np.ascontiguousarray(M, dtype=dtype)
                        for M in (a, transpose(B), transpose(a), B, S / 2)]
        self.workspace = workspace

    def keep(self, rows):
        self.factors = [M[rows] for M in self.factors]

    def __call__(self, W):
        a, Bt, at, B, half_S = self.factors
        left, Z, term, product = (self.workspace.take(name, len(W))
                                  for name in ("left", "Z", "term", "Hp"))
        np.matmul(np.matmul(a, W, out=left), Bt, out=Z)
        Z += np.matmul(np.matmul(at, W, out=left), B, out=term)
        Z += np.matmul(W, half_S, out=term)
        return np.subtract(transpose(Z), Z, out=product)


class _SymBasisHessian:
    """:class:`_Hessian` for ``B = D + K`` (``D`` diagonal, ``K`` skew): four products.

    With ``a = s + k`` (symmetric and skew parts), ``Hess[W] = skew(-4 s W D +
    4 k W K - W S)`` (``_problem.make_problem_in_sym_basis``), computed as
    ``2 (Z^T - Z)`` with ``Z = s W D - k W K + W S / 4``.
    """

    def __init__(self, s, k, D, K, S, workspace):
        dtype = workspace.dtype
        self.factors = [np.ascontiguousarray(M, dtype=dtype) for M in (s, k, K, S / 4)]
        self.D = D[:, None, :].astype(dtype)
        self.workspace = workspace

    def keep(self, rows):
        self.factors = [M[rows] for M in self.factors]
        self.D = self.D[rows]

    def __call__(self, W):
        s, k, K, quarter_S = self.factors
        left, Z, term, product = (self.workspace.take(name, len(W))
                                  for name in ("left", "Z", "term", "Hp"))
        np.matmul(s, W, out=Z)
        Z *= self.D
        Z -= np.matmul(np.matmul(k, W, out=left), K, out=term)
        Z += np.matmul(W, quarter_S, out=term)
        np.subtract(transpose(Z), Z, out=product)
        product *= 2
        return product


def descend_batch(A, B, C, *, tol, max_iter, max_inner=None, theta=1.0,
                  hessian_dtype=np.float64, sym_basis=False, precondition_below=None):
    """Trust-region descents of ``||A_r - C_r B_r C_r^T||_F^2`` for every row ``r``.

    Parameters
    ----------
    A, B : ndarray of shape (rows, n, n)
        Unit-norm operators of each row.
    C : ndarray of shape (rows, n, n)
        Starting orthogonal matrices (not modified).
    tol : float
        Stop a row when its Riemannian gradient norm is at most ``tol``.
    max_iter : int
        Trust-region iterations allowed to each row.
    max_inner : int or None, default=None
        Cap on the truncated-CG iterations of each step (None: the dimension
        ``n (n - 1) / 2``, Pymanopt's default).
    theta : float, default=1.0
        Superlinear target of the truncated-CG loops (Pymanopt's default).
    hessian_dtype : numpy dtype, default=np.float64
        Precision of the Hessian-vector products and of the truncated-CG
        loops' vectors (the cost, the gradient and the scalars of the loops
        are always float64; see ``_problem.make_problem``).
    sym_basis : bool, default=False
        Whether the symmetric part of every ``B_r`` is diagonal (``B`` in the
        eigenbasis of its symmetric part, see
        ``_problem.make_problem_in_sym_basis``): Hessian-vector products then
        take four matrix products instead of five, and the Jacobi
        preconditioner is available.
    precondition_below : float or None, default=None
        With ``sym_basis``: precondition the steps of rows whose gradient
        norm is below this (``_problem.jacobi_inverse_diagonal``), as
        Pymanopt does with a problem's preconditioner (the trust region is
        then measured in the preconditioner's norm). None: never.

    Returns
    -------
    C : ndarray of shape (rows, n, n)
        The points reached.
    cost : ndarray of shape (rows,)
        Their costs.
    grad_norm : ndarray of shape (rows,)
        Their Riemannian gradient norms.
    n_iter : ndarray of shape (rows,)
        Trust-region iterations of each row.
    """
    rows, n = C.shape[0], C.shape[-1]
    dim = n * (n - 1) // 2
    max_inner = dim if max_inner is None else min(max_inner, dim)
    radius_max = np.pi * np.sqrt(n)  # Pymanopt's typical distance of O(n)
    C = C.copy()
    if sym_basis:
        D, K = np.diagonal(B, axis1=-2, axis2=-1).copy(), np.ascontiguousarray(skew(B))
    Bt = np.ascontiguousarray(transpose(B))
    AC = transpose(C) @ A @ C
    cost = 2 - 2 * _inner(AC, B)
    radius = np.full(rows, radius_max / 8)
    n_iter = np.zeros(rows, dtype=int)
    grad_norm = np.full(rows, np.inf)
    active = np.arange(rows)
    workspace = _Workspace(rows, n, hessian_dtype)
    while True:
        a = AC[active]
        if sym_basis:
            s, k = (a + transpose(a)) / 2, (a - transpose(a)) / 2
            CtG = -4 * (s * D[active][:, None, :] - k @ K[active])
        else:
            CtG = -2 * (a @ Bt[active] + transpose(a) @ B[active])
        grad = skew(CtG)
        grad_norm[active] = np.sqrt(_inner(grad, grad))
        going = (grad_norm[active] > tol) & (n_iter[active] < max_iter)
        if not going.all():
            active, a, CtG, grad = active[going], a[going], CtG[going], grad[going]
            if sym_basis:
                s, k = s[going], k[going]
        if not len(active):
            break
        S = (CtG + transpose(CtG)) / 2
        inverse_diagonal = None
        if sym_basis:
            hess = _SymBasisHessian(s, k, D[active], K[active], S, workspace)
            if precondition_below is not None:
                inverse_diagonal = np.ones_like(grad)
                below = grad_norm[active] < precondition_below
                inverse_diagonal[below] = jacobi_inverse_diagonal(
                    s[below], k[below], S[below], D[active[below]], K[active[below]],
                    grad[below])
        else:
            hess = _Hessian(a, B[active], S, workspace)
        eta, model, at_boundary = _truncated_cg(hess, grad, radius[active], max_inner, theta,
                                                inverse_diagonal)
        C_new = cayley(C[active], eta)
        AC_new = transpose(C_new) @ A[active] @ C_new
        cost_new = 2 - 2 * _inner(AC_new, B[active])
        # Pymanopt's ratio of actual to predicted decrease, regularised so
        # that rounding near convergence does not reject good steps.
        regularization = (np.maximum(1, np.abs(cost[active])) * np.spacing(1)
                          * RHO_REGULARIZATION)
        model_decrease = regularization - model
        rho = (cost[active] - cost_new + regularization) / model_decrease
        rho[(model_decrease < 0) | np.isnan(rho)] = -np.inf
        r = radius[active]
        radius[active] = np.where(
            rho < 0.25, r / 4,
            np.where((rho > 0.75) & at_boundary, np.minimum(2 * r, radius_max), r))
        accept = rho > RHO_PRIME
        moved = active[accept]
        C[moved], AC[moved], cost[moved] = C_new[accept], AC_new[accept], cost_new[accept]
        n_iter[active] += 1
    return C, cost, grad_norm, n_iter


def _truncated_cg(hess, grad, radius, max_inner, theta, inverse_diagonal=None):
    """Steihaug-Toint truncated CG for every row's trust-region subproblem.

    As Pymanopt's: stop on the boundary (or along negative curvature), or from
    the second iteration on when the residual reaches its target; the norms
    of the iterates and directions (in the preconditioner's norm, where
    ``inverse_diagonal`` multiplies the residuals entrywise) follow Pymanopt's
    scalar recurrences. Pymanopt also stops when the model value rises, which
    only a nonlinear Hessian approximation allows: here each inside step
    lowers the model by exactly ``rz^2 / (2 curvature) > 0``, so that test is
    left out, and the model's value is carried as a scalar (``<r, p> = -<r,
    z>`` in conjugate gradients) instead of through the step's Hessian
    product. Returns the steps ``eta``, the model's value at each and whether
    each step stopped on the boundary. Rows that stop keep being carried
    (their results are already stored) until a quarter of the stack has
    stopped; then the stack is compacted, and ``hess.keep`` with it. The
    loop's vectors live in ``hess.workspace`` beside the Hessian products.
    """
    workspace = hess.workspace

    def precondition(r):
        if inverse_diagonal is None:
            return r
        return np.multiply(inverse_diagonal, r, out=workspace.take("z", len(r)))

    def inner(U, V):
        return _inner(U, V).astype(np.float64, copy=False)

    def as_vector_scale(x):
        # In the vectors' precision: a float64 factor would make numpy cast every
        # float32 entry through a float64 buffer (three times slower).
        return x.astype(workspace.dtype, copy=False)[:, None, None]

    eta = np.zeros_like(grad)
    model = np.zeros(len(grad))
    at_boundary = np.zeros(len(grad), dtype=bool)
    rows = np.arange(len(grad))  # rows of the stack, by index into grad
    going = np.ones(len(grad), dtype=bool)
    # The vectors in the precision of the Hessian-vector products.
    r, e, p, scaled = (workspace.take(name, len(grad)) for name in ("r", "e", "p", "scaled"))
    r[...], e[...], radius = grad, 0, radius.copy()
    if inverse_diagonal is not None:
        inverse_diagonal = inverse_diagonal.astype(workspace.dtype, copy=False)
    z = precondition(r)
    np.negative(z, out=p)
    rr = inner(r, r)
    rz = rr if inverse_diagonal is None else inner(r, z)
    target = np.sqrt(rr) * np.minimum(np.sqrt(rr) ** theta, KAPPA)
    ee, ep, pp, m = np.zeros(len(rows)), np.zeros(len(rows)), rz.copy(), np.zeros(len(rows))
    for j in range(max_inner):
        Hp = hess(p)
        curvature = inner(p, Hp)
        with np.errstate(divide="ignore", invalid="ignore"):
            alpha = rz / curvature
            ee_new = ee + 2 * alpha * ep + alpha ** 2 * pp
            outside = going & ((curvature <= 0) | (ee_new >= radius ** 2))
            step = np.where(outside,
                            (-ep + np.sqrt(ep ** 2 + pp * (radius ** 2 - ee))) / pp, alpha)
        m += step * (step * curvature / 2 - rz)
        e += np.multiply(p, as_vector_scale(step), out=scaled)
        r += np.multiply(Hp, as_vector_scale(alpha), out=scaled)
        rr_next = inner(r, r)
        done = outside | (going & (j > 0) & (np.sqrt(rr_next) <= target))
        if done.any():
            eta[rows[done]], model[rows[done]] = e[done], m[done]
            at_boundary[rows[done]] = outside[done]
            going &= ~done
            if not going.any():
                break
            kept = int(going.sum())
            if kept <= 0.75 * len(going):
                for x in (e, r, p):
                    x[:kept] = x[going]
                rows, e, r, p, scaled = rows[going], e[:kept], r[:kept], p[:kept], scaled[:kept]
                rr_next, rz, alpha, ee_new, ep, pp, radius, target, m = (
                    x[going] for x in (rr_next, rz, alpha, ee_new, ep, pp, radius, target, m))
                if inverse_diagonal is not None:
                    inverse_diagonal = inverse_diagonal[going]
                hess.keep(going)
                going = going[going]
        z = precondition(r)
        rz_next = rr_next if inverse_diagonal is None else inner(r, z)
        beta = rz_next / rz
        p *= as_vector_scale(beta)
        p -= z
        ep, pp = beta * (ep + alpha * pp), rz_next + beta ** 2 * pp
        ee, rz = ee_new, rz_next
    else:
        eta[rows[going]], model[rows[going]] = e[going], m[going]
    return eta, model, at_boundary
