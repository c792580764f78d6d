"""How often skdsa's default search finds the best minimum known (no dsa-metric needed).

The Procrustes problem has local minima. For unrelated operator pairs of several
families, each pair is solved with the default (structured starts plus
``n_init="auto"`` random ones), with structured starts only (``n_init=0``), and with
48 random starts (``n_init=24`` rotations, each also tried transposed) added to the
structured ones. The best of the three costs is the
best minimum known; reported per family and setting: the pairs where the setting's
cost exceeds it by more than 1e-9 (relative), the worst relative excess, and the
time per pair.

Families: DMD operators of Lorenz-63 clips (rank 6, as in lorenz.py), of noisy random
linear systems (rank 5, 10, 20, as in solver.py), of random-rate RNNs (rank 8, as in
scaling.py), and Gaussian random matrices (n = 10).

Run:  python benchmarks/search.py               (full, under a minute)
      python benchmarks/search.py --pairs 5     (quick)
"""

import argparse
import time

import _common
import numpy as np
from solver import dmd_operator

from skdsa import DSA
from skdsa.datasets import make_lorenz, make_rnn
from skdsa.metrics._prepared import prepare_operator
from skdsa.metrics._procrustes import compare_prepared

SETTINGS = {"default": {}, "n_init=0": {"n_init": 0}, "n_init=24": {"n_init": 24}}


def collection_pairs(systems, n_pairs, rng, **dsa_params):
    operators = DSA(metric="wasserstein", **dsa_params).fit(systems).operators_
    return [tuple(operators[k] for k in rng.choice(len(operators), 2, replace=False))
            for _ in range(n_pairs)]


def families(n_pairs, rng):
    lorenz = [make_lorenz(rho=rho, n_trials=1, n_timepoints=1000,
                          random_state=rng.integers(2**31))[0]
              for rho in (15.0, 20.0, 28.0, 40.0, 60.0) for _ in range(6)]
    rnns = [make_rnn(n_units=10, gain=rng.uniform(0.5, 2.0), n_trials=5, n_timepoints=300,
                     random_state=rng.integers(2**31)) for _ in range(30)]
    yield "Lorenz DMD, rank 6", collection_pairs(lorenz, n_pairs, rng, n_delays=70, rank=6)
    for n in (5, 10, 20):
        yield f"linear-system DMD, rank {n}", [(dmd_operator(n, rng), dmd_operator(n, rng))
                                               for _ in range(n_pairs)]
    yield "RNN DMD, rank 8", collection_pairs(rnns, n_pairs, rng, n_delays=5, rank=8)
    yield "Gaussian, n = 10", [(rng.normal(size=(10, 10)), rng.normal(size=(10, 10)))
                               for _ in range(n_pairs)]


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=30, help="pairs per family")
    parser.add_argument("--csv", default="benchmarks/results/search.csv")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    rows = []
    for family, pairs in families(args.pairs, rng):
        prepared = [(prepare_operator(A), prepare_operator(B)) for A, B in pairs]
        costs, seconds = {}, {}
        for name, params in SETTINGS.items():
            start = time.perf_counter()
            costs[name] = np.array([compare_prepared(a, b, random_state=k, **params).cost
                                    for k, (a, b) in enumerate(prepared)])
            seconds[name] = (time.perf_counter() - start) / len(prepared)
        best = np.min(list(costs.values()), axis=0)
        for name in SETTINGS:
            excess = (costs[name] - best) / best
            rows.append({"family": family, "setting": name, "pairs": len(pairs),
                         "above_best_known": int(np.sum(excess > 1e-9)),
                         "worst_relative_excess": float(excess.max()),
                         "ms_per_pair": 1e3 * seconds[name]})
        print(f"{family}: done", flush=True)
    print()
    print(_common.header("Search quality: cost against the best minimum known"))
    _common.print_table(rows, list(rows[0]), {"worst_relative_excess": "{:.1e}",
                                              "ms_per_pair": "{:.1f}"})
    _common.write_csv(rows, args.csv)


if __name__ == "__main__":
    main()
