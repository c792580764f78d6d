"""Mathematical properties, checked with Hypothesis over generated inputs."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from skdsa import DSA, DMDRegressor, HankelEmbedder
from skdsa.metrics import ProcrustesVectorFieldMetric, procrustes_vector_field_distance
from skdsa.metrics._orthogonal import random_orthogonal
from skdsa.metrics._prepared import prepare_operator
from skdsa.metrics._procrustes import compare_in_order

finite = st.floats(-1, 1, allow_nan=False, allow_infinity=False, allow_subnormal=False)


@st.composite
def operators(draw, n=None, count=1):
    n = n or draw(st.integers(2, 4))
    mats = [draw(arrays(np.float64, (n, n), elements=finite)) for _ in range(count)]
    for A in mats:  # keep away from the zero operator, whose angle is a convention
        A += np.eye(n) * 1e-3
    return mats


seeds = st.integers(0, 2**31 - 1)
KW = dict(n_init=16, random_state=0)


@given(operators())
def test_distance_to_itself_is_zero(ops):
    (A,) = ops
    result = procrustes_vector_field_distance(A, A, return_result=True, **KW)
    assert result.score < 1e-6
    assert 0 <= result.lower_bound <= result.score + 1e-12


@given(operators(count=2))
def test_symmetry(ops):
    # d(A, B) == d(B, A) exactly holds by construction (one canonical order per
    # pair); what it rests on is that either order of the search finds the minimum.
    A, B = (prepare_operator(M) for M in ops)
    options = dict(score="angular", max_iter=200, tol=1e-8, gap_tol=1e-6, **KW)
    ab, ba = compare_in_order(A, B, **options), compare_in_order(B, A, **options)
    assert ab.score == pytest.approx(ba.score, abs=1e-6)
    first, second = sorted([A, B], key=lambda a: a.operator.tobytes())
    canonical = compare_in_order(first, second, **options).score
    assert procrustes_vector_field_distance(*ops, **KW) == canonical
    assert procrustes_vector_field_distance(*ops[::-1], **KW) == canonical


@given(operators(count=2), seeds, seeds)
def test_invariance_to_orthogonal_changes_of_coordinates(ops, seed_q, seed_r):
    A, B = ops
    n = A.shape[0]
    Q = random_orthogonal(n, np.random.default_rng(seed_q), det=1 - 2 * (seed_q % 2))
    R = random_orthogonal(n, np.random.default_rng(seed_r))
    d = procrustes_vector_field_distance(A, B, **KW)
    assert procrustes_vector_field_distance(Q @ A @ Q.T, R @ B @ R.T, **KW) == \
        pytest.approx(d, abs=1e-6)


@given(operators(count=3), st.sampled_from(["angular", "euclidean"]))
def test_triangle_inequality_and_range(ops, score):
    D = ProcrustesVectorFieldMetric(score=score, **KW).pairwise(ops)
    for i, j, k in [(0, 1, 2), (1, 2, 0), (2, 0, 1)]:
        assert D[i, j] <= D[i, k] + D[k, j] + 1e-6
    if score == "angular":
        assert np.all((D >= 0) & (D <= np.pi))


@given(operators(count=2))
def test_lower_bound_never_exceeds_the_distance(ops):
    A, B = ops
    for score in ("angular", "euclidean"):
        result = procrustes_vector_field_distance(A, B, score=score, return_result=True)
        assert result.lower_bound <= result.score + 1e-12


series = st.integers(1, 3).flatmap(
    lambda n_features: arrays(np.float64, st.tuples(st.integers(2, 4), st.integers(12, 30),
                                                    st.just(n_features)), elements=finite))


@given(series, st.integers(1, 4), st.integers(1, 3))
def test_embedding_shape_law(X, n_delays, delay_interval):
    n_trials, T, n = X.shape
    H = HankelEmbedder(n_delays=n_delays, delay_interval=delay_interval).fit_transform(X)
    assert H.shape == (n_trials, T - (n_delays - 1) * delay_interval, n * n_delays)


@given(series, st.integers(1, 4), st.randoms(use_true_random=False))
def test_permuting_features_permutes_every_lag_block(X, n_delays, random):
    n = X.shape[2]
    perm = list(range(n))
    random.shuffle(perm)
    embed = HankelEmbedder(n_delays=n_delays)
    block_perm = [k * n + p for k in range(n_delays) for p in perm]
    np.testing.assert_array_equal(embed.fit_transform(X[:, :, perm]),
                                  embed.fit_transform(X)[:, :, block_perm])


def simulate(seed, n=3, n_trials=3, T=60, noise=0.05):
    rng = np.random.default_rng(seed)
    M = rng.normal(size=(n, n))
    M *= 0.95 / np.max(np.abs(np.linalg.eigvals(M)))
    X = np.empty((n_trials, T, n))
    X[:, 0] = rng.normal(size=(n_trials, n))
    for t in range(T - 1):
        X[:, t + 1] = X[:, t] @ M.T + noise * rng.normal(size=(n_trials, n))
    return X


@given(seeds, st.floats(1e-3, 1e3))
def test_scaling_the_data_does_not_change_eigenvalues(seed, scale):
    X = simulate(seed)
    a = np.sort_complex(DMDRegressor().fit(X).eigenvalues_)
    b = np.sort_complex(DMDRegressor().fit(scale * X).eigenvalues_)
    np.testing.assert_allclose(a, b, atol=1e-8)


@given(seeds)
def test_float32_and_float64_input_agree(seed):
    X = simulate(seed)
    a = np.sort_complex(DMDRegressor().fit(X).eigenvalues_)
    b = np.sort_complex(DMDRegressor().fit(X.astype(np.float32)).eigenvalues_)
    np.testing.assert_allclose(a, b, atol=1e-4)


@given(series)
def test_inputs_are_never_mutated(X):
    X = X + np.arange(X.shape[1])[:, None] * 1e-2  # not constant over time
    X.setflags(write=False)
    copy = X.copy()
    H = HankelEmbedder(n_delays=2).fit_transform(X)
    dmd = DMDRegressor(rank=1).fit(H)
    dmd.transform(H), dmd.predict(H), dmd.score(H)
    np.testing.assert_array_equal(X, copy)
    A = np.array(dmd.operator_)
    A.setflags(write=False)
    procrustes_vector_field_distance(A, A)


@pytest.mark.parametrize("seed", [0, 1])
def test_same_random_state_gives_bit_identical_matrices(seed):
    systems = [simulate(seed + k) for k in range(4)]
    first = DSA(n_delays=2, rank=4, random_state=seed).fit_transform(systems)
    again = DSA(n_delays=2, rank=4, random_state=seed).fit_transform(systems)
    parallel = DSA(n_delays=2, rank=4, random_state=seed, n_jobs=2).fit_transform(systems)
    np.testing.assert_array_equal(first, again)
    np.testing.assert_array_equal(first, parallel)
