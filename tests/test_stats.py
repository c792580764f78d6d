"""Noise floors, permutation tests, bootstrap intervals, residuals and rank diagnostics."""

import warnings

import numpy as np
import pytest
from sklearn.cluster import AgglomerativeClustering
from sklearn.metrics import adjusted_rand_score

from skdsa import DSA, DMDRegressor, GeometricDistance, HankelEmbedder, NoiseModeWarning
from skdsa.datasets import make_coupled_spirals, random_observation
from skdsa.stats import bootstrap_distance, noise_floor, permanova, separability

GROUPS = {"slow": (1.0, 2.0), "medium": (1.3, 2.4), "fast": (1.6, 2.8)}


def noisy_groups(n_per_group=4, noise=0.01, n_trials=10):
    """4 latent dimensions seen through a rotation with observation noise, three groups."""
    systems, labels = [], []
    for g, (name, frequencies) in enumerate(GROUPS.items()):
        for k in range(n_per_group):
            X = make_coupled_spirals(frequencies, n_trials=n_trials, random_state=10 * g + k)
            systems.append(random_observation(X, noise=noise * X.std(),
                                              random_state=100 + 10 * g + k))
            labels.append(name)
    return systems, labels


def test_noise_floor_is_zero_without_noise_and_grows_with_it():
    # One long noiseless trial, split in time: both halves follow the same linear map.
    X = make_coupled_spirals(decay=0.0, noise=0.0, n_trials=1, n_timepoints=1000,
                             random_state=0)[0]
    levels = [0.0, 0.01, 0.05, 0.2]
    systems = [random_observation(X, noise=level * X.std(), random_state=1) for level in levels]
    floors = noise_floor(systems, DSA(rank=4, random_state=0), random_state=0)
    assert floors[0] < 1e-6
    assert np.all(np.diff(floors) > 0)


def test_noise_floor_splits_a_single_trial_in_time_and_labels_named_systems():
    X = make_coupled_spirals(n_trials=1, n_timepoints=400, random_state=0)[0]
    floors = noise_floor({"one": X, "two": X[::-1]}, DSA(rank=4), n_splits=3)
    assert list(floors.index) == ["one", "two"] and np.all(floors > 0)


def test_noise_floor_method_uses_the_fitted_common_rank():
    systems, _ = noisy_groups(n_per_group=1)
    dsa = DSA(n_delays=3, rank="auto", random_state=0).fit(systems)
    np.testing.assert_allclose(
        dsa.noise_floor(systems, random_state=0),
        noise_floor(systems, DSA(n_delays=3, rank=dsa.rank_, random_state=0), random_state=0))
    with pytest.raises(ValueError, match="noise_floor needs the fitted collection"):
        dsa.noise_floor(systems[:2])


def test_noise_floor_says_how_much_data_a_split_needs():
    X = make_coupled_spirals(n_trials=3, n_timepoints=30, random_state=0)
    with pytest.raises(ValueError, match="System system0 has 3 trials; a noise floor over "
                                         "n_splits=4 needs at least 4 trials"):
        noise_floor([X], n_splits=4)
    with pytest.raises(ValueError, match=r"single trial of 30 timepoints; splitting it into "
                                         r"n_splits=2 time blocks needs at least 44"):
        noise_floor([X[0]], DSA(n_delays=21))
    with pytest.raises(ValueError, match="n_splits must be an integer >= 2"):
        noise_floor([X], n_splits=1)
    with pytest.raises(TypeError, match="noise_floor needs a DSA estimator"):
        noise_floor([X], GeometricDistance())


def test_permanova_finds_separated_groups_and_no_structure_under_the_null():
    systems, labels = noisy_groups()
    D = DSA(n_delays=3, rank="auto", random_state=0).fit_transform(systems)
    result = permanova(D, labels, random_state=0)
    assert result.p_value < 0.01 and result.statistic > 10
    # Null: labels shuffled against distances with no group structure.
    rng = np.random.default_rng(0)
    p_values = []
    for _ in range(200):
        points = rng.normal(size=(12, 3))
        null = np.linalg.norm(points[:, None] - points[None, :], axis=-1)
        p_values.append(permanova(null, rng.permutation(labels), n_permutations=99,
                                  random_state=rng.integers(2**31)).p_value)
    p_values = np.array(p_values)
    assert np.mean(p_values < 0.05) <= 0.1  # false-positive rate near 5%
    assert 0.4 < np.mean(p_values) < 0.6  # roughly uniform


