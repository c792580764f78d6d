"""A distance is a function of the two systems and the parameters, nothing else."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from skdsa import DSA
from skdsa.datasets import make_rnn, random_observation
from skdsa.metrics import ProcrustesVectorFieldMetric, procrustes_vector_field_distance

SETUP = """
from skdsa.datasets import make_rnn, random_observation
systems = [random_observation(make_rnn(n_units=8, gain=1.2 + 0.3 * (i % 3), n_trials=6,
                                       n_timepoints=300, random_state=i),
                              random_state=100 + i) for i in range(8)]
"""


@pytest.fixture(scope="module")
def systems():
    namespace = {}
    exec(SETUP, namespace)
    return namespace["systems"]


@pytest.fixture(scope="module")
def fitted(systems):
    dsa = DSA(n_delays=4, rank=12, random_state=0)
    return dsa, dsa.fit_transform(systems)


def test_a_query_gets_the_same_distances_wherever_it_sits_in_the_batch(systems, fitted):
    dsa, D = fitted
    order = [5, 1, 7, 0]
    np.testing.assert_allclose(dsa.transform([systems[i] for i in order]), D[order],
                               rtol=0, atol=1e-10)
    np.testing.assert_allclose(dsa.transform([systems[1]]), D[[1]], rtol=0, atol=1e-10)


def test_operators_perturbed_at_rounding_level_and_permuted_give_the_same_distances(fitted):
    dsa, D = fitted
    rng = np.random.default_rng(0)
    operators = [A + 1e-13 * rng.standard_normal(A.shape) for A in dsa.operators_]
    order = rng.permutation(len(operators))
    metric = ProcrustesVectorFieldMetric(random_state=dsa._seed)
    permuted = metric.pairwise([operators[i] for i in order])
    back = np.argsort(order)
    np.testing.assert_allclose(permuted[np.ix_(back, back)], D, rtol=0, atol=1e-10)


@pytest.mark.parametrize("n", [6, 12, 30, 130])
def test_the_order_of_the_two_operators_does_not_change_the_search(n):
    rng = np.random.default_rng(n)
    A, B = rng.normal(size=(n, n)), rng.normal(size=(n, n))
    ab = procrustes_vector_field_distance(A, B, random_state=3, return_result=True)
    # A perturbation at rounding level (a few units in the last place of one entry)
    # that flips which operator the solver takes first: the canonical order is
    # decided by the bytes, so the search runs from the other operator.
    B_perturbed = B.copy()
    while (B_perturbed.tobytes() < A.tobytes()) == (B.tobytes() < A.tobytes()):
        B_perturbed[0, 0] = np.nextafter(B_perturbed[0, 0], np.inf)
    assert np.max(np.abs(B_perturbed - B)) < 1e-13
    ba = procrustes_vector_field_distance(B_perturbed, A, random_state=3,
                                          return_result=True)
    assert ab.score == pytest.approx(ba.score, abs=1e-10)
    # C from A to B is C^T from B to A (up to the sign of C, which changes nothing).
    # At n = 130 the minimum is ill-conditioned enough that two descents stopping at
    # a gradient norm of 1e-8 end about 1e-6 apart (measured 1.2e-6), at costs equal
    # to 1e-14.
    np.testing.assert_allclose(ab.C @ B @ ab.C.T, ba.C.T @ B @ ba.C,
                               atol=1e-6 if n < 130 else 1e-5)


def test_a_random_state_instance_gives_transform_the_fit_restarts(systems):
    dsa = DSA(n_delays=4, rank=12, random_state=np.random.RandomState(0))
    D = dsa.fit_transform(systems[:4])
    np.testing.assert_allclose(dsa.transform(systems[:4]), D, rtol=0, atol=1e-10)


def test_n_jobs_and_blas_threads_do_not_change_distances():
    # BLAS threads unpinned: the parent process may run with one thread per
    # worker, the child picks its own default, and n_jobs=2 workers pin theirs.
    env = {key: value for key, value in os.environ.items()
           if not key.endswith("_NUM_THREADS")}
    # Rank 50 (25 units, 2 delays): there the main process's multithreaded BLAS
    # summed differently from a worker's single thread before both were pinned.
    script = textwrap.dedent("""
        import numpy as np
        from skdsa import DSA
        from skdsa.datasets import make_rnn, random_observation
        systems = [random_observation(make_rnn(n_units=25, gain=1.2 + 0.3 * i, n_trials=6,
                                               n_timepoints=300, random_state=i),
                                      random_state=100 + i) for i in range(3)]
        D1 = DSA(n_delays=2, rank=50, random_state=0, n_jobs=1).fit_transform(systems)
        D2 = DSA(n_delays=2, rank=50, random_state=0, n_jobs=2).fit_transform(systems)
        print(float(np.abs(D1 - D2).max()), float(D1[0, 1]))
    """)
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    # Bit-identical: fits and comparisons run with one BLAS thread in every process.
    assert float(out[0]) == 0.0
    here = DSA(n_delays=2, rank=50, random_state=0).fit_transform(
        [random_observation(make_rnn(n_units=25, gain=1.2 + 0.3 * i, n_trials=6,
                                     n_timepoints=300, random_state=i), random_state=100 + i)
         for i in range(2)])
    assert float(out[1]) == pytest.approx(here[0, 1], abs=1e-10)


def test_a_strided_view_fits_exactly_as_its_copy_in_this_process_and_in_a_worker():
    # A column-major series subsampled by a view (as ``solve_ivp(...).y.T[::10]``)
    # and its contiguous copy, the form in which a joblib worker receives it, gave
    # operators 1e-14 apart: enough to move distances between near-identical
    # systems by 1e-7 with n_jobs=2 (benchmarks/README.md, section 7).
    from skdsa.datasets import make_lorenz

    clips = [np.asfortranarray(make_lorenz(n_trials=1, n_timepoints=3000,
                                           random_state=i)[0])[::10] for i in range(3)]
    assert not clips[0].flags["C_CONTIGUOUS"]
    copies = [np.ascontiguousarray(clip) for clip in clips]
    strided = DSA(n_delays=20, rank=6, random_state=0).fit(clips)
    copied = DSA(n_delays=20, rank=6, random_state=0).fit(copies)
    for A, B in zip(strided.operators_, copied.operators_):
        np.testing.assert_array_equal(A, B)
    in_workers = DSA(n_delays=20, rank=6, random_state=0, n_jobs=2).fit(clips)
    for A, B in zip(strided.operators_, in_workers.operators_):
        np.testing.assert_array_equal(A, B)
