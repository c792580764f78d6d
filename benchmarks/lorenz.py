"""Workload 2: DSA between Lorenz-63 regimes, skdsa against dsa-metric.

100 Lorenz-63 clips from 5 parameter regimes (20 clips each, rho in
{15, 20, 28, 40, 60}, sigma=10, beta=8/3), each one clip of ``--timepoints``
steps, ``n_delays=70``, ``rank=6`` (the setting published with KoopSTD). skdsa
computes all 4950 pairs (angular Procrustes and eigenvalue Wasserstein);
dsa-metric's SimilarityTransformDist (iters=1500, lr=5e-3) runs on a random
sample of pairs of the same operators, time-boxed; its float32 C is projected
onto O(n) before its cost is evaluated (see _common.orthogonal_part). skdsa's
angular and Wasserstein jobs are timed ``--repeats`` times (median, with the
range); skdsa also runs once with structured starts only (``n_init=0``), its
faster, less thorough setting.

Run:  python benchmarks/lorenz.py                                  (full, about 8 minutes)
      python benchmarks/lorenz.py --clips 5 --sample 5 --repeats 1  (quick)
"""

import argparse
import time

import _common
import numpy as np
from sklearn.metrics import silhouette_score

from skdsa import DSA
from skdsa.datasets import make_lorenz
from skdsa.metrics import ProcrustesVectorFieldMetric
from skdsa.metrics._prepared import prepare_operator
from skdsa.metrics._procrustes import compare_prepared

REGIMES = (15.0, 20.0, 28.0, 40.0, 60.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clips", type=int, default=20, help="clips per regime")
    parser.add_argument("--timepoints", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=100, help="pairs for dsa-metric")
    parser.add_argument("--time-box", type=float, default=300.0,
                        help="seconds allowed for dsa-metric's sample")
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3,
                        help="timed runs of the angular and Wasserstein jobs")
    parser.add_argument("--csv", default="benchmarks/results/lorenz.csv")
    args = parser.parse_args()
    torch, simdist = _common.load_dsa_metric()

    rng = np.random.default_rng(0)
    systems, labels = [], []
    for label, rho in enumerate(REGIMES):
        for _ in range(args.clips):
            clip = make_lorenz(rho=rho, n_trials=1, n_timepoints=args.timepoints,
                               random_state=rng.integers(2**31))[0]
            systems.append(clip)
            labels.append(label)
    labels = np.array(labels)
    n_pairs = len(systems) * (len(systems) - 1) // 2

    rows = []
    metrics = {
        "angular": ("angular", args.repeats),
        "angular, structured starts only (n_init=0)": (ProcrustesVectorFieldMetric(n_init=0), 1),
        "wasserstein": ("wasserstein", args.repeats),
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
    print(_common.header(f"Lorenz-63 regimes: {len(systems)} clips, n_delays=70, rank=6"))
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
    _common.write_csv(rows, args.csv)


if __name__ == "__main__":
    main()
