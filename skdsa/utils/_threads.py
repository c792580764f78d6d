"""One BLAS thread for the per-system and per-pair work, whichever process runs it."""

from threadpoolctl import ThreadpoolController

_controller = None


def one_blas_thread():
    """Context with BLAS limited to one thread.

    A multithreaded BLAS sums in another order than a single thread, so a fit or
    a comparison in the main process (all cores) and in a joblib worker (one
    core each) would differ in the last bits. Running both under one thread
    makes results bit-identical for any ``n_jobs``; the matrices here are small,
    so threads gain little (``benchmarks/README.md``, section 7).
    """
    global _controller
    if _controller is None:  # inspecting the loaded libraries once per process
        _controller = ThreadpoolController()
    return _controller.limit(limits=1, user_api="blas")
