"""Checks of the input of models that fit delay-embedded (and driven) recordings."""

import numpy as np

from ..recordings import DrivenRecording
from ..recordings._driven_recording import check_alignment
from ..recordings._validation import check_n_features, check_series, read_trials, restore_layout
from ._delay_embedding import DelayEmbedding


def check_embedding(X, *, estimator, reset):
    """Validate the input of a model that fits (embedded) time series.

    Parameters
    ----------
    X : DelayEmbedding or input of :func:`check_series`
        A lazy delay embedding (from :class:`~skdsa.HankelEmbedder`), or a
        recording that is used as it is.
    estimator : estimator instance
        As in :func:`check_series`.
    reset : bool
        Whether this is a call to ``fit``.

    Returns
    -------
    embedding : DelayEmbedding
        ``X`` itself, or the recording wrapped as an embedding with one delay.
    """
    if isinstance(X, DelayEmbedding):
        check_n_features(estimator, X.n_features, reset)
        return X
    series, layout = check_series(X, estimator=estimator, reset=reset)
    return DelayEmbedding(series, layout, n_delays=1, delay_interval=1)


def check_driven(X, *, estimator, reset, n_inputs=None):
    """Validate the input of a model that fits states driven by inputs.

    Parameters
    ----------
    X : DrivenRecording, or input of :func:`check_series` with ``n_inputs``
        States with their inputs (the states possibly a lazy delay embedding),
        or, when ``n_inputs`` is given, a recording whose last ``n_inputs``
        features are the inputs.
    estimator : estimator instance
        ``n_features_in_`` (state columns) and ``n_inputs_in_`` are set on it
        (``reset=True``) or compared with it (``reset=False``).
    reset : bool
        Whether this is a call to ``fit``.
    n_inputs : int or None, default=None
        How many trailing features of a plain recording are inputs.

    Returns
    -------
    states : DelayEmbedding
        The states, as :func:`check_embedding` returns them.
    inputs : list of ndarray of shape (n_timepoints_i, n_inputs)
        float64 input trials, each as long as its (raw) state trial.
    """
    name = type(estimator).__name__
    if not isinstance(X, DrivenRecording):
        if n_inputs is None:
            raise ValueError(
                f"{name} fits states driven by inputs, but got {_describe_plain(X)} "
                "without inputs. Pass DrivenRecording(states, inputs), or set "
                "n_inputs to read the last n_inputs features of X as the inputs."
            )
        series, layout = read_trials(X)
        if series[0].shape[1] <= n_inputs:
            raise ValueError(
                f"n_inputs={n_inputs} leaves no state feature: X has "
                f"{series[0].shape[1]} feature(s). The last n_inputs features are "
                "read as inputs; lower n_inputs."
            )
        states = restore_layout([x[:, :-n_inputs] for x in series], layout)
        X = DrivenRecording(states, [x[:, -n_inputs:] for x in series])
    check_alignment(X.states, X.inputs)
    inputs, _ = read_trials(X.inputs, name="u (the inputs)")
    expected = getattr(estimator, "n_inputs_in_", None)
    if reset:
        estimator.n_inputs_in_ = inputs[0].shape[1]
    elif expected is not None and inputs[0].shape[1] != expected:
        raise ValueError(
            f"The inputs have {inputs[0].shape[1]} features, but {name} was fitted "
            f"with {expected} inputs."
        )
    return check_embedding(X.states, estimator=estimator, reset=reset), inputs


def _describe_plain(X):
    if isinstance(X, (list, tuple)):
        return f"a list of {len(X)} series"
    return f"an array of shape {np.shape(X)}"
