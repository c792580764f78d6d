"""Fitting that either succeeds or leaves the estimator as it was."""

import functools


def atomic_fit(fit):
    """Decorate ``fit`` so that a failure restores the estimator's previous state.

    Without it, an error raised half-way (a bad system, a rank too large) would
    leave some fitted attributes written and others stale, and
    ``check_is_fitted`` could pass on an estimator that was never fully fitted.
    """

    @functools.wraps(fit)
    def wrapper(self, *args, **kwargs):
        before = dict(vars(self))
        try:
            return fit(self, *args, **kwargs)
        except BaseException:
            vars(self).clear()
            vars(self).update(before)
            raise

    return wrapper
