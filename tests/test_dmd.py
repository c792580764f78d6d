import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import Pipeline

from skdsa import DMDRegressor, HankelEmbedder


def simulate_linear(M, n_trials, n_timepoints, rng, noise=0.0):
    X = np.empty((n_trials, n_timepoints, M.shape[0]))
    X[:, 0] = rng.normal(size=(n_trials, M.shape[0]))
    for t in range(n_timepoints - 1):
        X[:, t + 1] = X[:, t] @ M.T + noise * rng.normal(size=(n_trials, M.shape[0]))
    return X


def random_stable_matrix(n, rng, radius=0.95):
    M = rng.normal(size=(n, n))
    return radius * M / np.max(np.abs(np.linalg.eigvals(M)))


def assert_same_spectrum(a, b, atol):
    a, b = np.sort_complex(np.round(a, 12)), np.sort_complex(np.round(b, 12))
    np.testing.assert_allclose(a, b, atol=atol)


@pytest.mark.parametrize("seed", range(3))
def test_noiseless_linear_system_is_recovered(seed):
    rng = np.random.default_rng(seed)
    M = random_stable_matrix(6, rng)
    X = simulate_linear(M, 3, 40, rng)
    dmd = DMDRegressor().fit(X)
    assert dmd.rank_ == 6
    assert_same_spectrum(dmd.eigenvalues_, np.linalg.eigvals(M), atol=1e-8)
    np.testing.assert_allclose(dmd.full_operator_, M, atol=1e-8)
    assert dmd.score(simulate_linear(M, 2, 30, rng)) == pytest.approx(1.0, abs=1e-10)


def test_sinusoid_gives_eigenvalues_on_the_unit_circle_at_its_frequency():
    omega, dt = 2.0, 0.01
    t = np.arange(500) * dt
    x = np.sin(omega * t)[:, None]
    H = HankelEmbedder(n_delays=10).fit_transform(x)
    dmd = DMDRegressor(rank=2).fit(H)
    expected = np.exp(np.array([1j, -1j]) * omega * dt)
    assert_same_spectrum(dmd.eigenvalues_, expected, atol=1e-8)


def test_partially_observed_linear_system_is_recovered_through_delays():
    rng = np.random.default_rng(3)
    M = random_stable_matrix(4, rng, radius=0.98)
    X = simulate_linear(M, 5, 200, rng)[:, :, :1]  # observe one coordinate only
    H = HankelEmbedder(n_delays=8).fit_transform(X)
    dmd = DMDRegressor(rank=4).fit(H)
    assert_same_spectrum(dmd.eigenvalues_, np.linalg.eigvals(M), atol=1e-6)
    without_delays = DMDRegressor().fit(X)
    assert without_delays.rank_ == 1


def test_transitions_never_cross_trial_or_list_boundaries():
    rng = np.random.default_rng(4)
    M = random_stable_matrix(3, rng)
    X = simulate_linear(M, 4, 25, rng)
    # Shuffling the trial order must not change the fit, and a list of trials
    # must equal the 3D array: both hold if no transition joins two trials.
    a = DMDRegressor().fit(X).full_operator_
    b = DMDRegressor().fit(X[::-1]).full_operator_
    c = DMDRegressor().fit(list(X)).full_operator_
    np.testing.assert_allclose(a, M, atol=1e-10)
    np.testing.assert_allclose(a, b, atol=1e-10)
    np.testing.assert_allclose(a, c, atol=1e-10)
    # Concatenating trials into one series creates false transitions.
    joined = DMDRegressor().fit(X.reshape(-1, 3)).full_operator_
    assert np.abs(joined - M).max() > 1e-3


def test_ragged_list_equals_concatenation_of_transitions():
    rng = np.random.default_rng(5)
    M = random_stable_matrix(3, rng)
    noisy = [simulate_linear(M, 1, T, rng, noise=0.1)[0] for T in (30, 50, 17)]
    dmd = DMDRegressor().fit(noisy)
    # Least squares over the within-series transitions, done by hand:
    current = np.concatenate([x[:-1] for x in noisy])
    following = np.concatenate([x[1:] for x in noisy])
    M_ls = np.linalg.lstsq(current, following, rcond=None)[0].T
    np.testing.assert_allclose(dmd.full_operator_, M_ls, atol=1e-10)
    np.testing.assert_allclose(dmd.predict(noisy[1]), noisy[1] @ M_ls.T, atol=1e-10)


def test_ridge_shrinks_the_operator():
    rng = np.random.default_rng(6)
    X = simulate_linear(random_stable_matrix(4, rng), 3, 50, rng, noise=0.05)
    norms = [np.linalg.norm(DMDRegressor(alpha=a).fit(X).operator_)
             for a in (0.0, 1e-2, 1.0, 100.0)]
    assert all(a > b for a, b in zip(norms, norms[1:]))


