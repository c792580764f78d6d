"""The qualitative claims of the RNN-zoo examples, on a reduced zoo.

Each test checks what a gallery example reports, reproduced or not (a finding
reported as "not reproduced" is a claim too: its direction is tested), with fewer
networks and trials (same DSA model). See docs/examples/plot_zoo_*.py.
"""

import itertools

import numpy as np
import pandas as pd
import pytest
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score
from sklearn.pipeline import Pipeline

from skdsa import DSA, DMDRegressor, GeometricDistance, HankelEmbedder
from skdsa.datasets import load_rnn_zoo
from skdsa.preprocessing import SeriesTransformer
from skdsa.stats import separability
from skdsa.zoo import find_fixed_points, network_map, network_states

pytestmark = pytest.mark.filterwarnings("ignore::skdsa.NoiseModeWarning")


def zoo_dsa(recordings, n_delays=10, rank=30):
    model = Pipeline([("pca", SeriesTransformer(PCA(10, random_state=0))),
                      ("hankel", HankelEmbedder(n_delays)), ("dmd", DMDRegressor(rank=rank))])
    states = {name: recording.states for name, recording in recordings.items()}
    return DSA(model=model, n_jobs=2, random_state=0).fit_transform(states).to_numpy()


def mean_between(D, rows, columns):
    block = D[np.ix_(rows, columns)]
    if np.array_equal(rows, columns):
        return block[~np.eye(len(block), dtype=bool)].mean()
    return block.mean()


def test_dsa_groups_networks_by_task_rather_than_by_architecture():
    zoo = load_rnn_zoo(seeds=0, n_trials=16)
    D = zoo_dsa(zoo.recordings)
    task, architecture = zoo.networks.task.to_numpy(), zoo.networks.architecture.to_numpy()
    same_task = task[:, None] == task[None]
    assert D[~same_task].mean() > 1.5 * D[same_task & ~np.eye(len(D), dtype=bool)].mean()
    assert (silhouette_score(D, task, metric="precomputed")
            > silhouette_score(D, architecture, metric="precomputed") + 0.2)


def test_svcca_separates_the_architectures_of_flip_flop_networks():
    zoo = load_rnn_zoo(tasks="flip_flop", seeds=[0, 1], n_trials=16)
    D = GeometricDistance(metric="svcca", average_trials=False).fit_transform(
        zoo.recordings).to_numpy()
    architecture = zoo.networks.architecture.to_numpy()
    same = architecture[:, None] == architecture[None]
    assert D[~same].mean() > 1.5 * D[same & ~np.eye(len(D), dtype=bool)].mean()


def test_not_reproduced_dsa_separates_architectures_within_a_task():
    # Universality example: within a task, DSA distances between architectures are
    # 2.1-2.5 times those within (2.3 here: 0.44 vs 0.19).
    zoo = load_rnn_zoo(tasks="flip_flop", seeds=[0, 1], n_trials=16)
    D = zoo_dsa(zoo.recordings)
    architecture = zoo.networks.architecture.to_numpy()
    same = architecture[:, None] == architecture[None]
    assert D[~same].mean() > 1.5 * D[same & ~np.eye(len(D), dtype=bool)].mean()


def test_not_reproduced_on_the_flip_flop_dsa_exceeds_geometry_across_architectures():
    # Dynamics-vs-geometry example: on the flip-flop, trained architectures are
    # farther apart in DSA than in Procrustes (0.43 vs 0.35; 0.50 vs 0.37 here).
    zoo = load_rnn_zoo(tasks="flip_flop", seeds=0, checkpoints=[1.0], n_trials=16)
    across = np.arange(len(zoo.networks))  # one network per architecture
    dsa = mean_between(zoo_dsa(zoo.recordings), across, across)
    procrustes = mean_between(GeometricDistance().fit_transform(zoo.recordings).to_numpy(),
                              across, across)
    assert dsa > 1.15 * procrustes


def test_sine_networks_differ_less_in_dynamics_than_in_geometry_and_training_shows():
    zoo = load_rnn_zoo(tasks="sine_generation", seeds=0, checkpoints=[0.0, 1.0], n_trials=16)
    dsa = zoo_dsa(zoo.recordings)
    procrustes = GeometricDistance().fit_transform(zoo.recordings).to_numpy()
    trained = np.flatnonzero(zoo.networks.checkpoint == 1.0)
    untrained = np.flatnonzero(zoo.networks.checkpoint == 0.0)
    # Trained networks here are one per architecture: every pair crosses architectures.
    assert zoo.networks.architecture.iloc[trained].nunique() == len(trained) == 3
    across = mean_between(dsa, trained, trained)
    assert across < 0.6 * mean_between(procrustes, trained, trained)
    assert mean_between(dsa, trained, untrained) > 1.4 * across



