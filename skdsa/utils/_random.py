"""Integer seeds drawn from a ``random_state``, for work that must not depend on order."""

import numpy as np
from sklearn.utils import check_random_state


def draw_seed(random_state, size=None):
    """One integer seed (``size=None``) or an array of ``size`` seeds from ``random_state``."""
    seeds = check_random_state(random_state).randint(np.iinfo(np.int32).max, size=size)
    return int(seeds) if size is None else seeds
