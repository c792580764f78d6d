"""skdsa: Dynamical Similarity Analysis as scikit-learn estimators."""

from ._delay_embedding import DelayEmbedding
from ._dmd import DMDRegressor
from ._dsa import DSA, NoiseModeWarning
from ._geometry import GeometricDistance
from ._hankel import HankelEmbedder
from .metrics import (
    EigenvalueWasserstein,
    ProcrustesVectorFieldMetric,
    eigenvalue_wasserstein,
    procrustes_vector_field_distance,
)

__version__ = "0.1.0"

__all__ = [
    "DMDRegressor",
    "DelayEmbedding",
    "DSA",
    "EigenvalueWasserstein",
    "GeometricDistance",
    "HankelEmbedder",
    "NoiseModeWarning",
    "ProcrustesVectorFieldMetric",
    "__version__",
    "eigenvalue_wasserstein",
    "procrustes_vector_field_distance",
]
