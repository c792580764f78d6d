"""Pickles written by skdsa 0.1.0, before the subpackage layout, still load and compute.

``tests/data/legacy_0.1.0.pkl`` was written by ``tests/data/make_legacy_pickles.py``
when the classes lived in top-level private modules (``skdsa._dsa``, ...).
"""

import pickle
from pathlib import Path

import numpy as np
import pytest

import skdsa
from skdsa.metrics import EigenvalueWasserstein, ProcrustesVectorFieldMetric
from skdsa.preprocessing import ZScorer

PICKLE = Path(__file__).parent / "data" / "legacy_0.1.0.pkl"

CLASSES = {
    "hankel": skdsa.HankelEmbedder, "dmd": skdsa.DMDRegressor, "dmdc": skdsa.DMDcRegressor,
    "subspace": skdsa.SubspaceDMDcRegressor, "dsa": skdsa.DSA, "input_dsa": skdsa.InputDSA,
    "geometry": skdsa.GeometricDistance, "metric": ProcrustesVectorFieldMetric,
    "wasserstein": EigenvalueWasserstein, "zscorer": ZScorer,
    "embedding": skdsa.DelayEmbedding, "recording": skdsa.DrivenRecording,
}


@pytest.fixture(scope="module")
def legacy():
    with open(PICKLE, "rb") as file:
        return pickle.load(file)


def test_the_pickle_was_written_by_the_old_layout():
    # The stored bytes name the old private modules: the test really loads old paths.
    data = PICKLE.read_bytes()
    assert b"skdsa._dsa" in data and b"skdsa._dmd" in data and b"skdsa._hankel" in data


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_legacy_objects_are_todays_classes(legacy, name):
    assert type(legacy["objects"][name]) is CLASSES[name]


def test_legacy_objects_compute_what_they_computed(legacy):
    objects, inputs, outputs = legacy["objects"], legacy["inputs"], legacy["outputs"]
    query, systems, driven = inputs["query"], inputs["systems"], inputs["driven"]
    embedding = objects["hankel"].transform(query)
    results = {
        "hankel": np.asarray(embedding),
        "dmd": objects["dmd"].predict(embedding),
        "dmdc": objects["dmdc"].operator_,
        "subspace": objects["subspace"].operator_,
        "dsa": objects["dsa"].transform(systems[:2]),
        "input_dsa": np.asarray(objects["input_dsa"].transform(driven)),
        "geometry": objects["geometry"].transform(systems[:2]),
        "metric": objects["metric"].pairwise(inputs["operators"]),
        "wasserstein": objects["wasserstein"].pairwise(inputs["operators"]),
        "zscorer": objects["zscorer"].transform(query),
        "embedding": np.asarray(objects["embedding"]),
        "recording": objects["recording"].states,
    }
    assert results.keys() == outputs.keys()
    for name, result in results.items():
        np.testing.assert_allclose(result, outputs[name], rtol=1e-9, atol=1e-12, err_msg=name)
