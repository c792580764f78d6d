"""DSA with n_delays="auto" and rank="auto" against today's defaults and a grid oracle.

Known-answer collections (each system in its own random coordinates, several draws
per group); reported per case: the silhouette of the true groups under the
defaults (``n_delays=1, rank=None``), under the automatic choice, and under the
best setting of a grid (the oracle: n_delays 1, 2, 4, 8, 16 x rank None, "auto",
2, 4, 8, 16; the defaults are in it), the settings chosen, and the seconds of the
automatic choice against those of the pairwise comparisons that follow it
(``fit_s`` includes the choice and the model fits). None of these collections is
a paper's exact setting: they are small versions, named for what they are.

Run:  python benchmarks/auto_embedding.py            (about 8 minutes on 2 cores)
      python benchmarks/auto_embedding.py --cases spirals ring_line   (quick)
"""

import argparse
import time
import warnings

import _common
import numpy as np
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score

from skdsa import DSA
from skdsa.comparison._embedding_choice import choose_n_delays
from skdsa.datasets import (
    load_rnn_zoo,
    make_fig3_trio,
    make_line_attractor,
    make_lorenz,
    make_ring_attractor,
    make_rnn,
    make_stable_spiral,
    random_observation,
)

GRID_DELAYS = (1, 2, 4, 8, 16)
GRID_RANKS = (None, "auto", 2, 4, 8, 16)


def fig3_trio():
    """The Fig. 3 trio (saddle, line and point attractors), 3 draws, 20 trials each."""
    systems, labels = {}, []
    for k in range(3):
        for name, recording in make_fig3_trio(n_trials=20, random_state=k).items():
            systems[f"{name} #{k}"] = random_observation(recording.states, random_state=k)
            labels.append(name)
    return systems, labels


def spirals():
    """Damped oscillators of 3 frequencies, one noisy channel of two: delays needed."""
    systems, labels = {}, []
    for k in range(3):
        for f in (0.5, 1.0, 2.0):
            X = make_stable_spiral(frequency=f, n_trials=10, random_state=10 * k + int(4 * f))
            noise = 0.02 * np.random.default_rng(k).normal(size=X[..., :1].shape)
            systems[f"f={f} #{k}"] = X[..., :1] + noise
            labels.append(f)
    return systems, labels


def lorenz():
    """Lorenz-63 at rho 15 (fixed points), 28 (chaos) and 100 (periodic), 3 draws each."""
    systems, labels = {}, []
    for k in range(3):
        for rho in (15.0, 28.0, 100.0):
            X = make_lorenz(rho=rho, n_trials=5, n_timepoints=500, random_state=k)
            systems[f"rho={rho} #{k}"] = random_observation(X, noise=0.05, random_state=k)
            labels.append(rho)
    return systems, labels


def ring_line():
    """A ring attractor against a line attractor, 4 draws each."""
    systems, labels = {}, []
    for k in range(4):
        for name, make in (("ring", make_ring_attractor), ("line", make_line_attractor)):
            systems[f"{name} #{k}"] = random_observation(make(random_state=k), random_state=k)
            labels.append(name)
    return systems, labels


def rnn_gains():
    """Random rate networks of gains 0.8, 1.5 and 2.5 (10 units), 3 draws each."""
    systems, labels = {}, []
    for k in range(3):
        for gain in (0.8, 1.5, 2.5):
            X = make_rnn(n_units=10, gain=gain, n_trials=5, n_timepoints=300,
                         random_state=10 * k + int(gain * 10))
            systems[f"gain={gain} #{k}"] = random_observation(X, random_state=k)
            labels.append(gain)
    return systems, labels


def zoo_tasks():
    """The universality zoo's trained networks of seed 0, grouped by task, each network's
    hidden states projected beforehand on their 8 leading principal components."""
    zoo = load_rnn_zoo(seeds=0, n_trials=16)
    systems = {}
    for name, recording in zoo.recordings.items():
        X = recording.states
        pca = PCA(8, random_state=0).fit(X.reshape(-1, X.shape[-1]))
        systems[name] = pca.transform(X.reshape(-1, X.shape[-1])).reshape(*X.shape[:2], 8)
    return systems, list(zoo.networks.task)


CASES = {"fig3_trio": fig3_trio, "spirals": spirals, "lorenz": lorenz,
         "ring_line": ring_line, "rnn_gains": rnn_gains, "zoo_tasks": zoo_tasks}


def silhouette(dsa, systems, labels):
    return silhouette_score(np.asarray(dsa.fit_transform(systems)), labels,
                            metric="precomputed")


def run_case(name, n_jobs):
    systems, labels = CASES[name]()
    defaults = silhouette(DSA(n_jobs=n_jobs, random_state=0), systems, labels)
    auto = DSA(n_delays="auto", rank="auto", n_jobs=n_jobs, random_state=0)
    start = time.perf_counter()
    auto.fit(systems)
    fit_s = time.perf_counter() - start
    choice_s, _ = _common.timed(choose_n_delays, list(systems.values()), random_state=0)
    compare_s, D = _common.timed(auto._compare, auto._prepared)
    auto_silhouette = silhouette_score(D, labels, metric="precomputed")
    oracle, oracle_setting = -np.inf, None
    for n_delays in GRID_DELAYS:
        for rank in GRID_RANKS:
            try:
                value = silhouette(DSA(n_delays=n_delays, rank=rank, n_jobs=n_jobs,
                                       random_state=0), systems, labels)
            except ValueError:  # a rank above what the embedding allows
                continue
            if value > oracle:
                oracle, oracle_setting = value, f"{n_delays} / {rank}"
    return {"case": name, "systems": len(systems), "defaults": defaults,
            "auto": auto_silhouette, "oracle": oracle,
            "auto_over_oracle": auto_silhouette / oracle if oracle > 0 else np.nan,
            "auto_choice": f"{auto.n_delays_} / {auto.rank_}", "oracle_choice": oracle_setting,
            "choice_s": choice_s, "fit_s": fit_s, "comparisons_s": compare_s}


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", nargs="+", default=list(CASES), choices=list(CASES))
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--csv", default="benchmarks/results/auto_embedding.csv")
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # noise-mode and degenerate-operator warnings are expected
    rows = []
    for name in args.cases:
        rows.append(run_case(name, args.n_jobs))
        print(f"{name}: done", {key: value for key, value in rows[-1].items()
                                if key in ("defaults", "auto", "oracle", "auto_choice")},
              flush=True)
    print()
    print(_common.header("Silhouette of the true groups: defaults, automatic choice, grid oracle"))
    _common.print_table(rows, list(rows[0]), {
        "defaults": "{:.3f}", "auto": "{:.3f}", "oracle": "{:.3f}", "auto_over_oracle": "{:.2f}",
        "choice_s": "{:.1f}", "fit_s": "{:.1f}", "comparisons_s": "{:.1f}"})
    _common.write_csv(rows, args.csv)


if __name__ == "__main__":
    main()
