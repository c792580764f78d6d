import warnings

import numpy as np
import pandas as pd
import pytest
from joblib import parallel_backend
from sklearn.cluster import DBSCAN, HDBSCAN, AgglomerativeClustering
from sklearn.manifold import MDS
from sklearn.metrics import adjusted_rand_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline

from skdsa import (
    DSA,
    DegenerateOperatorWarning,
    DMDRegressor,
    EigenvalueWasserstein,
    HankelEmbedder,
    NoiseModeWarning,
    dsa_distance,
    eigenvalue_wasserstein,
)
from skdsa.datasets import load_rnn_zoo, make_point_line_saddle, make_rnn, random_observation


def collection(n_per_group=4, seed=0, n_trials=20):
    """Three dynamical regimes, each seen through random rotations and noise."""
    rng = np.random.default_rng(seed)
    systems, labels = [], []
    for label, X in enumerate(make_point_line_saddle(
            n_trials=n_trials, random_state=seed).values()):
        for _ in range(n_per_group):
            systems.append(random_observation(X, noise=0.02,
                                              random_state=rng.integers(2**31)))
            labels.append(label)
    return systems, np.array(labels)


@pytest.fixture(scope="module")
def fitted():
    systems, labels = collection()
    dsa = DSA(n_delays=1, rank=2, random_state=0)
    return dsa, dsa.fit_transform(systems), systems, labels


def test_fit_transform_is_a_symmetric_distance_matrix(fitted):
    dsa, D, systems, _ = fitted
    assert D.shape == (len(systems), len(systems))
    np.testing.assert_array_equal(D, D.T)
    assert np.all(np.diag(D) == 0) and np.all(D >= 0)
    assert len(dsa.models_) == dsa.n_systems_ == len(systems)
    assert dsa.operators_[0].shape == (2, 2)


def test_clustering_recovers_the_regimes(fitted):
    _, D, _, labels = fitted
    agglomerative = AgglomerativeClustering(
        n_clusters=3, metric="precomputed", linkage="average").fit_predict(D)
    assert adjusted_rand_score(labels, agglomerative) == 1.0
    hdbscan = HDBSCAN(metric="precomputed", min_cluster_size=3, min_samples=2,
                      cluster_selection_method="leaf", copy=True).fit_predict(D)
    assert adjusted_rand_score(labels, hdbscan) == 1.0
    same = labels[:, None] == labels[None, :]
    within, between = D[same].max(), D[~same].min()
    assert within < between
    dbscan = DBSCAN(metric="precomputed", eps=(within + between) / 2,
                    min_samples=2).fit_predict(D)
    assert adjusted_rand_score(labels, dbscan) == 1.0


def test_mds_embeds_the_matrix(fitted):
    _, D, systems, labels = fitted
    embedding = MDS(n_components=2, metric="precomputed", init="classical_mds",
                    random_state=0, n_init=1).fit_transform(D)
    assert embedding.shape == (len(systems), 2)
    centroids = np.array([embedding[labels == k].mean(0) for k in range(3)])
    spread = max(np.linalg.norm(embedding[labels == k] - centroids[k], axis=1).max()
                 for k in range(3))
    gaps = [np.linalg.norm(centroids[i] - centroids[j]) for i, j in [(0, 1), (0, 2), (1, 2)]]
    assert min(gaps) > spread


def test_transform_gives_distances_to_fitted_systems(fitted):
    dsa, D, systems, _ = fitted
    new = dsa.transform(systems[:2])
    assert new.shape == (2, len(systems))
    np.testing.assert_allclose(new, D[:2], atol=1e-6)


def test_transform_on_the_fitted_systems_repeats_fit_transform_exactly():
    # Rank 5 leaves pairs uncertified, where the random starts (seeded per pair)
    # can change the last digits.
    systems, _ = collection(n_per_group=2, seed=3)
    dsa = DSA(n_delays=3, rank=5, random_state=0)
    D = dsa.fit_transform(systems)
    np.testing.assert_array_equal(dsa.transform(systems), D)
    np.testing.assert_array_equal(dsa.transform(systems[:3]), D[:3])