def test_permanova_is_reproducible_for_any_n_jobs_and_checks_its_input():
    systems, labels = noisy_groups(n_per_group=2)
    D = DSA(rank=4, random_state=0).fit_transform(systems)
    one = permanova(D, labels, n_permutations=50, random_state=3)
    two = permanova(D, labels, n_permutations=50, random_state=3, n_jobs=2)
    np.testing.assert_array_equal(one.permuted, two.permuted)
    with pytest.raises(ValueError, match=r"labels must have one entry per row of D: "
                                         r"expected shape \(6,\), got \(5,\)"):
        permanova(D, labels[:5])
    with pytest.raises(ValueError, match="symmetric"):
        permanova(D[:, ::-1], labels)
    with pytest.raises(ValueError, match="at least 2 groups"):
        permanova(D, ["a"] * 6)


def test_bootstrap_interval_covers_the_true_distance():
    estimator = DSA(rank=4, random_state=0)
    # The same dynamics in other coordinates: the true distance is 0.
    a = make_coupled_spirals(n_trials=20, random_state=1)
    b = random_observation(make_coupled_spirals(n_trials=20, random_state=2), random_state=3)
    same = bootstrap_distance(a, b, estimator, n_bootstrap=100, random_state=0)
    assert same.low == 0.0 <= same.distance <= same.high
    # Different dynamics: the "true" distance is the one between models fitted on
    # twenty times more data.
    c = make_coupled_spirals((1.3, 2.4), n_trials=20, random_state=4)
    truth = estimator.fit_transform([make_coupled_spirals(n_trials=400, random_state=5),
                                     make_coupled_spirals((1.3, 2.4), n_trials=400,
                                                          random_state=6)])[0, 1]
    different = bootstrap_distance(a, c, estimator, n_bootstrap=100, random_state=0)
    assert different.low > 0 and different.low <= truth <= different.high
    assert different.high < 2 * truth


def test_bootstrap_needs_trials_and_is_reproducible():
    a = make_coupled_spirals(n_trials=4, random_state=1)
    with pytest.raises(ValueError, match="system_b has 1 trial; resampling trials needs at "
                                         "least 2"):
        bootstrap_distance(a, a[0], DSA(rank=4))
    first = bootstrap_distance(a, a[::-1] * 2, DSA(rank=4, random_state=0), n_bootstrap=10,
                               random_state=0)
    again = bootstrap_distance(a, a[::-1] * 2, DSA(rank=4, random_state=0, n_jobs=2),
                               n_bootstrap=10, random_state=0)
    np.testing.assert_allclose(first.samples, again.samples, atol=1e-10)
    # Any collection estimator: here the geometric baseline, whose own distance is
    # the point estimate, with the basic interval built from its resamples.
    b = a[::-1] * 2 + 0.1 * np.random.default_rng(0).standard_normal(a.shape)
    geometric = bootstrap_distance(a, b, GeometricDistance(), n_bootstrap=20,
                                   random_state=0)
    assert geometric.distance == GeometricDistance().fit_transform([a, b])[0, 1]
    assert geometric.samples.shape == (20,) and np.ptp(geometric.samples) > 0
    low_q, high_q = np.quantile(geometric.samples, [0.025, 0.975])
    d = geometric.distance
    assert geometric.low == pytest.approx(np.sqrt(max(2 * d**2 - high_q**2, 0)))
    assert geometric.high == pytest.approx(np.sqrt(max(2 * d**2 - low_q**2, 0)))


