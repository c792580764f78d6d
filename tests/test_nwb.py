"""Reading systems from NWB files: files written by pynwb itself, read back trial by trial."""

from datetime import datetime, timezone

import numpy as np
import pytest
from sklearn.pipeline import Pipeline

from skdsa import DSA, DMDRegressor, DrivenRecording, HankelEmbedder, InputDSA
from skdsa.datasets import make_driven_linear, make_rnn
from skdsa.preprocessing import GaussianSmoother
from skdsa.recordings import read_nwb

RATE = 100.0  # Hz


@pytest.fixture
def pynwb(optional_import):
    return optional_import("pynwb")


def write_nwb(pynwb, path, states, inputs=None, spikes=None, trial_length=1.0, gap=0.5):
    """A file with states (n_trials, n_samples, n_channels) recorded back to back at RATE
    with gaps, a trials table (with a condition and an onset column), optional inputs
    and units."""
    nwbfile = pynwb.NWBFile(session_description="skdsa test", identifier=str(path),
                            session_start_time=datetime(2026, 1, 1, tzinfo=timezone.utc))
    n_trials, n_samples, _ = states.shape
    period = trial_length + gap
    gap_samples = int(round(gap * RATE))
    pad = lambda x: np.concatenate(  # noqa: E731
        [np.concatenate([trial, np.full((gap_samples, x.shape[2]), np.nan)]) for trial in x])
    nwbfile.add_acquisition(pynwb.TimeSeries(name="rates", data=pad(states), unit="Hz",
                                             rate=RATE, starting_time=0.0))
    if inputs is not None:
        nwbfile.add_stimulus(pynwb.TimeSeries(name="drive", data=pad(inputs), unit="a.u.",
                                              rate=RATE, starting_time=0.0))
    nwbfile.add_trial_column(name="condition", description="task condition")
    nwbfile.add_trial_column(name="onset", description="stimulus onset (s)")
    for k in range(n_trials):
        nwbfile.add_trial(start_time=k * period, stop_time=k * period + trial_length,
                          condition=f"c{k % 2}", onset=k * period + 0.2)
    for unit_spikes in spikes or []:
        nwbfile.add_unit(spike_times=unit_spikes)
    with pynwb.NWBHDF5IO(str(path), "w") as io:
        io.write(nwbfile)
    return path


def test_a_time_series_is_cut_into_the_trials(pynwb, tmp_path):
    states = np.random.default_rng(0).normal(size=(4, 100, 3))
    path = write_nwb(pynwb, tmp_path / "a.nwb", states)
    data = read_nwb(path, "rates", conditions="condition")
    np.testing.assert_array_equal(data.recording, states)
    assert list(data.conditions) == ["c0", "c1", "c0", "c1"]
    np.testing.assert_allclose(data.times[1], 1.5 + np.arange(100) / RATE)
    # A window around another event: the same number of samples in every trial.
    window = read_nwb(path, "rates", window=(-0.1, 0.5), align="onset").recording
    np.testing.assert_array_equal(window, states[:, 10:70])
    # Trials of different lengths (stop_time) come back as a list.
    assert read_nwb(path, "rates").recording.shape == (4, 100, 3)


def test_spike_times_are_counted_in_bins_per_trial(pynwb, tmp_path):
    spikes = [[0.005, 0.012, 0.019, 1.51, 1.52], [0.5, 2.01]]
    path = write_nwb(pynwb, tmp_path / "units.nwb", np.zeros((2, 100, 1)), spikes=spikes)
    data = read_nwb(path, "units", bin_size=0.01)
    counts = data.recording
    assert counts.shape == (2, 100, 2) and data.feature_names == ["0", "1"]
    assert counts[0, :, 0].tolist()[:3] == [1, 2, 0]  # 0.005 | 0.012, 0.019
    assert counts[1, 1, 0] == 1 and counts[1, 2, 0] == 1  # 1.51, 1.52 in trial 1
    assert counts[0, 50, 1] == 1 and counts[1, 51, 1] == 1
    assert counts.sum() == len(spikes[0]) + len(spikes[1])
    np.testing.assert_allclose(data.times[0][:2], [0.005, 0.015])
    with pytest.raises(ValueError, match="pass bin_size"):
        read_nwb(path, "units")


def test_inputs_make_a_driven_recording_for_input_dsa(pynwb, tmp_path):
    systems = {}
    for k in range(3):
        recording = make_driven_linear(dynamics=k // 2, n_trials=6, n_timepoints=100,
                                       random_state=k)
        path = write_nwb(pynwb, tmp_path / f"driven{k}.nwb", recording.states,
                         inputs=recording.inputs)
        data = read_nwb(path, "rates", inputs="drive", conditions="condition")
        assert isinstance(data.recording, DrivenRecording)
        np.testing.assert_allclose(data.recording.inputs, recording.inputs, atol=1e-12)
        assert list(data.recording.conditions) == list(data.conditions)
        systems[path.stem] = data.recording
    from_files = InputDSA(random_state=0).fit_transform(systems)
    direct = InputDSA(random_state=0).fit_transform({
        f"driven{k}": make_driven_linear(dynamics=k // 2, n_trials=6, n_timepoints=100,
                                         random_state=k) for k in range(3)})
    np.testing.assert_allclose(from_files.to_numpy(), direct.to_numpy(), atol=1e-10)


def test_spikes_to_rates_to_a_distance_matrix(pynwb, tmp_path):
    # Poisson spikes of rate networks (two of one gain, one of another), counted in
    # 10 ms bins and smoothed into rates by the per-system model.
    rng = np.random.default_rng(1)
    systems = {}
    for k, gain in enumerate([0.5, 0.5, 2.0]):
        rates = 100 * (1 + make_rnn(n_units=6, gain=gain, n_trials=8, n_timepoints=200,
                                    random_state=k))
        spikes = [np.sort(np.concatenate([
            trial * 2.5 + np.flatnonzero(rng.random(200) < rates[trial, :, u] / RATE) / RATE
            for trial in range(8)])) for u in range(6)]
        path = write_nwb(pynwb, tmp_path / f"s{k}.nwb", np.zeros((8, 200, 1)), spikes=spikes,
                         trial_length=2.0)
        systems[f"gain {gain} #{k}"] = read_nwb(path, "units", bin_size=0.01).recording
    model = Pipeline([("smooth", GaussianSmoother(sigma=3)), ("hankel", HankelEmbedder(2)),
                      ("dmd", DMDRegressor(rank=4))])
    D = DSA(model=model, random_state=0).fit_transform(systems).to_numpy()
    assert D[0, 1] < 0.5 * min(D[0, 2], D[1, 2])  # measured: 0.008 against 0.024-0.029


def test_missing_pieces_are_named(pynwb, tmp_path):
    path = write_nwb(pynwb, tmp_path / "a.nwb", np.zeros((2, 100, 1)))
    with pytest.raises(ValueError, match=r"no time series 'lfp'; it has \['rates'\]"):
        read_nwb(path, "lfp")
    with pytest.raises(ValueError, match="'cue' is not a column of the trials table"):
        read_nwb(path, "rates", window=(0, 0.1), align="cue")
    with pytest.raises(ValueError, match="holds no full run of samples"):
        read_nwb(path, "rates", window=(0, 5.0))
