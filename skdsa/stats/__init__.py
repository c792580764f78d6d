"""How much to trust a distance: noise floors, permutation tests, bootstrap intervals,
and how well distances separate groups."""

from ._bootstrap import BootstrapResult, bootstrap_distance
from ._noise_floor import noise_floor
from ._permanova import PermanovaResult, permanova
from ._separability import SeparabilityResult, separability

__all__ = [
    "BootstrapResult",
    "PermanovaResult",
    "SeparabilityResult",
    "bootstrap_distance",
    "noise_floor",
    "permanova",
    "separability",
]
