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

``--mixing``: the paper's noise test (``make_lorenz_mixing``) on all 42
ordered pairs of its seven Lorenz regimes: per epoch (noise 0.004, 0.002,
0.001; second pattern weighted 1, 0.5, 0.25), the distance between the two
noisy copies of a pattern (1 vs 2) and between a noisy copy and the copy with
the second pattern added (2 vs 3), averaged over the pairs (standard error
over the pairs); then, as in the paper's notebook, the R^2 of a straight line
through the three epochs' means and the gap between the first and last epoch.
DSA at the paper's setting and at ranks 30 and 70; the two baselines.

``--over-training``: the paper's correlation over training: the shipped
networks' checkpoints (every 50 steps of the composed task's training, 3
seeds), each paired with the same seed's master at the same fraction of
training (``pair_checkpoints_with_master``); the distance between the two
(hidden states on 32 test trials of the composed task; DSA as in ``--rnns``,
Procrustes, 1 - CKA) is regressed on the gap between their accuracies on the
composed task. Published: R^2 0.13 (p ~ 1e-47) for DSA, none for the baselines.

``--ssm`` (with ``--rnns`` or ``--over-training``): the same on the shipped
selective state-space models (``load_compositional_rnns(zoo="compositional_ssm")``),
the paper's Mamba comparison.

Run:  python benchmarks/compositional.py --subset     (~25 minutes on 2 cores)
      python benchmarks/compositional.py --mixing     (~10 minutes)
      python benchmarks/compositional.py --over-training   (~5 minutes)
      python benchmarks/compositional.py --rnns --ssm   (and --over-training --ssm)
      python benchmarks/compositional.py --quick      (all 60, paper setting only)
      python benchmarks/compositional.py --neighbours 0 1 --csv F   (all 60, two neighbours)
      python benchmarks/compositional.py --rnns       (~4 minutes)
      python benchmarks/compositional.py --rnns --units 128   (builds 128-unit networks first)
"""

import argparse
import warnings

import _common
import numpy as np
from scipy.stats import spearmanr
from sklearn.decomposition import PCA
from sklearn.pipeline import Pipeline

from skdsa import DSA, DMDRegressor, GeometricDistance, HankelEmbedder, NoiseModeWarning
from skdsa.datasets import (
    MIXING_PATTERNS,
    load_compositional_rnns,
    make_compositional_lorenz,
    make_lorenz_mixing,
    pair_checkpoints_with_master,
    shared_motifs,
)
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


def rnn_model(n_delays, rank):
    """The RNN comparisons' DSA model: 10 principal components, delays, DMD."""
    return Pipeline([("pca", SeriesTransformer(PCA(10, random_state=0))),
                     ("hankel", HankelEmbedder(n_delays)), ("dmd", DMDRegressor(rank=rank))])


def rnn_rows(path=None, zoo="compositional"):
    """Mean DSA distance to master per group at each setting; and, at the first
    setting and for the baselines, per number of sub-tasks pretrained (frozen)."""
    data = load_compositional_rnns(n_trials=32, path=path, zoo=zoo)
    states = {name: recording.states for name, recording in data.recordings.items()}
    networks = data.networks
    group = networks.group
    master = networks.index[group == "master"]
    n_pretrained = networks.pretrain.map(lambda tasks: len(str(tasks).split("+"))
                                         if tasks else 0)
    partial = networks.frozen.astype(bool) & (n_pretrained > 0)
    rows, count_rows = [], []

    def by_count(label, D):
        row = {"metric": label}
        for count in (1, 2, 3):
            chosen = networks.index[partial & (n_pretrained == count)]
            row[f"{count} sub-task{'s' * (count > 1)}"] = D.loc[chosen, master].to_numpy().mean()
        count_rows.append(row)

    for n_delays, rank in RNN_SETTINGS:
        seconds, D = _common.timed(DSA(model=rnn_model(n_delays, rank), n_jobs=2,
                                       random_state=0).fit_transform,
                                   states)
        row = {"DSA setting": f"{n_delays} delays, rank {rank}"}
        for label, members in RNN_GROUPS.items():
            row[label] = D.loc[group.isin(members).to_numpy(), master].to_numpy().mean()
        row["master seeds"] = D.loc[master, master].to_numpy()[~np.eye(len(master), dtype=bool)
                                                               ].mean()
        row["seconds"] = seconds
        rows.append(row)
        print(row, flush=True)
        if not count_rows:
            by_count(f"DSA, {n_delays} delays, rank {rank}", D)
    for metric, label in (("procrustes", "Procrustes (angular)"), ("cka", "1 - CKA")):
        by_count(label, GeometricDistance(metric, average_trials=False, n_jobs=2)
                 .fit_transform(states))
    return rows, count_rows


