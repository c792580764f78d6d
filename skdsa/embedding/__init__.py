"""Delay (Hankel) embedding: lagged copies of a recording, computed lazily."""

from ._delay_embedding import DelayEmbedding
from ._hankel import HankelEmbedder

__all__ = ["DelayEmbedding", "HankelEmbedder"]
