"""Progress lines for long collection jobs."""

import sys
import time


def print_progress(done, total, unit, start):
    """Print ``done/total unit``, the elapsed time since ``start`` and an ETA to stderr."""
    elapsed = time.perf_counter() - start
    eta = elapsed / done * (total - done)
    print(f"[skdsa] {done}/{total} {unit}, {elapsed:.1f} s elapsed, ETA {eta:.1f} s",
          file=sys.stderr)
