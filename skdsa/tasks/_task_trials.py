"""A batch of task trials: inputs, targets, the loss mask and conditions."""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TaskTrials:
    """A batch of trials of a task.

    Attributes
    ----------
    inputs : ndarray of shape (n_trials, n_timepoints, n_inputs)
    targets : ndarray of shape (n_trials, n_timepoints, n_outputs)
    mask : ndarray of shape (n_trials, n_timepoints)
        Weight of each timepoint in the loss and the accuracy (1 where the
        output is scored).
    conditions : ndarray of shape (n_trials,)
        The condition of each trial (integer labels; see the generator).
    """

    inputs: np.ndarray
    targets: np.ndarray
    mask: np.ndarray
    conditions: np.ndarray
