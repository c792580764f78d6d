import numpy as np
import pytest

from skdsa.metrics import EigenvalueWasserstein, eigenvalue_wasserstein


def test_matches_brute_force_over_matchings():
    from itertools import permutations

    rng = np.random.default_rng(0)
    A, B = rng.normal(size=(5, 5)), rng.normal(size=(5, 5))
    a, b = np.linalg.eigvals(A), np.linalg.eigvals(B)
    best = min(np.mean(np.abs(a - b[list(p)]) ** 2) for p in permutations(range(5)))
    assert eigenvalue_wasserstein(A, B, squared=True) == pytest.approx(best)
    assert eigenvalue_wasserstein(A, B) == pytest.approx(np.sqrt(best))


def test_invariant_to_any_change_of_basis():
    rng = np.random.default_rng(1)
    A = rng.normal(size=(4, 4))
    S = rng.normal(size=(4, 4))
    assert eigenvalue_wasserstein(A, S @ A @ np.linalg.inv(S)) < 1e-10


def test_size_mismatch_pads_with_zero_eigenvalues():
    A, B = np.diag([1.0, 0.5]), np.diag([1.0])
    with pytest.raises(ValueError, match="different sizes"):
        eigenvalue_wasserstein(A, B)
    assert eigenvalue_wasserstein(A, B, size_mismatch="pad", squared=True) == \
        pytest.approx(0.25 / 2)


def test_pairwise_matches_functional_form():
    rng = np.random.default_rng(2)
    ops = [rng.normal(size=(3, 3)) for _ in range(4)]
    D = EigenvalueWasserstein().pairwise(ops)
    assert D[1, 3] == pytest.approx(eigenvalue_wasserstein(ops[1], ops[3]))
    np.testing.assert_array_equal(D, D.T)
