"""Recordings from Neurodata Without Borders (NWB) files, trial by trial."""

import numpy as np
from sklearn.utils import Bunch

from ._driven_recording import DrivenRecording


def _find_series(nwbfile, name):
    """A TimeSeries by name: in acquisition, stimulus or a processing module."""
    if "/" in name:
        module, key = name.split("/", 1)
        if module in nwbfile.processing and key in nwbfile.processing[module].data_interfaces:
            return nwbfile.processing[module][key]
    for group in (nwbfile.acquisition, nwbfile.stimulus):
        if name in group:
            return group[name]
    for module in nwbfile.processing.values():
        if name in module.data_interfaces:
            return module[name]
    available = (list(nwbfile.acquisition) + list(nwbfile.stimulus)
                 + [f"{m}/{k}" for m, module in nwbfile.processing.items()
                    for k in module.data_interfaces])
    if nwbfile.units is not None:
        available.append("units")
    raise ValueError(f"The NWB file has no time series {name!r}; it has {available}. Pass "
                     "one of these names (a processing module's as 'module/name').")


def _sample_times(series):
    if series.timestamps is not None:
        return np.asarray(series.timestamps[:], dtype=np.float64)
    return series.starting_time + np.arange(len(series.data)) / series.rate


def _windows(trials, window, align):
    """Start and stop time of every trial (seconds)."""
    if window is None:
        return trials["start_time"].to_numpy(float), trials["stop_time"].to_numpy(float)
    if align not in trials:
        raise ValueError(f"align={align!r} is not a column of the trials table; it has "
                         f"{list(trials.columns)}.")
    anchor = trials[align].to_numpy(float)
    return anchor + window[0], anchor + window[1]


def _read_series(series, starts, stops, fixed_length):
    """Samples of a TimeSeries inside each window, and their times."""
    times = _sample_times(series)
    regular = series.timestamps is None
    n = int(round((stops[0] - starts[0]) * series.rate)) if fixed_length and regular else None
    tolerance = 1e-9 * max(1.0, np.abs(times).max())
    trials, trial_times = [], []
    for start, stop in zip(starts, stops):
        first = int(np.searchsorted(times, start - tolerance))
        last = first + n if n is not None else int(np.searchsorted(times, stop - tolerance))
        if last > len(times) or last <= first:
            raise ValueError(f"The window [{start:.4g}, {stop:.4g}) s holds no full run of "
                             f"samples of {series.name!r} (recorded from {times[0]:.4g} to "
                             f"{times[-1]:.4g} s). Narrow the window or drop the trial.")
        data = np.asarray(series.data[first:last], dtype=np.float64)
        trials.append(data.reshape(len(data), -1))
        trial_times.append(times[first:last])
    return trials, trial_times


def _bin_units(units, starts, stops, bin_size, fixed_length):
    """Spike counts of every unit in bins of ``bin_size`` seconds inside each window."""
    spikes = [np.asarray(units["spike_times"][i], dtype=np.float64) for i in range(len(units))]
    trials, trial_times = [], []
    for start, stop in zip(starts, stops):
        n_bins = (int(round((stops[0] - starts[0]) / bin_size)) if fixed_length
                  else int(np.floor((stop - start) / bin_size + 1e-9)))
        edges = start + bin_size * np.arange(n_bins + 1)
        trials.append(np.stack([np.histogram(s, edges)[0] for s in spikes], axis=1)
                      .astype(np.float64))
        trial_times.append(edges[:-1] + bin_size / 2)
    return trials, trial_times


