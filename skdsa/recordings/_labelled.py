"""Labelled arrays (xarray) read by their dimension names, never by their storage order."""

import numpy as np

TIME_DIMS = ("time",)
TRIAL_DIMS = ("trial", "trials")


def is_dataarray(X):
    """Whether ``X`` is an xarray DataArray (xarray itself is not imported)."""
    return type(X).__name__ == "DataArray" and type(X).__module__.split(".")[0] == "xarray"


def is_dataset(X):
    """Whether ``X`` is an xarray Dataset."""
    return type(X).__name__ == "Dataset" and type(X).__module__.split(".")[0] == "xarray"


def from_dataarray(X, name="X"):
    """One system's recording from a DataArray, ordered by its dimension names.

    Parameters
    ----------
    X : xarray.DataArray
        Dimensions ``time``, optionally ``trial`` (or ``trials``), and at most one
        more: the features (neurons, units, channels; any name), in any order.
    name : str, default="X"
        Name used in error messages.

    Returns
    -------
    recording : ndarray of shape (n_timepoints, n_features) or \
            (n_trials, n_timepoints, n_features)
        float64, a new array (the DataArray is not changed).
    """
    dims = [str(dim) for dim in X.dims]
    time = [dim for dim in dims if dim.lower() in TIME_DIMS]
    trial = [dim for dim in dims if dim.lower() in TRIAL_DIMS]
    features = [dim for dim in dims if dim not in time + trial]
    if len(time) != 1 or len(trial) > 1 or len(features) > 1:
        raise ValueError(
            f"{name} is a DataArray with dimensions {tuple(dims)}; skdsa reads one named "
            "'time', optionally one named 'trial', and at most one more for the features "
            "(any name, e.g. 'neuron'). Rename them, e.g. X.rename({'t': 'time', "
            "'rep': 'trial'}), or select or stack the extra dimensions."
        )
    values = np.array(X.transpose(*trial, *time, *features).values, dtype=np.float64)
    return values if features else values[..., None]
