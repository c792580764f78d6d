"""Linear models of a (delay-embedded) recording: the operator ``A`` that DSA compares.

DMD (:class:`DMDRegressor`), DMD with control (:class:`DMDcRegressor`) and subspace
identification (:class:`SubspaceDMDcRegressor`); the rank rules (``_rank``), the
solver paths (``_solvers``) and residual DMD (``_residuals``) in their own modules;
what the fitted operators do beyond their eigenvalues (``operator_statistics``).
"""

from ._dmd import DMDRegressor
from ._dmdc import DMDcRegressor
from ._operator_statistics import (
    departure_from_normality,
    operator_statistics,
    transient_growth,
)
from ._rank import optimal_hard_threshold_rank
from ._subspace_dmdc import SubspaceDMDcRegressor

__all__ = ["DMDRegressor", "DMDcRegressor", "SubspaceDMDcRegressor",
           "departure_from_normality", "operator_statistics", "optimal_hard_threshold_rank",
           "transient_growth"]
