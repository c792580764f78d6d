"""Recordings: the types that hold a system's time series, and their layout checks.

The bottom of the pipeline: every estimator validates a recording with
``check_series`` and gives the caller back the layout it passed with
``restore_layout``. :func:`read_nwb` reads a system's trials from an NWB file.
"""

from ._driven_recording import DrivenRecording
from ._lazy_recording import LazyRecording
from ._nwb import read_nwb

__all__ = ["DrivenRecording", "LazyRecording", "read_nwb"]
