"""Workload 1: the Procrustes solver alone, skdsa against dsa-metric.

Same operator pairs for both tools: conjugate pairs B = Q A Q^T (true distance 0,
det Q = +1 and -1) and unrelated pairs (DMD operators of two different simulated
systems). Reports time per pair (skdsa: median of --repeats runs; dsa-metric: one
run), achieved cost ||A/|A| - C B/|B| C^T||^2 and angle for each tool (dsa-metric's
float32 C projected onto O(n), see _common.orthogonal_part), and their ratios.

Run:  python benchmarks/solver.py                       (full: n = 5 ... 100)
      python benchmarks/solver.py --sizes 5 10 --pairs 1  (quick)
"""

import argparse

import _common  # noqa: F401  (pins threads first)
import numpy as np

from skdsa import DMDRegressor, HankelEmbedder
from skdsa.metrics import procrustes_vector_field_distance
from skdsa.metrics._bounds import chord_to_angle
from skdsa.metrics._orthogonal import random_orthogonal


def dmd_operator(n, rng):
    """Rank-n DMD operator of a noisy random linear system seen through 5 features."""
    latent = max(n, 6)
    M = rng.normal(size=(latent, latent))
    M *= 0.97 / np.max(np.abs(np.linalg.eigvals(M)))
    X = np.empty((4, 400, latent))
    X[:, 0] = rng.normal(size=(4, latent))
    for t in range(399):
        X[:, t + 1] = X[:, t] @ M.T + 0.1 * rng.normal(size=(4, latent))
    H = HankelEmbedder(n_delays=-(-n // 5) + 1).fit_transform(X[:, :, :5])
    return DMDRegressor(rank=n).fit(H).operator_


def make_pairs(n, n_pairs, rng):
    pairs = []
    for k in range(n_pairs):
        A = dmd_operator(n, rng)
        for det in (1, -1):
            Q = random_orthogonal(n, rng, det=det)
            pairs.append((f"conjugate det{det:+d}", A, Q @ A @ Q.T))
        pairs.append(("unrelated", A, dmd_operator(n, rng)))
    return pairs


def angle(A, B, C):
    return chord_to_angle(np.sqrt(_common.unit_cost(A, B, C)))


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 10, 20, 50, 100])
    parser.add_argument("--pairs", type=int, default=2,
                        help="operators per size; each gives 2 conjugate + 1 unrelated pair")
    parser.add_argument("--iters", type=int, default=1500, help="dsa-metric Adam iterations")
    parser.add_argument("--lr", type=float, default=5e-3, help="dsa-metric learning rate")
    parser.add_argument("--repeats", type=int, default=3,
                        help="skdsa timings per pair (median); dsa-metric runs once, as its "
                             "1500 fixed iterations take 2-13 s")
    parser.add_argument("--csv", default="benchmarks/results/solver.csv")
    args = parser.parse_args()
    torch, simdist = _common.load_dsa_metric()
    rng = np.random.default_rng(0)
    rows = []
    for n in args.sizes:
        for kind, A, B in make_pairs(n, args.pairs, rng):
            runs = [_common.timed(procrustes_vector_field_distance, A, B, random_state=0,
                                  return_result=True) for _ in range(args.repeats)]
            ours_time, ours = float(np.median([t for t, _ in runs])), runs[0][1]
            reference = simdist.SimilarityTransformDist(iters=args.iters, lr=args.lr,
                                                        score_method="angular")
            theirs_time, _ = _common.timed(reference.fit_score,
                                           torch.tensor(A, dtype=torch.float32),
                                           torch.tensor(B, dtype=torch.float32))
            C_ref, orthogonality_error = _common.orthogonal_part(
                reference.C_star.double().numpy())
            rows.append({
                "n": n, "pair": kind,
                "skdsa_s": ours_time, "dsa_metric_s": theirs_time,
                "speedup": theirs_time / ours_time,
                "skdsa_cost": _common.unit_cost(A, B, ours.C),
                "dsa_metric_cost": _common.unit_cost(A, B, C_ref),
                "skdsa_angle": ours.score, "dsa_metric_angle": angle(A, B, C_ref),
                "skdsa_lower_bound": ours.lower_bound, "certified": ours.certified,
                "dsa_metric_orth_err": orthogonality_error,
            })
            row = rows[-1]
            row["cost_le_theirs"] = row["skdsa_cost"] <= row["dsa_metric_cost"] + 1e-12
            print(f"n={n} {kind}: {ours_time:.3f} s vs {theirs_time:.3f} s", flush=True)
    print()
    print(_common.header("Solver: skdsa vs dsa-metric "
                         f"(SimilarityTransformDist iters={args.iters}, lr={args.lr})"))
    _common.print_table(rows, list(rows[0]), {
        "skdsa_s": "{:.4f}", "dsa_metric_s": "{:.3f}", "speedup": "{:.1f}x",
        "skdsa_cost": "{:.2e}", "dsa_metric_cost": "{:.2e}", "skdsa_angle": "{:.2e}",
        "dsa_metric_angle": "{:.2e}", "skdsa_lower_bound": "{:.2e}",
        "dsa_metric_orth_err": "{:.1e}"})
    _common.write_csv(rows, args.csv)


if __name__ == "__main__":
    main()
