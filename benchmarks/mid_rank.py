"""The Procrustes search at ranks 45-129: time, and how often it finds the best minimum known.

Three families of unrelated operator pairs, one thread:

- "zoo": the population of ``population.py`` (the shipped zoos' networks on trial
  sets, 64 hidden units), operators of ``DSA(n_delays=5, rank=r)``, random pairs
  of the first 315 systems;
- "tanh RNN" and "ring, PCA 15": the families of ``large_rank.py`` (ring
  operators at full rank ``15 * (r // 15)``).

Each pair is compared by ``compare_many`` (all pairs of a family at once, as a
chunk of ``pairwise``) with ``random_state=0``: at the defaults, with
``n_init=16`` (38 starts) to find lower minima, and with ``--previous PATH`` (a
checkout of an earlier skdsa, ``git worktree add``) at that version's defaults,
in a subprocess. The best minimum known of a pair is the lowest cost
``||A/|A| - C B/|B| C^T||^2`` any of these reached; reported: milliseconds per
pair, the pairs within 1e-6 (relative) of the best known, the worst relative
excess, and the pairs where the defaults end higher or lower than the previous
version's.

Run:  python benchmarks/mid_rank.py --previous /tmp/skdsa-a359031   (about 15 minutes)
"""

import argparse
import warnings

import _common
import numpy as np
from large_rank import ring_operators, rnn_operator
from population import population

from skdsa import DSA
from skdsa.metrics._prepared import prepare_operator
from skdsa.metrics._procrustes import compare_many

# Run by --previous in a subprocess whose skdsa is the earlier checkout.
PREVIOUS_COSTS = """
import json, os, sys, time, numpy as np
import skdsa
assert skdsa.__file__.startswith(os.environ["PYTHONPATH"]), skdsa.__file__
from skdsa.metrics._prepared import prepare_operator
from skdsa.metrics._procrustes import compare_many
pairs = np.load(sys.argv[1])
prepared = [(prepare_operator(A), prepare_operator(B)) for A, B in zip(pairs["A"], pairs["B"])]
start = time.perf_counter()
costs = [result.cost for result in compare_many(prepared, random_state=0)]
json.dump({"seconds": time.perf_counter() - start, "costs": costs}, open(sys.argv[2], "w"))
"""


def operator_pairs(family, rank, n_pairs, rng):
    if family == "zoo":
        systems, _ = population(315)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # noise modes at these ranks: the point here
            operators = DSA(n_delays=5, rank=rank).fit(systems).operators_
        index = rng.choice(len(operators), size=(2 * n_pairs, 2))
        index = index[index[:, 0] != index[:, 1]][:n_pairs]
    elif family == "tanh RNN":
        operators = [rnn_operator(rank, rng) for _ in range(2 * n_pairs)]
        index = np.arange(2 * n_pairs).reshape(-1, 2)
    else:
        operators = ring_operators(2 * n_pairs, rank)
        index = np.arange(2 * n_pairs).reshape(-1, 2)
    return [(operators[i], operators[j]) for i, j in index]


def skdsa_costs(pairs, n_init="auto"):
    prepared = [(prepare_operator(A), prepare_operator(B)) for A, B in pairs]
    seconds, results = _common.timed(compare_many, prepared, n_init=n_init, random_state=0)
    return seconds, np.array([result.cost for result in results])


def previous_costs(path, pairs):
    found = _common.run_with_checkout(path, PREVIOUS_COSTS, A=[A for A, _ in pairs],
                                      B=[B for _, B in pairs])
    return found["seconds"], np.array(found["costs"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="+", default=[
        "zoo:50:100", "tanh RNN:60:15", "ring:45:15", "ring:60:15", "zoo:100:24",
        "tanh RNN:105:10", "ring:105:10"], help="family:rank:pairs")
    parser.add_argument("--previous", default=None, help="checkout of an earlier skdsa")
    parser.add_argument("--csv", default="benchmarks/results/mid_rank.csv")
    args = parser.parse_args()
    print(_common.header("Procrustes search at ranks 45-129"))
    rows = []
    for case in args.cases:
        family, rank, n_pairs = case.split(":")
        pairs = operator_pairs(family, int(rank), int(n_pairs),
                               np.random.default_rng([7, int(rank)]))
        runs = {"defaults": skdsa_costs(pairs), "n_init=16": skdsa_costs(pairs, n_init=16)}
        if args.previous:
            runs["previous"] = previous_costs(args.previous, pairs)
        best = np.min([costs for _, costs in runs.values()], axis=0)
        for name, (seconds, costs) in runs.items():
            excess = (costs - best) / best
            row = {"family": family, "rank": int(rank), "pairs": len(pairs), "search": name,
                   "ms_per_pair": 1e3 * seconds / len(pairs),
                   "at_best_known": f"{int(np.sum(excess <= 1e-6))}/{len(pairs)}",
                   "worst_excess": float(excess.max()),
                   "higher_than_previous": "", "lower_than_previous": ""}
            if "previous" in runs and name == "defaults":
                change = (costs - runs["previous"][1]) / runs["previous"][1]
                row["higher_than_previous"] = int(np.sum(change > 1e-6))
                row["lower_than_previous"] = int(np.sum(change < -1e-6))
            rows.append(row)
            print(row, flush=True)
    columns = ["family", "rank", "pairs", "search", "ms_per_pair", "at_best_known",
               "worst_excess", "higher_than_previous", "lower_than_previous"]
    _common.print_table(rows, columns, {"ms_per_pair": "{:.0f}", "worst_excess": "{:.1e}"})
    _common.write_csv(rows, args.csv)


if __name__ == "__main__":
    main()
