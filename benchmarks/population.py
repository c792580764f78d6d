"""DSA on a population of networks: the full pairwise matrix of 1,000 systems.

The systems are trained and untrained recurrent networks from the shipped zoos,
each run on several trial sets: the universality zoo at checkpoints 0, 0.25 and 1
(75 network states), the flip-flop population (60) and the NeuroGym zoo at
checkpoints 0 and 1 (180), i.e. 315 network states, each on trial sets 0, 1, 2, ...
(16 trials, hidden states of 64 units), the first ``--systems`` of them. Each
system's operator is fitted by ``DSA(n_delays=5, rank=rank)``.

Three measurements per rank:

- Matrix: ``ProcrustesVectorFieldMetric(random_state=0, n_jobs=2)`` on the
  operators of the first ``--matrix-systems`` systems (all ``--systems`` by
  default): wall time, time per pair, peak resident memory of this process and
  of its largest worker, with the progress line (pairs done, elapsed, ETA).
  With ``--backends dask`` the same on a local dask cluster of 2 single-thread
  workers (``joblib.parallel_backend("dask")``), started without the
  ``MALLOC_TRIM_THRESHOLD_`` of dask's nanny as the user guide advises
  (``--dask-malloc-trim`` keeps it), checked equal to the loky matrix when both ran.
- Quality on ``--sample`` random pairs of the population: skdsa's cost
  ``||A/|A| - C B/|B| C^T||^2`` of the pair compared alone, with the seed the
  matrix used (20 random entries of each matrix are checked equal to their
  pair's distance compared alone, bit for bit), dsa-metric's
  ``SimilarityTransformDist`` at 1500 Adam iterations (lr 5e-3, its ``C``
  projected onto O(n)), and with ``--previous PATH`` (a checkout of an earlier
  skdsa, e.g. ``git worktree add /tmp/skdsa-a3bedf4 a3bedf4``) that version's
  cost with the same seed, computed in a subprocess.
- The fit of the operators (seconds), for scale.

Run:  python benchmarks/population.py --ranks 10 --previous /tmp/skdsa-a3bedf4
      python benchmarks/population.py --ranks 30 --matrix-systems 64
      python benchmarks/population.py --systems 60 --sample 20   (quick)
"""

import argparse
import os
import time
import warnings

import _common
import numpy as np

from skdsa import DSA
from skdsa.datasets import load_rnn_zoo
from skdsa.metrics import ProcrustesVectorFieldMetric
from skdsa.metrics._prepared import prepare_operator
from skdsa.metrics._procrustes import compare_prepared
from skdsa.utils._random import draw_seed

ZOOS = [("universality", (0.0, 0.25, 1.0)), ("flip_flop_population", (1.0,)),
        ("neurogym", (0.0, 1.0))]

# Run by --previous in a subprocess whose skdsa is the earlier checkout.
PREVIOUS_COSTS = """
import json, os, sys, numpy as np
import skdsa
assert skdsa.__file__.startswith(os.environ["PYTHONPATH"]), skdsa.__file__
from skdsa.metrics._prepared import prepare_operator
from skdsa.metrics._procrustes import compare_prepared
from skdsa.utils._random import draw_seed
pairs = np.load(sys.argv[1])
costs = [compare_prepared(prepare_operator(A), prepare_operator(B),
                          random_state=int(pairs["seed"])).cost
         for A, B in zip(pairs["A"], pairs["B"])]
json.dump(costs, open(sys.argv[2], "w"))
"""


def population(n_systems):
    """States of the zoos' networks on trial sets 0, 1, ..., the first ``n_systems``."""
    systems, names, trial_set = [], [], 0
    while len(systems) < n_systems:
        for zoo, checkpoints in ZOOS:
            loaded = load_rnn_zoo(zoo, checkpoints=checkpoints, n_trials=16,
                                  random_state=trial_set)
            for name, recording in loaded.recordings.items():
                systems.append(recording.states)
                names.append(f"{zoo}/{name}/trials={trial_set}")
        trial_set += 1
    return systems[:n_systems], names[:n_systems]


def peak_memory_mb():
    """Peak resident memory (MB) of this process and of its largest descendant.

    Read from ``/proc`` (Linux) while the workers (loky's, or dask's under their
    nannies) are still alive.
    """
    def high_water_mark(pid):
        with open(f"/proc/{pid}/status") as status:
            return next(int(line.split()[1]) / 1024 for line in status
                        if line.startswith("VmHWM"))

    parents = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                parents[int(pid)] = int(stat.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
    family, descendants = {os.getpid()}, []
    for pid in sorted(parents):  # children start after their parents
        if parents[pid] in family:
            family.add(pid)
            try:
                descendants.append(high_water_mark(pid))
            except (OSError, StopIteration):
                continue
    return high_water_mark(os.getpid()), max(descendants, default=0.0)


def matrix(operators, backend, malloc_trim=False):
    """Seconds, distance matrix and peak memory of the matrix job on ``backend``."""
    metric = ProcrustesVectorFieldMetric(random_state=0, n_jobs=2, verbose=1)
    if backend == "loky":
        return (*_common.timed(metric.pairwise, operators), peak_memory_mb())
    import dask
    from dask.distributed import Client, LocalCluster
    from joblib import parallel_backend

    if not malloc_trim:
        dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None})
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster, \
            Client(cluster), parallel_backend("dask"):
        return (*_common.timed(metric.set_params(n_jobs=-1).pairwise, operators),
                peak_memory_mb())