def pair_separability(D, labels, a, b):
    """The task-separability example's measure for tasks a and b."""
    pair = np.isin(labels, [a, b])
    return separability(D[np.ix_(pair, pair)], labels[pair]).accuracy


def test_training_changes_which_decision_tasks_dsa_separates():
    tasks = ["perceptual_decision_making", "context_decision_making", "delay_comparison",
             "delay_match_sample"]
    zoo = load_rnn_zoo("neurogym", tasks=tasks, seeds=[0, 1], checkpoints=[0.0, 1.0],
                       n_trials=16)
    accuracy = {}
    for checkpoint in (0.0, 1.0):
        stage = zoo.networks.checkpoint == checkpoint
        D = zoo_dsa({name: zoo.recordings[name] for name in zoo.networks.index[stage]},
                    n_delays=4, rank=10)
        labels = zoo.networks.task[stage].to_numpy()
        accuracy[checkpoint] = {(a, b): pair_separability(D, labels, a, b)
                                for a, b in itertools.combinations(tasks, 2)}
    # Before training, the inputs alone make most pairs of these tasks separable.
    untrained = np.array(list(accuracy[0.0].values()))
    assert np.sum(untrained >= 0.85) >= 4 and untrained.min() > 0.6
    # Training merges perceptual decisions with delay comparison...
    pdm_dc = ("perceptual_decision_making", "delay_comparison")
    assert accuracy[1.0][pdm_dc] < accuracy[0.0][pdm_dc] - 0.15
    # ... and separates context-dependent decisions from delayed match-to-sample.
    cdm_dms = ("context_decision_making", "delay_match_sample")
    assert accuracy[1.0][cdm_dms] > accuracy[0.0][cdm_dms] + 0.1


@pytest.fixture(scope="module")
def flip_flop_population():
    zoo = load_rnn_zoo("flip_flop_population", architectures=["vanilla", "gru", "lstm"],
                       seeds=[0, 1], learning_rates=2e-3, n_trials=16)
    topology = []
    for name in zoo.networks.index:
        architecture = zoo.networks.loc[name, "architecture"]
        visited = network_states(zoo.params[name], architecture, zoo.recordings[name].inputs)
        visited = visited.reshape(-1, visited.shape[-1])
        start = visited[np.random.default_rng(0).choice(len(visited), 64, replace=False)]
        topology.append(find_fixed_points(
            network_map(zoo.params[name], architecture, np.zeros(3)), start))
    return zoo, topology


def test_population_topology_is_universal_and_local_spectra_are_not(flip_flop_population):
    # Population example: every network stores its 3 bits in (at least) 8
    # attractors, but relaxes into them at its architecture's own rate (leading
    # |lambda| at the attractors: vanilla 0.70-0.81, GRU 0.94-0.99 in the example).
    zoo, topology = flip_flop_population
    assert all(found.n_stable >= 8 for found in topology)
    leading = {name: np.abs(found.eigenvalues[found.stable, 0]).mean()
               for name, found in zip(zoo.networks.index, topology)}
    by_architecture = zoo.networks.assign(leading=pd.Series(leading)).groupby(
        "architecture").leading
    assert by_architecture.max()["vanilla"] < by_architecture.min()["gru"] - 0.1


def test_population_dsa_separates_architectures_more_than_procrustes(flip_flop_population):
    # Population example: across / within architecture, DSA 2.4, Procrustes 1.4.
    zoo, _ = flip_flop_population
    architecture = zoo.networks.architecture.to_numpy()
    same = architecture[:, None] == architecture[None]
    within = same & ~np.eye(len(same), dtype=bool)

    def ratio(D):
        return D[~same].mean() / D[within].mean()

    dsa = zoo_dsa(zoo.recordings, rank=20)
    procrustes = GeometricDistance("procrustes", average_trials=False).fit_transform(
        zoo.recordings).to_numpy()
    assert ratio(dsa) > 1.5 and ratio(dsa) > ratio(procrustes) + 0.3
