"""Comparisons of whole collections of systems: a distance matrix from recordings.

:class:`DSA` (a linear model per system, then an operator metric between all
pairs), :class:`InputDSA` for driven systems, and the geometric baselines of
:class:`GeometricDistance`, on the shared base ``CollectionDistance``.
"""

from ._distance import dsa_distance
from ._dsa import DSA
from ._geometry import GeometricDistance
from ._input_dsa import InputDSA

__all__ = ["DSA", "GeometricDistance", "InputDSA", "dsa_distance"]