def test_knn_pipeline_classifies_held_out_systems_and_grid_searches():
    systems, labels = collection(n_per_group=6, seed=1)
    pipe = Pipeline([("dsa", DSA(random_state=0)),
                     ("knn", KNeighborsClassifier(metric="precomputed"))])
    search = GridSearchCV(
        pipe,
        {"dsa__n_delays": [1, 3], "dsa__rank": [2], "knn__n_neighbors": [1, 3]},
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
    ).fit(systems, labels)
    assert search.best_score_ == 1.0
    test_systems, test_labels = collection(n_per_group=2, seed=2)
    assert search.score(test_systems, test_labels) == 1.0
    assert search.best_estimator_.named_steps["dsa"].n_systems_ == len(systems)


def test_grid_search_over_nested_parameters_of_a_custom_model():
    systems, labels = collection(n_per_group=3, seed=3, n_trials=10)
    model = Pipeline([("hankel", HankelEmbedder()), ("dmd", DMDRegressor())])
    pipe = Pipeline([("dsa", DSA(model=model, metric="wasserstein")),
                     ("knn", KNeighborsClassifier(n_neighbors=1, metric="precomputed"))])
    search = GridSearchCV(pipe, {"dsa__model__hankel__n_delays": [2, 3],
                                 "dsa__model__dmd__rank": [2]}, cv=3)
    search.fit(systems, labels)
    assert search.best_score_ == 1.0
    with pytest.raises(ValueError, match="configure the default model only"):
        DSA(model=model, rank=3).fit(systems)


def test_results_identical_for_any_n_jobs_and_dask_backend(optional_import):
    distributed = optional_import("distributed")
    systems, _ = collection(n_per_group=2, seed=4, n_trials=10)
    dsa = DSA(n_delays=3, rank=4, random_state=7)
    serial = dsa.set_params(n_jobs=1).fit_transform(systems)
    two = dsa.set_params(n_jobs=2).fit_transform(systems)
    np.testing.assert_array_equal(serial, two)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster), parallel_backend("dask"):
        on_dask = dsa.set_params(n_jobs=-1).fit_transform(systems)
    np.testing.assert_array_equal(serial, on_dask)
    again = DSA(n_delays=3, rank=4, random_state=7).fit_transform(systems)
    np.testing.assert_array_equal(serial, again)


def test_dask_tasks_carry_pair_indices_into_operators_sent_once(optional_import,
                                                                 monkeypatch, tmp_path):
    # Tasks that carried their pairs' operators made dask's main process grow by
    # about 9 kB per pair (benchmarks/README.md section 13).
    distributed = optional_import("distributed")
    from dask.sizeof import sizeof

    from skdsa.metrics import _pairwise

    tasks = []

    def recording(function):
        def submitted(metric, operators, index_pairs, *rest):
            tasks.append((operators, index_pairs))
            return delayed(function)(metric, operators, index_pairs, *rest)
        return submitted

    delayed = _pairwise.delayed
    monkeypatch.setattr(_pairwise, "delayed", recording)
    systems, _ = collection(n_per_group=4, seed=4, n_trials=10)
    all_pairs = [(i, j) for i in range(len(systems)) for j in range(i + 1, len(systems))]
    dsa = DSA(n_delays=3, rank=4, random_state=7)
    serial = dsa.set_params(n_jobs=1).fit_transform(systems)
    # Without dask, each task gets the operators of its own pairs.
    assert all(len(operators.x) == len(index_pairs) for operators, index_pairs in tasks)
    for memory in (None, str(tmp_path)):
        tasks.clear()
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                      dashboard_address=None) as cluster, \
                distributed.Client(cluster), parallel_backend("dask"):
            on_dask = dsa.set_params(n_jobs=-1, memory=memory).fit_transform(systems)
        np.testing.assert_array_equal(serial, on_dask)
        assert len(tasks) > 1
        assert len({id(operators) for operators, _ in tasks}) == 1
        operators = tasks[0][0]
        assert len(operators.x) == len(systems)
        assert sorted(pair for _, index_pairs in tasks for pair in index_pairs) == all_pairs
    # Its size counts the operators' arrays (joblib's dask backend scatters
    # arguments above 1 kB; an object's default size is that of its header).
    assert sizeof(operators) > max(1e3, sum(item.operator.nbytes for item in operators.x))


