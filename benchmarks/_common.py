"""Shared helpers of the benchmark scripts: thread pinning, timing, tables."""

import os

# Pin BLAS / OpenMP threads before numpy or torch load, the same for both tools.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import csv  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import date  # noqa: E402


def load_dsa_metric():
    """Import the reference implementation, or explain how to install it."""
    try:
        import torch
        from DSA import simdist  # dsa-metric
    except ImportError as error:
        raise SystemExit(
            "This benchmark compares with dsa-metric: pip install torch==2.13.0 "
            f"dsa-metric (benchmark-only dependency). Import failed: {error}"
        )
    torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
    return torch, simdist


def orthogonal_part(C):
    """Nearest orthogonal matrix to ``C`` (polar factor) and ``C``'s orthogonality error.

    dsa-metric works in float32, so its ``C`` is orthogonal only to about 1e-7; a
    cost evaluated at such a ``C`` can dip below the true minimum over O(n). Both
    tools' costs are therefore evaluated at orthogonal matrices.
    """
    import numpy as np

    U, _, Vt = np.linalg.svd(C)
    return U @ Vt, float(np.abs(C.T @ C - np.eye(len(C))).max())


def unit_cost(A, B, C):
    """``||A/|A| - C (B/|B|) C^T||_F^2``, the cost both tools minimise."""
    import numpy as np

    A, B = A / np.linalg.norm(A), B / np.linalg.norm(B)
    return float(np.sum((A - C @ B @ C.T) ** 2))


def timed(function, *args, **kwargs):
    """Run ``function`` once; return (seconds, result)."""
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def header(title):
    """One line naming the benchmark, date and machine."""
    return (f"# {title} — {date.today()} — {platform.processor() or platform.machine()}, "
            f"{os.cpu_count()} cores, BLAS threads {os.environ['OMP_NUM_THREADS']}")


def print_table(rows, columns, formats=None):
    """Print ``rows`` (list of dicts) as a Markdown table."""
    formats = formats or {}
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        cells = [formats.get(c, "{}").format(row[c]) if isinstance(row[c], (int, float))
                 else str(row[c]) for c in columns]
        print("| " + " | ".join(cells) + " |")


def write_csv(rows, path):
    """Save ``rows`` (list of dicts) to ``path``."""
    if not path:
        return
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def run_with_checkout(path, script, **arrays):
    """Run ``script`` with another checkout's skdsa; return what it wrote as JSON.

    ``script`` (Python source) gets, as ``sys.argv[1]``, an ``.npz`` file of
    ``arrays`` and writes its answer as JSON to ``sys.argv[2]``. It runs in a
    subprocess with ``PYTHONPATH`` set to ``path`` (e.g. a ``git worktree`` of an
    earlier commit), from a temporary folder: from this repository's root,
    ``python -c`` would import this checkout's skdsa first.
    """
    import numpy as np

    with tempfile.TemporaryDirectory() as folder:
        data, out = os.path.join(folder, "data.npz"), os.path.join(folder, "out.json")
        np.savez(data, **arrays)
        subprocess.run([sys.executable, "-c", script, data, out], check=True,
                       env={**os.environ, "PYTHONPATH": os.path.abspath(path)}, cwd=folder)
        with open(out) as answer:
            return json.load(answer)
