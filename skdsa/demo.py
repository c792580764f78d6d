"""The demo behind ``python -m skdsa demo``: what geometry misses and DSA sees.

The three systems of the DSA paper's Fig. 3 (bistable saddle, line attractor,
point attractor), built as in the paper: a feedback input makes the condition
averages of the two attractors follow the saddle's, under two drives (+-0.1).
Four draws of each (the paper used 100), each in random coordinates. DSA
(single trials, the paper's n_delays=20 and rank=15, angular) and the
orthogonal Procrustes shape distance (condition averages) compare all twelve.
"""

import os
import sys
import time

import numpy as np
import pandas as pd
from sklearn.metrics import silhouette_score

from .comparison import DSA, GeometricDistance
from .datasets import make_fig3_trio, random_observation
from .recordings import DrivenRecording
from .stats._robustness import nearest_neighbours


def nearest_neighbour_accuracy(D, labels):
    """Leave-one-out 1-nearest-neighbour accuracy of a distance matrix.

    Parameters
    ----------
    D : ndarray of shape (n, n)
        Distances.
    labels : array-like of shape (n,)
        Group of each item.

    Returns
    -------
    accuracy : float
    """
    labels = np.asarray(labels)
    return float(np.mean(labels[nearest_neighbours(D)] == labels))


def make_demo_collection(n_copies=4, random_state=0):
    """``n_copies`` draws of the Fig. 3 trio, each recording in random coordinates.

    Parameters
    ----------
    n_copies : int
        Draws of each system (new parameters from the paper's ranges each time).
    random_state : int
        Seed.

    Returns
    -------
    systems : dict of str to DrivenRecording
        States ``(200, 1000, 2)`` rotated at random, with the drive of each
        trial as its condition (for the condition averages of the geometry).
    labels : list of str
    """
    rng = np.random.default_rng(random_state)
    draws = [make_fig3_trio(random_state=rng.integers(2**31)) for _ in range(n_copies)]
    systems, labels = {}, []
    for name in draws[0]:
        for copy, trio in enumerate(draws):
            recording = trio[name]
            states = random_observation(recording.states, random_state=rng.integers(2**31))
            systems[f"{name.split()[0]} #{copy + 1}"] = DrivenRecording(
                states, recording.inputs, recording.conditions)
            labels.append(name)
    return systems, labels


def run_demo(output="skdsa-demo-output", seed=0, out=sys.stdout):
    """Run the demo: print and save both distance tables and the scores, save figures.

    Parameters
    ----------
    output : str
        Folder for the figures (created if needed).
    seed : int
        Seed of the generated data and of the metric.
    out : file-like
        Where to print.

    Returns
    -------
    scores : DataFrame
        Silhouette and 1-NN accuracy of each method.
    """
    start = time.perf_counter()
    systems, labels = make_demo_collection(random_state=seed)
    # The docstring's first line is for the API docs; the paragraph is plain text.
    print(__doc__.split("\n\n", 1)[1].strip(), "\n", file=out)
    methods = {
        "DSA (angular, single trials)": DSA(n_delays=20, rank=15, n_jobs=2,
                                             random_state=seed),
        "Procrustes shape (condition averages)": GeometricDistance(metric="procrustes"),
    }
    states = {name: recording.states for name, recording in systems.items()}
    matrices, scores = {}, []
    for name, method in methods.items():
        D = method.fit_transform(states if isinstance(method, DSA) else systems)
        matrices[name] = D
        print(f"{name} distances:", file=out)
        print(D.to_string(float_format=lambda v: f"{v:.4f}"), "\n", file=out)
        scores.append({"method": name,
                       "silhouette": silhouette_score(D.to_numpy(), labels,
                                                      metric="precomputed"),
                       "1-NN accuracy": nearest_neighbour_accuracy(D.to_numpy(), labels)})
    scores = pd.DataFrame(scores).set_index("method")
    print("How well each method separates the three dynamics "
          "(silhouette in [-1, 1]; 1-NN accuracy, chance 1/3):", file=out)
    print(scores.round(3), "\n", file=out)
    _save_tables(matrices, scores, output, out)
    _save_figures(matrices, labels, methods, output, out)
    print(f"Finished in {time.perf_counter() - start:.1f} s.", file=out)
    return scores


def _save_tables(matrices, scores, output, out):
    os.makedirs(output, exist_ok=True)
    paths = []
    for D, slug in zip(matrices.values(), ("dsa", "procrustes")):
        paths.append(os.path.join(output, f"{slug}_distances.csv"))
        D.to_csv(paths[-1])
    paths.append(os.path.join(output, "scores.csv"))
    scores.to_csv(paths[-1])
    print(f"Tables written to {os.path.abspath(output)}/: "
          + ", ".join(os.path.basename(p) for p in paths), file=out)


def _save_figures(matrices, labels, methods, output, out):
    try:
        import matplotlib

        matplotlib.use("Agg")
        from .plotting import plot_distance_matrix, plot_eigenvalues, plot_mds
    except ImportError:
        print("Figures skipped: install matplotlib (pip install 'skdsa[plot]').", file=out)
        return
    os.makedirs(output, exist_ok=True)
    paths = []
    for (name, D), slug in zip(matrices.items(), ("dsa", "procrustes")):
        for kind, plot in (("matrix", plot_distance_matrix), ("mds", plot_mds)):
            fig = plot(D.to_numpy(), labels, title=name)
            paths.append(os.path.join(output, f"{slug}_{kind}.png"))
            fig.savefig(paths[-1], dpi=120)
    dsa = next(iter(methods.values()))
    fig = plot_eigenvalues(dsa.operators_, labels, zoom=True,
                           title="DSA operators' eigenvalues (axes fitted to them)")
    paths.append(os.path.join(output, "dsa_eigenvalues.png"))
    fig.savefig(paths[-1], dpi=120)
    print(f"Figures written to {os.path.abspath(output)}/: "
          + ", ".join(os.path.basename(p) for p in paths), file=out)
