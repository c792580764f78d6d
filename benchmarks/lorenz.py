"""Workload 2: DSA between Lorenz-63 regimes, skdsa against dsa-metric.

``--setting koopstd`` (default) is the setting published with KoopSTD (computed with
dsa-metric there: angular silhouette 0.878, eigenvalue W2^2 silhouette 0.998):
Lorenz-63 (sigma=10, beta=8/3) at rho in (10, 20, 152, 220, 75), integrated by
``solve_ivp`` (RK45, default tolerances) from (-8, 8, 27) over t in [0, 800) with output
every 0.001; the first 300 time units dropped; 20 clips of 20 time units per regime,
their start indices drawn by ``np.random.randint(0, 480000)`` clip after clip after
``np.random.seed(2025)``; each clip z-scored per feature, then subsampled by 10 to
(2000, 3); ``n_delays=70``, ``rank=6``; ``silhouette_score(D, labels,
metric="precomputed")``, with the eigenvalue Wasserstein distance squared as published.

``--setting regimes`` is this project's earlier workload, not a published one: clips of
``--timepoints`` RK4 steps (dt 0.01) from rho in (15, 20, 28, 40, 60), same
``n_delays`` and ``rank``.

skdsa computes all 4950 pairs (angular Procrustes and eigenvalue Wasserstein);
dsa-metric's SimilarityTransformDist (iters=1500, lr=5e-3) runs on a random sample of
pairs of the same operators, time-boxed; its float32 C is projected onto O(n) before
its cost is evaluated (see _common.orthogonal_part). skdsa's angular and Wasserstein
jobs are timed ``--repeats`` times (median, with the range); skdsa also runs once with
structured starts only (``n_init=0``), its faster, less thorough setting.

Run:  python benchmarks/lorenz.py                                  (full, about 15 minutes)
      python benchmarks/lorenz.py --clips 5 --sample 5 --repeats 1  (quick)
"""

import argparse
import time

import _common
import numpy as np
from scipy.integrate import solve_ivp
from sklearn.metrics import silhouette_score

from skdsa import DSA
from skdsa.datasets import make_lorenz
from skdsa.metrics import EigenvalueWasserstein, ProcrustesVectorFieldMetric
from skdsa.metrics._prepared import prepare_operator
from skdsa.metrics._procrustes import compare_prepared

REGIMES = (15.0, 20.0, 28.0, 40.0, 60.0)
KOOPSTD_RHOS = (10.0, 20.0, 152.0, 220.0, 75.0)


def koopstd_clips(n_clips):
    """The published KoopSTD clips: ``n_clips`` per regime, (2000, 3) each."""
    draws = np.random.RandomState(2025)  # the same draws as np.random.seed(2025)
    t_eval = np.arange(0, 800, 0.001)
    systems, labels = [], []
    for label, rho in enumerate(KOOPSTD_RHOS):
        def lorenz(t, state, rho=rho):
            x, y, z = state
            return [10.0 * (y - x), x * (rho - z) - y, x * y - 8.0 / 3.0 * z]

        solution = solve_ivp(lorenz, (0, 800), (-8.0, 8.0, 27.0), method="RK45",
                             t_eval=t_eval).y.T[300000:]
        for _ in range(n_clips):
            start = draws.randint(0, len(solution) - 20000)
            clip = solution[start:start + 20000]
            systems.append(((clip - clip.mean(axis=0)) / clip.std(axis=0))[::10])
            labels.append(label)
    return systems, np.array(labels)


