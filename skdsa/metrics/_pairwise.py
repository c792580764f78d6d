"""Pairwise distances between operators, in parallel and reproducibly."""

import dataclasses
import time

import joblib
import numpy as np
from joblib import effective_n_jobs
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_memory

from ..utils._progress import print_progress
from ..utils._random import draw_seed
from ..utils._threads import one_blas_thread
from ._validation import check_operators

# With a cache, pairs are compared in chunks of this many whatever n_jobs is, so an
# interrupted job finds its finished chunks again under the same keys.
CACHED_CHUNK_SIZE = 16
# Without a cache, chunks of at most this many pairs (a metric that compares a
# chunk at once, ``compare_many``, gains little from larger ones), and of at
# least MIN_CHUNK_SIZE where there are enough pairs for every worker: smaller
# chunks spend more in dispatch and per-batch overhead than they balance.
MAX_CHUNK_SIZE = 256
MIN_CHUNK_SIZE = 32


def _compares_many(metric):
    """Whether ``metric.compare_many`` stands for its ``compare``.

    A metric may compare a chunk of pairs at once (``compare_many``, equal to
    ``compare`` pair by pair); a subclass that overrides ``compare`` alone is
    still called pair by pair.
    """
    mro = type(metric).__mro__

    def defined_in(name):
        return next((k for k, cls in enumerate(mro) if name in vars(cls)), len(mro))

    return defined_in("compare_many") <= defined_in("compare")


def _compare_chunk(metric, operators, index_pairs, seed):
    """Distances of the pairs ``index_pairs`` of ``operators`` (:class:`_Operators`).

    Compared at once where the metric can (see ``_compares_many``).
    """
    pairs = [(operators.x[i], operators.y[j]) for i, j in index_pairs]
    with one_blas_thread():
        if _compares_many(metric):
            return metric.compare_many(pairs, random_state=seed)
        return [metric.compare(a, b, random_state=seed) for a, b in pairs]


def _compare_cached(metric, operators, index_pairs, seed, key):
    """:func:`_compare_chunk`, cached under ``key`` (the operators are left out of the hash)."""
    return _compare_chunk(metric, operators, index_pairs, seed)


class _Operators:
    """Prepared operators, the two sides of a matrix, for the pairs of a task.

    Under joblib's dask backend, an argument that can be weakly referenced and
    is larger than 1 kB (``__sizeof__``) is scattered to the workers once and
    passed to each task as a reference: there every task gets all operators
    that way, and carries only the indices of its pairs (a task that carried
    its pairs' operators made dask's main process grow by about 9 kB per
    pair). Other backends send every task's arguments with it, so there each
    task gets the operators of its own pairs.
    """

    def __init__(self, x, y):
        self.x, self.y = x, y

    def __sizeof__(self):
        def size(item):
            if dataclasses.is_dataclass(item):
                return sum(size(getattr(item, f.name)) for f in dataclasses.fields(item))
            if isinstance(item, (list, tuple)):
                return sum(size(part) for part in item)
            return getattr(item, "nbytes", 64)
        return size(self.x) + (0 if self.y is self.x else size(self.y))


def _uses_dask():
    """Whether joblib's active backend is dask's (see :class:`_Operators`)."""
    return type(joblib.parallel.get_active_backend()[0]).__module__ == "joblib._dask"


def _fingerprint(item):
    """A prepared item's values, whatever their memory layout.

    Arrays unpickled in a worker are contiguous copies of views made in the main
    process, and joblib's hash tells them apart: the cache key uses the values.
    """
    if dataclasses.is_dataclass(item):
        return tuple(_fingerprint(getattr(item, f.name)) for f in dataclasses.fields(item))
    if isinstance(item, np.ndarray):
        return item.shape, item.dtype.str, np.ascontiguousarray(item).tobytes()
    if isinstance(item, (list, tuple)):
        return tuple(_fingerprint(part) for part in item)
    return item


