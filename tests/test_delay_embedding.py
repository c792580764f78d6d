"""The lazy delay embedding and the covariance (Gram) path of DMDRegressor."""

import tracemalloc

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import Pipeline

from skdsa import DelayEmbedding, DMDRegressor, HankelEmbedder
from skdsa.embedding._delay_embedding import delay_embed


def noisy_oscillators(n_trials, n_timepoints, n_features, rng, noise=0.1):
    """Three damped rotations seen through a random mixing, with observation noise."""
    blocks = [0.98 * np.array([[np.cos(w), -np.sin(w)], [np.sin(w), np.cos(w)]])
              for w in (0.1, 0.3, 0.7)]
    M = np.zeros((6, 6))
    for k, block in enumerate(blocks):
        M[2 * k:2 * k + 2, 2 * k:2 * k + 2] = block
    z = np.empty((n_trials, n_timepoints, 6))
    z[:, 0] = rng.normal(size=(n_trials, 6))
    for t in range(n_timepoints - 1):
        z[:, t + 1] = z[:, t] @ M.T + 0.3 * rng.normal(size=(n_trials, 6))
    X = z @ rng.normal(size=(6, n_features))
    return X + noise * rng.normal(size=X.shape)


def recordings(rng):
    X = noisy_oscillators(4, 120, 5, rng)
    return {"2d": X[0], "3d": X, "ragged": [X[0], X[1, :90], X[2, :57]]}


@pytest.mark.parametrize("layout", ["2d", "3d", "ragged"])
@pytest.mark.parametrize("n_delays, delay_interval, rank",
                         [(1, 1, 4), (4, 1, 6), (3, 5, 8), (10, 2, 12)])
def test_covariance_path_equals_the_exact_svd(layout, n_delays, delay_interval, rank):
    X = recordings(np.random.default_rng(0))[layout]
    H = HankelEmbedder(n_delays, delay_interval).fit_transform(X)
    exact = DMDRegressor(rank=rank, svd_solver="full", alpha=1e-3).fit(H)
    gram = DMDRegressor(rank=rank, svd_solver="covariance_eigh", alpha=1e-3).fit(H)
    assert (exact.svd_solver_, gram.svd_solver_) == ("full", "covariance_eigh")
    np.testing.assert_allclose(np.sort_complex(gram.eigenvalues_),
                               np.sort_complex(exact.eigenvalues_), atol=1e-8)
    # Mode signs are fixed, so the operators themselves agree, not only their spectra.
    np.testing.assert_allclose(gram.operator_, exact.operator_, atol=1e-8)
    np.testing.assert_allclose(gram.full_operator_, exact.full_operator_, atol=1e-8)
    np.testing.assert_allclose(gram.singular_values_[:rank], exact.singular_values_[:rank],
                               rtol=1e-10)
    for method in ("transform", "predict"):
        a, b = getattr(gram, method)(H), getattr(exact, method)(H)
        for x, y in zip(a if layout == "ragged" else [a], b if layout == "ragged" else [b]):
            np.testing.assert_allclose(x, y, atol=1e-8)
    assert gram.score(H) == pytest.approx(exact.score(H), abs=1e-10)


@pytest.mark.parametrize("n_trials", [1, 3])
def test_covariance_path_equals_the_exact_svd_for_reduced_rank_regression(n_trials):
    # Slow dynamics in a low-variance direction, next to loud white noise: the
    # predictable subspace is well separated (see test_dmd's PCR vs RRR test).
    rng = np.random.default_rng(8)
    slow = np.zeros(1500)
    for t in range(1499):
        slow[t + 1] = 0.99 * slow[t] + 0.1 * rng.normal()
    X = np.c_[0.1 * slow, 3.0 * rng.normal(size=(1500, 2))]
    H = X if n_trials == 1 else X.reshape(n_trials, -1, 3)
    fits = [DMDRegressor(rank=1, reduced_rank=True, svd_solver=solver).fit(H)
            for solver in ("full", "covariance_eigh")]
    assert abs(fits[0].eigenvalues_[0] - 0.99) < 0.02
    np.testing.assert_allclose(fits[1].operator_, fits[0].operator_, atol=1e-10)
    np.testing.assert_allclose(fits[1].components_, fits[0].components_, atol=1e-10)


def test_lazy_and_materialised_embeddings_fit_the_same_model():
    X = recordings(np.random.default_rng(1))["3d"]
    H = HankelEmbedder(6, 2).fit_transform(X)
    lazy = DMDRegressor(rank=8, n_observed=5).fit(H)
    dense = DMDRegressor(rank=8, n_observed=5).fit(np.asarray(H))
    np.testing.assert_allclose(lazy.operator_, dense.operator_, atol=1e-10)
    assert lazy.score(H) == pytest.approx(dense.score(np.asarray(H)), abs=1e-12)
    np.testing.assert_allclose(lazy.predict(H, free_run=True),
                               dense.predict(np.asarray(H), free_run=True), atol=1e-9)


