"""Workload 4: time of the pairwise DSA matrix against collection size and n_jobs.

Collections of 10, 30 and 100 systems (random-rate RNNs, 5 trials x 300 steps x
10 features, ``n_delays=5``, ``rank=8``), angular DSA, ``n_jobs`` 1 and 2. Reports
wall time (median of ``--repeats``), pairs per second, and the speedup of 2 jobs.

Run:  python benchmarks/scaling.py
      python benchmarks/scaling.py --sizes 10 30 --repeats 1   (quick)
"""

import argparse

import _common
import numpy as np

from skdsa import DSA
from skdsa.datasets import make_rnn


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 30, 100])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--csv", default="benchmarks/results/scaling.csv")
    args = parser.parse_args()
    systems = [make_rnn(n_units=10, gain=0.5 + 0.02 * k, n_trials=5, n_timepoints=300,
                        random_state=k) for k in range(max(args.sizes))]
    rows = []
    for size in args.sizes:
        n_pairs = size * (size - 1) // 2
        times = {}
        for n_jobs in args.jobs:
            dsa = DSA(n_delays=5, rank=8, n_jobs=n_jobs, random_state=0)
            times[n_jobs] = np.median([_common.timed(dsa.fit_transform, systems[:size])[0]
                                       for _ in range(args.repeats)])
            rows.append({"systems": size, "pairs": n_pairs, "n_jobs": n_jobs,
                         "seconds": times[n_jobs], "pairs_per_s": n_pairs / times[n_jobs],
                         "speedup_vs_1_job": times[args.jobs[0]] / times[n_jobs]})
            print(f"{size} systems, n_jobs={n_jobs}: {times[n_jobs]:.2f} s", flush=True)
    print()
    print(_common.header("Scaling of the pairwise DSA matrix (angular, rank 8)"))
    _common.print_table(rows, list(rows[0]), {"seconds": "{:.2f}", "pairs_per_s": "{:.0f}",
                                              "speedup_vs_1_job": "{:.2f}x"})
    _common.write_csv(rows, args.csv)


if __name__ == "__main__":
    main()
