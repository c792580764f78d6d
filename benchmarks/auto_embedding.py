"""DSA with n_delays="auto" and rank="auto" against today's defaults and a grid oracle.

Known-answer collections (each system in its own random coordinates, several draws
per group); reported per case: the silhouette of the true groups under the
defaults (``n_delays=1, rank=None``), under the automatic choice, and under the
best setting of a grid (the oracle: n_delays 1, 2, 4, 8, 16 x rank None, "auto",
2, 4, 8, 16; the defaults are in it), and under three other rules: the automatic
delays with the rank chosen by the same cross-validated forecast skill
(``choose_rank``, "auto_cv_rank"), fastDSA's delay and rank rule and dsa-metric's
AIC sweep (both rebuilt from their code's description, see ``fastdsa_rule`` and
``aic_rule``); the settings chosen, and the seconds of each choice against those
of the pairwise comparisons that follow it (``fit_s`` includes the automatic
choice and the model fits). None of these collections is a paper's exact
setting: they are small versions, named for what they are.

``--criteria``: for every setting of the grid, the silhouette beside two
label-free criteria one could choose by, split-half statistics of the distances
themselves (each system's even and odd trials as two systems): the
discriminability (how often a half is nearer its own other half than another
system's) and the reliability (Spearman correlation of the even halves' distance
matrix with the odd halves'); and the silhouette at the setting each criterion
would pick.

``--held-out``: the oracle chosen on other draws. The best of 30 settings on the
draws it is scored on profits from their noise; here each case is drawn again
(draws 3-5, the ring against the line 4-7, the zoo's networks of seeds 1 and 2),
the grid's best setting on those draws is scored on the usual ones, beside the
in-sample oracle, the defaults and the automatic choice.

``--dimensions``: the rank each rule chooses for collections of known latent
dimension (linear systems of order 4, 8 and 12, a ring attractor, Lorenz-63),
each seen through 50 noisy channels.

Run:  python benchmarks/auto_embedding.py            (about 20 minutes on 2 cores)
      python benchmarks/auto_embedding.py --dimensions   (the dimension-recovery table)
      python benchmarks/auto_embedding.py --criteria   (label-free criteria, 16 minutes)
      python benchmarks/auto_embedding.py --held-out   (the oracle chosen on other draws)
      python benchmarks/auto_embedding.py --cases spirals ring_line   (quick)
"""

import argparse
import itertools
import time
import warnings

import _common
import numpy as np
from scipy.stats import spearmanr
from sklearn.base import clone
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score

from skdsa import DSA, DMDRegressor, HankelEmbedder
from skdsa.comparison._embedding_choice import choose_n_delays, choose_rank
from skdsa.datasets import (
    load_rnn_zoo,
    make_fig3_trio,
    make_line_attractor,
    make_lorenz,
    make_ring_attractor,
    make_rnn,
    make_stable_spiral,
    random_observation,
)
from skdsa.dmd._rank import optimal_hard_threshold_rank

GRID_DELAYS = (1, 2, 4, 8, 16)
GRID_RANKS = (None, "auto", 2, 4, 8, 16)


def fig3_trio(draws=range(3)):
    """The Fig. 3 trio (saddle, line and point attractors), 3 draws, 20 trials each."""
    systems, labels = {}, []
    for k in draws:
        for name, recording in make_fig3_trio(n_trials=20, random_state=k).items():
            systems[f"{name} #{k}"] = random_observation(recording.states, random_state=k)
            labels.append(name)
    return systems, labels


def spirals(draws=range(3)):
    """Damped oscillators of 3 frequencies, one noisy channel of two: delays needed."""
    systems, labels = {}, []
    for k in draws:
        for f in (0.5, 1.0, 2.0):
            X = make_stable_spiral(frequency=f, n_trials=10, random_state=10 * k + int(4 * f))
            noise = 0.02 * np.random.default_rng(k).normal(size=X[..., :1].shape)
            systems[f"f={f} #{k}"] = X[..., :1] + noise
            labels.append(f)
    return systems, labels


