"""skdsa: Dynamical Similarity Analysis as scikit-learn estimators.

The subpackages read as the pipeline, bottom layer first (CONTRIBUTING.md):
``recordings`` -> ``embedding`` -> ``dmd`` -> ``metrics`` -> ``comparison`` ->
``stats`` and ``plotting``; ``preprocessing``, ``tasks``, ``zoo`` and ``datasets``
beside them.
"""

import sys

from . import comparison, dmd, embedding, recordings
from .comparison import DSA, GeometricDistance, InputDSA, dsa_distance
from .dmd import DMDcRegressor, DMDRegressor, SubspaceDMDcRegressor
from .embedding import DelayEmbedding, HankelEmbedder
from .exceptions import DegenerateOperatorWarning, NoiseModeWarning
from .metrics import (
    DrivenProcrustesMetric,
    EigenvalueWasserstein,
    ProcrustesVectorFieldMetric,
    eigenvalue_wasserstein,
    procrustes_vector_field_distance,
)
from .recordings import DrivenRecording

__version__ = "0.1.0"

# Modules of skdsa 0.1.0 that moved into subpackages, so that its pickles still load.
_MOVED_MODULES = {
    "_delay_embedding": embedding._delay_embedding,
    "_hankel": embedding._hankel,
    "_driven_recording": recordings._driven_recording,
    "_dmd": dmd._dmd,
    "_dmdc": dmd._dmdc,
    "_subspace_dmdc": dmd._subspace_dmdc,
    "_collection": comparison._collection,
    "_dsa": comparison._dsa,
    "_input_dsa": comparison._input_dsa,
    "_geometry": comparison._geometry,
}
for _old, _module in _MOVED_MODULES.items():
    sys.modules.setdefault(f"{__name__}.{_old}", _module)
del _old, _module

__all__ = [
    "DMDRegressor",
    "DMDcRegressor",
    "DegenerateOperatorWarning",
    "DelayEmbedding",
    "DrivenProcrustesMetric",
    "DrivenRecording",
    "DSA",
    "EigenvalueWasserstein",
    "GeometricDistance",
    "HankelEmbedder",
    "InputDSA",
    "NoiseModeWarning",
    "ProcrustesVectorFieldMetric",
    "SubspaceDMDcRegressor",
    "__version__",
    "dsa_distance",
    "eigenvalue_wasserstein",
    "procrustes_vector_field_distance",
]
