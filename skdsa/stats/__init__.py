"""How much to trust a distance: noise floors, permutation tests, bootstrap intervals,
how well distances separate groups, and how much they depend on hyperparameters."""

from ._bootstrap import BootstrapResult, bootstrap_distance
from ._noise_floor import noise_floor
from ._permanova import PermanovaResult, permanova
from ._robustness import RobustnessResult, robustness
from ._separability import SeparabilityResult, separability

__all__ = [
    "BootstrapResult",
    "PermanovaResult",
    "RobustnessResult",
    "SeparabilityResult",
    "bootstrap_distance",
    "noise_floor",
    "permanova",
    "robustness",
    "separability",
]
