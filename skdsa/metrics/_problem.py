"""The Procrustes problem over vector fields as a Pymanopt problem."""

import numpy as np
import pymanopt

from ._orthogonal import OrthogonalGroup, skew, transpose


def make_problem(A, B, backend="numpy", k=1, hessian_dtype=np.float64, linear=None,
                 offset=0.0):
    """The Pymanopt problem ``min_C ||A - C B C^T||_F^2`` over ``O(n)`` (or ``O(n)^k``).

    On the manifold the cost equals ``|A|^2 + |B|^2 - 2 <A, C B C^T>``. That
    extension to the ambient space has the Euclidean gradient
    ``G = -2 (A C B^T + A^T C B)`` and Hessian ``E -> -2 (A E B^T + A^T E B)``.
    Tangent vectors ``C W`` are stored by their skew factor ``W`` (see
    ``OrthogonalGroup``), and the Riemannian gradient and Hessian follow in
    closed form: ``grad = skew(C^T G)`` and
    ``Hess[W] = skew(C^T ehess[C W]) - (W S + S W) / 2``, ``S = sym(C^T G)``
    (projection plus the Weingarten map of ``O(n)``). ``C^T A C`` and ``S``
    are computed once per point and reused by every Hessian-vector product of
    the trust-region inner loop.

    With ``k > 1`` the problem is the sum of ``k`` independent copies on the
    product manifold ``O(n)^k`` (points of shape ``(k, n, n)``): one
    trust-region run then descends ``k`` starts at once, in stacked matrix
    products.

    A linear term ``- 2 <L, C> + offset`` may be added to the cost (the input
    term of two driven systems, ``w ||B1 - C B2||^2 = w (|B1|^2 + |B2|^2) - 2 <w
    B1 B2^T, C>``): it adds ``-2 L`` to the Euclidean gradient and nothing to
    the Euclidean Hessian, so it enters the Riemannian Hessian only through
    ``S``.

    Parameters
    ----------
    A, B : ndarray of shape (n, n)
        Operators.
    backend : {"numpy", "autograd"}, default="numpy"
        "numpy" uses the analytic derivatives; "autograd" lets autograd derive
        them from the cost (slower; a cross-check, ``k=1`` only).
    k : int, default=1
        Number of copies.
    hessian_dtype : numpy dtype, default=np.float64
        Precision of the Hessian-vector products. The cost and the gradient
        are always float64, so a descent still converges to the float64
        tolerance; float32 products make the truncated-CG steps of the
        trust-region method about twice as cheap for large ``n`` (they only
        approximate the Newton step, which the trust region tolerates).
    linear : ndarray of shape (n, n) or None, default=None
        ``L`` of the linear term.
    offset : float, default=0.0
        Constant of the linear term (per copy).

    Returns
    -------
    problem : pymanopt.Problem
    """
    manifold = OrthogonalGroup(A.shape[0], k)
    constant = k * (np.sum(A * A) + np.sum(B * B) + offset)
    if backend == "autograd":
        linear = np.zeros_like(A) if linear is None else linear
        import autograd.numpy as anp

        @pymanopt.function.autograd(manifold)
        def cost(C):
            return constant - 2 * anp.sum(A * (C @ B @ C.T)) - 2 * anp.sum(linear * C)

        return pymanopt.Problem(manifold, cost)

    cache = {"point": None}
    Bt = B.T
    # Both Hessian terms in one stacked product: [C^T A C, C^T A^T C] W [B^T, B].
    right = np.stack([Bt, B]).astype(hessian_dtype)
    if k > 1:
        right = right[:, None]  # broadcast over the k copies

    def at(C):
        if cache["point"] is not C:
            CtAC = transpose(C) @ A @ C
            CtAtC = transpose(CtAC)
            CtG = -2 * (CtAC @ Bt + CtAtC @ B)
            if linear is not None:
                CtG -= 2 * transpose(C) @ linear
            S = (CtG + transpose(CtG)) / 2
            cache.update(point=C, CtG=CtG, left=(-2 * np.stack([CtAC, CtAtC])).astype(
                hessian_dtype), S=S.astype(hessian_dtype))
        return cache

    @pymanopt.function.numpy(manifold)
    def cost(C):
        value = constant - 2 * np.sum(A * (C @ B @ transpose(C)))
        return value if linear is None else value - 2 * np.sum(linear * C)

    @pymanopt.function.numpy(manifold)
    def riemannian_gradient(C):
        return skew(at(C)["CtG"])

    @pymanopt.function.numpy(manifold)
    def riemannian_hessian(C, W):
        c = at(C)
        W = W.astype(hessian_dtype, copy=False)
        # skew(C^T ehess[C W]) - (W S + S W) / 2 == skew(C^T ehess[C W] - W S),
        # as W is skew and S symmetric.
        products = (c["left"] @ W) @ right
        return skew(products[0] + products[1] - W @ c["S"]).astype(np.float64, copy=False)

    return pymanopt.Problem(manifold, cost, riemannian_gradient=riemannian_gradient,
                            riemannian_hessian=riemannian_hessian)


