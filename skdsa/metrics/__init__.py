"""Distances between fitted linear operators."""

from ._driven import DrivenProcrustesMetric, DrivenResult, controllability_matrix
from ._geometric import (
    GeometricMetric,
    cca_distance,
    linear_cka_distance,
    procrustes_shape_distance,
)
from ._pairwise import pairwise_distances
from ._procrustes import (
    ProcrustesResult,
    ProcrustesVectorFieldMetric,
    procrustes_vector_field_distance,
)
from ._wasserstein import EigenvalueWasserstein, eigenvalue_wasserstein

__all__ = [
    "DrivenProcrustesMetric",
    "DrivenResult",
    "EigenvalueWasserstein",
    "GeometricMetric",
    "ProcrustesResult",
    "ProcrustesVectorFieldMetric",
    "cca_distance",
    "controllability_matrix",
    "eigenvalue_wasserstein",
    "linear_cka_distance",
    "pairwise_distances",
    "procrustes_shape_distance",
    "procrustes_vector_field_distance",
]