def test_rank_options():
    rng = np.random.default_rng(7)
    X = simulate_linear(random_stable_matrix(3, rng), 4, 100, rng)
    X += 0.001 * rng.normal(size=X.shape)
    H = HankelEmbedder(n_delays=5).fit_transform(X)
    s = DMDRegressor().fit(H).singular_values_
    assert DMDRegressor(rank=2).fit(H).operator_.shape == (2, 2)
    assert DMDRegressor(rank_threshold=s[3] * 1.0001).fit(H).rank_ == 3
    cumulative = np.cumsum(s**2) / np.sum(s**2)
    assert DMDRegressor(explained_variance=cumulative[2]).fit(H).rank_ == 3
    assert DMDRegressor(explained_variance=1.0).fit(H).rank_ == len(s)
    # Three latent dimensions observed with small noise: the optimal hard
    # threshold keeps exactly the signal modes.
    assert DMDRegressor(rank="auto").fit(H).rank_ == 3
    with pytest.raises(ValueError, match="at most one of rank"):
        DMDRegressor(rank=2, explained_variance=0.9).fit(H)
    with pytest.raises(ValueError, match="maximum rank is 15"):
        DMDRegressor(rank=16).fit(H)


def test_reduced_rank_regression_beats_pcr_on_low_variance_dynamics():
    # Fast dynamics live in a direction with little variance: PCR at rank 1 keeps
    # the high-variance, unpredictable direction; RRR keeps the predictable one.
    rng = np.random.default_rng(8)
    T = 2000
    slow = np.zeros(T)
    for t in range(T - 1):
        slow[t + 1] = 0.99 * slow[t] + 0.1 * rng.normal()
    X = np.c_[0.1 * slow, 3.0 * rng.normal(size=T)]
    train, test = X[:1500], X[1500:]
    pcr = DMDRegressor(rank=1).fit(train)
    rrr = DMDRegressor(rank=1, reduced_rank=True).fit(train)
    assert abs(rrr.eigenvalues_[0] - 0.99) < 0.02
    assert abs(pcr.eigenvalues_[0]) < 0.1
    slow_error = [np.mean((m.predict(test)[:-1, 0] - test[1:, 0]) ** 2) for m in (pcr, rrr)]
    assert slow_error[1] < 0.2 * slow_error[0]


def test_free_run_and_k_step_forecasts():
    rng = np.random.default_rng(9)
    M = random_stable_matrix(3, rng)
    X = simulate_linear(M, 2, 20, rng)
    dmd = DMDRegressor().fit(X)
    np.testing.assert_allclose(dmd.predict(X, free_run=True), X, atol=1e-9)
    np.testing.assert_allclose(dmd.predict(X[0], n_steps=3)[:-3], X[0, 3:], atol=1e-9)
    Z = dmd.transform(X)
    np.testing.assert_allclose(Z[:, 1:], Z[:, :-1] @ dmd.operator_.T, atol=1e-9)


def test_n_observed_scores_only_the_observed_columns():
    rng = np.random.default_rng(10)
    X = simulate_linear(random_stable_matrix(2, rng), 4, 200, rng, noise=0.5)
    H = HankelEmbedder(n_delays=6).fit_transform(X)
    all_columns = DMDRegressor().fit(H).score(H)
    observed = DMDRegressor(n_observed=2).fit(H).score(H)
    # The lagged copies are shifted versions of the inputs and easy to predict.
    assert all_columns > observed
    with pytest.raises(ValueError, match="n_observed=13 exceeds the 12 columns"):
        DMDRegressor(n_observed=13).fit(H)


def test_pipeline_grid_search_picks_sensible_delays_and_rank():
    # A 4-dimensional linear system seen through 1 noisy coordinate needs at least
    # 4 delays and rank 4.
    rng = np.random.default_rng(11)
    M = random_stable_matrix(4, rng, radius=0.97)
    X = simulate_linear(M, 12, 150, rng)[:, :, :1]
    X = X + 0.01 * rng.normal(size=X.shape)
    pipe = Pipeline([("hankel", HankelEmbedder()), ("dmd", DMDRegressor(n_observed=1))])
    grid = [{"hankel__n_delays": [d], "dmd__rank": [r for r in (1, 2, 4) if r <= d]}
            for d in (1, 2, 6)]
    search = GridSearchCV(pipe, grid, cv=KFold(3), error_score="raise").fit(X)
    assert search.best_params_ == {"hankel__n_delays": 6, "dmd__rank": 4}
    assert search.best_score_ > 0.9
    cloned = clone(search.best_estimator_)
    assert cloned.get_params()["dmd__rank"] == 4


def test_input_is_never_modified():
    rng = np.random.default_rng(12)
    X = rng.normal(size=(3, 30, 4))
    X.setflags(write=False)
    copy = X.copy()
    dmd = DMDRegressor(rank=3, alpha=0.1).fit(X)
    dmd.transform(X), dmd.predict(X), dmd.score(X), dmd.predict(X, free_run=True)
    np.testing.assert_array_equal(X, copy)


def test_float32_input_gives_float64_results():
    X = np.random.default_rng(13).normal(size=(2, 30, 3)).astype(np.float32)
    dmd = DMDRegressor().fit(X)
    assert dmd.operator_.dtype == np.float64
    assert dmd.transform(X).dtype == np.float64
