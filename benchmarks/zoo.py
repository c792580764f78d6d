"""DSA on the RNN zoo: time per pair and for the whole distance matrix, serial and in parallel.

The workload of the gallery's zoo examples: the 25 trained networks of
``load_rnn_zoo(n_trials=32)`` (64 units, 100 or 60 steps per trial), each reduced
to its 10 leading principal components, 10 delays, and DMD at ``--ranks`` (the
examples use 30). Reported per rank: seconds to fit the 25 models; the median
seconds of one Procrustes comparison (``ProcrustesVectorFieldMetric`` with its
defaults, ``--pairs`` pairs, serial); the whole 300-pair matrix
(``DSA.fit_transform``, fits included) with ``n_jobs=1`` and ``n_jobs=2``, and
their ratio.

Run:  python benchmarks/zoo.py                    (~6 minutes on 2 cores)
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


def zoo_dsa(rank, n_jobs):
    model = Pipeline([("pca", SeriesTransformer(PCA(10))), ("hankel", HankelEmbedder(10)),
                      ("dmd", DMDRegressor(rank=rank))])
    return DSA(model=model, n_jobs=n_jobs, random_state=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ranks", type=int, nargs="+", default=[10, 30, 60])
    parser.add_argument("--pairs", type=int, default=20)
    parser.add_argument("--csv", default="benchmarks/results/zoo.csv")
    args = parser.parse_args()
    warnings.simplefilter("ignore", NoiseModeWarning)  # reported by the examples
    zoo = load_rnn_zoo(n_trials=32)
    states = {name: recording.states for name, recording in zoo.recordings.items()}
    n = len(states)
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    sample = [pairs[k] for k in np.random.default_rng(0).choice(len(pairs), args.pairs,
                                                                replace=False)]
    print(_common.header(f"DSA on the RNN zoo ({n} networks, {len(pairs)} pairs)"))
    rows = []
    for rank in args.ranks:
        fit_seconds, fitted = _common.timed(zoo_dsa(rank, 1).fit, states)
        metric = ProcrustesVectorFieldMetric(random_state=0)
        operators = fitted.operators_
        per_pair = [_common.timed(metric.fit, operators[i], operators[j])[0]
                    for i, j in sample]
        serial, D1 = _common.timed(zoo_dsa(rank, 1).fit_transform, states)
        parallel, D2 = _common.timed(zoo_dsa(rank, 2).fit_transform, states)
        rows.append({"rank": rank, "fit 25 models (s)": fit_seconds,
                     "per pair, median (s)": float(np.median(per_pair)),
                     "matrix, n_jobs=1 (s)": serial, "matrix, n_jobs=2 (s)": parallel,
                     "speedup n_jobs=2": serial / parallel,
                     "max |D1 - D2|": float(np.abs(D1.to_numpy() - D2.to_numpy()).max())})
    _common.print_table(rows, list(rows[0]), {
        "fit 25 models (s)": "{:.1f}", "per pair, median (s)": "{:.3f}",
        "matrix, n_jobs=1 (s)": "{:.1f}", "matrix, n_jobs=2 (s)": "{:.1f}",
        "speedup n_jobs=2": "{:.2f}x", "max |D1 - D2|": "{:.1e}"})
    _common.write_csv(rows, args.csv)


if __name__ == "__main__":
    main()
