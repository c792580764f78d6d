"""Workload 3: fitting Hankel DMD end to end, skdsa against dsa-metric (torch CPU).

100 systems of (20 trials, 1000 steps, 10 features) from random-rate RNNs,
``n_delays=20``, ``rank=10``. Both tools fit every system from the raw
recording (delay embedding, SVD, regression). Reports total and per-system
time, their ratio, and agreement of the operators' eigenvalues (the operators
themselves are defined up to the sign of each SVD mode).

Run:  python benchmarks/fitting.py                   (full)
      python benchmarks/fitting.py --systems 5        (quick)
"""

import argparse

import _common
import numpy as np

from skdsa import DMDRegressor, HankelEmbedder
from skdsa.datasets import make_rnn


def fit_skdsa(X, n_delays, rank):
    H = HankelEmbedder(n_delays=n_delays).fit_transform(X)
    return DMDRegressor(rank=rank, alpha=1e-8).fit(H).operator_


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--systems", type=int, default=100)
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--timepoints", type=int, default=1000)
    parser.add_argument("--features", type=int, default=10)
    parser.add_argument("--n-delays", type=int, default=20)
    parser.add_argument("--rank", type=int, default=10)
    parser.add_argument("--csv", default="benchmarks/results/fitting.csv")
    args = parser.parse_args()
    torch, _ = _common.load_dsa_metric()
    from DSA.dmd import DMD

    ours, theirs, spectral_gap = [], [], []
    for seed in range(args.systems):
        X = make_rnn(n_units=args.features, n_trials=args.trials,
                     n_timepoints=args.timepoints, random_state=seed)
        seconds, A = _common.timed(fit_skdsa, X, args.n_delays, args.rank)
        ours.append(seconds)

        def fit_reference():
            dmd = DMD(torch.tensor(X), n_delays=args.n_delays, rank=args.rank, lamb=1e-8)
            dmd.fit()
            return dmd.A_v.numpy()

        seconds, A_ref = _common.timed(fit_reference)
        theirs.append(seconds)
        a, b = np.sort_complex(np.linalg.eigvals(A)), np.sort_complex(np.linalg.eigvals(A_ref))
        spectral_gap.append(float(np.max(np.abs(a - b))))
    rows = [{
        "systems": args.systems, "shape": f"({args.trials}, {args.timepoints}, {args.features})",
        "n_delays": args.n_delays, "rank": args.rank,
        "skdsa_total_s": sum(ours), "dsa_metric_total_s": sum(theirs),
        "skdsa_median_ms": 1e3 * np.median(ours),
        "dsa_metric_median_ms": 1e3 * np.median(theirs),
        "ratio": np.median(theirs) / np.median(ours),
        "max_eigenvalue_difference": max(spectral_gap),
    }]
    print(_common.header("DMD fitting: skdsa vs dsa-metric DMD (torch CPU)"))
    _common.print_table(rows, list(rows[0]), {
        "skdsa_total_s": "{:.2f}", "dsa_metric_total_s": "{:.2f}", "skdsa_median_ms": "{:.1f}",
        "dsa_metric_median_ms": "{:.1f}", "ratio": "{:.2f}x",
        "max_eigenvalue_difference": "{:.1e}"})
    _common.write_csv(rows, args.csv)


if __name__ == "__main__":
    main()
