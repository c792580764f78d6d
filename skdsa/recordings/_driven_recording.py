"""One system's recording together with the inputs that drove it."""

import numbers

import numpy as np
import pandas as pd

from ._labelled import from_dataarray, is_dataarray
from ._lazy_recording import LazyRecording


def _trial_lengths(data):
    """Lengths of the trials of a recording, and its layout ("2d", "3d" or "list")."""
    if isinstance(data, LazyRecording):  # the recording it is computed from
        return [x.shape[0] for x in data.series], data.layout
    if isinstance(data, (list, tuple)):
        return [np.shape(trial)[0] for trial in data], "list"
    shape = np.shape(data)
    if len(shape) == 2:
        return [shape[0]], "2d"
    if len(shape) == 3:
        return [shape[1]] * shape[0], "3d"
    return None, None


def check_alignment(states, inputs):
    """Refuse inputs whose trial structure differs from the states', naming both."""
    state_lengths, _ = _trial_lengths(states)
    input_lengths, input_layout = _trial_lengths(inputs)
    if input_layout is None:
        raise ValueError(
            f"The inputs must be (n_timepoints, n_inputs), (n_trials, n_timepoints, "
            f"n_inputs) or a list of (n_timepoints_i, n_inputs) arrays; got "
            f"{describe_recording(inputs)}."
        )
    if state_lengths is not None and state_lengths != input_lengths:
        what = ("trials" if len(state_lengths) != len(input_lengths)
                else "timepoints per trial")
        raise ValueError(
            f"The inputs do not match the states in their {what}: states are "
            f"{describe_recording(states)}, inputs are {describe_recording(inputs)}. "
            "Give the inputs the trial structure of the states (one input sample per "
            "state sample, in the same trials)."
        )


def describe_recording(data):
    """A short description of a recording's structure, for error messages."""
    if isinstance(data, LazyRecording):
        return data.describe()
    if isinstance(data, (list, tuple)):
        return f"a list of {len(data)} trials of lengths {[np.shape(x)[0] for x in data]}"
    return f"an array of shape {np.shape(data)}"


class DrivenRecording:
    """One system's recording together with the inputs that drove it.

    The states (what was recorded) and the inputs (what drove the system: stimuli,
    task cues, input from other areas) share their time axis, trial by trial.
    Input-driven models (:class:`DMDcRegressor`, :class:`SubspaceDMDcRegressor`)
    fit ``x[t + 1] ~= A x[t] + B u[t]`` from it, and :class:`HankelEmbedder` delay
    embeds the states while keeping the inputs aligned. A collection of driven
    systems (for :class:`InputDSA`) is a dict, list or pandas Series of them.

    scikit-learn's cross-validation indexes axis 0, so a DrivenRecording of trials
    splits into training and test trials with the inputs following their states
    (see Notes).

    Parameters
    ----------
    states : array-like of shape (n_timepoints, n_features) or \
            (n_trials, n_timepoints, n_features), list of 2D arrays, or DelayEmbedding
        The recorded states (trials of different lengths as a list).
    inputs : array-like of shape (n_timepoints, n_inputs) or \
            (n_trials, n_timepoints, n_inputs), or list of 2D arrays
        The inputs, with the trial structure of ``states``: the same number of
        trials, each as long as its states. A 1D array is one input channel of a
        single series. Never modified. The structures are checked when a model
        fits the recording (so that :class:`InputDSA` can name the system).
    conditions : array-like of shape (n_trials,) or None, default=None
        The task condition of each trial (any hashable labels), for analyses
        that compare condition-averaged trajectories (:class:`GeometricDistance`).

    Attributes
    ----------
    states, inputs, conditions
        As given (``conditions`` as an array).

    See Also
    --------
    DMDcRegressor : DMD with control, fitted to a DrivenRecording.
    InputDSA : Input-driven DSA between driven systems.

    Notes
    -----
    Axis 0 is the trial axis for trials (a 3D array or a list) and the time axis
    for one series (2D), as for the states alone: ``recording[[0, 2]]`` keeps
    trials 0 and 2 of both states and inputs, which is how ``GridSearchCV`` and
    ``cross_val_score`` split it (trials as the CV unit).

    Examples
    --------
    >>> import numpy as np
    >>> from skdsa import DrivenRecording
    >>> states, inputs = np.zeros((10, 50, 3)), np.ones((10, 50, 1))
    >>> recording = DrivenRecording(states, inputs)
    >>> len(recording), recording[[0, 1]].inputs.shape
    (10, (2, 50, 1))
    """

    def __init__(self, states, inputs, conditions=None):
        if isinstance(states, DrivenRecording):
            raise TypeError("states is already a DrivenRecording; pass its states.")
        if isinstance(inputs, (pd.DataFrame, pd.Series)):
            inputs = inputs.to_numpy()
        states = from_dataarray(states, "states") if is_dataarray(states) else states
        inputs = from_dataarray(inputs, "inputs") if is_dataarray(inputs) else inputs
        if not isinstance(inputs, (list, tuple)) and np.ndim(inputs) == 1:
            inputs = np.reshape(inputs, (-1, 1))
        self.states = states
        self.inputs = inputs
        self.conditions = None if conditions is None else np.asarray(conditions)

    @property
    def shape(self):
        """``(len(self),)``: the axis that scikit-learn's indexing splits."""
        return (len(self),)

    def __len__(self):
        lengths, layout = _trial_lengths(self.inputs)
        return lengths[0] if layout == "2d" else len(lengths)

    def __getitem__(self, key):
        if isinstance(key, tuple) and len(key) == 2 and key[1] is Ellipsis:
            key = key[0]  # scikit-learn's array indexing: recording[key, ...]
        conditions = None if self.conditions is None else self.conditions[key]
        return DrivenRecording(take_trials(self.states, key), take_trials(self.inputs, key),
                               conditions)

    def __repr__(self):
        return (f"DrivenRecording(states={describe_recording(self.states)}, "
                f"inputs={describe_recording(self.inputs)})")


def take_trials(data, key):
    """Axis-0 selection of an array, DataFrame, list of trials or lazy recording."""
    if isinstance(data, LazyRecording):
        return data.take(key)
    if isinstance(data, (list, tuple)):
        if isinstance(key, numbers.Integral):
            return data[key]
        if isinstance(key, slice):
            return list(data[key])
        key = np.asarray(key)
        if key.dtype == bool:
            key = np.flatnonzero(key)
        return [data[i] for i in key]
    if isinstance(data, pd.DataFrame):
        return data.iloc[key]
    return np.asarray(data)[key]
