"""Distances between driven systems: exactness, closed forms, bounds and derivatives."""

import numpy as np
import pytest
from scipy.linalg import expm

from skdsa.metrics import DrivenProcrustesMetric, controllability_matrix
from skdsa.metrics._driven_problem import make_joint_problem
from skdsa.metrics._orthogonal import random_orthogonal


def driven_system(rng, n, m):
    A = rng.normal(size=(n, n))
    return 0.9 * A / np.max(np.abs(np.linalg.eigvals(A))), rng.normal(size=(n, m))


@pytest.mark.parametrize("n, m", [(1, 1), (3, 2), (10, 3), (30, 2), (60, 4)])
@pytest.mark.parametrize("det", [1, -1])
@pytest.mark.parametrize("score", ["angular", "euclidean"])
def test_conjugate_driven_systems_are_at_distance_zero(n, m, det, score):
    rng = np.random.default_rng([n, m, det + 1])
    A, B = driven_system(rng, n, m)
    Q = random_orthogonal(n, rng, det=det) if n > 1 else det * np.ones((1, 1))
    conjugate = (Q.T @ A @ Q, Q.T @ B)
    for mode in ("state", "input", "joint", "controllability"):
        metric = DrivenProcrustesMetric(mode=mode, score=score, random_state=0)
        metric.fit((A, B), conjugate)
        assert metric.score_ < 1e-6, mode
        assert metric.certified_, mode
        np.testing.assert_allclose(metric.C_.T @ metric.C_, np.eye(n), atol=1e-10)


@pytest.mark.parametrize("n, m", [(4, 2), (20, 3), (40, 3)])
def test_inputs_in_other_coordinates_are_aligned_too(n, m):
    rng = np.random.default_rng(n)
    A, B = driven_system(rng, n, m)
    Q, R = random_orthogonal(n, rng, det=-1), random_orthogonal(m, rng)
    other = (Q.T @ A @ Q, Q.T @ B @ R)
    for mode in ("input", "joint"):
        metric = DrivenProcrustesMetric(mode=mode, align_inputs=True, random_state=0)
        assert metric.fit((A, B), other).score_ < 1e-6
        np.testing.assert_allclose(metric.D_.T @ metric.D_, np.eye(m), atol=1e-10)
    # Without aligning the inputs, rotated input channels are a different drive.
    assert DrivenProcrustesMetric(mode="joint", random_state=0).fit((A, B), other).score_ > 0.01


def test_the_input_distance_is_the_closed_form_minimum():
    rng = np.random.default_rng(1)
    (A1, B1), (A2, B2) = driven_system(rng, 5, 3), driven_system(rng, 5, 3)
    metric = DrivenProcrustesMetric(mode="input", score="euclidean").fit((A1, B1), (A2, B2))
    assert metric.score_ == pytest.approx(np.linalg.norm(B1 - metric.C_ @ B2))
    # Orthogonal Procrustes: min over C of ||B1 - C B2|| is reached at the polar
    # factor of B1 B2^T, and its square is |B1|^2 + |B2|^2 - 2 (nuclear norm).
    U, s, Vt = np.linalg.svd(B1 @ B2.T)
    squares = np.sum(B1**2) + np.sum(B2**2)
    assert metric.score_ == pytest.approx(np.sqrt(squares - 2 * s.sum()), rel=1e-10)
    np.testing.assert_allclose(metric.C_, U @ Vt, atol=1e-10)
    # Two-sided (C B2 D^T): von Neumann's bound, the singular values paired in order.
    both = DrivenProcrustesMetric(mode="input", score="euclidean", align_inputs=True)
    paired = np.linalg.svd(B1, compute_uv=False) @ np.linalg.svd(B2, compute_uv=False)
    assert both.fit((A1, B1), (A2, B2)).score_ == pytest.approx(
        np.sqrt(squares - 2 * paired), rel=1e-10)
    assert both.score_ < metric.score_


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("align_inputs", [False, True])
def test_joint_distances_are_symmetric_bounded_and_above_each_part(seed, align_inputs):
    rng = np.random.default_rng(seed)
    first, second = driven_system(rng, 6, 2), driven_system(rng, 6, 2)
    kw = dict(mode="joint", align_inputs=align_inputs, score="euclidean", random_state=0)
    ab = DrivenProcrustesMetric(**kw).fit(first, second)
    ba = DrivenProcrustesMetric(**kw).fit(second, first)
    assert ab.score_ == pytest.approx(ba.score_, abs=1e-10)
    assert 0 <= ab.lower_bound_ <= ab.score_
    (A1, B1), (A2, B2) = first, second
    C, D = ab.C_, ab.D_
    assert ab.score_ == pytest.approx(np.sqrt(np.sum((A1 - C @ A2 @ C.T) ** 2)
                                              + np.sum((B1 - C @ B2 @ D.T) ** 2)))
    # The joint distance is at least each part's certified lower bound.
    for mode in ("state", "input"):
        part = DrivenProcrustesMetric(mode=mode, align_inputs=align_inputs, score="euclidean",
                                      random_state=0).fit(first, second)
        assert ab.score_ >= part.lower_bound_ - 1e-12
    angular = DrivenProcrustesMetric(mode="joint", align_inputs=align_inputs,
                                     random_state=0).fit(first, second)
    assert 0 <= angular.lower_bound_ <= angular.score_ <= np.pi