def regime_clips(n_clips, n_timepoints, rng):
    """This project's earlier workload (not a published setting)."""
    systems, labels = [], []
    for label, rho in enumerate(REGIMES):
        for _ in range(n_clips):
            systems.append(make_lorenz(rho=rho, n_trials=1, n_timepoints=n_timepoints,
                                       random_state=rng.integers(2**31))[0])
            labels.append(label)
    return systems, np.array(labels)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--setting", choices=["koopstd", "regimes"], default="koopstd")
    parser.add_argument("--clips", type=int, default=20, help="clips per regime")
    parser.add_argument("--timepoints", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=100, help="pairs for dsa-metric")
    parser.add_argument("--time-box", type=float, default=300.0,
                        help="seconds allowed for dsa-metric's sample")
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3,
                        help="timed runs of the angular and Wasserstein jobs")
    parser.add_argument("--csv", default=None,
                        help="default: benchmarks/results/lorenz_<setting>.csv")
    args = parser.parse_args()
    torch, simdist = _common.load_dsa_metric()

    rng = np.random.default_rng(0)
    start = time.perf_counter()
    if args.setting == "koopstd":
        systems, labels = koopstd_clips(args.clips)
    else:
        systems, labels = regime_clips(args.clips, args.timepoints, rng)
    print(f"{len(systems)} clips in {time.perf_counter() - start:.1f} s", flush=True)
    n_pairs = len(systems) * (len(systems) - 1) // 2

    rows = []
    metrics = {
        "angular": ("angular", args.repeats),
        "angular, structured starts only (n_init=0)": (ProcrustesVectorFieldMetric(n_init=0), 1),
        "wasserstein": ("wasserstein", args.repeats),
        "wasserstein squared (W2^2, as published)": (EigenvalueWasserstein(squared=True), 1),
    }
    for name, (metric, repeats) in metrics.items():
        dsa = DSA(n_delays=70, rank=6, metric=metric, n_jobs=args.n_jobs, random_state=0)
        times = []
        for _ in range(repeats):
            seconds, D = _common.timed(dsa.fit_transform, systems)
            times.append(seconds)
            print(f"skdsa {name}: {seconds:.1f} s", flush=True)
        seconds = float(np.median(times))
        rows.append({"tool": "skdsa", "metric": name, "pairs": n_pairs, "runs": repeats,
                     "total_s": seconds, "range_s": f"{min(times):.1f}-{max(times):.1f}",
                     "per_pair_ms": 1e3 * seconds / n_pairs,
                     "silhouette": silhouette_score(D, labels, metric="precomputed")})
        if name == "angular":
            operators, D_angular = dsa.operators_, D

    # dsa-metric on a sample of the same operators, time-boxed.
    pairs = [(i, j) for i in range(len(systems)) for j in range(i + 1, len(systems))]
    sample = [pairs[k] for k in rng.choice(len(pairs), size=min(args.sample, len(pairs)),
                                          replace=False)]
    reference = simdist.SimilarityTransformDist(iters=1500, lr=5e-3, score_method="angular")
    theirs, ours, ours_structured, times, orthogonality = [], [], [], [], []
    start = time.perf_counter()
    for i, j in sample:
        if time.perf_counter() - start > args.time_box:
            break
        A, B = operators[i], operators[j]
        seconds, _ = _common.timed(reference.fit_score, torch.tensor(A, dtype=torch.float32),
                                   torch.tensor(B, dtype=torch.float32))
        C, error = _common.orthogonal_part(reference.C_star.double().numpy())
        orthogonality.append(error)
        theirs.append(_common.unit_cost(A, B, C))
        a, b = prepare_operator(A), prepare_operator(B)
        ours.append(compare_prepared(a, b, random_state=0).cost)
        ours_structured.append(compare_prepared(a, b, n_init=0, random_state=0).cost)
        times.append(seconds)
    theirs, ours = np.array(theirs), np.array(ours)
    ours_structured = np.array(ours_structured)
    per_pair = float(np.median(times))
    rows.append({"tool": "dsa-metric (sample)", "metric": "angular", "pairs": len(times),
                 "runs": 1, "total_s": float(np.sum(times)), "range_s": "",
                 "per_pair_ms": 1e3 * per_pair, "silhouette": float("nan")})
    skdsa_per_pair = rows[0]["per_pair_ms"] / 1e3
    print()
    print(_common.header(f"Lorenz-63, setting {args.setting}: {len(systems)} clips, "
                         "n_delays=70, rank=6"))
    _common.print_table(rows, list(rows[0]), {"total_s": "{:.1f}", "per_pair_ms": "{:.2f}",
                                              "silhouette": "{:.3f}"})
    print()
    print(f"dsa-metric extrapolated to all {n_pairs} pairs: {per_pair * n_pairs / 60:.0f} min "
          f"(median {per_pair:.2f} s/pair); skdsa angular: {rows[0]['total_s']:.1f} s on "
          f"{args.n_jobs} jobs (median of {args.repeats}), {per_pair / skdsa_per_pair:.0f}x "
          "faster per pair (wall clock).")
    for name, costs in (("skdsa", ours), ("skdsa n_init=0", ours_structured)):
        print(f"Sampled pairs where {name}'s cost <= dsa-metric's: "
              f"{np.sum(costs <= theirs + 1e-12)}/{len(costs)}; median cost {name} "
              f"{np.median(costs):.3e}, dsa-metric {np.median(theirs):.3e}; worst "
              f"{name} - dsa-metric {np.max(costs - theirs):+.2e}.")
    print(f"dsa-metric's C is orthogonal to {max(orthogonality):.1e} at worst (float32); "
          "its costs are evaluated at the nearest orthogonal matrix.")
    off_diagonal = D_angular[np.triu_indices(len(systems), 1)]
    print(f"Angular distance matrix: min off-diagonal {off_diagonal.min():.3e}")
    _common.write_csv(rows, args.csv if args.csv is not None
                      else f"benchmarks/results/lorenz_{args.setting}.csv")


if __name__ == "__main__":
    main()