def test_named_systems_give_labelled_dataframes():
    systems, _ = collection(n_per_group=1, seed=5, n_trials=10)
    named = dict(zip(["point", "line", "saddle"], systems))
    dsa = DSA(n_delays=2, rank=2, random_state=0)
    D = dsa.fit_transform(named)
    assert isinstance(D, pd.DataFrame)
    assert list(D.index) == list(D.columns) == ["point", "line", "saddle"]
    new = dsa.transform({"mystery": systems[1]})
    assert list(new.index) == ["mystery"] and new.loc["mystery"].idxmin() == "line"
    unnamed = DSA(n_delays=2, rank=2, random_state=0).set_output(transform="pandas")
    D = unnamed.fit_transform(systems)
    assert list(D.columns) == ["system0", "system1", "system2"]


def test_array_layouts_and_systems_of_different_shapes():
    systems, _ = collection(n_per_group=1, seed=6, n_trials=6)
    four_d = np.stack(systems)  # (n_systems, n_trials, n_timepoints, n_features)
    D4 = DSA(n_delays=2, rank=2, random_state=0).fit_transform(four_d)
    Dlist = DSA(n_delays=2, rank=2, random_state=0).fit_transform(systems)
    np.testing.assert_array_equal(D4, Dlist)
    # Different feature counts, lengths and ragged trials in one collection: each
    # system gets its own model, fitted on its own data as if it were alone, and
    # each distance depends on its pair only.
    mixed = [
        random_observation(systems[0], n_features=5, random_state=1),
        systems[1][:, :70],
        [trial[: 50 + 5 * k] for k, trial in enumerate(systems[2])],
    ]
    dsa = DSA(n_delays=3, rank=3, random_state=0)
    D = dsa.fit_transform(mixed)
    for system, operator in zip(mixed, dsa.operators_):
        alone = Pipeline([("hankel", HankelEmbedder(3)), ("dmd", DMDRegressor(rank=3))])
        np.testing.assert_allclose(operator, alone.fit(system)[-1].operator_, atol=1e-10)
    for i, j in [(0, 1), (0, 2), (1, 2)]:
        pair = DSA(n_delays=3, rank=3, random_state=0).fit_transform([mixed[i], mixed[j]])
        assert D[i, j] == pytest.approx(pair[0, 1], abs=1e-8)
    with pytest.raises(ValueError, match="System system1: .*7 sample"):
        DSA(n_delays=9).fit([systems[0], systems[1][:, :7]])


def test_per_system_parameters_and_automatic_rank():
    systems, _ = collection(n_per_group=1, seed=7, n_trials=10)
    dsa = DSA(n_delays=2, rank=2, system_params=[{}, {"hankel__n_delays": 4},
                                                  {"dmd__rank": 3}],
              metric=EigenvalueWasserstein(size_mismatch="pad"))
    dsa.fit(systems)
    assert dsa.models_[1][0].n_delays == 4 and dsa.models_[0][0].n_delays == 2
    assert [A.shape[0] for A in dsa.operators_] == [2, 2, 3]
    # rank="auto": one common rank, the largest of the systems' Gavish-Donoho
    # estimates, each computed by a DMD on that system alone.
    auto = DSA(n_delays=5, rank="auto", metric=EigenvalueWasserstein(size_mismatch="pad"))
    D = auto.fit_transform(systems)
    alone = [DMDRegressor().fit(HankelEmbedder(5).fit_transform(X)).signal_rank_
             for X in systems]
    assert list(auto.signal_ranks_) == alone and auto.rank_ == max(alone)
    assert all(A.shape == (auto.rank_, auto.rank_) for A in auto.operators_)
    assert D[0, 1] == pytest.approx(eigenvalue_wasserstein(*auto.operators_[:2]))
    with pytest.raises(ValueError, match="different sizes"):
        DSA(n_delays=2, rank=2, system_params=[{}, {}, {"dmd__rank": 3}]).fit(systems)
    with pytest.raises(ValueError, match="has 2 entries but the collection has 3"):
        DSA(system_params=[{}, {}]).fit(systems)


