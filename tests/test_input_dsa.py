"""Input-driven DSA: the drive is not mistaken for the dynamics."""

import numpy as np
import pandas as pd
import pytest
from sklearn.pipeline import Pipeline

from skdsa import DSA, DrivenRecording, HankelEmbedder, InputDSA, SubspaceDMDcRegressor
from skdsa.datasets import make_driven_linear, make_driven_rnn, random_observation
from skdsa.metrics import DrivenProcrustesMetric

KINDS = ("white", "slow", "sine", "pulses")


def observed(recording, seed):
    """The recording in random coordinates (DSA must not depend on them)."""
    return DrivenRecording(random_observation(recording.states, random_state=seed),
                           recording.inputs)


def grid(make, n_dynamics=2, **kw):
    """Every dynamics under every kind of input, each in its own coordinates."""
    systems, dynamics = {}, []
    for d in range(n_dynamics):
        for k, kind in enumerate(KINDS):
            recording = make(dynamics=d, inputs=kind, random_state=100 * d + k, **kw)
            systems[f"dynamics {d}, {kind} input"] = observed(recording, 10 * d + k)
            dynamics.append(d)
    return systems, np.array(dynamics)


def within_and_between(D, groups):
    D = np.asarray(D)
    same = groups[:, None] == groups[None, :]
    off = ~np.eye(len(groups), dtype=bool)
    return D[same & off].max(), D[~same].min()


@pytest.fixture(scope="module")
def linear_grid():
    return grid(make_driven_linear)


def test_identical_dynamics_under_different_drives_are_together_only_for_input_driven_dsa(
        linear_grid):
    systems, dynamics = linear_grid
    within, between = within_and_between(
        InputDSA(random_state=0).fit_transform(systems), dynamics)
    assert within < 0.01 < 0.3 < between
    # Plain DSA folds the drive into the operator: the same dynamics under
    # different inputs are as far apart as different dynamics.
    plain = DSA(rank=4, random_state=0).fit_transform(
        {name: recording.states for name, recording in systems.items()})
    plain_within, plain_between = within_and_between(plain, dynamics)
    assert plain_within > plain_between


def test_different_dynamics_under_the_same_kind_of_input_are_apart_for_both(linear_grid):
    systems, _ = linear_grid
    same_input = {name: s for name, s in systems.items() if "white" in name}
    # The same kind of drive, not the same signal: two independent draws of
    # unit-variance white noise (uncorrelated with each other and in time).
    u0, u1 = (np.asarray(same_input[f"dynamics {d}, white input"].inputs) for d in (0, 1))
    assert np.abs(u0 - u1).max() > 1
    assert abs(np.corrcoef(u0.ravel(), u1.ravel())[0, 1]) < 0.05
    for u in (u0, u1):
        assert abs(u.var() - 1) < 0.1
        assert abs(np.corrcoef(u[:, 1:].ravel(), u[:, :-1].ravel())[0, 1]) < 0.05
    for estimator in (InputDSA(random_state=0), DSA(rank=4, random_state=0)):
        data = same_input if isinstance(estimator, InputDSA) else {
            n: s.states for n, s in same_input.items()}
        D = np.asarray(estimator.fit_transform(data))
        assert D[0, 1] > 0.3


def test_the_same_nonlinear_network_under_different_drives_stays_together():
    systems, dynamics = grid(make_driven_rnn)
    model_kw = dict(rank=10, random_state=0)
    within, between = within_and_between(InputDSA(**model_kw).fit_transform(systems), dynamics)
    assert within < 0.75 * between  # 0.32 vs 0.52 measured
    plain = DSA(**model_kw).fit_transform({n: s.states for n, s in systems.items()})
    plain_within, plain_between = within_and_between(plain, dynamics)
    assert plain_within > 1.25 * plain_between  # 0.49 vs 0.32 measured


def test_every_mode_and_the_collection_machinery(linear_grid):
    systems, dynamics = linear_grid
    names = list(systems)[:3] + list(systems)[4:6]
    subset = {name: systems[name] for name in names}
    for mode in ("state", "input", "joint", "controllability"):
        dsa = InputDSA(metric=mode, random_state=0)
        D = dsa.fit_transform(subset)
        assert isinstance(D, pd.DataFrame) and list(D.index) == names
        np.testing.assert_allclose(D, D.T, atol=1e-12)
        # Distances of the fitted systems as queries repeat the matrix.
        np.testing.assert_allclose(dsa.transform(subset), D, atol=1e-10)
        assert len(dsa.input_operators_) == len(names)
    parallel = InputDSA(metric="joint", n_jobs=2, random_state=0).fit_transform(subset)
    np.testing.assert_allclose(parallel, InputDSA(metric="joint", random_state=0)
                               .fit_transform(subset), atol=0)
    series = InputDSA(random_state=0).fit_transform(pd.Series(subset))
    assert list(series.columns) == names