def over_training_rows(zoo="compositional"):
    from scipy.stats import linregress

    from skdsa.zoo import run_network

    data = load_compositional_rnns(n_trials=32, zoo=zoo)
    pairs = pair_checkpoints_with_master(data)
    inputs = next(iter(data.recordings.values())).inputs

    def states(name, step):
        return run_network(data.checkpoints[name][step], data.spec["architecture"], inputs)[0]

    n_delays, rank = RNN_SETTINGS[0]
    metrics = {"DSA": lambda: DSA(model=rnn_model(n_delays, rank), random_state=0),
               "Procrustes (angular)": lambda: GeometricDistance(average_trials=False),
               "1 - CKA": lambda: GeometricDistance(metric="cka", average_trials=False)}
    distances = {name: [] for name in metrics}
    for pair in pairs.itertuples():
        both = [states(pair.network, pair.step), states(pair.master, pair.master_step)]
        for name, make in metrics.items():
            distances[name].append(np.asarray(make().fit_transform(both))[0, 1])
    rows = []
    for name, values in distances.items():
        fit = linregress(pairs.accuracy_gap, values)
        rows.append({"metric": name, "pairs": len(pairs), "slope": fit.slope,
                     "R2": fit.rvalue**2, "p": fit.pvalue})
    return rows


