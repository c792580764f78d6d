"""Labelled recordings: xarray DataArrays are read by their dimension names."""

import numpy as np
import pytest

from skdsa import DSA, DrivenRecording, HankelEmbedder
from skdsa.datasets import make_point_line_saddle, random_observation
from skdsa.stats import bootstrap_distance


@pytest.fixture
def xr(optional_import):
    return optional_import("xarray")


@pytest.fixture(scope="module")
def recordings():
    systems = make_point_line_saddle(n_trials=6, n_timepoints=60, random_state=0)
    return {name: random_observation(X, n_features=5, random_state=k)
            for k, (name, X) in enumerate(systems.items())}  # (trials, time, neurons)


def labelled(xr, X, order):
    """X (trial, time, neuron) as a DataArray stored in the dimension order given."""
    dims = ("trial", "time", "neuron")
    da = xr.DataArray(X, dims=dims, coords={"time": np.arange(X.shape[1]) * 0.05})
    return da.transpose(*order)


@pytest.mark.parametrize("order", [("trial", "time", "neuron"), ("trial", "neuron", "time"),
                                   ("neuron", "time", "trial"), ("time", "neuron", "trial")])
def test_any_storage_order_gives_the_distances_of_the_array(xr, recordings, order):
    expected = DSA(n_delays=3, rank=2, random_state=0).fit_transform(recordings)
    as_arrays = {name: labelled(xr, X, order) for name, X in recordings.items()}
    D = DSA(n_delays=3, rank=2, random_state=0).fit_transform(as_arrays)
    np.testing.assert_array_equal(D, expected)
    assert list(D.index) == list(recordings)
    # A Dataset is a collection with its variable names.
    dataset = xr.Dataset({name: da.rename({"trial": f"trial_{name}"}).rename(
        {f"trial_{name}": "trial"}) for name, da in as_arrays.items()})
    np.testing.assert_array_equal(
        DSA(n_delays=3, rank=2, random_state=0).fit_transform(dataset), expected)


def test_the_transposed_export_is_read_right_only_with_labels(xr, recordings):
    # A MATLAB-style (trials, neurons, time) array read as (trials, time, neurons)
    # is another system; with dimension names it is the same one.
    X = recordings["saddle"]
    transposed = np.ascontiguousarray(X.transpose(0, 2, 1))
    named = xr.DataArray(transposed, dims=("trial", "neuron", "time"))
    embedder = HankelEmbedder(3)
    np.testing.assert_array_equal(np.asarray(embedder.fit_transform(named)),
                                  np.asarray(HankelEmbedder(3).fit_transform(X)))
    assert embedder.n_features_in_ == X.shape[2]


def test_single_series_trials_dimension_and_driven_recordings(xr, recordings):
    X = recordings["line attractor"]
    one = xr.DataArray(X[0].T, dims=("unit", "time"))
    np.testing.assert_array_equal(np.asarray(HankelEmbedder(2).fit_transform(one)),
                                  np.asarray(HankelEmbedder(2).fit_transform(X[0])))
    univariate = xr.DataArray(X[0, :, 0], dims=("time",))
    assert np.asarray(HankelEmbedder(1).fit_transform(univariate)).shape == (60, 1)
    inputs = np.ones(X.shape[:2] + (1,))
    driven = DrivenRecording(xr.DataArray(X.transpose(2, 1, 0), dims=("n", "time", "trials")),
                             xr.DataArray(inputs[..., 0], dims=("trial", "time")))
    np.testing.assert_array_equal(driven.states, X)
    assert driven.inputs.shape == inputs.shape and len(driven) == 6
    # Resampling trials for a bootstrap reads the labels too.
    result = bootstrap_distance(xr.DataArray(X, dims=("trial", "time", "u")), X,
                                DSA(n_delays=2, rank=3, random_state=0), n_bootstrap=2,
                                random_state=0)
    assert result.distance < 1e-6


def test_unreadable_dimensions_and_a_dataarray_as_the_collection_are_refused(xr, recordings):
    X = recordings["point attractor"]
    with pytest.raises(ValueError, match=r"dimensions \('trial', 't', 'neuron'\).*'time'"
                                         r".*rename"):
        HankelEmbedder().fit(xr.DataArray(X, dims=("trial", "t", "neuron")))
    with pytest.raises(ValueError, match=r"System b is a DataArray with dimensions "
                                         r"\('session', 'trial', 'time', 'neuron'\)"):
        DSA().fit({"a": X, "b": xr.DataArray(X[None], dims=("session", "trial", "time",
                                                            "neuron"))})
    with pytest.raises(TypeError, match="a DataArray is one system"):
        DSA().fit(xr.DataArray(X, dims=("trial", "time", "neuron")))