def test_a_subspace_model_compares_partially_observed_driven_systems():
    systems, dynamics = {}, []
    for d in range(2):
        for k, kind in enumerate(("white", "slow", "pulses")):
            recording = make_driven_linear(n_states=4, n_observed=2, dynamics=d, inputs=kind,
                                           noise=0.001, n_trials=10, n_timepoints=300,
                                           random_state=10 * d + k)
            systems[f"{d} {kind}"] = recording
            dynamics.append(d)
    model = SubspaceDMDcRegressor(n_past=5, n_future=5, rank=4)
    D = InputDSA(model=model, random_state=0).fit_transform(systems)
    within, between = within_and_between(D, np.array(dynamics))
    assert within < 0.05 < between


@pytest.mark.parametrize("check", [
    "check_no_attributes_set_in_init", "check_parameters_default_constructible",
    "check_get_params_invariance", "check_set_params", "check_estimator_cloneable",
    "check_estimator_repr"])
def test_input_dsa_follows_the_scikit_learn_api(check):
    # scikit-learn's data checks generate arrays, and a driven system is a
    # DrivenRecording (InputDSA's tags say so, and parametrize_with_checks skips
    # it); the checks of the API itself need no data and run here.
    from sklearn.utils import estimator_checks

    getattr(estimator_checks, check)("InputDSA", InputDSA(random_state=0))


def test_input_dsa_contract_and_parameters():
    dsa = InputDSA(n_delays=3, n_input_delays=2, rank=5)
    model = dsa._build_model()
    assert model.get_params()["hankel__n_delays"] == 3
    assert model.get_params()["dmd__n_input_delays"] == 2
    with pytest.raises(ValueError, match="n_input_delays configure the default model"):
        InputDSA(n_input_delays=2, model=Pipeline([("hankel", HankelEmbedder())]))._build_model()
    metric = InputDSA(metric=DrivenProcrustesMetric(mode="joint"), size_mismatch="pad")
    assert metric._build_metric().get_params()["size_mismatch"] == "pad"


def test_a_collection_of_driven_systems_goes_through_grid_search(linear_grid):
    from sklearn.model_selection import GridSearchCV, StratifiedKFold
    from sklearn.neighbors import KNeighborsClassifier

    systems, dynamics = linear_grid
    pipe = Pipeline([("dsa", InputDSA(random_state=0)),
                     ("knn", KNeighborsClassifier(n_neighbors=1, metric="precomputed"))])
    search = GridSearchCV(pipe, {"dsa__rank": [2, 4]}, cv=StratifiedKFold(2)).fit(
        pd.Series(systems), dynamics)
    # Trials are not split here: each CV fold holds whole systems, with their inputs.
    np.testing.assert_array_equal(search.cv_results_["mean_test_score"], [1.0, 1.0])


def test_driven_collections_run_on_a_dask_cluster_with_the_same_results(linear_grid,
                                                                       optional_import):
    distributed = optional_import("distributed")
    from joblib import parallel_backend

    systems, _ = linear_grid
    subset = {name: systems[name] for name in list(systems)[::3]}
    dsa = InputDSA(metric="joint", random_state=1)
    serial = dsa.fit_transform(subset)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster), parallel_backend("dask"):
        on_dask = dsa.set_params(n_jobs=-1).fit_transform(subset)
    np.testing.assert_array_equal(serial, on_dask)


def test_distance_components_in_one_fit_equal_each_mode_fitted_alone(linear_grid):
    systems, _ = linear_grid
    subset = {name: systems[name] for name in list(systems)[:2] + list(systems)[4:6]}
    dsa = InputDSA(random_state=3).fit(subset)
    components = dsa.distance_components()
    names = list(subset)
    assert list(components.columns) == ["state", "input", "joint"]
    assert list(components.index) == [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    assert components.index.names == ["system", "other"]
    for mode in components.columns:
        D = InputDSA(metric=mode, random_state=3).fit_transform(subset)
        for (a, b), value in components[mode].items():
            assert value == pytest.approx(D.loc[a, b], abs=1e-10)
    # One system under two drives shares A and B; the two systems differ in both.
    same, other = components.loc[(names[0], names[1])], components.loc[(names[0], names[2])]
    assert same.max() < 0.01 and other.min() > 0.2  # measured: <= 0.002, >= 0.29
    with pytest.raises(ValueError, match="modes must be a non-empty selection"):
        dsa.distance_components(["state", "geometry"])
