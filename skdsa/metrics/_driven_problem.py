"""The joint Procrustes problem of two driven systems as a Pymanopt problem."""

import numpy as np
import pymanopt
from pymanopt.manifolds import Product

from ._orthogonal import OrthogonalGroup, skew, transpose


def _sym(M):
    return (M + transpose(M)) / 2


def make_joint_problem(A1, A2, B1, B2, weight, *, align_inputs=False, k=1,
                       hessian_dtype=np.float64):
    """``min ||A1 - C A2 C^T||^2 + weight ||B1 - C B2 D^T||^2`` over ``C`` in ``O(n)``.

    ``D`` is the identity, or with ``align_inputs`` a second orthogonal matrix in
    ``O(m)`` (the problem is then on the product manifold ``O(n) x O(m)``). On the
    manifold the cost equals ``const - 2 <A1, C A2 C^T> - 2 weight <B1, C B2
    D^T>``, with Euclidean gradients ``G_C = -2 (A1 C A2^T + A1^T C A2) - 2 weight
    B1 D B2^T`` and ``G_D = -2 weight B1^T C B2``, and a Hessian as in
    ``make_problem`` plus the input terms (the input term is linear in each of
    ``C`` and ``D``: it enters the Hessian through the Weingarten maps and, with
    ``align_inputs``, through the coupling of ``C`` and ``D``). Tangent vectors
    are stored by their skew factors. ``k`` stacks independent copies, as in
    ``make_problem``.

    Parameters
    ----------
    A1, A2 : ndarray of shape (n, n)
        State operators.
    B1, B2 : ndarray of shape (n, m)
        Input operators.
    weight : float
        Weight ``w`` of the input term.
    align_inputs : bool, default=False
        Also optimise the orthogonal ``D`` acting on the inputs.
    k : int, default=1
        Number of copies (points ``(k, n, n)``, or pairs of ``(k, n, n)`` and
        ``(k, m, m)`` arrays with ``align_inputs``).
    hessian_dtype : numpy dtype, default=np.float64
        Precision of the Hessian-vector products (see ``make_problem``).

    Returns
    -------
    problem : pymanopt.Problem
    """
    n, m = B1.shape
    states = OrthogonalGroup(n, k)
    manifold = Product([states, OrthogonalGroup(m, k)]) if align_inputs else states
    constant = k * (np.sum(A1 * A1) + np.sum(A2 * A2) + weight * (np.sum(B1 * B1)
                                                                   + np.sum(B2 * B2)))
    low = {name: M.astype(hessian_dtype) for name, M in
           {"A1": A1, "A1t": A1.T, "A2": A2, "A2t": A2.T, "B1": B1, "B1t": B1.T,
            "B2": B2, "B2t": B2.T}.items()}
    cache = {"point": None}

    def at(C):
        if cache["point"] is not C:
            CtAC = transpose(C) @ A1 @ C
            CtG = -2 * (CtAC @ A2.T + transpose(CtAC) @ A2) - 2 * weight * (
                transpose(C) @ B1 @ B2.T)
            cache.update(point=C, CtG=CtG, M=CtAC.astype(hessian_dtype),
                         S=_sym(CtG).astype(hessian_dtype))
        return cache

    def value(C, D):
        aligned_inputs = C @ B2 if D is None else C @ B2 @ transpose(D)
        return float(constant - 2 * np.sum(A1 * (C @ A2 @ transpose(C)))
                     - 2 * weight * np.sum(B1 * aligned_inputs))

    def state_hessian(c, W):
        M = c["M"]
        return -2 * (M @ W @ low["A2t"] + transpose(M) @ W @ low["A2"])

    if not align_inputs:
        @pymanopt.function.numpy(manifold)
        def cost(C):
            return value(C, None)

        @pymanopt.function.numpy(manifold)
        def riemannian_gradient(C):
            return skew(at(C)["CtG"])

        @pymanopt.function.numpy(manifold)
        def riemannian_hessian(C, W):
            c = at(C)
            W = W.astype(hessian_dtype, copy=False)
            return skew(state_hessian(c, W) - W @ c["S"]).astype(np.float64, copy=False)

        return pymanopt.Problem(manifold, cost, riemannian_gradient=riemannian_gradient,
                                riemannian_hessian=riemannian_hessian)

    @pymanopt.function.numpy(manifold)
    def cost(C, D):
        return value(C, D)

    # On the product manifold Pymanopt converts Euclidean derivatives itself
    # (component by component, with the same projection and Weingarten map).
    # Its product passes tangent vectors as skew factors W, V (it does not embed
    # them), so the Euclidean Hessian is taken at C W and D V here.
    @pymanopt.function.numpy(manifold)
    def euclidean_gradient(C, D):
        return [-2 * (A1 @ C @ A2.T + A1.T @ C @ A2) - 2 * weight * B1 @ D @ B2.T,
                -2 * weight * B1.T @ C @ B2]

    @pymanopt.function.numpy(manifold)
    def euclidean_hessian(C, D, W, V):
        E, F = ((X @ Y).astype(hessian_dtype, copy=False) for X, Y in ((C, W), (D, V)))
        hess_C = (-2 * (low["A1"] @ E @ low["A2t"] + low["A1t"] @ E @ low["A2"])
                  - 2 * weight * low["B1"] @ F @ low["B2t"])
        hess_D = -2 * weight * low["B1t"] @ E @ low["B2"]
        return [hess_C.astype(np.float64, copy=False), hess_D.astype(np.float64, copy=False)]

    return pymanopt.Problem(manifold, cost, euclidean_gradient=euclidean_gradient,
                            euclidean_hessian=euclidean_hessian)
