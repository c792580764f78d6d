"""Warnings and errors of skdsa."""


class NoiseModeWarning(UserWarning):
    """A given rank keeps modes that the data of some systems do not follow."""


class DegenerateOperatorWarning(UserWarning):
    """The fitted operators cannot carry the distance asked of them (1 x 1 under an angle)."""


__all__ = ["DegenerateOperatorWarning", "NoiseModeWarning"]
