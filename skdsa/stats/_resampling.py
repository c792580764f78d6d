"""Trials of a system, for splitting and resampling."""

import numpy as np
import pandas as pd

from ..recordings._labelled import from_dataarray, is_dataarray


def as_trials(system):
    """The trials of one system as a list of 2D arrays (a single series is one trial)."""
    if is_dataarray(system):
        system = from_dataarray(system, "the system")
    if isinstance(system, pd.DataFrame):
        return [system.to_numpy(dtype=np.float64)]
    if isinstance(system, (list, tuple)):
        return [np.asarray(trial, dtype=np.float64) for trial in system]
    array = np.asarray(system, dtype=np.float64)
    return list(array) if array.ndim == 3 else [array]
