"""The demo behind ``python -m skdsa demo``."""

import sys

import numpy as np
from sklearn.pipeline import make_pipeline

from ._dmd import DMDRegressor
from ._hankel import HankelEmbedder


def _simulate(M, n_trials, n_timepoints, rng, noise):
    X = np.empty((n_trials, n_timepoints, M.shape[0]))
    X[:, 0] = rng.normal(size=(n_trials, M.shape[0]))
    for t in range(n_timepoints - 1):
        X[:, t + 1] = X[:, t] @ M.T + noise * rng.normal(size=X[:, t].shape)
    return X


def run_demo(output="skdsa-demo-output", seed=0, out=sys.stdout):
    """Fit Hankel DMD to two example systems and print their operators.

    Parameters
    ----------
    output : str
        Folder for figures.
    seed : int
        Seed of the generated data.
    out : file-like
        Where to print.
    """
    rng = np.random.default_rng(seed)
    theta = 0.2
    rotation = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    systems = {
        "stable spiral": 0.97 * rotation,
        "line attractor": np.array([[1.0, 0.0], [0.0, 0.8]]),
    }
    for name, M in systems.items():
        X = _simulate(M, n_trials=10, n_timepoints=100, rng=rng, noise=0.01)
        model = make_pipeline(HankelEmbedder(n_delays=3), DMDRegressor(rank=2))
        dmd = model.fit(X)[-1]
        print(f"{name}: operator", np.round(dmd.operator_, 3).tolist(), file=out)
        print(f"{name}: eigenvalues", np.round(np.sort_complex(dmd.eigenvalues_), 3),
              f"(true {np.round(np.sort_complex(np.linalg.eigvals(M)), 3)})", file=out)
