"""Write fitted skdsa objects, with their inputs and outputs, to a pickle.

The stored ``legacy_0.1.0.pkl`` was written by skdsa 0.1.0 before the
subpackage layout (``skdsa/_dsa.py``, ``skdsa/_dmd.py``, ...), so that
``tests/test_legacy_pickles.py`` proves pickles of that release still load and
compute the same numbers. Rebuild only when the pickle format itself must change
(the point is that it was written by the old code)::

    python tests/data/make_legacy_pickles.py tests/data/legacy_0.1.0.pkl
"""

import pickle
import sys

import numpy as np

import skdsa
from skdsa import (
    DSA,
    DMDcRegressor,
    DMDRegressor,
    GeometricDistance,
    HankelEmbedder,
    InputDSA,
    SubspaceDMDcRegressor,
)
from skdsa.datasets import make_driven_linear, make_point_line_saddle, random_observation
from skdsa.metrics import EigenvalueWasserstein, ProcrustesVectorFieldMetric
from skdsa.preprocessing import ZScorer


def main(path):
    systems = [random_observation(X, noise=0.02, random_state=k)
               for k, X in enumerate(make_point_line_saddle(n_trials=4, n_timepoints=50,
                                                                     random_state=0).values())]
    driven = {f"d{k}": make_driven_linear(dynamics=k % 2, n_trials=3, n_timepoints=60,
                                           random_state=k)
              for k in range(3)}
    query = systems[0][:3]
    hankel = HankelEmbedder(n_delays=3).fit(query)
    dmd = DMDRegressor(rank=4).fit(hankel.transform(query))
    dmdc = DMDcRegressor(rank=3).fit(driven["d0"])
    subspace = SubspaceDMDcRegressor(rank=3).fit(driven["d0"])
    dsa = DSA(n_delays=2, rank=2, random_state=0).fit(systems)
    input_dsa = InputDSA(rank=3, random_state=0).fit(driven)
    geometry = GeometricDistance().fit(systems)
    operators = dsa.operators_
    metric = ProcrustesVectorFieldMetric(random_state=0).fit(operators[0], operators[1])
    wasserstein = EigenvalueWasserstein()
    zscorer = ZScorer().fit(query)
    embedding = hankel.transform(query)
    recording = driven["d1"]
    payload = {
        "version": skdsa.__version__,
        "inputs": {"query": query, "systems": systems, "driven": driven,
                   "operators": operators},
        "objects": {
            "hankel": hankel, "dmd": dmd, "dmdc": dmdc, "subspace": subspace,
            "dsa": dsa, "input_dsa": input_dsa, "geometry": geometry,
            "metric": metric, "wasserstein": wasserstein, "zscorer": zscorer,
            "embedding": embedding, "recording": recording,
        },
        "outputs": {
            "hankel": np.asarray(hankel.transform(query)),
            "dmd": dmd.predict(embedding),
            "dmdc": dmdc.operator_,
            "subspace": subspace.operator_,
            "dsa": dsa.transform(systems[:2]),
            "input_dsa": np.asarray(input_dsa.transform(driven)),
            "geometry": geometry.transform(systems[:2]),
            "metric": metric.pairwise(operators),
            "wasserstein": wasserstein.pairwise(operators),
            "zscorer": zscorer.transform(query),
            "embedding": np.asarray(embedding),
            "recording": recording.states,
        },
    }
    with open(path, "wb") as file:
        pickle.dump(payload, file, protocol=4)


if __name__ == "__main__":
    main(sys.argv[1])
