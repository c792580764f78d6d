import numpy as np
import pytest


@pytest.fixture
def series():
    """A small valid recording: 3 trials x 40 steps x 2 features, read-only."""
    X = np.random.default_rng(0).normal(size=(3, 40, 2)).cumsum(axis=1)
    X.setflags(write=False)
    return X