def compare_all(metric, prepared_x, prepared_y=None, *, n_jobs=None,
                random_state=None, verbose=0, memory=None):
    """Distances between prepared operators.

    Parameters
    ----------
    metric : object with ``compare(a, b, random_state)``
        E.g. :class:`ProcrustesVectorFieldMetric`.
    prepared_x : list
        Operators prepared by ``metric.prepare``.
    prepared_y : list or None
        Second set; None compares ``prepared_x`` with itself, computing each
        unordered pair once (zero diagonal).
    n_jobs : int or None
        Parallel jobs (joblib; works with any joblib backend, e.g. dask).
    random_state : int, RandomState instance or None
        One seed is drawn before any work and every pair uses it, so a pair's
        distance depends only on its two operators, never on ``n_jobs``, the
        backend or where the pair sits in the batch.
    verbose : int
        If > 0, print pairs done, elapsed time and ETA to stderr.
    memory : str, path, joblib.Memory or None
        Cache of finished chunks of pairs (keyed by the metric, the prepared
        operators and the seed), so that a job interrupted (Ctrl-C, a killed
        worker) resumes without recomputing them.

    Returns
    -------
    D : ndarray of shape (n_x, n_y)
    """
    symmetric = prepared_y is None
    prepared_y = prepared_x if symmetric else prepared_y
    n_x, n_y = len(prepared_x), len(prepared_y)
    seed = draw_seed(random_state)
    pairs = [(i, j) for i in range(n_x)
             for j in range(i + 1 if symmetric else 0, n_y)]
    shared = _Operators(prepared_x, prepared_y) if _uses_dask() else None

    def task(chunk):
        """The operators a chunk's task gets, and the indices of its pairs in them."""
        index_pairs = [pairs[k] for k in chunk]
        if shared is not None:
            return shared, index_pairs
        return (_Operators([prepared_x[i] for i, _ in index_pairs],
                           [prepared_y[j] for _, j in index_pairs]),
                [(k, k) for k in range(len(chunk))])

    if memory is None:
        # Several chunks per worker keep the workers evenly busy to the end;
        # one worker takes the fewest chunks (each chunk is compared at once).
        workers = effective_n_jobs(n_jobs)
        n_chunks = max(-(-len(pairs) // MAX_CHUNK_SIZE), 8 * workers if workers > 1 else 1)
        n_chunks = min(n_chunks, max(len(pairs) // MIN_CHUNK_SIZE, workers), len(pairs)) or 1
        chunks = np.array_split(np.arange(len(pairs)), n_chunks)
        calls = (delayed(_compare_chunk)(metric, *task(chunk), seed) for chunk in chunks)
    else:
        chunks = [np.arange(k, min(k + CACHED_CHUNK_SIZE, len(pairs)))
                  for k in range(0, len(pairs), CACHED_CHUNK_SIZE)]
        compare = check_memory(memory).cache(_compare_cached,
                                              ignore=["operators", "index_pairs"])
        fingerprint_x = [_fingerprint(item) for item in prepared_x]
        fingerprint_y = (fingerprint_x if symmetric
                         else [_fingerprint(item) for item in prepared_y])
        calls = (delayed(compare)(metric, *task(chunk), seed, joblib.hash(
            [(fingerprint_x[pairs[k][0]], fingerprint_y[pairs[k][1]], seed) for k in chunk]))
            for chunk in chunks)
    results = Parallel(n_jobs=n_jobs, return_as="generator")(calls)
    D = np.zeros((n_x, n_y))
    start, done = time.perf_counter(), 0
    for chunk, values in zip(chunks, results):
        for k, value in zip(chunk, values):
            D[pairs[k]] = value
        done += len(chunk)
        if verbose and pairs:
            print_progress(done, len(pairs), "pairs", start)
    if symmetric:
        D = D + D.T
    return D


def pairwise_distances(metric, X, Y=None, *, n_jobs=None, random_state=None,
                       verbose=0):
    """Distances between operators under ``metric``.

    Parameters
    ----------
    metric : ProcrustesVectorFieldMetric or EigenvalueWasserstein
        The metric; its ``size_mismatch`` policy applies across ``X`` and ``Y``.
    X : sequence of array-like of shape (n, n), or ndarray (n_X, n, n)
        Operators.
    Y : sequence of array-like of shape (n, n) or None
        Second set; None compares ``X`` with itself.
    n_jobs, random_state, verbose
        See :func:`compare_all`.

    Returns
    -------
    D : ndarray of shape (n_X, n_X) or (n_X, n_Y)
    """
    X = list(X)
    Y = None if Y is None else list(Y)
    names = [f"X[{i}]" for i in range(len(X))]
    operators = X + (Y or [])
    if Y is not None:
        names += [f"Y[{i}]" for i in range(len(Y))]
    prepared = [metric.prepare(A) for A in
                check_operators(operators, metric.size_mismatch, names)]
    prepared_y = None if Y is None else prepared[len(X):]
    return compare_all(metric, prepared[:len(X)], prepared_y, n_jobs=n_jobs,
                       random_state=random_state, verbose=verbose)