def dsa_metric_1500_cost(simdist, torch, A, B):
    reference = simdist.SimilarityTransformDist(score_method="angular", iters=1500, lr=5e-3)
    reference.fit_score(torch.tensor(A, dtype=torch.float32),
                        torch.tensor(B, dtype=torch.float32))
    C, _ = _common.orthogonal_part(reference.C_star.double().numpy())
    return _common.unit_cost(A, B, C)


def previous_costs(path, A, B, seed):
    return np.array(_common.run_with_checkout(path, PREVIOUS_COSTS, A=A, B=B, seed=seed))


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ranks", type=int, nargs="+", default=[10])
    parser.add_argument("--systems", type=int, default=1000)
    parser.add_argument("--matrix-systems", type=int, default=None,
                        help="systems of the timed matrix (default: all)")
    parser.add_argument("--backends", nargs="*", default=["loky"], choices=["loky", "dask"],
                        help="backends of the timed matrix (none: quality only)")
    parser.add_argument("--dask-malloc-trim", action="store_true",
                        help="keep the MALLOC_TRIM_THRESHOLD_ dask's nanny sets")
    parser.add_argument("--sample", type=int, default=200, help="pairs of the quality check")
    parser.add_argument("--previous", default=None,
                        help="checkout of an earlier skdsa to compare costs with")
    parser.add_argument("--no-reference", action="store_true",
                        help="skip dsa-metric and --previous on the sampled pairs")
    parser.add_argument("--csv", default="benchmarks/results/population.csv")
    args = parser.parse_args()
    torch, simdist = (None, None) if args.no_reference else _common.load_dsa_metric()
    systems, _ = population(args.systems)
    rows = []
    for rank in args.ranks:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # noise-mode warnings: every zoo fit has some
            fit_s, dsa = _common.timed(DSA(n_delays=5, rank=rank, n_jobs=2).fit, systems)
        operators = dsa.operators_[:args.matrix_systems]
        n_pairs = len(operators) * (len(operators) - 1) // 2
        matrices = {}
        for backend in args.backends:
            seconds, matrices[backend], (main_mb, worker_mb) = matrix(
                operators, backend, args.dask_malloc_trim)
            rows.append({"rank": rank, "measure": f"matrix ({backend})",
                         "systems": len(operators), "pairs": n_pairs, "seconds": seconds,
                         "ms_per_pair": 1e3 * seconds / n_pairs,
                         "peak_mb_main": main_mb, "peak_mb_worker": worker_mb,
                         "fit_s": fit_s})
            print(rows[-1], flush=True)
        if len(matrices) == 2:
            print("dask matrix equals loky matrix:",
                  np.array_equal(matrices["loky"], matrices["dask"]), flush=True)
        rng = np.random.default_rng([2026, rank])
        sample = [rng.choice(len(systems), 2, replace=False) for _ in range(args.sample)]
        A = np.array([dsa.operators_[i] for i, _ in sample])
        B = np.array([dsa.operators_[j] for _, j in sample])
        # The seed every pair of the matrix used (pairwise draws it from random_state=0).
        seed = draw_seed(0)
        for backend, D in matrices.items():
            inside = [rng.choice(len(D), 2, replace=False) for _ in range(20)]
            same = sum(D[i, j] == compare_prepared(prepare_operator(operators[i]),
                                                   prepare_operator(operators[j]),
                                                   random_state=seed).score
                       for i, j in inside)
            print(f"{backend} matrix entries equal to the pair compared alone: "
                  f"{same}/{len(inside)} random pairs", flush=True)
        if args.no_reference:
            continue
        ours = np.array([compare_prepared(prepare_operator(a), prepare_operator(b),
                                          random_state=seed).cost for a, b in zip(A, B)])
        start = time.perf_counter()
        long = np.array([dsa_metric_1500_cost(simdist, torch, a, b) for a, b in zip(A, B)])
        long_s = (time.perf_counter() - start) / len(A)
        quality = {"rank": rank, "measure": "quality", "pairs": len(A),
                   "le_dsa_metric_1500": f"{np.sum(ours <= long)}/{len(A)}",
                   "median_margin_vs_1500": float(np.median((long - ours) / long)),
                   "worst_margin_vs_1500": float(np.min((long - ours) / long)),
                   "dsa_metric_1500_s_per_pair": long_s}
        if args.previous:
            previous = previous_costs(args.previous, A, B, seed)
            change = ours / previous - 1
            quality.update({"worse_than_previous_1e-6": f"{np.sum(change > 1e-6)}/{len(A)}",
                            "better_than_previous_1e-6": f"{np.sum(change < -1e-6)}/{len(A)}",
                            "largest_rise": float(change.max())})
        rows.append(quality)
        print(quality, flush=True)
    print()
    print(_common.header("DSA on a population of networks (2 jobs)"))
    for kind in ("matrix", "quality"):
        chosen = [r for r in rows if r["measure"].startswith(kind)]
        if chosen:
            _common.print_table(chosen, list(chosen[0]), {
                "seconds": "{:.0f}", "ms_per_pair": "{:.2f}", "peak_mb_main": "{:.0f}",
                "peak_mb_worker": "{:.0f}", "fit_s": "{:.0f}", "median_margin_vs_1500": "{:.1%}",
                "worst_margin_vs_1500": "{:.2%}",
                "dsa_metric_1500_s_per_pair": "{:.2f}", "largest_rise": "{:.1e}"})
            print()
    for kind, path in (("matrix", args.csv), ("quality", args.csv.replace(".csv", "_quality.csv"))):
        chosen = [r for r in rows if r["measure"].startswith(kind)]
        if chosen:
            _common.write_csv(chosen, path)


if __name__ == "__main__":
    main()