def test_each_system_is_fitted_and_prepared_once():
    calls = {"prepare": 0}

    class CountingWasserstein(EigenvalueWasserstein):
        def prepare(self, A):
            calls["prepare"] += 1
            return super().prepare(A)

    systems, _ = collection(n_per_group=2, seed=8, n_trials=6)
    dsa = DSA(n_delays=2, rank=2, metric=CountingWasserstein())
    dsa.fit_transform(systems)
    assert calls["prepare"] == len(systems)  # not one per pair
    dsa.transform(systems[:1])
    assert calls["prepare"] == len(systems) + 1


def test_verbose_reports_progress(capsys):
    systems, _ = collection(n_per_group=1, seed=9, n_trials=6)
    DSA(n_delays=2, rank=2, verbose=1, random_state=0).fit_transform(systems)
    err = capsys.readouterr().err
    assert "[skdsa] 1/3 systems fitted" in err and "3/3 systems fitted" in err
    assert err.index("3/3 systems fitted") < err.index("3/3 pairs")


def test_a_series_of_named_systems_goes_through_cross_validation():
    # scikit-learn's splitters index samples by position, which a dict cannot do;
    # a pandas Series keeps the names and can.
    systems, labels = collection(n_per_group=4, seed=1)
    named = pd.Series({f"rec{k}": system for k, system in enumerate(systems)})
    pipe = Pipeline([("dsa", DSA(random_state=0)),
                     ("knn", KNeighborsClassifier(n_neighbors=1, metric="precomputed"))])
    search = GridSearchCV(pipe, {"dsa__n_delays": [1, 2], "dsa__rank": [2]},
                          cv=StratifiedKFold(2, shuffle=True, random_state=0))
    assert search.fit(named, labels).best_score_ == 1.0
    D = DSA(rank=2, random_state=0).fit(named.iloc[:4]).transform(named.iloc[4:6])
    assert list(D.index) == ["rec4", "rec5"] and list(D.columns) == [f"rec{k}" for k in range(4)]


def test_warnings_point_at_the_callers_line_and_one_system_is_flagged():
    systems, _ = collection(n_per_group=1, seed=3, n_trials=6)
    with pytest.warns(NoiseModeWarning) as caught:
        DSA(n_delays=5, rank=10, random_state=0).fit_transform(systems)
    assert caught[0].filename == __file__
    with pytest.warns(UserWarning, match=r"one system \('only'\).*nothing is compared") as one:
        D = DSA(n_delays=2, rank=2).fit_transform({"only": systems[0]})
    assert one[0].filename == __file__ and np.asarray(D).tolist() == [[0.0]]


def test_one_call_distance_equals_dsa_on_the_pair():
    systems, _ = collection(n_per_group=1, seed=8, n_trials=6)
    params = dict(n_delays=3, rank=3, random_state=4)
    D = DSA(**params).fit_transform(systems[:2])
    assert dsa_distance(systems[0], systems[1], **params) == D[0, 1]
    assert dsa_distance(systems[1], systems[0], **params) == D[0, 1]
    assert dsa_distance(systems[0], systems[1], metric="wasserstein", n_delays=3, rank=3) == \
        pytest.approx(eigenvalue_wasserstein(*DSA(**params).fit(systems[:2]).operators_))
    with pytest.raises(ValueError, match="System system1"):
        dsa_distance(systems[0], systems[1][:, :3], n_delays=9)