def mixing_rows():
    metrics = {f"DSA {d}/{i}/rank {r}": lambda d=d, i=i, r=r: DSA(
        n_delays=d, delay_interval=i, rank=r, n_jobs=2, random_state=0)
        for d, i, r in (PAPER, (33, 6, 30), (33, 6, 70))}
    metrics["Procrustes (angular)"] = lambda: GeometricDistance(average_trials=False)
    metrics["1 - CKA"] = lambda: GeometricDistance(metric="cka", average_trials=False)
    pairs = [(a, b) for a in MIXING_PATTERNS for b in MIXING_PATTERNS if a != b]
    distances = {name: np.empty((len(pairs), 3, 2)) for name in metrics}  # pair, epoch, 1v2 / 2v3
    seconds = dict.fromkeys(metrics, 0.0)
    for index, (pattern, added) in enumerate(pairs):
        data = make_lorenz_mixing(pattern, added, random_state=index)
        for name, make in metrics.items():
            for epoch, models in enumerate(data.models):
                took, D = _common.timed(make().fit_transform, models)
                seconds[name] += took
                distances[name][index, epoch] = np.asarray(D)[[0, 1], [1, 2]]
    rows = []
    epochs = np.arange(1, 4)
    for name, values in distances.items():
        row = {"metric": name}
        for column, comparison in (("1 vs 2", 0), ("2 vs 3", 1)):
            means = values[:, :, comparison].mean(0)
            errors = values[:, :, comparison].std(0) / np.sqrt(len(pairs))
            fit = np.polyval(np.polyfit(epochs, means, 1), epochs)
            r2 = 1 - np.sum((means - fit) ** 2) / np.sum((means - means.mean()) ** 2)
            row[f"{column}: epochs 1 / 2 / 3"] = " / ".join(
                f"{m:.3f}+-{e:.3f}" for m, e in zip(means, errors))
            row[f"{column}: R2"] = r2
            row[f"{column}: gap"] = abs(means[-1] - means[0])
        row["seconds"] = seconds[name]
        rows.append(row)
        print(row, flush=True)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="DSA at the paper's setting only")
    parser.add_argument("--neighbours", type=int, nargs="*", default=None,
                        help="DSA at these neighbours only (indices into NEIGHBOURS)")
    parser.add_argument("--rnns", action="store_true",
                        help="the pretrained networks instead of the Lorenz motifs")
    parser.add_argument("--units", type=int, default=None,
                        help="with --rnns: networks of this many units, built on first use "
                             "into skdsa-zoo-compositional-<units>.npz in the current folder")
    parser.add_argument("--over-training", action="store_true",
                        help="distance to master against the accuracy gap over training")
    parser.add_argument("--ssm", action="store_true",
                        help="with --rnns or --over-training: the selective state-space "
                             "models instead of the RNNs")
    parser.add_argument("--mixing", action="store_true",
                        help="the noise test: a second pattern added with decreasing weight")
    parser.add_argument("--subset", action="store_true",
                        help="the gallery example's 24 triples instead of all 60")
    parser.add_argument("--csv", default=None, help="default: benchmarks/results/"
                        "compositional.csv, compositional_subset.csv with --subset")
    args = parser.parse_args()
    warnings.simplefilter("ignore", NoiseModeWarning)
    zoo = "compositional_ssm" if args.ssm else "compositional"
    suffix = "_ssm" if args.ssm else ""
    if args.rnns:
        path = None
        if args.units:
            from pathlib import Path

            from skdsa.zoo import CompositionalSpec, build_compositional_zoo

            path = Path(f"skdsa-zoo-compositional-{args.units}.npz")
            if not path.exists():
                build_compositional_zoo(path, CompositionalSpec(n_units=args.units))
        rows, count_rows = rnn_rows(path, zoo)
        print(_common.header(f"Compositional {'SSMs' if args.ssm else 'RNNs'}: mean DSA "
                             "distance to master"
                             + (f" ({args.units} units)" if args.units else "")))
        columns = list(rows[0])
        _common.print_table(rows, columns, {c: "{:.3f}" for c in columns[1:-1]}
                            | {"seconds": "{:.0f}"})
        print("\nMean distance to master of the frozen networks pretrained on 1, 2, 3 "
              "sub-tasks:")
        _common.print_table(count_rows, list(count_rows[0]),
                            dict.fromkeys(list(count_rows[0])[1:], "{:.3f}"))
        _common.write_csv(rows, args.csv or "benchmarks/results/compositional_rnns"
                          f"{f'_{args.units}' if args.units else ''}{suffix}.csv")
        return
    if args.over_training:
        rows = over_training_rows(zoo)
        print(_common.header(f"Compositional {'SSMs' if args.ssm else 'RNNs'} over training: "
                             "distance to master against the accuracy gap"))
        _common.print_table(rows, list(rows[0]), {"slope": "{:.3f}", "R2": "{:.3f}",
                                                  "p": "{:.1e}"})
        _common.write_csv(rows, args.csv or "benchmarks/results/compositional_over_training"
                          f"{suffix}.csv")
        return
    if args.mixing:
        rows = mixing_rows()
        print(_common.header("Compositional noise test: 42 ordered pairs of Lorenz regimes"))
        columns = list(rows[0])
        _common.print_table(rows, columns, {c: "{:.3f}" for c in columns if "R2" in c
                                            or "gap" in c} | {"seconds": "{:.0f}"})
        _common.write_csv(rows, args.csv or "benchmarks/results/compositional_mixing.csv")
        return
    args.csv = args.csv or ("benchmarks/results/compositional"
                            f"{'_subset' if args.subset else ''}.csv")
    data = make_compositional_lorenz(motif_sets=SUBSET if args.subset else None,
                                     random_state=0)
    shared = shared_motifs(data.blocks)
    rows = []
    settings = (PAPER,) + (() if args.quick else NEIGHBOURS)
    if args.neighbours is not None:
        settings = tuple(NEIGHBOURS[i] for i in args.neighbours)
    for n_delays, interval, rank in settings:
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