def test_residuals_are_zero_for_true_eigenpairs_and_large_for_spurious_ones():
    X = make_coupled_spirals(n_trials=5, noise=0.0, random_state=0)
    exact = DMDRegressor().fit(X)
    assert exact.residuals_.max() < 1e-6
    np.testing.assert_allclose(exact.eigenvalue_residuals(X), exact.residuals_, atol=1e-6)
    noisy = random_observation(make_coupled_spirals(n_trials=5, random_state=0), n_features=10,
                               noise=0.01, random_state=1)
    H = HankelEmbedder(2).fit_transform(noisy)
    overfit = DMDRegressor(rank=8).fit(H)
    order = np.argsort(overfit.residuals_)
    assert overfit.residuals_[order[:4]].max() < 0.1  # the four modes of the dynamics
    assert overfit.residuals_[order[4:]].min() > 0.5  # modes fitted to noise
    np.testing.assert_allclose(overfit.eigenvalue_residuals(H), overfit.residuals_, atol=1e-8)


def test_max_residual_drops_the_spurious_eigenpairs():
    noisy = random_observation(make_coupled_spirals(n_trials=5, random_state=0), n_features=10,
                               noise=0.01, random_state=1)
    H = HankelEmbedder(2).fit_transform(noisy)
    overfit = DMDRegressor(rank=8).fit(H)
    cleaned = DMDRegressor(rank=8, max_residual=0.3).fit(H)
    kept = np.sort_complex(overfit.eigenvalues_[overfit.residuals_ <= 0.3])
    assert cleaned.rank_ == 4 and cleaned.operator_.shape == (4, 4)
    np.testing.assert_allclose(np.sort_complex(cleaned.eigenvalues_), kept, atol=1e-10)
    assert cleaned.residuals_.max() < 0.3
    # The restricted model still transforms and forecasts consistently.
    assert cleaned.transform(H).shape == (5, H.shape[1], 4)
    assert cleaned.score(H) > 0.9
    with pytest.raises(ValueError, match="max_residual=0.0 drops every eigenpair"):
        DMDRegressor(rank=8, max_residual=0.0).fit(H)


