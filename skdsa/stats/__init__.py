"""How much to trust a distance: noise floors, permutation tests, bootstrap intervals."""

from ._bootstrap import BootstrapResult, bootstrap_distance
from ._noise_floor import noise_floor
from ._permanova import PermanovaResult, permanova

__all__ = [
    "BootstrapResult",
    "PermanovaResult",
    "bootstrap_distance",
    "noise_floor",
    "permanova",
]
