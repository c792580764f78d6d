"""skdsa: Dynamical Similarity Analysis as scikit-learn estimators."""

from ._delay_embedding import DelayEmbedding
from ._dmd import DMDRegressor
from ._dmdc import DMDcRegressor
from ._driven_recording import DrivenRecording
from ._dsa import DSA, NoiseModeWarning
from ._geometry import GeometricDistance
from ._hankel import HankelEmbedder
from ._input_dsa import InputDSA
from ._subspace_dmdc import SubspaceDMDcRegressor
from .metrics import (
    DrivenProcrustesMetric,
    EigenvalueWasserstein,
    ProcrustesVectorFieldMetric,
    eigenvalue_wasserstein,
    procrustes_vector_field_distance,
)

__version__ = "0.1.0"

__all__ = [
    "DMDRegressor",
    "DMDcRegressor",
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
    "eigenvalue_wasserstein",
    "procrustes_vector_field_distance",
]
