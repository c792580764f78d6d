"""Distances between fitted linear operators."""

from ._pairwise import pairwise_distances
from ._procrustes import (
    ProcrustesResult,
    ProcrustesVectorFieldMetric,
    procrustes_vector_field_distance,
)
from ._wasserstein import EigenvalueWasserstein, eigenvalue_wasserstein

__all__ = [
    "EigenvalueWasserstein",
    "ProcrustesResult",
    "ProcrustesVectorFieldMetric",
    "eigenvalue_wasserstein",
    "pairwise_distances",
    "procrustes_vector_field_distance",
]
