"""Procrustes at the operator ranks of real neural data (6-150), against dsa-metric.

Two families of unrelated operator pairs:

- "tanh RNN", the setting of the issue "Solver at scale": DMD operators of a noisy
  100-unit tanh RNN, ``x[t+1] = tanh(W x[t]) + 0.05 noise`` with ``W`` of spectral
  radius 1.2, 20 trials x 500 steps, fitted with ``HankelEmbedder(5)`` and
  ``DMDRegressor(rank=r)``; one RNN (a new ``W``) per operator. The operators of
  each rank come from their own seed, so a rank's pairs do not depend on which
  other ranks run.
- "ring, PCA 15", the issue's 150 x 150 case: a ring attractor
  (``make_ring_attractor``) seen through 100 noisy "neurons"
  (``random_observation``), reduced to 15 principal components, ``n_delays=10``,
  full rank 150.

Each pair is solved by skdsa with its defaults (``random_state=0``) and by
dsa-metric's ``SimilarityTransformDist`` at its defaults (200 Adam iterations, lr
0.01, two runs) and at 1500 iterations with lr 5e-3 (the setting of
benchmarks/solver.py). skdsa and dsa-metric's default are timed ``--repeats`` times
per pair (median); the 1500-iteration setting once. Costs are ``||A/|A| - C (B/|B|)
C^T||^2`` at each tool's ``C``, dsa-metric's projected onto O(n) (it works in float32).
Reported per family and rank: median seconds per pair, speedup over each dsa-metric
setting (ratio of the medians), the pairs where skdsa's cost is at most each
dsa-metric cost, the median relative margin ``(dsa-metric 1500 - skdsa) / dsa-metric
1500``, and the fraction of pairs skdsa certifies optimal.

Above rank 500 the RNNs have ``rank / 5`` units. ``--no-long`` skips the
1500-iteration setting (about 45 minutes per pair at rank 1000 on 2 cores).

Run:  python benchmarks/large_rank.py                             (full, ~15 minutes)
      python benchmarks/large_rank.py --ranks 500 --pairs 1 --ring-pairs 0 --repeats 1
      python benchmarks/large_rank.py --ranks 20 50 --pairs 3 --ring-pairs 0  (quick)
"""

import argparse

import _common
import numpy as np
from sklearn.decomposition import PCA
from sklearn.pipeline import Pipeline

from skdsa import DSA, DMDRegressor, HankelEmbedder
from skdsa.datasets import make_ring_attractor, random_observation
from skdsa.metrics import procrustes_vector_field_distance
from skdsa.preprocessing import SeriesTransformer