def test_over_rank_warning_fires_exactly_when_a_chosen_rank_fits_noise():
    systems, _ = noisy_groups(n_per_group=1)
    with pytest.warns(NoiseModeWarning, match=r"The rank given exceeds the estimated signal rank "
                                         r"of 3 of 3 systems: system0 \(rank 8, estimate 4"):
        DSA(n_delays=3, rank=8).fit(systems)
    # No rank given: rank=None keeps all 12 modes, 8 of them noise (this was silent).
    with pytest.warns(NoiseModeWarning, match=r"default rank=None keeps every mode .* "
                                              r"system0 \(rank 12, estimate 4"):
        DSA(n_delays=3).fit(systems)
    noiseless = [make_coupled_spirals(n_trials=5, noise=0.0, random_state=k) for k in range(2)]
    four = [make_coupled_spirals(n_trials=5, random_state=k) for k in range(2)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        DSA(n_delays=3, rank=4).fit(systems)
        DSA(n_delays=3, rank="auto").fit(systems)
        # A rank above the estimate whose modes the data follow: no noise to warn about.
        dsa = DSA(rank=4).fit(noiseless)
    assert np.all(dsa.signal_ranks_ < 4)
    with pytest.warns(UserWarning, match=r"system0 \(rank 6, estimate"):
        DSA(n_delays=2, rank=6).fit(four)


def test_automatic_rank_is_one_common_rank_the_largest_estimate():
    # Two and four latent dimensions, each seen through 10 noisy features.
    four = random_observation(make_coupled_spirals(n_trials=10, random_state=0), n_features=10,
                              noise=0.01, random_state=3)
    two = random_observation(make_coupled_spirals((1.0,), n_trials=10, random_state=1),
                             n_features=10, noise=0.01, random_state=2)
    dsa = DSA(rank="auto", random_state=0).fit([two, four, two[::-1]])
    assert list(dsa.signal_ranks_) == [2, 4, 2] and dsa.rank_ == 4
    assert all(A.shape == (4, 4) for A in dsa.operators_)
    assert dsa.transform([two]).shape == (1, 3)


def test_gallery_claims_on_noisy_groups():
    # docs/examples/plot_trust.py at 4 systems per group.
    systems, labels = noisy_groups()
    labels = np.array(labels)
    between = labels[:, None] != labels[None, :]
    outcome = {}
    for rank in (8, "auto"):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            dsa = DSA(n_delays=3, rank=rank, random_state=0)
            D = dsa.fit_transform(systems)
        clusters = AgglomerativeClustering(3, metric="precomputed",
                                           linkage="average").fit_predict(D)
        test = permanova(D, labels, random_state=0)
        outcome[rank] = (len(caught), np.median(dsa.noise_floor(systems, random_state=0)),
                         np.median(D[between]), adjusted_rand_score(labels, clusters),
                         (test.statistic, test.p_value))
    # Measured: rank 8 floor 0.073 vs distance 0.055, pseudo-F 2.2, p 0.006;
    # "auto" floor 0.014 vs distance 0.020, pseudo-F 34, p 0.002.
    warned, floor, distance, ari, (weak_f, weak_p) = outcome[8]
    assert warned == 1 and floor > 1.2 * distance and ari < 0.5
    # Significant all the same, with a weak effect: significance is not enough.
    assert weak_p < 0.05 and weak_f < 5
    warned, floor, distance, ari, (strong_f, p_value) = outcome["auto"]
    assert warned == 0 and floor < 0.8 * distance and ari == 1.0 and p_value < 0.01
    assert strong_f > 5 * weak_f


def clusters(offset, n=12, seed=0):
    rng = np.random.default_rng(seed)
    points = rng.normal(0, 0.1, (2 * n, 3)) + np.repeat([[0, 0, 0], [offset, 0, 0]], n, axis=0)
    return np.linalg.norm(points[:, None] - points[None], axis=-1), ["a"] * n + ["b"] * n


def test_separability_is_perfect_for_separated_groups_and_near_chance_for_mixed_ones():
    D, labels = clusters(offset=2.0)
    result = separability(D, labels, n_splits=4)
    assert result.accuracy == 1.0
    np.testing.assert_array_equal(result.predictions, labels)
    D, labels = clusters(offset=0.0)
    assert separability(D, labels, n_splits=4).accuracy < 0.8


def test_separability_names_a_matrix_that_is_not_square():
    with pytest.raises(ValueError, match="square distance matrix; got shape"):
        separability(np.zeros((3, 4)), ["a", "a", "b"])


def test_permanova_prints_briefly_and_warns_when_significance_is_out_of_reach():
    D, labels = clusters(1.0, n=2)
    with pytest.warns(UserWarning, match=r"sizes \[2, 2\].* only 3 distinct ways.*1/3 = "
                                         r"0\.333") as caught:
        result = permanova(D, labels, random_state=0)
    assert caught[0].filename == __file__  # the warning points at the caller's line
    assert repr(result) == (f"PermanovaResult(statistic={result.statistic:.4g}, "
                            f"p_value={result.p_value:.4g}, n_permutations=999)")
    assert result.p_value > 0.25  # the three splits are equally likely
    D, labels = clusters(1.0, n=6)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # 924 splits of 12 into two groups of 6: no warning
        permanova(D, labels, n_permutations=99, random_state=0)


@pytest.mark.parametrize("labels", [[0, 0, 1, 1], [0, 0, 1, 1, 2, 2], [0, 0, 0, 1, 1],
                                    [0, 1, 1, 2, 2, 2]])
def test_distinct_partitions_counts_the_splits_by_enumeration(labels):
    import itertools

    from skdsa.stats._permanova import distinct_partitions

    codes = np.asarray(labels)
    splits = {frozenset(frozenset(np.flatnonzero(np.asarray(p) == g)) for g in set(labels))
              for p in itertools.permutations(labels)}
    assert distinct_partitions(codes) == len(splits)


def test_bootstrap_result_prints_briefly():
    a = make_coupled_spirals(n_trials=4, random_state=1)
    result = bootstrap_distance(a, a * 2, GeometricDistance(), n_bootstrap=3, random_state=0)
    assert repr(result).startswith("BootstrapResult(distance=")
    assert repr(result).endswith("n_bootstrap=3)")
