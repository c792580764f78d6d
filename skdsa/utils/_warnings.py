"""Warnings that point at the user's line, however deep in skdsa they are raised."""

import sys
import warnings

_INTERNAL = ("skdsa", "sklearn", "joblib")


def warn(message, category=UserWarning):
    """``warnings.warn`` with the stack level of the first caller outside skdsa.

    Frames of skdsa, scikit-learn (its fit decorators) and joblib are skipped, so
    the warning names the line that called skdsa, not skdsa's own modules.
    """
    frame, level = sys._getframe(0), 1
    while frame is not None and frame.f_globals.get("__name__", "").split(".")[0] in _INTERNAL:
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)