def test_input_weight_zero_joint_matches_the_state_distance_on_conjugate_dynamics():
    rng = np.random.default_rng(4)
    A, B = driven_system(rng, 8, 2)
    Q = random_orthogonal(8, rng)
    other = (Q.T @ A @ Q, rng.normal(size=(8, 2)))  # same dynamics, another drive
    joint = DrivenProcrustesMetric(mode="joint", input_weight=0.0, random_state=0)
    assert joint.fit((A, B), other).score_ < 1e-6
    assert DrivenProcrustesMetric(mode="joint", random_state=0).fit((A, B), other).score_ > 0.1


def test_controllability_matrix_is_the_reference_construction():
    rng = np.random.default_rng(5)
    A, B = driven_system(rng, 3, 2)
    K = controllability_matrix(A, B)
    expected = np.hstack([B, A @ B, A.T @ B, A @ A @ B, A.T @ A.T @ B])
    np.testing.assert_allclose(K, expected)


@pytest.mark.parametrize("align_inputs", [False, True])
@pytest.mark.parametrize("k", [1, 3])
def test_joint_derivatives_match_the_cost_along_geodesics(align_inputs, k):
    rng = np.random.default_rng(6)
    n, m, w = 5, 3, 0.7
    A1, A2 = rng.normal(size=(n, n)), rng.normal(size=(n, n))
    B1, B2 = rng.normal(size=(n, m)), rng.normal(size=(n, m))
    problem = make_joint_problem(A1, A2, B1, B2, w, align_inputs=align_inputs, k=k)

    def stack(factory, size):
        return factory(size) if k == 1 else np.stack([factory(size) for _ in range(k)])

    def skew(size):
        M = rng.normal(size=(size, size))
        return M - M.T

    point = [stack(lambda s: random_orthogonal(s, rng), n)]
    steps = [stack(skew, n), stack(skew, n)]
    if align_inputs:
        point.append(stack(lambda s: random_orthogonal(s, rng), m))
        steps = [[steps[0], stack(skew, m)], [steps[1], stack(skew, m)]]
        inner = lambda a, b: sum(np.vdot(x, y) for x, y in zip(a, b))  # noqa: E731
        moved = lambda t: [P @ expm(t * W) if k == 1 else P @ np.stack([expm(t * w_) for w_ in W])  # noqa: E731
                           for P, W in zip(point, steps[0])]
        X = point
    else:
        inner = np.vdot
        X = point[0]
        steps = [s for s in steps]
        moved = lambda t: (X @ expm(t * steps[0]) if k == 1  # noqa: E731
                           else X @ np.stack([expm(t * w_) for w_ in steps[0]]))
    cost = problem.cost
    e = 1e-4
    first = (cost(moved(e)) - cost(moved(-e))) / (2 * e)
    second = (cost(moved(e)) - 2 * cost(moved(0)) + cost(moved(-e))) / e**2
    assert first == pytest.approx(inner(steps[0], problem.riemannian_gradient(X)), rel=1e-6)
    assert second == pytest.approx(inner(steps[0], problem.riemannian_hessian(X, steps[0])),
                                   rel=1e-5)
    # The Hessian is self-adjoint.
    assert inner(steps[0], problem.riemannian_hessian(X, steps[1])) == pytest.approx(
        inner(steps[1], problem.riemannian_hessian(X, steps[0])), rel=1e-10)