def lorenz(draws=range(3)):
    """Lorenz-63 at rho 15 (fixed points), 28 (chaos) and 100 (periodic), 3 draws each."""
    systems, labels = {}, []
    for k in draws:
        for rho in (15.0, 28.0, 100.0):
            X = make_lorenz(rho=rho, n_trials=5, n_timepoints=500, random_state=k)
            systems[f"rho={rho} #{k}"] = random_observation(X, noise=0.05, random_state=k)
            labels.append(rho)
    return systems, labels


def ring_line(draws=range(4)):
    """A ring attractor against a line attractor, 4 draws each."""
    systems, labels = {}, []
    for k in draws:
        for name, make in (("ring", make_ring_attractor), ("line", make_line_attractor)):
            systems[f"{name} #{k}"] = random_observation(make(random_state=k), random_state=k)
            labels.append(name)
    return systems, labels


def rnn_gains(draws=range(3)):
    """Random rate networks of gains 0.8, 1.5 and 2.5 (10 units), 3 draws each."""
    systems, labels = {}, []
    for k in draws:
        for gain in (0.8, 1.5, 2.5):
            X = make_rnn(n_units=10, gain=gain, n_trials=5, n_timepoints=300,
                         random_state=10 * k + int(gain * 10))
            systems[f"gain={gain} #{k}"] = random_observation(X, random_state=k)
            labels.append(gain)
    return systems, labels


def zoo_tasks(draws=range(1)):
    """The universality zoo's trained networks of seed 0, grouped by task, each network's
    hidden states projected beforehand on their 8 leading principal components
    (``draws``: the seeds of the networks)."""
    zoo = load_rnn_zoo(seeds=list(draws), n_trials=16)
    systems = {}
    for name, recording in zoo.recordings.items():
        X = recording.states
        pca = PCA(8, random_state=0).fit(X.reshape(-1, X.shape[-1]))
        systems[name] = pca.transform(X.reshape(-1, X.shape[-1])).reshape(*X.shape[:2], 8)
    return systems, list(zoo.networks.task)