def test_the_default_rank_warns_when_it_keeps_noise_modes():
    # 4 latent units seen through 50 noisy channels: rank=None fits 50 x 50 operators
    # of which most eigenpairs are noise (residuals near 1).
    systems = [random_observation(make_rnn(n_units=4, gain=1.5, n_trials=10,
                                           n_timepoints=200, random_state=i),
                                  n_features=50, noise=0.2, random_state=i) for i in range(2)]
    with pytest.warns(NoiseModeWarning, match=r"default rank=None keeps every mode .* "
                                              r"system0 \(rank 50, estimate 4") as caught:
        dsa = DSA(random_state=0).fit(systems)
    assert caught[0].filename == __file__
    assert all((model[-1].residuals_ > 0.5).sum() > 40 for model in dsa.models_)
    with warnings.catch_warnings():
        warnings.simplefilter("error", NoiseModeWarning)
        DSA(rank="auto", random_state=0).fit(systems)  # the estimate: no warning


def test_a_driven_recording_is_compared_by_its_states_with_a_note():
    zoo = load_rnn_zoo(tasks="flip_flop", architectures="gru", seeds=[0, 1], n_trials=8)
    with pytest.warns(UserWarning, match=r"states of 2 DrivenRecording.*InputDSA") as caught:
        D = DSA(n_delays=2, rank=5, random_state=0).fit_transform(zoo.recordings)
    assert caught[0].filename == __file__
    states = {name: recording.states for name, recording in zoo.recordings.items()}
    np.testing.assert_array_equal(D, DSA(n_delays=2, rank=5, random_state=0).fit_transform(
        states))


def test_a_transposed_export_is_flagged():
    # 50 neurons over 300 timepoints, exported as (trials, neurons, time): read as
    # 50 timepoints of 300 features, a layout almost never meant.
    recordings = [random_observation(make_rnn(n_units=5, gain=1.5, n_trials=10,
                                              n_timepoints=300, random_state=0),
                                     n_features=50, noise=0.01, random_state=k)
                  for k in range(2)]
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        DSA(n_delays=2, rank=6, random_state=0).fit(recordings)
    exported = {f"session {k}": X.transpose(0, 2, 1) for k, X in enumerate(recordings)}
    with pytest.warns(UserWarning, match=r"session 0 \(50 timepoints, 300 features\).*"
                                         r"X.transpose\(0, 2, 1\)") as caught:
        DSA(n_delays=2, rank=6, random_state=0).fit(exported)
    assert caught[0].filename == __file__


def test_degenerate_operators_are_flagged():
    # White noise: every Gavish-Donoho estimate is 1. rank='auto' keeps 2 modes
    # (1 x 1 operators turn the angular score into a sign test) and says why.
    rng = np.random.default_rng(1)
    noise = [rng.normal(size=(5, 200, 10)), rng.normal(size=(5, 200, 10))]
    with pytest.warns(NoiseModeWarning, match="rank='auto' keeps 2 modes although every "
                                              "system's estimated signal rank is 1") as caught:
        auto = DSA(n_delays=3, rank="auto", random_state=0)
        D = auto.fit_transform(noise)
    assert caught[0].filename == __file__ and auto.rank_ == 2 and 0 < D[0, 1] < np.pi
    assert list(auto.signal_ranks_) == [1, 1]
    # Asked for, rank 1 gives angular distances of 0 or pi, and a warning.
    with pytest.warns(DegenerateOperatorWarning, match="1 x 1.*0 or pi") as caught:
        D = DSA(n_delays=3, rank=1, random_state=0).fit_transform(noise)
    assert caught[0].filename == __file__ and D[0, 1] in (0.0, np.pi)
    # Operators of rank 2, even near the identity (finely sampled slow dynamics,
    # A ~ I + dt J), carry the dynamics: no warning.
    systems, _ = collection(n_per_group=1, seed=2, n_trials=6)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DegenerateOperatorWarning)
        DSA(n_delays=2, rank=2, random_state=0).fit(systems)
        DSA(n_delays=3, rank=1, metric="euclidean", random_state=0).fit(noise)