def test_fit_of_a_long_series_never_allocates_the_embedding():
    X = noisy_oscillators(1, 20_000, 10, np.random.default_rng(2))
    n_delays = 50
    embedding_bytes = 8 * X.shape[1] * X.shape[2] * n_delays  # 80 MB
    pipe = Pipeline([("hankel", HankelEmbedder(n_delays)), ("dmd", DMDRegressor(rank=20))])
    tracemalloc.start()
    try:
        pipe.fit(X)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert pipe[-1].svd_solver_ == "covariance_eigh"
    # The recording is 1.6 MB and the Gram matrices 2 MB each (peak seen: 14 MB).
    assert peak < embedding_bytes / 4, f"peak {peak / 1e6:.1f} MB"


def test_auto_takes_the_exact_path_when_the_kept_modes_are_too_weak():
    # Noiseless: the 4th singular value is ~1e-9 of the first, beyond what the
    # Gram matrix resolves (its square is ~1e-18).
    rng = np.random.default_rng(3)
    X = noisy_oscillators(3, 100, 4, rng, noise=0.0)[..., :4]
    X[..., 3] = X[..., 0] + 1e-9 * rng.normal(size=X.shape[:2])
    assert DMDRegressor(rank=3).fit(X).svd_solver_ == "covariance_eigh"
    auto = DMDRegressor(rank=4).fit(X)
    assert auto.svd_solver_ == "full"
    exact = DMDRegressor(rank=4, svd_solver="full").fit(X)
    np.testing.assert_array_equal(auto.operator_, exact.operator_)


def test_extreme_magnitudes_are_fitted_like_unit_data():
    X = recordings(np.random.default_rng(4))["3d"]
    unit = DMDRegressor(rank=4).fit(X)
    for scale in (1e160, 1e-160):
        scaled = DMDRegressor(rank=4).fit(X * scale)
        assert scaled.svd_solver_ == "covariance_eigh"
        np.testing.assert_allclose(scaled.operator_, unit.operator_, atol=1e-10)
        np.testing.assert_allclose(scaled.singular_values_, unit.singular_values_ * scale,
                                   rtol=1e-10)


def test_grid_search_over_delays_with_lazy_embeddings():
    X = noisy_oscillators(12, 100, 3, np.random.default_rng(5))
    pipe = Pipeline([("hankel", HankelEmbedder()), ("dmd", DMDRegressor(n_observed=3))])
    grid = [{"hankel__n_delays": [1], "dmd__rank": [3]},
            {"hankel__n_delays": [4], "dmd__rank": [3, 6]}]
    search = GridSearchCV(pipe, grid, cv=KFold(3), error_score="raise").fit(X)
    assert search.best_params_ == {"hankel__n_delays": 4, "dmd__rank": 6}


@pytest.mark.parametrize("layout", ["2d", "3d", "ragged"])
def test_delay_embedding_behaves_as_the_embedded_array(layout):
    X = recordings(np.random.default_rng(6))[layout]
    H = HankelEmbedder(3, 2).fit_transform(X)
    series = [X] if layout == "2d" else list(X)
    expected = [delay_embed(x, 3, 2) for x in series]
    assert isinstance(H, DelayEmbedding)
    assert H.dtype == np.float64 and H.lengths == [len(h) for h in expected]
    if layout == "2d":
        np.testing.assert_array_equal(np.asarray(H), expected[0])
        np.testing.assert_array_equal(H[3], expected[0][3])
        np.testing.assert_array_equal(2 * H - 1, 2 * expected[0] - 1)
        assert len(H) == len(expected[0]) and H.shape == expected[0].shape
    else:
        assert len(H) == len(series)
        for h, e in zip(H, expected):
            np.testing.assert_array_equal(h, e)
        np.testing.assert_array_equal(H[-1], expected[-1])
    if layout == "3d":
        np.testing.assert_array_equal(np.asarray(H), np.stack(expected))
        assert H.shape == (len(series),) + expected[0].shape
    if layout == "ragged":
        with pytest.raises(ValueError, match="ragged"):
            np.asarray(H)
        assert isinstance(H.materialize(), list)


def test_delay_embedding_is_checked_against_the_fitted_width():
    X = recordings(np.random.default_rng(7))["3d"]
    dmd = DMDRegressor(rank=3).fit(HankelEmbedder(4).fit_transform(X))
    with pytest.raises(ValueError, match="X has 15 features, but DMDRegressor is expecting 20"):
        dmd.transform(HankelEmbedder(3).fit_transform(X))
