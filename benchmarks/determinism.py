"""Are DSA distances functions of the two systems only? Spread under rounding-level changes.

For collections of noisy random-rate RNNs at several operator ranks, and with
``--koopstd`` for the 100 Lorenz clips of KoopSTD's setting (``lorenz.koopstd_clips``,
``n_delays=70``, rank 6: five regimes, near-identical systems within each), the DSA
matrix is computed once, then again (a) from the same operators perturbed by 1e-13 (relative)
and listed in a shuffled order, which also flips which operator of each pair the
solver takes first, (b) with 2 BLAS threads instead of 1 for the whole fit, and
(c) with ``n_jobs=2``. Reported: the largest change of any distance in each case,
and the seconds of run (b) with skdsa's one-BLAS-thread pinning of fits and
comparisons and without it (2 threads throughout), as their ratio.
No dsa-metric needed.

Also reported: how many distances moved by more than 1e-10 under (a), and the
distance of the pair that moved most (near 0 where nearly tied minima of
near-identical systems are resolved differently).

Run:  python benchmarks/determinism.py                 (ranks 6-100, about 10 minutes)
      python benchmarks/determinism.py --ranks 6 12    (quick)
      python benchmarks/determinism.py --ranks --koopstd   (the Lorenz clips alone)
"""

import argparse
import contextlib

import _common
import numpy as np
from lorenz import koopstd_clips
from threadpoolctl import threadpool_limits

import skdsa.comparison._dsa
import skdsa.metrics._pairwise
from skdsa import DSA
from skdsa.datasets import make_rnn, random_observation
from skdsa.metrics import ProcrustesVectorFieldMetric

# rank: (units, n_delays, systems)
SETTINGS = {6: (3, 2, 10), 12: (8, 4, 8), 20: (10, 2, 8), 50: (25, 2, 5), 100: (50, 2, 4)}


def collection(units, n_systems):
    return [random_observation(make_rnn(n_units=units, gain=1.2 + 0.3 * (i % 3), n_trials=6,
                                        n_timepoints=300, random_state=i), random_state=100 + i)
            for i in range(n_systems)]


def spread(case, systems, n_delays, rank):
    n_systems = len(systems)
    dsa = DSA(n_delays=n_delays, rank=rank, random_state=0)
    D = dsa.fit_transform(systems)
    rng = np.random.default_rng(rank)
    operators = [A + 1e-13 * np.abs(A).max() * rng.standard_normal(A.shape)
                 for A in dsa.operators_]
    order = rng.permutation(n_systems)
    back = np.argsort(order)
    perturbed = ProcrustesVectorFieldMetric(random_state=dsa._seed).pairwise(
        [operators[i] for i in order])[np.ix_(back, back)]
    with threadpool_limits(2, user_api="blas"):
        pinned_s, two_threads = _common.timed(
            DSA(n_delays=n_delays, rank=rank, random_state=0).fit_transform, systems)
        # What skdsa's one-BLAS-thread pinning costs: the same run with it switched off.
        with unpinned():
            unpinned_s, _ = _common.timed(
                DSA(n_delays=n_delays, rank=rank, random_state=0).fit_transform, systems)
    two_jobs = DSA(n_delays=n_delays, rank=rank, random_state=0, n_jobs=2).fit_transform(systems)
    change = np.abs(perturbed - D)
    return {"case": case, "rank": rank, "systems": n_systems,
            "pairs": n_systems * (n_systems - 1) // 2,
            "perturbed_and_shuffled": float(change.max()),
            "moved_above_1e-10": int(np.sum(np.triu(change, 1) > 1e-10)),
            "distance_moved_most": float(D.flat[np.argmax(change)]),
            "blas_2_threads": float(np.abs(two_threads - D).max()),
            "n_jobs_2": float(np.abs(two_jobs - D).max()),
            "median_distance": float(np.median(D[np.triu_indices(n_systems, 1)])),
            "seconds_pinned": pinned_s, "seconds_2_threads": unpinned_s,
            "pinned_over_2_threads": pinned_s / unpinned_s}


@contextlib.contextmanager
def unpinned():
    """skdsa without its one-BLAS-thread pinning (the behaviour before 2026-12-06)."""
    modules = [skdsa.metrics._pairwise, skdsa.comparison._dsa]
    saved = [module.one_blas_thread for module in modules]
    for module in modules:
        module.one_blas_thread = contextlib.nullcontext
    try:
        yield
    finally:
        for module, original in zip(modules, saved):
            module.one_blas_thread = original


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ranks", type=int, nargs="*", default=list(SETTINGS),
                        choices=list(SETTINGS))
    parser.add_argument("--koopstd", action="store_true",
                        help="also the 100 Lorenz clips of KoopSTD's setting at rank 6")
    parser.add_argument("--csv", default="benchmarks/results/determinism.csv")
    args = parser.parse_args()
    rows = []
    for rank in args.ranks:
        units, n_delays, n_systems = SETTINGS[rank]
        rows.append(spread("random RNNs", collection(units, n_systems), n_delays, rank))
        print(f"rank {rank}: done", flush=True)
    if args.koopstd:
        rows.append(spread("KoopSTD Lorenz clips", koopstd_clips(20)[0], 70, 6))
        print("KoopSTD: done", flush=True)
    print()
    print(_common.header("Largest change of a DSA distance under rounding-level changes"))
    _common.print_table(rows, list(rows[0]), {
        "perturbed_and_shuffled": "{:.1e}", "distance_moved_most": "{:.2e}",
        "blas_2_threads": "{:.1e}", "n_jobs_2": "{:.1e}",
        "median_distance": "{:.3f}", "seconds_pinned": "{:.2f}", "seconds_2_threads": "{:.2f}",
        "pinned_over_2_threads": "{:.2f}"})
    _common.write_csv(rows, args.csv)


if __name__ == "__main__":
    main()
