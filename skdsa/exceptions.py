"""Warnings and errors of skdsa."""


class NoiseModeWarning(UserWarning):
    """A given rank keeps modes that the data of some systems do not follow."""


__all__ = ["NoiseModeWarning"]
