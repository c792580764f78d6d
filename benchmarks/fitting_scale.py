"""Workload 5: DMD fitting at recording scale, time and peak memory.

Three fitters of ``Pipeline([HankelEmbedder(n_delays), DMDRegressor(rank)])``:
skdsa's default (``svd_solver="auto"``: Gram matrices accumulated lag by lag
from the raw series, never materialising the embedding), skdsa's exact path
(``svd_solver="full"``: SVD of the materialised embedding, the fit before this
workload) and dsa-metric's ``DMD`` (torch CPU, float64 input as a numpy user
passes it). Each fit runs in a forked child process whose peak resident memory
above its start is reported (``/proc/self/status`` VmHWM after resetting it).
Fits whose embedding alone would not leave room on this 24 GiB machine are
skipped and marked so.

Sections:
  length   one recording (n_timepoints, 50) with n_delays=20, rank=20, n_timepoints
           from 10^4 to 10^6; and the target (200000, 50), n_delays=50, rank=50.
  width    (50000 timepoints) against n_features x n_delays.
  jobs     the two collection jobs of the issue: 30 noisy 100-unit RNNs (50 trials x
           400 steps), DSA(n_delays=10, rank=30, n_jobs=2) fitting only; and the
           Wasserstein job's 40 systems (10 trials x 300 steps x 10 features,
           n_delays=10, rank=10), dsa-metric fitting the same DMDs in float32 and
           float64.

Run:  python benchmarks/fitting_scale.py            (full, about 10 minutes)
      python benchmarks/fitting_scale.py --quick    (small sizes, < 1 minute)
"""

import argparse
import multiprocessing
import time

import _common
import numpy as np
from scipy.signal import lfilter
from sklearn.pipeline import Pipeline

from skdsa import DSA, DMDRegressor, HankelEmbedder
from skdsa.datasets import make_rnn

MEMORY_LIMIT_GB = 16.0


