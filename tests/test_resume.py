"""A long matrix job that is interrupted keeps its finished pairs and resumes."""

import os
from pathlib import Path

import numpy as np
import pytest
from joblib.externals.loky.process_executor import TerminatedWorkerError

from skdsa import DSA
from skdsa.datasets import make_rnn, random_observation
from skdsa.metrics import ProcrustesVectorFieldMetric


class LoggingMetric(ProcrustesVectorFieldMetric):
    """The default metric, logging each comparison to a folder; it kills the process
    that runs it at the 36th comparison while the folder holds a file named "crash"."""

    def __init__(self, folder=None, **params):
        super().__init__(**params)
        self.folder = folder

    def get_params(self, deep=True):
        return {**super().get_params(deep), "folder": self.folder}

    def compare(self, a, b, random_state=None):
        folder = Path(self.folder)
        (folder / f"pair-{os.getpid()}-{len(list(folder.glob('pair-*')))}").touch()
        if (folder / "crash").exists() and len(list(folder.glob("pair-*"))) >= 36:
            os._exit(1)  # a worker killed mid-run
        return super().compare(a, b, random_state=random_state)


@pytest.fixture(scope="module")
def systems():
    return [random_observation(make_rnn(n_units=4, gain=1.2 + 0.1 * i, n_trials=4,
                                        n_timepoints=150, random_state=i), random_state=i)
            for i in range(10)]  # 45 pairs: 3 chunks of 16 pairs


def test_a_killed_worker_loses_nothing_finished(systems, tmp_path):
    log, cache = tmp_path / "log", tmp_path / "cache"
    log.mkdir()
    params = dict(n_delays=2, rank=4, random_state=0)
    uninterrupted = DSA(**params).fit_transform(systems)

    (log / "crash").touch()
    dsa = DSA(metric=LoggingMetric(str(log)), n_jobs=2, memory=str(cache), **params)
    with pytest.raises(TerminatedWorkerError):
        dsa.fit_transform(systems)
    (log / "crash").unlink()
    for pair in log.glob("pair-*"):
        pair.unlink()
    resumed = DSA(metric=LoggingMetric(str(log)), n_jobs=2, memory=str(cache),
                  **params).fit_transform(systems)
    np.testing.assert_array_equal(resumed, uninterrupted)
    # Only the chunks that had not finished were computed again.
    recomputed = len(list(log.glob("pair-*")))
    assert 0 < recomputed < 45 and recomputed % 16 in (0, 45 % 16)
    # A third run finds every pair in the cache.
    for pair in log.glob("pair-*"):
        pair.unlink()
    again = DSA(metric=LoggingMetric(str(log)), n_jobs=1, memory=str(cache),
                **params).fit_transform(systems)
    np.testing.assert_array_equal(again, uninterrupted)
    assert not list(log.glob("pair-*"))


def test_the_cache_gives_the_same_matrices_for_any_n_jobs(systems, tmp_path):
    params = dict(n_delays=2, rank=4, random_state=1)
    plain = DSA(**params).fit_transform(systems[:5])
    cached = DSA(memory=str(tmp_path), n_jobs=2, **params)
    np.testing.assert_array_equal(cached.fit_transform(systems[:5]), plain)
    np.testing.assert_array_equal(cached.transform(systems[5:7]),
                                  DSA(**params).fit(systems[:5]).transform(systems[5:7]))
