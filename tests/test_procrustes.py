import numpy as np
import pytest
from scipy.linalg import expm

from skdsa import DMDRegressor, HankelEmbedder
from skdsa.metrics import (
    ProcrustesVectorFieldMetric,
    procrustes_vector_field_distance,
)
from skdsa.metrics._orthogonal import OrthogonalGroup, random_orthogonal
from skdsa.metrics._prepared import prepare_operator
from skdsa.metrics._problem import make_problem, make_problem_in_sym_basis
from skdsa.metrics._procrustes import compare_in_order


def random_stable(n, rng, radius=0.95):
    A = rng.normal(size=(n, n))
    return radius * A / np.max(np.abs(np.linalg.eigvals(A)))


def dmd_operator(rng, n_latent, rank):
    """DMD operator of a noisy, partially observed random linear system."""
    M = random_stable(n_latent, rng, radius=0.97)
    X = np.empty((5, 200, n_latent))
    X[:, 0] = rng.normal(size=(5, n_latent))
    for t in range(199):
        X[:, t + 1] = X[:, t] @ M.T + 0.1 * rng.normal(size=(5, n_latent))
    H = HankelEmbedder(n_delays=max(1, -(-rank // 3))).fit_transform(X[:, :, :3])
    return DMDRegressor(rank=rank).fit(H).operator_


@pytest.mark.parametrize("n", [2, 5, 10, 20, 50, 100, 150])
@pytest.mark.parametrize("det", [1, -1])
@pytest.mark.parametrize("seed", [0, 1])
def test_conjugate_random_operators_have_zero_distance(n, det, seed):
    rng = np.random.default_rng(seed)
    A = random_stable(n, rng)
    Q = random_orthogonal(n, rng, det=det)
    result = procrustes_vector_field_distance(A, Q @ A @ Q.T, random_state=seed,
                                              return_result=True)
    assert result.score < 1e-6
    assert result.certified
    np.testing.assert_allclose(result.C.T @ result.C, np.eye(n), atol=1e-10)


@pytest.mark.parametrize("rank", [2, 5, 10, 20, 50, 100, 150])
@pytest.mark.parametrize("det", [1, -1])
@pytest.mark.parametrize("seed", [0, 1])
def test_conjugate_dmd_operators_have_zero_distance(rank, det, seed):
    rng = np.random.default_rng([rank, seed])
    A = dmd_operator(rng, n_latent=6, rank=rank)
    Q = random_orthogonal(rank, rng, det=det)
    for score in ("angular", "euclidean"):
        d = procrustes_vector_field_distance(A, Q @ A @ Q.T, score=score,
                                             random_state=0)
        assert d < 1e-6


@pytest.mark.parametrize("seed", range(4))
def test_symmetry_bounds_and_orthogonality_on_unrelated_pairs(seed):
    rng = np.random.default_rng(seed)
    A, B = random_stable(6, rng), random_stable(6, rng)
    ab = procrustes_vector_field_distance(A, B, random_state=seed, n_init=6,
                                          return_result=True)
    # Either order of the search (not only the canonical one the metric takes).
    options = dict(score="angular", n_init=6, max_iter=200, tol=1e-8, gap_tol=1e-6,
                   random_state=seed)
    a, b = prepare_operator(A), prepare_operator(B)
    ba = compare_in_order(b, a, **options)
    assert ab.score == pytest.approx(compare_in_order(a, b, **options).score, abs=1e-6)
    assert ab.score == pytest.approx(ba.score, abs=1e-6)
    assert 0 <= ab.lower_bound <= ab.score <= np.pi
    np.testing.assert_allclose(ab.C.T @ ab.C, np.eye(6), atol=1e-10)
    # The reported C achieves the reported scores.
    An, Bn = A / np.linalg.norm(A), B / np.linalg.norm(B)
    assert ab.cost == pytest.approx(np.sum((An - ab.C @ Bn @ ab.C.T) ** 2))
    cos = np.sum(A * (ab.C @ B @ ab.C.T)) / np.linalg.norm(A) / np.linalg.norm(B)
    assert ab.score == pytest.approx(np.arccos(cos), abs=1e-7)
    euclid = procrustes_vector_field_distance(A, B, score="euclidean",
                                              random_state=seed, return_result=True)
    assert 0 <= euclid.lower_bound <= euclid.score
    assert euclid.score <= np.linalg.norm(A - B) + 1e-12  # C = I is feasible


@pytest.mark.parametrize("seed", range(5))
def test_triangle_inequality(seed):
    rng = np.random.default_rng(seed)
    A, B, C = (random_stable(5, rng) for _ in range(3))
    metric = ProcrustesVectorFieldMetric(score="euclidean", n_init=8, random_state=0)
    D = metric.pairwise([A, B, C])
    for i, j, k in [(0, 1, 2), (1, 2, 0), (2, 0, 1)]:
        assert D[i, j] <= D[i, k] + D[k, j] + 1e-6


def test_angular_score_is_orthogonally_invariant():
    rng = np.random.default_rng(7)
    A, B = random_stable(5, rng), random_stable(5, rng)
    Q, R = random_orthogonal(5, rng), random_orthogonal(5, rng, det=-1)
    kw = dict(n_init=10, random_state=0)
    d = procrustes_vector_field_distance(A, B, **kw)
    d_rotated = procrustes_vector_field_distance(Q @ A @ Q.T, R @ B @ R.T, **kw)
    assert d == pytest.approx(d_rotated, abs=1e-6)
    # And it is scale invariant.
    assert procrustes_vector_field_distance(3 * A, 0.1 * B, **kw) == pytest.approx(d, abs=1e-6)


def test_lower_bound_is_tight_for_commuting_symmetric_operators():
    # Symmetric operators: the optimum aligns sorted eigenvalues, and the
    # Hoffman-Wielandt bound is attained, so the result is certified.
    rng = np.random.default_rng(8)
    A = np.diag([0.9, 0.5, 0.1, -0.3])
    P, Q = random_orthogonal(4, rng), random_orthogonal(4, rng)
    B = np.diag([0.8, 0.6, 0.0, -0.2])
    result = procrustes_vector_field_distance(P @ A @ P.T, Q @ B @ Q.T,
                                              score="euclidean", return_result=True)
    assert result.certified
    assert result.score == pytest.approx(np.linalg.norm(np.diag(A) - np.diag(B)))


def test_analytic_derivatives_match_autograd():
    rng = np.random.default_rng(9)
    A, B = rng.normal(size=(6, 6)), rng.normal(size=(6, 6))
    analytic, auto = make_problem(A, B), make_problem(A, B, backend="autograd")
    for _ in range(3):
        C = random_orthogonal(6, rng)
        E = analytic.manifold.projection(C, rng.normal(size=(6, 6)))
        assert analytic.cost(C) == pytest.approx(auto.cost(C), abs=1e-10)
        np.testing.assert_allclose(analytic.riemannian_gradient(C),
                                   auto.riemannian_gradient(C), atol=1e-6)
        np.testing.assert_allclose(analytic.riemannian_hessian(C, E),
                                   auto.riemannian_hessian(C, E), atol=1e-6)


@pytest.mark.parametrize("score", ["angular", "euclidean"])
def test_an_operator_is_at_distance_exactly_zero_from_itself(score):
    A = random_stable(7, np.random.default_rng(13))
    result = procrustes_vector_field_distance(A, A.copy(), score=score, return_result=True)
    assert result.score == 0.0
    assert result.certified


def test_the_problem_in_the_symmetric_eigenbasis_is_the_same_problem_at_C_V():
    rng = np.random.default_rng(10)
    A, B = rng.normal(size=(7, 7)), rng.normal(size=(7, 7))
    D, V = np.linalg.eigh((B + B.T) / 2)
    K = V.T @ ((B - B.T) / 2) @ V
    original = make_problem(A, B)
    rotated = make_problem_in_sym_basis(A, D, K, hessian_dtype=np.float64,
                                        precondition_below=np.inf)
    for _ in range(3):
        C = random_orthogonal(7, rng)
        W = rotated.manifold.projection(C, rng.normal(size=(7, 7)))
        assert rotated.cost(C @ V) == pytest.approx(original.cost(C), rel=1e-12)
        # A tangent vector C W at C is (C V)(V^T W V) at C V.
        np.testing.assert_allclose(rotated.riemannian_gradient(C @ V),
                                   V.T @ original.riemannian_gradient(C) @ V, atol=1e-12)
        np.testing.assert_allclose(rotated.riemannian_hessian(C @ V, V.T @ W @ V),
                                   V.T @ original.riemannian_hessian(C, W) @ V, atol=1e-12)
        # The preconditioner divides by the Hessian's diagonal on the skew basis
        # E_ij (up to one common scale), where that diagonal is not tiny.
        P = rotated.preconditioner(C @ V, np.ones((7, 7)))
        diagonal = np.zeros((7, 7))
        for i, j in zip(*np.triu_indices(7, 1)):
            E = np.zeros((7, 7))
            E[i, j], E[j, i] = 1 / np.sqrt(2), -1 / np.sqrt(2)
            diagonal[i, j] = diagonal[j, i] = abs(np.sum(E * rotated.riemannian_hessian(C @ V, E)))
        upper = np.triu_indices(7, 1)
        kept = diagonal[upper] >= 1e-3 * diagonal.max()
        ratio = (P * diagonal)[upper][kept]
        np.testing.assert_allclose(ratio, ratio[0], rtol=1e-10)


def test_cayley_retraction_is_a_second_order_retraction_that_commutes_with_transposition():
    rng = np.random.default_rng(12)
    group = OrthogonalGroup(5, k=4)
    C = np.stack([random_orthogonal(5, rng, det=(-1) ** i) for i in range(4)])
    W = rng.normal(size=(4, 5, 5))
    W = 3 * (W - W.transpose(0, 2, 1))
    moved = group.retraction(C, W)
    np.testing.assert_allclose(moved.transpose(0, 2, 1) @ moved,
                               np.broadcast_to(np.eye(5), (4, 5, 5)), atol=1e-12)
    np.testing.assert_array_equal(np.sign(np.linalg.det(moved)), [1, -1, 1, -1])
    # Agrees with the exponential map C expm(tW) up to O(t^3).
    errors = [np.abs(group.retraction(C, t * W) - C @ np.stack([expm(t * w) for w in W])).max()
              for t in (1e-2, 1e-3)]
    assert errors[0] / errors[1] > 500
    # Transposition maps the step W at C to the step -C W C^T at C^T.
    Ct = C.transpose(0, 2, 1)
    np.testing.assert_allclose(group.retraction(Ct, -C @ W @ Ct), moved.transpose(0, 2, 1),
                               atol=1e-12)


def test_metric_estimator_attributes_and_inputs_untouched():
    rng = np.random.default_rng(10)
    A, B = random_stable(4, rng), random_stable(4, rng)
    A.setflags(write=False)
    copies = A.copy(), B.copy()
    metric = ProcrustesVectorFieldMetric(random_state=0).fit(A, B)
    for name in ("score_", "C_", "cost_", "n_iter_", "lower_bound_", "gap_", "certified_"):
        assert hasattr(metric, name)
    assert metric.gap_ == pytest.approx(metric.score_ - metric.lower_bound_)
    np.testing.assert_array_equal(A, copies[0])
    np.testing.assert_array_equal(B, copies[1])


def test_size_mismatch_raises_or_pads():
    rng = np.random.default_rng(11)
    A, B = random_stable(4, rng), random_stable(3, rng)
    with pytest.raises(ValueError, match=r"different sizes \[3, 4\].*size_mismatch='pad'"):
        procrustes_vector_field_distance(A, B)
    padded = np.zeros((4, 4))
    padded[:3, :3] = B
    kw = dict(random_state=0, n_init=4)
    assert procrustes_vector_field_distance(A, B, size_mismatch="pad", **kw) == \
        pytest.approx(procrustes_vector_field_distance(A, padded, **kw))


def test_zero_operator_conventions():
    A = np.eye(3)
    Z = np.zeros((3, 3))
    assert procrustes_vector_field_distance(Z, Z) == 0
    assert procrustes_vector_field_distance(A, Z) == pytest.approx(np.pi / 2)
    assert procrustes_vector_field_distance(A, Z, score="euclidean") == \
        pytest.approx(np.sqrt(3))


def test_pairwise_is_symmetric_and_independent_of_n_jobs():
    rng = np.random.default_rng(12)
    ops = [random_stable(4, rng) for _ in range(5)]
    metric = ProcrustesVectorFieldMetric(random_state=3)
    D1 = metric.set_params(n_jobs=1).pairwise(ops)
    D2 = metric.set_params(n_jobs=2).pairwise(ops)
    np.testing.assert_array_equal(D1, D2)
    np.testing.assert_array_equal(D1, D1.T)
    assert np.all(np.diag(D1) == 0)
    cross = metric.pairwise(ops[:2], ops)
    assert cross.shape == (2, 5)
    np.testing.assert_allclose(cross[:, :2], D1[:2, :2], atol=1e-6)