def make_recording(n_timepoints, n_features, n_latent=10, seed=0):
    """Damped oscillators (complex AR(1) latents) seen through a random mixing, with noise."""
    rng = np.random.default_rng(seed)
    eigenvalues = 0.99 * np.exp(1j * rng.uniform(0.02, 0.5, n_latent // 2))
    drive = rng.normal(size=(n_latent // 2, n_timepoints)) * (1 + 1j)
    latent = np.stack([lfilter([1.0], [1.0, -lam], u) for lam, u in zip(eigenvalues, drive)])
    latent = np.concatenate([latent.real, latent.imag]).T
    mixing = rng.normal(size=(n_latent, n_features)) / np.sqrt(n_latent)
    return latent @ mixing + 0.1 * rng.normal(size=(n_timepoints, n_features))


def _memory_kb(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1])


def _child(function, queue):
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")  # reset the peak resident set size (VmHWM)
    start_kb = _memory_kb("VmRSS")
    seconds, result = _common.timed(function)
    queue.put((seconds, (_memory_kb("VmHWM") - start_kb) / 1e6, result))


def measure(function):
    """Run ``function`` in a forked child: (seconds, peak GB above start, result)."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=_child, args=(function, queue))
    process.start()
    outcome = queue.get()
    process.join()
    return outcome


def skdsa_fit(X, n_delays, rank, solver):
    def fit():
        pipe = Pipeline([("hankel", HankelEmbedder(n_delays)),
                         ("dmd", DMDRegressor(rank=rank, svd_solver=solver))]).fit(X)
        return pipe[-1].eigenvalues_, pipe[-1].svd_solver_
    return fit


def reference_fit(X, n_delays, rank, dtype=None):
    def fit():
        from DSA.dmd import DMD

        data = X if dtype is None else np.asarray(X, dtype=dtype)
        dmd = DMD(data, n_delays=n_delays, rank=rank, lamb=0.0)
        dmd.fit()
        return np.linalg.eigvals(dmd.A_v.double().numpy()), ""
    return fit


def embedding_gb(X, n_delays):
    n_timepoints, n_features = np.shape(X)[-2:]
    n_trials = 1 if np.ndim(X) == 2 else len(X)
    return 8 * n_trials * (n_timepoints - n_delays + 1) * n_features * n_delays / 1e9


def spectral_gap(a, b):
    a, b = np.sort_complex(np.round(a, 12)), np.sort_complex(np.round(b, 12))
    return float(np.max(np.abs(a - b)))


def compare_fitters(label, X, n_delays, rank):
    """Rows of one setting for the three fitters; memory-hungry ones skipped."""
    # The exact path holds the embedding, its left singular vectors and LAPACK's
    # work space (about 5x the embedding: ~20 GB measured at 200000 x 2500).
    fitters = {"skdsa auto": (skdsa_fit(X, n_delays, rank, "auto"), 0.0),
               "skdsa full (previous)": (skdsa_fit(X, n_delays, rank, "full"), 5.0),
               "dsa-metric": (reference_fit(X, n_delays, rank), 5.0)}
    rows, eigenvalues = [], {}
    for tool, (fit, factor) in fitters.items():
        needed = factor * embedding_gb(X, n_delays)
        if needed > MEMORY_LIMIT_GB:
            rows.append({"setting": label, "tool": tool, "seconds": float("nan"),
                         "peak_GB": float("nan"), "max_eig_diff_vs_full": "",
                         "note": f"skipped: needs ~{needed:.0f} GB"})
            continue
        seconds, peak, (eigenvalues[tool], solver) = measure(fit)
        rows.append({"setting": label, "tool": tool, "seconds": seconds, "peak_GB": peak,
                     "max_eig_diff_vs_full": "", "note": solver})
        print(f"{label} {tool}: {seconds:.2f} s, {peak:.2f} GB", flush=True)
    reference = eigenvalues.get("skdsa full (previous)")
    for row in rows:
        if reference is not None and row["tool"] in eigenvalues:
            row["max_eig_diff_vs_full"] = f"{spectral_gap(eigenvalues[row['tool']], reference):.1e}"
    return rows


def collection_jobs(quick):
    n = 4 if quick else 30
    rnns = [make_rnn(n_units=100, gain=1.2 + 0.01 * k, n_trials=50, n_timepoints=400,
                     random_state=k) for k in range(n)]
    small = [make_rnn(n_units=10, gain=0.5 + 0.02 * k, n_trials=10, n_timepoints=300,
                      random_state=k) for k in range(4 if quick else 40)]
    rows = []
    for solver in ("auto", "full"):
        model = Pipeline([("hankel", HankelEmbedder(10)),
                          ("dmd", DMDRegressor(rank=30, svd_solver=solver))])
        seconds, _ = _common.timed(DSA(model=model, metric="wasserstein", n_jobs=2).fit, rnns)
        rows.append({"job": f"{n} RNNs (50, 400, 100), n_delays=10, rank=30, n_jobs=2",
                     "tool": f"skdsa {solver}", "fit_seconds": seconds})
        model = Pipeline([("hankel", HankelEmbedder(10)),
                          ("dmd", DMDRegressor(rank=10, svd_solver=solver))])
        seconds, _ = _common.timed(DSA(model=model, metric="wasserstein").fit, small)
        rows.append({"job": f"{len(small)} systems (10, 300, 10), n_delays=10, rank=10, 1 job",
                     "tool": f"skdsa {solver}", "fit_seconds": seconds})
    for dtype in (np.float32, np.float64):
        start = time.perf_counter()
        for X in small:
            reference_fit(X, 10, 10, dtype)()
        rows.append({"job": rows[-1]["job"], "tool": f"dsa-metric {np.dtype(dtype).name}",
                     "fit_seconds": time.perf_counter() - start})
    return sorted(rows, key=lambda row: row["job"])


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--sections", nargs="+", default=["recordings", "jobs"],
                        choices=["recordings", "jobs"])
    parser.add_argument("--csv", default="benchmarks/results/fitting_scale.csv")
    args = parser.parse_args()
    _common.load_dsa_metric()
    if "recordings" in args.sections:
        one_recording(args)
    if "jobs" in args.sections:
        job_rows = collection_jobs(args.quick)
        print()
        print(_common.header("DMD fitting in collection jobs (DSA.fit, no pairs)"))
        _common.print_table(job_rows, list(job_rows[0]), {"fit_seconds": "{:.2f}"})
        _common.write_csv(job_rows, args.csv.replace(".csv", "_jobs.csv"))


def one_recording(args):
    lengths = [10_000, 30_000] if args.quick else [10_000, 100_000, 1_000_000]
    rows = []
    for n_timepoints in lengths:
        X = make_recording(n_timepoints, 50)
        rows += compare_fitters(f"({n_timepoints}, 50), d=20, r=20", X, 20, 20)
    target = (20_000 if args.quick else 200_000)
    rows += compare_fitters(f"({target}, 50), d=50, r=50", make_recording(target, 50), 50, 50)
    width_length = 10_000 if args.quick else 50_000
    for n_features, n_delays in ((10, 10), (50, 10), (50, 40), (100, 20)):
        X = make_recording(width_length, n_features)
        rows += compare_fitters(f"({width_length}, {n_features}), d={n_delays}, r=20",
                                X, n_delays, 20)
    print()
    print(_common.header("DMD fitting at scale: one recording, time and peak memory"))
    _common.print_table(rows, list(rows[0]), {"seconds": "{:.2f}", "peak_GB": "{:.3f}"})
    _common.write_csv(rows, args.csv)


if __name__ == "__main__":
    main()
