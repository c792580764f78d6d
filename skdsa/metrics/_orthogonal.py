"""The orthogonal group ``O(n)`` as Pymanopt sees it, and descents on it.

Shared by every metric that optimises over rotations: the manifold (with
tangent vectors stored by their skew factor), Haar-random points, and one
trust-region descent.
"""

import numpy as np
from pymanopt.manifolds import SpecialOrthogonalGroup
from pymanopt.optimizers import TrustRegions


def transpose(M):
    return M.swapaxes(-1, -2)


def skew(M):
    return (M - transpose(M)) * 0.5


class OrthogonalGroup(SpecialOrthogonalGroup):
    """``O(n)^k`` with Pymanopt's orthogonal-group geometry.

    ``O(n)`` is the Stiefel manifold ``St(n, n)`` with its embedded metric.
    As in Pymanopt's ``SpecialOrthogonalGroup``, a tangent vector ``C W`` at
    ``C`` is stored by its skew-symmetric factor ``W``, which spares the
    multiplications by ``C`` in every inner product, projection and
    Hessian-vector product. All operations are left-invariant, so a descent
    stays on the component of ``O(n)`` (``det C = +1`` or ``-1``) where it
    starts; the starts cover both (``random_point``, never used here, still
    draws from ``SO(n)`` only).

    For the small matrices DSA compares, Python overhead per call dominates the
    trust-region method, so two methods are replaced by faster equivalents: a
    flat inner product, and the real skew part as projection onto the tangent
    space (Pymanopt's also conjugates, for complex groups).

    The retraction is the Cayley transform ``C (I - W/2)^{-1} (I + W/2)``
    (second order, one stacked solve) instead of Pymanopt's QR retraction.
    Unlike QR it commutes with transposition (``C -> C^T`` maps the problem
    for ``(A, B)`` onto the problem for ``(B, A)``), so a descent for the pair
    in one order is the mirror image of the descent in the other, and the
    distance does not depend on the order of the two operators.
    """

    def __init__(self, n, k=1):
        super().__init__(n, k=k)

    def inner_product(self, point, tangent_vector_a, tangent_vector_b):
        return float(np.vdot(tangent_vector_a, tangent_vector_b))

    def to_tangent_space(self, point, vector):
        return skew(vector)

    def retraction(self, point, tangent_vector):
        return cayley(point, tangent_vector)


def cayley(C, W):
    """The Cayley retraction ``C (I - W/2)^{-1} (I + W/2)`` (stacked ``C`` and ``W`` too)."""
    half = W / 2
    identity = np.eye(W.shape[-1])
    return C @ np.linalg.solve(identity - half, identity + half)


def random_orthogonal(n, rng, det=None):
    """Haar-random orthogonal matrix, optionally with a chosen determinant sign."""
    Q, R = np.linalg.qr(rng.standard_normal((n, n)))
    Q *= np.sign(np.diag(R))
    if det is not None and np.sign(np.linalg.det(Q)) != det:
        Q[:, 0] *= -1
    return Q


def descend(problem, point, tol, max_iter, max_inner=None, theta=1.0):
    """Pymanopt trust regions from ``point`` until the gradient norm is below ``tol``.

    ``max_inner`` caps the truncated-CG iterations of each trust-region step
    (Pymanopt's default: the manifold's dimension) and ``theta`` sets their
    superlinear target (Pymanopt's default: 1); looser inner solves make each
    step cheaper where the step only needs to point downhill. Returns the
    point and the number of trust-region iterations.
    """
    if problem.manifold.norm(point, problem.riemannian_gradient(point)) <= tol:
        return point, 0
    run = TrustRegions(max_iterations=max_iter, min_gradient_norm=tol, theta=theta,
                       verbosity=0, log_verbosity=0).run(problem, initial_point=point,
                                                         maxinner=max_inner)
    return run.point, run.iterations
