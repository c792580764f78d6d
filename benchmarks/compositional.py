"""Compositional dynamics (Guilhot et al. 2024): Lorenz motifs and pretrained networks.

Lorenz motifs (default): distance against shared motifs.

The paper's attractor test: the five motifs of ``make_lorenz_motifs`` (200
trials of 200 steps) joined into all 60 ordered triples; for every pair of
triples, the number of motifs they share (1, 2 or 3). Reported per metric: the
mean distance of the pairs sharing 1, 2 and 3 motifs, the ratio 3-shared /
1-shared (how far the distance falls when every motif is shared), and the
Spearman correlation of distance with the number shared over all 1,770 pairs.

Metrics: DSA (angular) at the paper's setting (33 delays, interval 6, rank 50)
and its neighbours (the paper's earlier 17 delays / interval 11, at rank 45
since rank 50 exceeds that embedding, and ranks 30 and 70 at 33 / 6); the
baselines of the paper, angular Procrustes shape distance and 1 - linear CKA,
on all trials' states stacked (the trials of two systems are matched: trial i
of every triple joins trial i of the motifs).
Published (DSA, 33 / 6 / 50): 0.77 / 0.63 / 0.36 for 1 / 2 / 3 shared.

``--subset`` keeps the 24 triples of the gallery example (every ordering of
four motif sets; 276 pairs).

``--rnns``: the networks of ``load_compositional_rnns`` (32 trials of the
composed task), DSA with the gallery example's model (10 principal components,
10 delays, rank 30) and its neighbours (ranks 20 and 50, 5 and 20 delays).
Reported per setting: the mean DSA distance to the master networks of the
untrained, master-frozen, partially pretrained (one or two sub-tasks, frozen),
fully pretrained (frozen, unfrozen) groups, and between master seeds.

Run:  python benchmarks/compositional.py --subset     (~25 minutes on 2 cores)
      python benchmarks/compositional.py --quick      (all 60, paper setting only)
      python benchmarks/compositional.py --rnns       (~4 minutes)
"""

import argparse
import warnings

import _common
import numpy as np
from scipy.stats import spearmanr
from sklearn.decomposition import PCA
from sklearn.pipeline import Pipeline

from skdsa import DSA, DMDRegressor, GeometricDistance, HankelEmbedder, NoiseModeWarning
from skdsa.datasets import load_compositional_rnns, make_compositional_lorenz, shared_motifs
from skdsa.preprocessing import SeriesTransformer

PAPER = (33, 6, 50)
SUBSET = [{"line", "curve", "pattern1"}, {"line", "curve", "pattern2"},
          {"line", "pattern1", "line_curve_line_curve"},
          {"curve", "pattern2", "line_curve_line_curve"}]
# The paper's earlier 17 / 11 / 50 cannot be fitted: 17 delays of 3 features span
# 51 dimensions (48 numerically), so its rank is capped at 45 here.
NEIGHBOURS = ((17, 11, 45), (33, 6, 30), (33, 6, 70))


COLUMNS = ["metric", "1 shared", "2 shared", "3 shared", "3 / 1", "Spearman", "seconds"]


def summary(label, D, shared, seconds):
    pairs = np.triu_indices(len(D), 1)
    d, s = D[pairs], shared[pairs]
    means = [d[s == k].mean() for k in (1, 2, 3)]
    values = [label, *means, means[2] / means[0], spearmanr(d, s).statistic, seconds]
    return dict(zip(COLUMNS, values))


RNN_SETTINGS = ((10, 30), (10, 20), (10, 50), (5, 30), (20, 30))
RNN_GROUPS = {"untrained": ["untrained"], "master frozen": ["master_frozen"],
              "partial (1-2 sub-tasks)": [
                  f"pretrain_{names}_frozen" for names in (
                      "basic", "anti", "delay", "basic_anti", "basic_delay", "anti_delay")],
              "full, frozen": ["pretrain_frozen"], "full, unfrozen": ["pretrain_unfrozen"]}


def rnn_rows():
    data = load_compositional_rnns(n_trials=32)
    states = {name: recording.states for name, recording in data.recordings.items()}
    group = data.networks.group
    master = data.networks.index[group == "master"]
    rows = []
    for n_delays, rank in RNN_SETTINGS:
        model = Pipeline([("pca", SeriesTransformer(PCA(10, random_state=0))),
                          ("hankel", HankelEmbedder(n_delays)), ("dmd", DMDRegressor(rank=rank))])
        seconds, D = _common.timed(DSA(model=model, n_jobs=2, random_state=0).fit_transform,
                                   states)
        row = {"DSA setting": f"{n_delays} delays, rank {rank}"}
        for label, members in RNN_GROUPS.items():
            row[label] = D.loc[group.isin(members).to_numpy(), master].to_numpy().mean()
        row["master seeds"] = D.loc[master, master].to_numpy()[~np.eye(len(master), dtype=bool)
                                                               ].mean()
        row["seconds"] = seconds
        rows.append(row)
        print(row, flush=True)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="DSA at the paper's setting only")
    parser.add_argument("--rnns", action="store_true",
                        help="the pretrained networks instead of the Lorenz motifs")
    parser.add_argument("--subset", action="store_true",
                        help="the gallery example's 24 triples instead of all 60")
    parser.add_argument("--csv", default=None, help="default: benchmarks/results/"
                        "compositional.csv, compositional_subset.csv with --subset")
    args = parser.parse_args()
    warnings.simplefilter("ignore", NoiseModeWarning)
    if args.rnns:
        rows = rnn_rows()
        print(_common.header("Compositional RNNs: mean DSA distance to master"))
        columns = list(rows[0])
        _common.print_table(rows, columns, {c: "{:.3f}" for c in columns[1:-1]}
                            | {"seconds": "{:.0f}"})
        _common.write_csv(rows, args.csv or "benchmarks/results/compositional_rnns.csv")
        return
    args.csv = args.csv or ("benchmarks/results/compositional"
                            f"{'_subset' if args.subset else ''}.csv")
    data = make_compositional_lorenz(motif_sets=SUBSET if args.subset else None,
                                     random_state=0)
    shared = shared_motifs(data.blocks)
    rows = []
    for n_delays, interval, rank in (PAPER,) + (() if args.quick else NEIGHBOURS):
        dsa = DSA(n_delays=n_delays, delay_interval=interval, rank=rank, n_jobs=2,
                  random_state=0)
        seconds, D = _common.timed(dsa.fit_transform, data.systems)
        rows.append(summary(f"DSA {n_delays}/{interval}/rank {rank}", np.asarray(D), shared,
                            seconds))
        print(rows[-1], flush=True)
    for metric, label in (("procrustes", "Procrustes (angular)"), ("cka", "1 - CKA")):
        geometry = GeometricDistance(metric=metric, average_trials=False, n_jobs=2)
        seconds, D = _common.timed(geometry.fit_transform, data.systems)
        rows.append(summary(label, np.asarray(D), shared, seconds))
    print(_common.header(f"Compositional Lorenz attractors, {len(data.systems)} triples"))
    _common.print_table(rows, COLUMNS, {c: "{:.3f}" for c in COLUMNS[1:-1]}
                        | {"seconds": "{:.0f}"})
    _common.write_csv(rows, args.csv)


if __name__ == "__main__":
    main()