def fastdsa_rule(systems, q_min=20):
    """fastDSA's choice (CMC-lab/fastDSA, ``q_star.py``), rebuilt from its description.

    Per system, one representative signal: every channel of every trial
    z-scored along time and averaged, then standardised. A pilot window ``q0 =
    clip(max(q_min, ceil(2 tau_int), the dominant period if its periodogram peak
    is 8x the median, ceil(2 N^(1/3))), q_min, (N + 1) // 2)`` (``tau_int``: the
    integrated autocorrelation time up to its first non-positive lag, at most a
    quarter of ``N``); the Gavish-Donoho rank ``r0`` of that signal's Hankel
    matrix at ``q0`` (first 70% of its columns); ``q* = min(ceil(q0 (1 + (r0 /
    q0)^2)), (N + 1) // 2)`` delays; the rank: the Gavish-Donoho rank of the full
    delay embedding at ``q*``, at most ``q*``. The collection takes the largest
    of both over its systems (fastDSA's default ``"max"`` strategies).
    """
    delays, ranks = [], []
    for X in systems.values():
        X = np.asarray(X, dtype=float)
        flat = np.moveaxis(X, 1, 0).reshape(X.shape[1], -1)
        flat = (flat - flat.mean(axis=0)) / (flat.std(axis=0) + 1e-12)
        z = flat.mean(axis=1)
        z = (z - z.mean()) / (z.std() or 1.0)
        N = len(z)
        q_geom = (N + 1) // 2
        acf = np.correlate(z, z, mode="full")[N - 1:] / (z @ z)  # z has mean 0
        acf = acf[:max(8, min(N // 4, N - 1, q_geom)) + 1]
        first = np.flatnonzero(acf[1:] <= 0)
        k0 = first[0] + 1 if len(first) else len(acf)
        q_acf = int(np.ceil(2 * (1 + 2 * np.sum(np.maximum(acf[1:k0], 0)))))
        power = np.abs(np.fft.rfft(z * np.hanning(N))) ** 2
        k = np.arange(len(power))
        valid = (k >= 3) & (k <= N // 8)
        q_period = 0
        if valid.any():
            peak = k[valid][np.argmax(power[valid])]
            if power[peak] >= 8 * np.median(power[valid]) and N / peak <= q_geom:
                q_period = int(np.ceil(N / peak))
        q_low = min(q_min, q_geom)
        q0 = int(np.clip(max(q_low, q_acf, q_period, int(np.ceil(2 * N ** (1 / 3)))),
                         q_low, q_geom))
        pilot = np.array([z[i:i + N - q0] for i in range(q0)])
        pilot = pilot[:, :max(2, int(0.7 * pilot.shape[1]))]
        s = np.linalg.svd(pilot, compute_uv=False)
        r0 = optimal_hard_threshold_rank(s, pilot.shape)
        q_star = min(int(np.ceil(q0 * (1 + (r0 / q0) ** 2))), q_geom)
        H = np.asarray(HankelEmbedder(q_star).fit_transform(X))
        H = H.reshape(-1, H.shape[-1])
        s = np.linalg.svd(H, compute_uv=False)
        delays.append(q_star)
        ranks.append(min(optimal_hard_threshold_rank(s, H.shape), q_star, len(s)))
    return max(delays), max(ranks)


def aic_rule(systems, delays=GRID_DELAYS, ranks=(2, 4, 8, 16, 32), reseed=5):
    """dsa-metric's sweep (``DSA/sweeps.py``, ``stats.py``), rebuilt from its description,
    with one common choice: the (n_delays, rank) of least AIC summed over the systems.

    Per system, the first 80% of the trials train a Hankel DMD, the rest are
    forecast from the true state re-seeded every ``reseed`` steps (1 to
    ``reseed`` steps ahead), and ``AIC = log(SSE / N) + 2 (rank^2 + 1) / N`` over
    the ``N`` forecast values of the raw features.
    """
    best, choice = np.inf, None
    for n_delays in delays:
        for rank in ranks:
            total = 0.0
            for X in systems.values():
                X = np.asarray(X, dtype=float)
                cut = max(1, int(0.8 * len(X)))
                train, test = X[:cut], X[cut:] if cut < len(X) else X[-1:]
                try:
                    hankel = HankelEmbedder(n_delays).fit(train)
                    dmd = DMDRegressor(rank=rank).fit(hankel.transform(train))
                except ValueError:  # rank above the embedding
                    total = np.inf
                    break
                Z = np.asarray(hankel.transform(test))
                n = X.shape[2]
                errors = []
                for step in range(1, reseed + 1):
                    forecast = np.asarray(dmd.predict(Z, n_steps=step))
                    errors.append(((forecast[:, :-step, :n] - Z[:, step:, :n]) ** 2).ravel())
                errors = np.concatenate(errors)
                N = errors.size
                total += np.log(errors.sum() / N) + 2 * (rank * rank + 1) / N
            if total < best:
                best, choice = total, (n_delays, rank)
    return choice


CASES = {"fig3_trio": fig3_trio, "spirals": spirals, "lorenz": lorenz,
         "ring_line": ring_line, "rnn_gains": rnn_gains, "zoo_tasks": zoo_tasks}


def damped_oscillators(order, random_state):
    """A linear system of ``order`` states (order / 2 damped rotations of random
    frequency and decay), 20 trials of 200 steps from random states, small process noise."""
    rng = np.random.default_rng(random_state)
    blocks = []
    for _ in range(order // 2):
        angle, decay = rng.uniform(0.05, 0.5), rng.uniform(0.97, 0.995)
        blocks.append(decay * np.array([[np.cos(angle), -np.sin(angle)],
                                        [np.sin(angle), np.cos(angle)]]))
    A = np.zeros((order, order))
    for k, block in enumerate(blocks):
        A[2 * k:2 * k + 2, 2 * k:2 * k + 2] = block
    X = np.empty((20, 200, order))
    X[:, 0] = rng.normal(size=(20, order))
    for t in range(1, 200):
        X[:, t] = X[:, t - 1] @ A.T + 0.01 * rng.normal(size=(20, order))
    return X


# Systems of known latent dimension, each seen through 50 noisy channels (3 draws),
# at two levels of observation noise (relative to the data's standard deviation).
DIMENSION_NOISE = (0.1, 1.0)
DIMENSION_CASES = {
    "linear, order 4": (4, lambda k: damped_oscillators(4, k)),
    "linear, order 8": (8, lambda k: damped_oscillators(8, k)),
    "linear, order 12": (12, lambda k: damped_oscillators(12, k)),
    "ring attractor": (2, lambda k: make_ring_attractor(random_state=k)),
    "Lorenz-63": (3, lambda k: make_lorenz(n_trials=5, n_timepoints=500, random_state=k)),
}


def dimension_rows():
    """The rank each rule chooses for collections of known latent dimension."""
    rows = []
    for (name, (true, make)), noise in itertools.product(DIMENSION_CASES.items(),
                                                         DIMENSION_NOISE):
        systems = {f"#{k}": random_observation(make(k), n_features=50, noise=noise,
                                               random_state=k) for k in range(3)}
        recordings = list(systems.values())
        gavish_donoho = max(DMDRegressor(rank="auto").fit(HankelEmbedder(1).fit_transform(X))
                            .signal_rank_ for X in recordings)
        start = time.perf_counter()
        cv = choose_rank(recordings, 1, random_state=0)[0]
        cv_s = time.perf_counter() - start
        rows.append({"system": name, "noise": noise, "true dimension": true,
                     "Gavish-Donoho (rank='auto')": gavish_donoho,
                     "forecast CV (1 delay)": cv, "forecast CV seconds": cv_s,
                     "fastDSA rule (delays / rank)": "{} / {}".format(*fastdsa_rule(systems)),
                     "AIC sweep (delays / rank)": "{} / {}".format(*aic_rule(systems))})
        print(rows[-1], flush=True)
    return rows


def silhouette(dsa, systems, labels):
    return silhouette_score(np.asarray(dsa.fit_transform(systems)), labels,
                            metric="precomputed")


# The draws on which --held-out chooses its oracle (the usual ones are its test).
TUNING_DRAWS = {"ring_line": range(4, 8), "zoo_tasks": range(1, 3)}


def grid_silhouettes(systems, labels, n_jobs):
    """The silhouette of every setting of the grid the embedding allows."""
    values = {}
    for n_delays, rank in itertools.product(GRID_DELAYS, GRID_RANKS):
        try:
            values[n_delays, rank] = silhouette(
                DSA(n_delays=n_delays, rank=rank, n_jobs=n_jobs, random_state=0),
                systems, labels)
        except ValueError:  # a rank above what the embedding allows
            continue
    return values


def run_case(name, n_jobs):
    systems, labels = CASES[name]()
    recordings = list(systems.values())

    def at(n_delays, rank):
        return silhouette(DSA(n_delays=n_delays, rank=rank, n_jobs=n_jobs, random_state=0),
                          systems, labels)

    defaults = at(1, None)
    auto = DSA(n_delays="auto", rank="auto", n_jobs=n_jobs, random_state=0)
    start = time.perf_counter()
    auto.fit(systems)
    fit_s = time.perf_counter() - start
    choice_s, (n_delays, _) = _common.timed(choose_n_delays, recordings, random_state=0)
    compare_s, D = _common.timed(auto._compare, auto._prepared)
    auto_silhouette = silhouette_score(D, labels, metric="precomputed")
    cv_rank_s, (cv_rank, _) = _common.timed(choose_rank, recordings, n_delays, random_state=0)
    fastdsa_s, fastdsa = _common.timed(fastdsa_rule, systems)
    aic_s, aic = _common.timed(aic_rule, systems)
    grid = grid_silhouettes(systems, labels, n_jobs)
    best = max(grid, key=grid.get)
    oracle, oracle_setting = grid[best], "{} / {}".format(*best)
    cv = at(n_delays, cv_rank)
    return {"case": name, "systems": len(systems), "defaults": defaults,
            "auto": auto_silhouette, "auto_cv_rank": cv, "fastdsa": at(*fastdsa),
            "aic_sweep": at(*aic), "oracle": oracle,
            "auto_over_oracle": auto_silhouette / oracle if oracle > 0 else np.nan,
            "cv_over_oracle": cv / oracle if oracle > 0 else np.nan,
            "auto_choice": f"{auto.n_delays_} / {auto.rank_}",
            "cv_choice": f"{n_delays} / {cv_rank}", "fastdsa_choice": "{} / {}".format(*fastdsa),
            "aic_choice": "{} / {}".format(*aic), "oracle_choice": oracle_setting,
            "choice_s": choice_s, "cv_rank_s": cv_rank_s, "fastdsa_s": fastdsa_s,
            "aic_s": aic_s, "fit_s": fit_s, "comparisons_s": compare_s}


def held_out_row(name, n_jobs):
    """The automatic choice against the oracle chosen on other draws (see ``--held-out``)."""
    systems, labels = CASES[name]()
    on_test = grid_silhouettes(systems, labels, n_jobs)
    on_tuning = grid_silhouettes(*CASES[name](TUNING_DRAWS.get(name, range(3, 6))), n_jobs)
    chosen, in_sample = max(on_tuning, key=on_tuning.get), max(on_test, key=on_test.get)
    held_out = on_test.get(chosen, np.nan)
    auto = DSA(n_delays="auto", rank="auto", n_jobs=n_jobs, random_state=0)
    auto_value = silhouette(auto, systems, labels)
    defaults = on_test[1, None]
    return {"case": name, "defaults": defaults, "auto": auto_value,
            "oracle_in_sample": on_test[in_sample], "oracle_held_out": held_out,
            "auto_over_held_out": auto_value / held_out if held_out > 0 else np.nan,
            "held_out_over_defaults": held_out / defaults if defaults > 0 else np.nan,
            "auto_meets_target": bool(auto_value >= defaults and auto_value >= 0.9 * held_out),
            "auto_choice": f"{auto.n_delays_} / {auto.rank_}",
            "in_sample_choice": "{} / {}".format(*in_sample),
            "held_out_choice": "{} / {}".format(*chosen)}


def split_half_statistics(D):
    """Discriminability and reliability of a distance matrix between half-systems
    ordered (system 0 even, system 0 odd, system 1 even, ...)."""
    n = len(D) // 2
    nearer = []
    for a in range(2 * n):
        others = np.delete(D[a], [a, a ^ 1])
        nearer.append(np.mean((others > D[a, a ^ 1]) + 0.5 * (others == D[a, a ^ 1])))
    upper = np.triu_indices(n, 1)
    reliability = spearmanr(D[0::2, 0::2][upper], D[1::2, 1::2][upper])[0]
    return float(np.mean(nearer)), float(reliability)


def criteria_rows(name, n_jobs):
    """Per grid setting: the silhouette and the label-free criteria."""
    systems, labels = CASES[name]()
    halves = {}
    for system, X in systems.items():
        halves[f"{system} even"], halves[f"{system} odd"] = X[0::2], X[1::2]
    rows = []
    for n_delays, rank in itertools.product(GRID_DELAYS, GRID_RANKS):
        dsa = DSA(n_delays=n_delays, rank=rank, n_jobs=n_jobs, random_state=0)
        try:
            value = silhouette(dsa, systems, labels)
            split = split_half_statistics(np.asarray(clone(dsa).fit_transform(halves)))
        except ValueError:  # a rank above what the embedding allows
            continue
        rows.append({"case": name, "setting": f"{n_delays} / {rank}", "silhouette": value,
                     "discriminability": split[0], "reliability": split[1]})
    return rows


def criteria_summary(rows):
    """Per case: the silhouette at the setting each criterion picks, and the oracle's."""
    summary = []
    for name in dict.fromkeys(row["case"] for row in rows):
        case = [row for row in rows if row["case"] == name]
        best = max(case, key=lambda row: row["silhouette"])
        entry = {"case": name, "oracle": f"{best['silhouette']:.3f} ({best['setting']})"}
        for criterion in ("discriminability", "reliability"):
            pick = max(case, key=lambda row: np.nan_to_num(row[criterion], nan=-np.inf))
            entry[criterion] = f"{pick['silhouette']:.3f} ({pick['setting']})"
        summary.append(entry)
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", nargs="+", default=list(CASES), choices=list(CASES))
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--dimensions", action="store_true",
                        help="the dimension-recovery table instead of the silhouettes")
    parser.add_argument("--criteria", action="store_true",
                        help="label-free criteria beside the silhouette on the grid")
    parser.add_argument("--held-out", action="store_true",
                        help="the oracle chosen on other draws of each case")
    parser.add_argument("--csv", default=None, help="default: benchmarks/results/"
                        "auto_embedding.csv (auto_embedding_dimensions.csv with --dimensions, "
                        "auto_embedding_criteria.csv with --criteria, "
                        "auto_embedding_held_out.csv with --held-out)")
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # noise-mode and degenerate-operator warnings are expected
    if args.criteria:
        rows = [row for name in args.cases for row in criteria_rows(name, args.n_jobs)]
        _common.write_csv(rows, args.csv or "benchmarks/results/auto_embedding_criteria.csv")
        summary = criteria_summary(rows)
        print(_common.header("Silhouette at the setting each label-free criterion picks"))
        _common.print_table(summary, list(summary[0]), {})
        return
    if args.held_out:
        rows = []
        for name in args.cases:
            rows.append(held_out_row(name, args.n_jobs))
            print(f"{name}: done", flush=True)
        print(_common.header("Silhouette: the automatic choice against an oracle chosen on "
                             "other draws"))
        _common.print_table(rows, list(rows[0]), {
            **dict.fromkeys(("defaults", "auto", "oracle_in_sample", "oracle_held_out"),
                            "{:.3f}"),
            "auto_over_held_out": "{:.2f}", "held_out_over_defaults": "{:.2f}"})
        _common.write_csv(rows, args.csv or "benchmarks/results/auto_embedding_held_out.csv")
        return
    if args.dimensions:
        rows = dimension_rows()
        print(_common.header("Rank chosen for systems of known latent dimension"))
        _common.print_table(rows, list(rows[0]), {"forecast CV seconds": "{:.1f}"})
        _common.write_csv(rows, args.csv or "benchmarks/results/auto_embedding_dimensions.csv")
        return
    rows = []
    for name in args.cases:
        rows.append(run_case(name, args.n_jobs))
        print(f"{name}: done", {key: value for key, value in rows[-1].items()
                                if key in ("defaults", "auto", "oracle", "auto_choice")},
              flush=True)
    print()
    print(_common.header("Silhouette of the true groups: defaults, automatic choice, grid oracle"))
    _common.print_table(rows, list(rows[0]), {
        **dict.fromkeys(("defaults", "auto", "auto_cv_rank", "fastdsa", "aic_sweep", "oracle"),
                        "{:.3f}"),
        "auto_over_oracle": "{:.2f}", "cv_over_oracle": "{:.2f}",
        **{key: "{:.1f}" for key in rows[0] if key.endswith("_s")}})
    _common.write_csv(rows, args.csv or "benchmarks/results/auto_embedding.csv")


if __name__ == "__main__":
    main()
