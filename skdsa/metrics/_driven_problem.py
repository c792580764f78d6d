"""The joint Procrustes problem of two driven systems as a Pymanopt problem."""

import numpy as np
import pymanopt
from pymanopt.manifolds import Product

from ._orthogonal import OrthogonalGroup, transpose
from ._problem import make_problem


def make_joint_problem(A1, A2, B1, B2, weight, *, align_inputs=False, k=1,
                       hessian_dtype=np.float64):
    """``min ||A1 - C A2 C^T||^2 + weight ||B1 - C B2 D^T||^2`` over ``C`` in ``O(n)``.

    ``D`` is the identity, or with ``align_inputs`` a second orthogonal matrix in
    ``O(m)``. Without ``D`` the input term ``weight (|B1|^2 + |B2|^2) - 2 <weight
    B1 B2^T, C>`` is linear in ``C``, and the problem is ``make_problem``'s with
    that linear term. With ``D`` it lives on the product manifold ``O(n) x
    O(m)``: the cost is ``const - 2 <A1, C A2 C^T> - 2 weight <B1, C B2 D^T>``,
    with Euclidean gradients ``G_C = -2 (A1 C A2^T + A1^T C A2) - 2 weight B1 D
    B2^T`` and ``G_D = -2 weight B1^T C B2``, and Pymanopt turns them and the
    Euclidean Hessian into Riemannian ones component by component (the input
    term couples ``C`` and ``D``). ``k`` stacks independent copies, as in
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
    if not align_inputs:
        # ||B1 - C B2||^2 is linear in C: the state problem with a linear term.
        return make_problem(A1, A2, k=k, hessian_dtype=hessian_dtype,
                            linear=weight * B1 @ B2.T,
                            offset=weight * (np.sum(B1 * B1) + np.sum(B2 * B2)))
    n, m = B1.shape
    manifold = Product([OrthogonalGroup(n, k), OrthogonalGroup(m, k)])
    constant = k * (np.sum(A1 * A1) + np.sum(A2 * A2) + weight * (np.sum(B1 * B1)
                                                                   + np.sum(B2 * B2)))
    low = {name: M.astype(hessian_dtype) for name, M in
           {"A1": A1, "A1t": A1.T, "A2": A2, "A2t": A2.T, "B1": B1, "B1t": B1.T,
            "B2": B2, "B2t": B2.T}.items()}

    @pymanopt.function.numpy(manifold)
    def cost(C, D):
        return float(constant - 2 * np.sum(A1 * (C @ A2 @ transpose(C)))
                     - 2 * weight * np.sum(B1 * (C @ B2 @ transpose(D))))

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
