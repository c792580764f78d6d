"""DSA on the RNN zoo: time per pair and for the whole distance matrix, serial and in parallel.

The workload of the gallery's zoo examples: the trained networks of
``load_rnn_zoo(zoo, n_trials=32)`` (64 units), each reduced to its 10 leading
principal components, ``--n-delays`` delays, and DMD at ``--ranks``. The
universality examples use 10 delays and rank 30 on its 25 networks (100 or 60
steps per trial); the task-separability example 4 delays and rank 10 on the 90
NeuroGym-style networks (11-35 steps). Reported per rank: seconds to fit the
models; the median seconds of one Procrustes comparison
(``ProcrustesVectorFieldMetric`` with its defaults, ``--pairs`` pairs, serial);
the whole matrix (``DSA.fit_transform``, fits included) with ``n_jobs=1`` and
``n_jobs=2``, and their ratio.

Run:  python benchmarks/zoo.py                    (~6 minutes on 2 cores)
      python benchmarks/zoo.py --zoo neurogym --n-delays 4 --ranks 10   (~3 minutes)
      python benchmarks/zoo.py --ranks 10 --pairs 5   (quick)
"""

import argparse
import warnings

import _common
import numpy as np
from sklearn.decomposition import PCA
from sklearn.pipeline import Pipeline

from skdsa import DSA, DMDRegressor, HankelEmbedder, NoiseModeWarning
from skdsa.datasets import load_rnn_zoo
from skdsa.metrics import ProcrustesVectorFieldMetric
from skdsa.preprocessing import SeriesTransformer


def zoo_dsa(n_delays, rank, n_jobs):
    model = Pipeline([("pca", SeriesTransformer(PCA(10, random_state=0))),
                      ("hankel", HankelEmbedder(n_delays)), ("dmd", DMDRegressor(rank=rank))])
    return DSA(model=model, n_jobs=n_jobs, random_state=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--zoo", default="universality", choices=["universality", "neurogym"])
    parser.add_argument("--n-delays", type=int, default=10)
    parser.add_argument("--ranks", type=int, nargs="+", default=[10, 30, 60])
    parser.add_argument("--pairs", type=int, default=20)
    parser.add_argument("--csv", default=None,
                        help="default: benchmarks/results/zoo.csv, zoo_neurogym.csv for neurogym")
    args = parser.parse_args()
    suffix = "" if args.zoo == "universality" else f"_{args.zoo}"
    args.csv = args.csv or f"benchmarks/results/zoo{suffix}.csv"
    warnings.simplefilter("ignore", NoiseModeWarning)  # reported by the examples
    zoo = load_rnn_zoo(args.zoo, n_trials=32)
    states = {name: recording.states for name, recording in zoo.recordings.items()}
    n = len(states)
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    sample = [pairs[k] for k in np.random.default_rng(0).choice(len(pairs), args.pairs,
                                                                replace=False)]
    print(_common.header(f"DSA on the {args.zoo} zoo ({n} networks, {len(pairs)} pairs, "
                         f"{args.n_delays} delays)"))
    rows = []
    for rank in args.ranks:
        fit_seconds, fitted = _common.timed(zoo_dsa(args.n_delays, rank, 1).fit, states)
        metric = ProcrustesVectorFieldMetric(random_state=0)
        operators = fitted.operators_
        per_pair = [_common.timed(metric.fit, operators[i], operators[j])[0]
                    for i, j in sample]
        serial, D1 = _common.timed(zoo_dsa(args.n_delays, rank, 1).fit_transform, states)
        parallel, D2 = _common.timed(zoo_dsa(args.n_delays, rank, 2).fit_transform, states)
        rows.append({"rank": rank, f"fit {n} models (s)": fit_seconds,
                     "per pair, median (s)": float(np.median(per_pair)),
                     "matrix, n_jobs=1 (s)": serial, "matrix, n_jobs=2 (s)": parallel,
                     "speedup n_jobs=2": serial / parallel,
                     "max |D1 - D2|": float(np.abs(D1.to_numpy() - D2.to_numpy()).max())})
    _common.print_table(rows, list(rows[0]), {
        f"fit {n} models (s)": "{:.1f}", "per pair, median (s)": "{:.3f}",
        "matrix, n_jobs=1 (s)": "{:.1f}", "matrix, n_jobs=2 (s)": "{:.1f}",
        "speedup n_jobs=2": "{:.2f}x", "max |D1 - D2|": "{:.1e}"})
    _common.write_csv(rows, args.csv)


if __name__ == "__main__":
    main()