def read_nwb(source, series, *, window=None, align="start_time", bin_size=None,
             inputs=None, conditions=None):
    """One system's trials from an NWB file, as a recording skdsa takes.

    Cuts a time series (or the spike trains of the units table, binned) into the
    trials of the file's trials table. Needs ``pynwb`` (``pip install
    "skdsa[nwb]"``). Spike counts become rates with
    :class:`~skdsa.preprocessing.GaussianSmoother` or
    :class:`~skdsa.preprocessing.Binner` inside the per-system model.

    Parameters
    ----------
    source : str, path-like or pynwb.NWBFile
        The file, or an NWBFile already read (and still open).
    series : str
        A TimeSeries of the file (in ``acquisition``, ``stimulus``, or a processing
        module, there as ``"module/name"``), its data ``(n_samples,
        n_channels)``; or ``"units"``: the spike times of the units table,
        counted in bins of ``bin_size`` seconds.
    window : (float, float) or None, default=None
        Seconds, relative to the trials-table column ``align``, that make a trial:
        every trial gets the same number of samples. None takes each trial from
        its ``start_time`` to its ``stop_time`` (trials may then differ in
        length).
    align : str, default="start_time"
        The trials-table column (event times, in seconds) that ``window`` is
        relative to, e.g. a stimulus onset.
    bin_size : float or None, default=None
        Bin width in seconds; required for ``series="units"``.
    inputs : str or None, default=None
        A TimeSeries of what drove the system (stimulus, task cues), linearly
        interpolated at the recording's sample times (the bin centres for units).
        Given, the recording is a :class:`~skdsa.DrivenRecording` (for
        :class:`~skdsa.InputDSA`).
    conditions : str or None, default=None
        A trials-table column of condition labels, returned and, with
        ``inputs``, kept by the DrivenRecording.

    Returns
    -------
    data : Bunch
        ``recording``: ``(n_trials, n_timepoints, n_features)`` when all trials
        have one length, else a list of ``(n_timepoints_i, n_features)`` arrays,
        or a DrivenRecording; ``times``: the sample times of each trial
        (seconds, list of arrays); ``conditions``: array or None; ``trials``:
        the trials table (DataFrame); ``feature_names``: channel indices, or
        the units' ids.

    Examples
    --------
    >>> from skdsa import DSA                                      # doctest: +SKIP
    >>> from skdsa.recordings import read_nwb                      # doctest: +SKIP
    >>> systems = {path: read_nwb(path, "units", bin_size=0.02,    # doctest: +SKIP
    ...                           window=(-0.2, 1.0), align="stimulus_onset").recording
    ...            for path in ["session1.nwb", "session2.nwb"]}
    >>> DSA(n_delays=10, rank=20).fit_transform(systems)           # doctest: +SKIP
    """
    try:
        from pynwb import NWBHDF5IO
    except ImportError:
        raise ImportError("read_nwb needs pynwb: pip install 'skdsa[nwb]'.") from None
    if not hasattr(source, "trials"):
        with NWBHDF5IO(str(source), "r") as io:
            return read_nwb(io.read(), series, window=window, align=align, bin_size=bin_size,
                            inputs=inputs, conditions=conditions)
    nwbfile = source
    if nwbfile.trials is None or len(nwbfile.trials) == 0:
        raise ValueError("The NWB file has no trials table; read_nwb cuts the recording "
                         "into its trials. Add one (nwbfile.add_trial) or pass the whole "
                         "series as one recording.")
    if window is not None and not window[0] < window[1]:
        raise ValueError(f"window must be (start, stop) with start < stop; got {window}.")
    trials = nwbfile.trials.to_dataframe()
    starts, stops = _windows(trials, window, align)
    if series == "units":
        if bin_size is None or bin_size <= 0:
            raise ValueError(f"series='units' counts spikes in bins: pass bin_size, a "
                             f"positive number of seconds (e.g. 0.01); got {bin_size!r}.")
        if nwbfile.units is None:
            raise ValueError("The NWB file has no units table; pass the name of a time "
                             "series instead.")
        data, times = _bin_units(nwbfile.units, starts, stops, bin_size, window is not None)
        feature_names = [str(i) for i in nwbfile.units.id[:]]
    else:
        data, times = _read_series(_find_series(nwbfile, series), starts, stops,
                                   window is not None)
        feature_names = [str(k) for k in range(data[0].shape[1])]
    labels = None
    if conditions is not None:
        if conditions not in trials:
            raise ValueError(f"conditions={conditions!r} is not a column of the trials "
                             f"table; it has {list(trials.columns)}.")
        labels = trials[conditions].to_numpy()
    recording = np.stack(data) if len({len(x) for x in data}) == 1 else data
    if inputs is not None:
        drive = _find_series(nwbfile, inputs)
        values = np.asarray(drive.data[:], dtype=np.float64)
        values = values.reshape(len(values), -1)
        drive_times = _sample_times(drive)
        driven = [np.column_stack([np.interp(t, drive_times, column) for column in values.T])
                  for t in times]
        driven = np.stack(driven) if isinstance(recording, np.ndarray) else driven
        recording = DrivenRecording(recording, driven, labels)
    return Bunch(recording=recording, times=times, conditions=labels, trials=trials,
                 feature_names=feature_names)