def make_problem_in_sym_basis(A, sym_values, skew_part, hessian_dtype=np.float32,
                              precondition_below=None):
    """:func:`make_problem` for ``B = diag(sym_values) + skew_part``, with a Jacobi preconditioner.

    Any ``B`` takes this form in the eigenbasis ``V`` of its symmetric part
    (``V^T B V``); a point ``C`` of this problem is ``C V`` of the original
    one, with the same cost and gradient norm. With ``a = C^T A C = s + k``
    (symmetric and skew parts), ``C^T G = -4 (s D - k K)`` and
    ``Hess[W] = skew(-4 s W D + 4 k W K - W S)``: four ``n x n`` matrix
    products per Hessian-vector product instead of five, as ``D`` is diagonal.

    In these coordinates the Hessian's diagonal on the basis ``E_ij`` of skew
    matrices costs ``O(n^2)``. Where the gradient norm is below
    ``precondition_below`` (near a minimum, where the Hessian is
    ill-conditioned and each truncated-CG loop is long) the problem's
    preconditioner divides by it (:func:`jacobi_inverse_diagonal`, scaled so
    that the trust region's radius keeps its meaning where the preconditioner
    starts). Elsewhere it is the identity: preconditioning the descent of the
    long valleys far from a minimum changed which minimum some rank-300 pairs
    reached.

    Parameters
    ----------
    A : ndarray of shape (n, n)
        First operator.
    sym_values : ndarray of shape (n,)
        ``D``, the eigenvalues of the symmetric part of the second operator.
    skew_part : ndarray of shape (n, n)
        ``K``, its skew part in the same eigenbasis.
    hessian_dtype : numpy dtype, default=np.float32
        Precision of the Hessian-vector products (see :func:`make_problem`).
    precondition_below : float or None, default=None
        Gradient norm below which the Jacobi preconditioner applies (None:
        no preconditioner).

    Returns
    -------
    problem : pymanopt.Problem
    """
    manifold = OrthogonalGroup(A.shape[0])
    D, K = sym_values, skew_part
    B = np.diag(D) + K
    constant = np.sum(A * A) + np.sum(B * B)
    D_row, K_cast = D.astype(hessian_dtype)[None, :], K.astype(hessian_dtype)
    cache = {"point": None}

    def at(C):
        if cache["point"] is not C:
            a = transpose(C) @ A @ C
            s, k = (a + a.T) / 2, (a - a.T) / 2
            CtG = -4 * (s * D[None, :] - k @ K)
            S = (CtG + CtG.T) / 2
            grad = skew(CtG)
            cache.update(point=C, grad=grad, grad_norm=np.linalg.norm(grad), s=s, k=k, S=S,
                         left=(-4 * np.stack([s, -k])).astype(hessian_dtype),
                         S_cast=S.astype(hessian_dtype), inverse_diagonal=None)
        return cache

    @pymanopt.function.numpy(manifold)
    def cost(C):
        return constant - 2 * np.sum(A * (C @ B @ transpose(C)))

    @pymanopt.function.numpy(manifold)
    def riemannian_gradient(C):
        return at(C)["grad"]

    @pymanopt.function.numpy(manifold)
    def riemannian_hessian(C, W):
        c = at(C)
        W = W.astype(hessian_dtype, copy=False)
        products = c["left"] @ W
        Y = products[0] * D_row
        Y += products[1] @ K_cast
        Y -= W @ c["S_cast"]
        return skew(Y).astype(np.float64, copy=False)

    if precondition_below is None:
        return pymanopt.Problem(manifold, cost, riemannian_gradient=riemannian_gradient,
                                riemannian_hessian=riemannian_hessian)

    def inverse_diagonal(c):
        if c["inverse_diagonal"] is None:
            c["inverse_diagonal"] = jacobi_inverse_diagonal(c["s"], c["k"], c["S"], D, K,
                                                            c["grad"])
        return c["inverse_diagonal"]

    @pymanopt.function.numpy(manifold)
    def preconditioner(C, W):
        c = at(C)
        if not 0 < c["grad_norm"] < precondition_below:
            return W
        return inverse_diagonal(c) * W

    return pymanopt.Problem(manifold, cost, riemannian_gradient=riemannian_gradient,
                            riemannian_hessian=riemannian_hessian,
                            preconditioner=preconditioner)


def jacobi_inverse_diagonal(s, k, S, D, K, grad):
    """The Jacobi preconditioner of :func:`make_problem_in_sym_basis`, for stacked points too.

    The Hessian's diagonal on the basis ``E_ij`` of skew matrices, ``-2 (s_jj
    D_i + s_ii D_j) - 4 k_ij K_ij - (S_ii + S_jj) / 2``, in magnitude and
    floored at ``1e-3`` of its largest entry; its inverse is scaled so that
    the gradient is as long in the preconditioned norm as in the Euclidean one.

    Parameters
    ----------
    s, k, S : ndarray of shape (..., n, n)
        Symmetric and skew parts of ``C^T A C``, and ``sym(C^T G)``.
    D : ndarray of shape (..., n)
        Eigenvalues of the symmetric part of ``B``.
    K : ndarray of shape (..., n, n)
        Skew part of ``B`` in their eigenbasis.
    grad : ndarray of shape (..., n, n)
        The Riemannian gradient's skew factor (not zero).

    Returns
    -------
    inverse_diagonal : ndarray of shape (..., n, n)
        Multiplies a tangent vector's skew factor entrywise.
    """
    s_ii, S_ii = (np.diagonal(M, axis1=-2, axis2=-1) for M in (s, S))
    diagonal = np.abs(-2 * (s_ii[..., None, :] * D[..., :, None]
                            + s_ii[..., :, None] * D[..., None, :])
                      - 4 * k * K - (S_ii[..., :, None] + S_ii[..., None, :]) / 2)
    diagonal = np.maximum(diagonal, 1e-3 * diagonal.max(axis=(-2, -1), keepdims=True))
    scale = (np.sum(grad ** 2 * diagonal, axis=(-2, -1), keepdims=True)
             / np.sum(grad ** 2, axis=(-2, -1), keepdims=True))
    return scale / diagonal
