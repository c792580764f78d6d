"""skdsa: Dynamical Similarity Analysis as scikit-learn estimators."""

from ._dmd import DMDRegressor
from ._hankel import HankelEmbedder

__version__ = "0.1.0"

__all__ = ["DMDRegressor", "HankelEmbedder", "__version__"]