def rnn_operator(rank, rng, n_trials=20, n_timepoints=500):
    # 100 units (5 delays: ranks up to 500), more above: 1000 needs 200.
    n_units = max(100, -(-rank // 5))
    W = rng.normal(size=(n_units, n_units))
    W *= 1.2 / np.max(np.abs(np.linalg.eigvals(W)))
    X = np.empty((n_trials, n_timepoints, n_units))
    X[:, 0] = rng.normal(size=(n_trials, n_units))
    for t in range(n_timepoints - 1):
        X[:, t + 1] = np.tanh(X[:, t] @ W.T) + 0.05 * rng.normal(size=(n_trials, n_units))
    return DMDRegressor(rank=rank).fit(HankelEmbedder(5).fit_transform(X)).operator_


def ring_operators(n_operators, rank=150):
    """Full-rank operators of ring attractors seen through 100 noisy neurons.

    15 principal components with ``rank // 15`` delays: 10 delays for rank 150.
    """
    systems = [random_observation(make_ring_attractor(random_state=k), n_features=100,
                                  noise=0.01, random_state=100 + k)
               for k in range(n_operators)]
    model = Pipeline([("pca", SeriesTransformer(PCA(15))), ("hankel", HankelEmbedder(rank // 15)),
                      ("dmd", DMDRegressor(rank=rank))])
    return DSA(model=model, metric="wasserstein").fit(systems).operators_


def reference_cost(simdist, torch, A, B, repeats=1, **settings):
    times = []
    for _ in range(repeats):
        reference = simdist.SimilarityTransformDist(score_method="angular", **settings)
        seconds, _ = _common.timed(reference.fit_score, torch.tensor(A, dtype=torch.float32),
                                   torch.tensor(B, dtype=torch.float32))
        times.append(seconds)
    C, _ = _common.orthogonal_part(reference.C_star.double().numpy())
    return float(np.median(times)), _common.unit_cost(A, B, C)


def solve_pair(simdist, torch, A, B, repeats, long=True):
    times = []
    for _ in range(repeats):
        seconds, ours = _common.timed(procrustes_vector_field_distance, A, B,
                                      random_state=0, return_result=True)
        times.append(seconds)
    default_s, default_cost = reference_cost(simdist, torch, A, B, repeats)
    long_s, long_cost = (reference_cost(simdist, torch, A, B, iters=1500, lr=5e-3) if long
                         else (np.nan, np.nan))
    return {"skdsa_s": float(np.median(times)), "dsa_metric_default_s": default_s,
            "dsa_metric_1500_s": long_s, "skdsa_cost": ours.cost,
            "dsa_metric_default_cost": default_cost, "dsa_metric_1500_cost": long_cost,
            "certified": ours.certified}


def summarise(family, rank, rows):
    median = {key: float(np.median([r[key] for r in rows]))
              for key in ("skdsa_s", "dsa_metric_default_s", "dsa_metric_1500_s")}
    margins = [(r["dsa_metric_1500_cost"] - r["skdsa_cost"]) / r["dsa_metric_1500_cost"]
               for r in rows]
    return {
        "family": family, "rank": rank, "pairs": len(rows),
        "skdsa_s_per_pair": median["skdsa_s"],
        "dsa_metric_default_s": median["dsa_metric_default_s"],
        "dsa_metric_1500_s": median["dsa_metric_1500_s"],
        "speedup_vs_default": median["dsa_metric_default_s"] / median["skdsa_s"],
        "speedup_vs_1500": median["dsa_metric_1500_s"] / median["skdsa_s"],
        "cost_le_1500": (f"{sum(r['skdsa_cost'] <= r['dsa_metric_1500_cost'] for r in rows)}"
                         f"/{len(rows)}" if np.isfinite(margins).all() else "not run"),
        "cost_le_default": f"{sum(r['skdsa_cost'] <= r['dsa_metric_default_cost'] for r in rows)}"
                           f"/{len(rows)}",
        "median_margin_vs_1500": float(np.median(margins)),
        "worst_margin_vs_1500": float(np.min(margins)),
        "certified": float(np.mean([r["certified"] for r in rows]))}


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ranks", type=int, nargs="+",
                        default=[6, 10, 20, 30, 50, 75, 100, 150])
    parser.add_argument("--pairs", type=int, default=15, help="tanh-RNN pairs per rank")
    parser.add_argument("--ring-pairs", type=int, default=5, help="ring pairs per ring rank")
    parser.add_argument("--ring-ranks", type=int, nargs="+", default=[150],
                        help="ring ranks (15 components x rank/15 delays)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="timed runs of skdsa and of dsa-metric's default per pair")
    parser.add_argument("--no-long", action="store_true",
                        help="skip dsa-metric's 1500 iterations (hours at rank 1000)")
    parser.add_argument("--csv", default="benchmarks/results/large_rank.csv")
    args = parser.parse_args()
    torch, simdist = _common.load_dsa_metric()
    workloads = []
    for rank in args.ranks:
        rng = np.random.default_rng([2026, rank])
        workloads.append(("tanh RNN", rank,
                          [rnn_operator(rank, rng) for _ in range(2 * args.pairs)]))
    for rank in args.ring_ranks if args.ring_pairs else []:
        workloads.append(("ring, PCA 15", rank, ring_operators(2 * args.ring_pairs, rank)))
    rows, summary = [], []
    for family, rank, operators in workloads:
        mine = []
        for k in range(len(operators) // 2):
            row = {"family": family, "rank": rank, "pair": k,
                   **solve_pair(simdist, torch, operators[2 * k], operators[2 * k + 1],
                                args.repeats, long=not args.no_long)}
            mine.append(row)
            print(f"{family} rank {rank} pair {k}: {row['skdsa_s']:.3f} s, cost "
                  f"{row['skdsa_cost']:.5e} (dsa-metric {row['dsa_metric_default_s']:.3f} s "
                  f"{row['dsa_metric_default_cost']:.5e}; 1500 iters "
                  f"{row['dsa_metric_1500_s']:.2f} s {row['dsa_metric_1500_cost']:.5e})",
                  flush=True)
        rows += mine
        summary.append(summarise(family, rank, mine))
    print()
    print(_common.header("Procrustes at large operator rank: skdsa against dsa-metric"))
    _common.print_table(summary, list(summary[0]), {
        "skdsa_s_per_pair": "{:.3f}", "dsa_metric_default_s": "{:.3f}",
        "dsa_metric_1500_s": "{:.2f}", "speedup_vs_default": "{:.2f}x",
        "speedup_vs_1500": "{:.1f}x", "median_margin_vs_1500": "{:.1%}",
        "worst_margin_vs_1500": "{:.1%}", "certified": "{:.2f}"})
    _common.write_csv(rows, args.csv)


if __name__ == "__main__":
    main()
