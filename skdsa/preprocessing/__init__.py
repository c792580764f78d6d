"""Preparing recordings inside the per-system model: any 2D transformer over time
series, smoothing, binning, subsampling and z-scoring."""

from ._series_transformer import SeriesTransformer
from ._temporal import Binner, GaussianSmoother, Subsampler, ZScorer

__all__ = ["Binner", "GaussianSmoother", "SeriesTransformer", "Subsampler", "ZScorer"]
